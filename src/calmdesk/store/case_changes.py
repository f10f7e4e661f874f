"""Changes people make to a case: workflow moves, edits, hand-off, action items; all audited.

Every case entry also records the case's audited columns as they are after the change
(`result`), so the audit verification can tell a case edited in its own table from one changed
through here (`calmdesk.store.audit_rows`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from calmdesk.store import audit, workflow
from calmdesk.store.audit_rows import case_result
from calmdesk.store.models_case import ActionItem, Case


def record(
    session: Session, case: Case, actor: str, action: str, data: dict[str, Any], now: datetime
) -> None:
    audit.append(
        session=session,
        team=case.team,
        actor=actor,
        entity="case",
        entity_id=case.id,
        action=action,
        data=data | {"result": case_result(case)},
        at=now,
    )


def transition(*, session: Session, case: Case, to: str, actor: str, now: datetime) -> Case:
    """Move the case along the workflow; raises workflow.TransitionError if not allowed."""
    workflow.check(case.state, to)
    before = case.state
    case.state = to
    if to == "acknowledged" and case.acknowledged_at is None:
        case.acknowledged_at = now
    elif to == "solution_accepted":
        case.solution_accepted_at = now
    elif to == "resolved":
        case.resolved_at = now
    elif to == "closed":
        case.closed_at = now
    if before == "resolved" and to == "acknowledged":
        case.resolved_at = None
    case.updated_at = now
    record(session, case, actor, "transition", {"from": before, "to": to}, now)
    return case


def update(
    *, session: Session, case: Case, changes: dict[str, Any], actor: str, now: datetime
) -> Case:
    """Owner, ETA, priority or title by hand; the audit keeps before and after.

    Only fields whose value really changes are written and audited; a request that changes
    nothing (a form sent back as it was shown, a retried PATCH) leaves no audit entry and does
    not touch `updated_at`, so the trail shows changes, not clicks."""
    allowed = {"owner", "eta", "priority", "title"}
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for key, value in changes.items():
        if key not in allowed:
            raise ValueError(
                f"field {key!r} cannot be edited; editable: {', '.join(sorted(allowed))}"
            )
        if getattr(case, key) == value:
            continue
        before[key], after[key] = _plain(getattr(case, key)), _plain(value)
        setattr(case, key, value)
    if not after:
        return case
    case.updated_at = now
    record(session, case, actor, "updated", {"before": before, "after": after}, now)
    return case


def hand_off(
    *, session: Session, case: Case, supervisor: str, note: str, actor: str, now: datetime
) -> Case:
    """A supervisor takes the case over (P5): becomes owner, the agent stays on record."""
    before = case.owner
    case.supervisor = supervisor
    case.owner = supervisor
    case.needs_supervisor = False
    case.updated_at = now
    record(
        session, case, actor, "handed_off", {"from": before, "to": supervisor, "note": note}, now
    )
    return case


def add_action(
    *,
    session: Session,
    case: Case,
    text: str,
    owner: str | None,
    due: datetime | None,
    actor: str,
    now: datetime,
) -> ActionItem:
    item = ActionItem(
        case_id=case.id, text=text, owner=owner, due=due, status="open", created_at=now
    )
    session.add(item)
    session.flush()
    record(
        session,
        case,
        actor,
        "action_added",
        {"action": item.id, "text": text, "owner": owner, "due": _plain(due)},
        now,
    )
    return item


ACTION_STATUSES = ("open", "done", "cancelled")


def update_action(
    *,
    session: Session,
    case: Case,
    item: ActionItem,
    changes: dict[str, Any],
    actor: str,
    now: datetime,
) -> ActionItem:
    before: dict[str, Any] = {}
    for key, value in changes.items():
        if key not in ("text", "owner", "due", "status"):
            raise ValueError(f"field {key!r} cannot be edited; editable: text, owner, due, status")
        if key == "status" and value not in ACTION_STATUSES:
            raise ValueError(f"status {value!r}: expected one of {', '.join(ACTION_STATUSES)}")
        before[key] = _plain(getattr(item, key))
        setattr(item, key, value)
    if changes.get("status") == "done":
        item.done_at = now
    case.updated_at = now
    record(
        session,
        case,
        actor,
        "action_updated",
        {"action": item.id, "before": before, "after": {k: _plain(v) for k, v in changes.items()}},
        now,
    )
    return item


def _plain(v: Any) -> Any:
    return v.isoformat() if isinstance(v, datetime) else v
