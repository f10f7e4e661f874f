"""One ingest transaction per request, shared by the generic endpoint and the webhooks.

All conversations of a request are stored, or none are. A request that loses a race (two
deliveries of the same new message or customer, a deadlock) is rolled back and run again by
`commit_retrying`; the second run finds what the winner stored, so re-delivery stays idempotent
under concurrency too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi import HTTPException
from sqlalchemy.orm import Session

from calmdesk.core.model import Conversation
from calmdesk.core.pipeline import Pipeline
from calmdesk.core.redact import Redactor
from calmdesk.service.deps import Principal, team_of
from calmdesk.service.transactions import commit_retrying
from calmdesk.store import conversations
from calmdesk.store.conversations import IngestResult
from calmdesk.store.models import Team


@dataclass(frozen=True, slots=True)
class Item:
    conversation: Conversation
    identities: tuple[tuple[str, str], ...]
    customer_name: str | None


#: column widths of the store: longer values are refused with the field named, not truncated
LIMITS = {"id": 256, "author": 256, "channel": 32, "identity": 320, "name": 256}


def problems(items: Sequence[Item]) -> list[dict[str, Any]]:
    """What the store cannot hold: over-long ids and names. (Unencodable text, NUL included,
    never gets here: the model replaced it when the conversation was built.)"""
    out: list[dict[str, Any]] = []

    def over(index: int, field: str, value: str | None, limit: int) -> None:
        if value is not None and len(value) > limit:
            out.append({"record": index, "field": field, "problem": f"longer than {limit}"})

    for i, item in enumerate(items):
        conv = item.conversation
        over(i, "id", conv.id, LIMITS["id"])
        over(i, "channel", conv.channel, LIMITS["channel"])
        over(i, "customer.name", item.customer_name, LIMITS["name"])
        for kind, value in item.identities:
            over(i, f"customer.{kind}", value, LIMITS["identity"])
        for j, m in enumerate(conv.messages):
            over(i, f"messages[{j}].id", m.id, LIMITS["id"])
            over(i, f"messages[{j}].author", m.author, LIMITS["author"])
            over(i, f"messages[{j}].channel", m.channel, LIMITS["channel"])
    return out


def run(
    *,
    session: Session,
    principal: Principal,
    source: str,
    items: Sequence[Item],
    pipeline: Pipeline,
    now: datetime,
    redact: bool | None,
) -> list[dict[str, Any]]:
    found = problems(items)
    if found:
        raise HTTPException(422, {"message": "nothing was stored", "problems": found})
    # conversations are locked as they are stored: taking them in one order, whatever the
    # order of the request, keeps two requests from each waiting for a conversation the other has
    order = sorted(range(len(items)), key=lambda i: items[i].conversation.id)

    def work() -> list[dict[str, Any]]:
        team = team_of(session, principal)
        results: dict[int, IngestResult] = {}
        for i in order:
            item = items[i]
            results[i] = conversations.ingest(
                session=session,
                team=team,
                source=source,
                conversation=item.conversation,
                identities=item.identities,
                customer_name=item.customer_name,
                pipeline=pipeline,
                actor=principal.actor,
                now=now,
                redactor=redaction(team, redact),
            )
        return [result_view(results[i]) for i in range(len(items))]

    return commit_retrying(session, work)


def redaction(team: Team, asked: bool | None) -> Redactor | None:
    """The team's policy is the floor: a request may add redaction, never take it away.

    Turning it off is the admin's team setting (`PUT /team`), so `?redact=false` from anyone
    on a team that redacts changes nothing.
    """
    return Redactor() if team.redact or asked else None


def result_view(r: IngestResult) -> dict[str, Any]:
    case = r.case
    return {
        "conversation_id": r.conversation.id,
        "external_id": r.conversation.external_id,
        "customer_id": r.conversation.customer_id,
        "stored": r.stored,
        "duplicates": r.duplicates,
        "risk": r.conversation.risk,
        "case_opened": r.case_opened,
        "case": None
        if case is None
        else {
            "id": case.id,
            "state": case.state,
            "priority": case.priority,
            "owner": case.owner,
            "eta": case.eta.isoformat(),
            "reasons": case.reasons,
        },
    }
