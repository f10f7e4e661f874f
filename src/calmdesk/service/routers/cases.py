"""Escalation cases: list and filter, open by hand, move through the workflow, hand off,
action items, and the exportable case record."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from calmdesk.service import record
from calmdesk.service.case_owner import OwnerChangeRefused, check_handoff, check_new_owner
from calmdesk.service.deps import Agent, DbSession, Now, Supervisor, team_of
from calmdesk.service.schemas import (
    ActionCreate,
    ActionUpdate,
    CaseCreate,
    CaseUpdate,
    Handoff,
    PathId,
    Priority,
    QueryId,
    State,
    Transition,
)
from calmdesk.service.transactions import commit_retrying
from calmdesk.service.views import action_view, case_view
from calmdesk.store import case_changes, cases, conversations, customers
from calmdesk.store.models_case import ActionItem, Case
from calmdesk.store.workflow import TransitionError

router = APIRouter(prefix="/cases", tags=["cases"])


def _case(session: Session, team: str, case_id: int, *, edit: bool = False) -> Case:
    case = cases.get(session=session, team=team, case_id=case_id, for_update=edit)
    if case is None:
        raise HTTPException(404, f"no case {case_id}")
    return case


@router.get("")
def list_cases(
    principal: Agent,
    session: DbSession,
    now: Now,
    state: State | None = None,
    priority: Priority | None = None,
    owner: Annotated[str | None, Query(max_length=256)] = None,
    breached: bool | None = None,
    customer_id: QueryId = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> dict[str, Any]:
    """Cases of the key's team, most urgent first; filter by state, priority, owner, SLA breach."""
    filters = cases.CaseFilter(state, priority, owner, breached, customer_id)
    rows = cases.list_cases(
        session=session, team=principal.team, filters=filters, now=now, limit=limit, offset=offset
    )
    return {"cases": [case_view(c, now, actions=False) for c in rows]}


@router.post("", status_code=201)
def open_case(body: CaseCreate, principal: Agent, session: DbSession, now: Now) -> dict[str, Any]:
    """Open a case by hand (a phone call, a letter): priority given, SLA and ETA from it.
    An agent opens it for themselves or for nobody (owner changes are a supervisor's)."""
    try:
        check_new_owner(principal=principal, owner=body.owner)
    except OwnerChangeRefused as exc:
        raise HTTPException(403, str(exc)) from exc

    def work() -> dict[str, Any]:
        team = team_of(session, principal)
        if body.customer_id is not None and not customers.get(
            session=session, team=team.name, customer_id=body.customer_id
        ):
            raise HTTPException(404, f"no customer {body.customer_id}")
        conv = None
        if body.conversation_id is not None:
            conv = conversations.get(
                session=session, team=team.name, conversation_id=body.conversation_id
            )
            if conv is None:
                raise HTTPException(404, f"no conversation {body.conversation_id}")
        case = cases.open_manual(
            session=session,
            team=team,
            title=body.title,
            customer_id=body.customer_id or (conv.customer_id if conv else None),
            conversation_id=body.conversation_id,
            prio=body.priority,
            owner=body.owner,
            actor=principal.actor,
            now=now,
        )
        return case_view(case, now)

    return commit_retrying(session, work)


@router.get("/{case_id}")
def get_case(case_id: PathId, principal: Agent, session: DbSession, now: Now) -> dict[str, Any]:
    return case_view(_case(session, principal.team, case_id), now)


@router.patch("/{case_id}")
def update_case(
    case_id: PathId, body: CaseUpdate, principal: Supervisor, session: DbSession, now: Now
) -> dict[str, Any]:
    """Reassign, re-prioritise, re-title or move the ETA (supervisors)."""
    changes = body.model_dump(exclude_unset=True, exclude_none=True)

    def work() -> dict[str, Any]:
        case = _case(session, principal.team, case_id, edit=True)
        case_changes.update(
            session=session, case=case, changes=changes, actor=principal.actor, now=now
        )
        return case_view(case, now)

    return commit_retrying(session, work)


@router.post("/{case_id}/transition")
def transition(
    case_id: PathId, body: Transition, principal: Agent, session: DbSession, now: Now
) -> dict[str, Any]:
    """Move the case along new → acknowledged → solution_offered → solution_accepted →
    fact_finding → resolved → closed; 409 names the allowed moves when this one is not."""

    def work() -> dict[str, Any]:
        case = _case(session, principal.team, case_id, edit=True)
        try:
            case_changes.transition(
                session=session, case=case, to=body.to, actor=principal.actor, now=now
            )
        except TransitionError as exc:
            raise HTTPException(409, str(exc)) from exc
        return case_view(case, now)

    return commit_retrying(session, work)


@router.post("/{case_id}/handoff")
def hand_off(
    case_id: PathId, body: Handoff, principal: Agent, session: DbSession, now: Now
) -> dict[str, Any]:
    """Hand the case to a supervisor, who becomes its owner (P5: let a supervisor take over).
    An agent names one of the team's supervisor or admin keys; supervisors hand to anyone."""
    try:
        check_handoff(session=session, principal=principal, to=body.supervisor)
    except OwnerChangeRefused as exc:
        raise HTTPException(403, str(exc)) from exc

    def work() -> dict[str, Any]:
        case = _case(session, principal.team, case_id, edit=True)
        case_changes.hand_off(
            session=session,
            case=case,
            supervisor=body.supervisor,
            note=body.note,
            actor=principal.actor,
            now=now,
        )
        return case_view(case, now)

    return commit_retrying(session, work)


@router.post("/{case_id}/actions", status_code=201)
def add_action(
    case_id: PathId, body: ActionCreate, principal: Agent, session: DbSession, now: Now
) -> dict[str, Any]:

    def work() -> dict[str, Any]:
        case = _case(session, principal.team, case_id, edit=True)
        item = case_changes.add_action(
            session=session,
            case=case,
            text=body.text,
            owner=body.owner,
            due=body.due,
            actor=principal.actor,
            now=now,
        )
        return action_view(item)

    return commit_retrying(session, work)


@router.patch("/{case_id}/actions/{action_id}")
def update_action(
    case_id: PathId,
    action_id: PathId,
    body: ActionUpdate,
    principal: Agent,
    session: DbSession,
    now: Now,
) -> dict[str, Any]:
    changes = body.model_dump(exclude_unset=True, exclude_none=True)

    def work() -> dict[str, Any]:
        case = _case(session, principal.team, case_id, edit=True)
        item = session.get(ActionItem, action_id)
        if item is None or item.case_id != case.id:
            raise HTTPException(404, f"no action item {action_id} on case {case_id}")
        case_changes.update_action(
            session=session, case=case, item=item, changes=changes, actor=principal.actor, now=now
        )
        return action_view(item)

    return commit_retrying(session, work)


@router.get("/{case_id}/record")
def case_record(
    case_id: PathId, principal: Agent, session: DbSession, now: Now, redact: bool = False
) -> dict[str, Any]:
    """The record to give the customer: timeline, commitments, actions taken. The actions
    taken are the case's audit entries, which only supervisors and admins read: an agent's
    record leaves them out and says so under `withheld`."""
    case = _case(session, principal.team, case_id)
    return record.build(
        session=session,
        case=case,
        now=now,
        redact=redact,
        with_audit=principal.at_least("supervisor"),
    )


@router.get("/{case_id}/record.html", response_class=HTMLResponse)
def case_record_html(
    case_id: PathId, principal: Agent, session: DbSession, now: Now, redact: bool = False
) -> HTMLResponse:
    """The same record as a printable page (inline CSS, no external assets)."""
    case = _case(session, principal.team, case_id)
    doc = record.build(
        session=session,
        case=case,
        now=now,
        redact=redact,
        with_audit=principal.at_least("supervisor"),
    )
    return HTMLResponse(record.render_html(doc))
