"""POST /ingest: conversations in the documented calmdesk JSON format (conversation-format.md)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException

from calmdesk.core.ingest.json_format import conversation_from_record, schema_problems
from calmdesk.core.ingest.options import IngestOptions
from calmdesk.core.model import Conversation
from calmdesk.service import ingesting
from calmdesk.service.deps import Agent, DbSession, Now, PipelineDep
from calmdesk.service.limits import MessageLimit, check_messages

router = APIRouter(tags=["ingest"])

#: conversation metadata.customer keys that name an identity of the customer
IDENTITY_KEYS = ("email", "phone", "twitter", "chat")


@router.post("/ingest")
def ingest_conversations(
    principal: Agent,
    session: DbSession,
    pipeline: PipelineDep,
    now: Now,
    limit: MessageLimit,
    payload: Annotated[
        Any, Body(description="a conversation, a list, or {'conversations': [...]}")
    ],
    redact: bool | None = None,
) -> dict[str, Any]:
    """Store and analyse conversations; all of the request is stored or none of it.

    Messages already stored (same conversation id, same message id) are skipped. A case opens
    when a new message crosses the team's risk threshold or carries a supervisor request, abuse,
    a legal or a public threat. `redact=true` redacts even where the team does not; the team's
    redaction setting cannot be turned off per request.
    """
    records = _records(payload)
    items: list[ingesting.Item] = []
    problems: list[dict[str, Any]] = []
    for index, record in enumerate(records):
        found = schema_problems(record)
        built: Conversation | list[tuple[str | None, str]] = found
        if not found and isinstance(record, Mapping):
            built = conversation_from_record(record, IngestOptions())
        if isinstance(built, Conversation):
            items.append(_item(built))
        else:
            problems += [{"record": index, "field": f, "problem": m} for f, m in built]
    if problems:
        raise HTTPException(422, {"message": "nothing was stored", "problems": problems})
    check_messages([item.conversation for item in items], limit)
    results = ingesting.run(
        session=session,
        principal=principal,
        source="api",
        items=items,
        pipeline=pipeline,
        now=now,
        redact=redact,
    )
    return {"conversations": results}


def _records(payload: Any) -> list[Any]:
    if isinstance(payload, list):
        records = payload
    elif isinstance(payload, Mapping) and "conversations" in payload:
        records = payload["conversations"]
    else:
        records = [payload]
    if not isinstance(records, list) or not records:
        raise HTTPException(
            422, "expected a conversation object, a non-empty list, or {'conversations': [...]}"
        )
    return records


def _item(conv: Conversation) -> ingesting.Item:
    identities: list[tuple[str, str]] = []
    if conv.customer_id:
        identities.append(("external", conv.customer_id))
    meta = conv.metadata.get("customer")
    name = None
    if isinstance(meta, Mapping):
        identities += [(k, str(meta[k])) for k in IDENTITY_KEYS if meta.get(k)]
        name = meta.get("name") if isinstance(meta.get("name"), str) else None
    if name is None:
        person = next((p for p in conv.participants if p.role == "customer"), None)
        name = person.name if person else None
    return ingesting.Item(conv, tuple(identities), name)
