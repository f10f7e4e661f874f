"""JSON views of stored rows: one function per table, plain JSON types only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from calmdesk.store import cases
from calmdesk.store.models import ApiKey, ConversationRow, Customer, MessageRow, Team
from calmdesk.store.models_case import ActionItem, Case


def iso(v: datetime | None) -> str | None:
    return v.isoformat() if v else None


def action_view(a: ActionItem) -> dict[str, Any]:
    return {
        "id": a.id,
        "text": a.text,
        "owner": a.owner,
        "due": iso(a.due),
        "status": a.status,
        "done_at": iso(a.done_at),
    }


def case_view(c: Case, now: datetime, *, actions: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": c.id,
        "title": c.title,
        "state": c.state,
        "priority": c.priority,
        "priority_inputs": c.priority_inputs,
        "reasons": c.reasons,
        "owner": c.owner,
        "supervisor": c.supervisor,
        "needs_supervisor": c.needs_supervisor,
        "conversation_id": c.conversation_id,
        "customer_id": c.customer_id,
        "risk_at_open": c.risk_at_open,
        "eta": iso(c.eta),
        "sla": {
            "acknowledge_due": iso(c.ack_due),
            "resolve_due": iso(c.resolve_due),
            "breached": cases.breaches(c, now),
        },
        "opened_at": iso(c.opened_at),
        "acknowledged_at": iso(c.acknowledged_at),
        "solution_accepted_at": iso(c.solution_accepted_at),
        "resolved_at": iso(c.resolved_at),
        "closed_at": iso(c.closed_at),
    }
    if actions:
        out["action_items"] = [action_view(a) for a in c.actions]
    return out


def customer_view(c: Customer, *, past_cases: int | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": c.id,
        "name": c.name,
        "tier": c.tier,
        "value": c.value,
        "customer_since": iso(c.customer_since),
        "goodwill_given": c.goodwill_given,
        "identities": [{"kind": i.kind, "value": i.value} for i in c.identities],
    }
    if past_cases is not None:
        out["past_cases"] = past_cases
    return out


def message_view(m: MessageRow) -> dict[str, Any]:
    return {
        "id": m.id,
        "external_id": m.external_id,
        "conversation_id": m.conversation_id,
        "author": m.author,
        "role": m.role,
        "channel": m.channel,
        "timestamp": iso(m.timestamp),
        "text": m.text,
        "redacted": m.redacted,
        "risk": m.risk,
        "labels": m.labels,
    }


def conversation_view(c: ConversationRow) -> dict[str, Any]:
    return {
        "id": c.id,
        "source": c.source,
        "external_id": c.external_id,
        "customer_id": c.customer_id,
        "channel": c.channel,
        "risk": c.risk,
        "peak_risk": c.peak_risk,
        "score": c.score,
        "outcome": c.outcome,
        "created_at": iso(c.created_at),
        "updated_at": iso(c.updated_at),
    }


def key_view(k: ApiKey) -> dict[str, Any]:
    return {
        "id": k.id,
        "name": k.name,
        "role": k.role,
        "team": k.team,
        "prefix": k.prefix,
        "created_at": iso(k.created_at),
        "revoked_at": iso(k.revoked_at),
    }


def team_view(t: Team) -> dict[str, Any]:
    return {
        "name": t.name,
        "threshold": t.threshold,
        "redact": t.redact,
        "priority_config": t.priority_config,
    }
