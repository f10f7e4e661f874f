"""The case view: workflow buttons, priority, owner, ETA countdown, action items, SLA, audit trail
and the customer's case record. Plain HTML forms (POST, then redirect back), so every action
works with the keyboard and without script; the same store functions as the API do the work,
so the audit trail records the same entries.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from calmdesk.service import record
from calmdesk.service.case_owner import OwnerChangeRefused, check_handoff, supervisors
from calmdesk.service.deps import DbSession, Now
from calmdesk.service.schemas import ActionCreate, ActionUpdate, CaseUpdate, Handoff, PathId
from calmdesk.service.transactions import commit_retrying
from calmdesk.store import audit, case_changes, cases, workflow
from calmdesk.store.models import ConversationRow, Customer
from calmdesk.store.models_case import ActionItem, Case
from calmdesk.store.priority import PRIORITIES
from calmdesk.web.render import render
from calmdesk.web.session import AgentUser, SupervisorUser, WebUser

router = APIRouter(prefix="/ui/cases", include_in_schema=False)


def _case(session: Session, user: WebUser, case_id: int, *, edit: bool = False) -> Case:
    case = cases.get(session=session, team=user.principal.team, case_id=case_id, for_update=edit)
    if case is None:
        raise HTTPException(404, f"no case {case_id} in your team")
    return case


def _write(session: Session, user: WebUser, case_id: int, change: Callable[[Case], object]) -> Case:
    """Apply `change` to the locked case and commit, as the API's case routes do: retried when
    it loses a race with another write (an ingest escalating the same case), 503 if it keeps
    losing, never a server error."""

    def work() -> Case:
        case = _case(session, user, case_id, edit=True)
        change(case)
        return case

    return commit_retrying(session, work)


def _problem(exc: ValidationError) -> str:
    first = exc.errors()[0]
    field = ".".join(str(p) for p in first.get("loc", ()))
    return f"{field}: {first.get('msg', 'invalid')}"


def _blank_none(form: dict[str, str], *names: str) -> dict[str, Any]:
    """Form fields with empty values dropped: an empty field means 'not given'."""
    return {n: form[n].strip() for n in names if form.get(n, "").strip()}


def case_context(session: Session, user: WebUser, case: Case, now: datetime) -> dict[str, Any]:
    """What the case page shows; the audit trail only to supervisors, whose log it is."""
    trail = (
        audit.entries(
            session=session, team=case.team, entity="case", entity_id=str(case.id), limit=1000
        )
        if user.is_supervisor
        else []
    )
    return {
        "case": case,
        "now": now,
        # forward moves first (the usual next step), then the way back
        "next_states": sorted(
            workflow.ALLOWED[case.state], key=lambda s: -workflow.STATES.index(s)
        ),
        "states": workflow.STATES,
        "sla": cases.breaches(case, now),
        "trail": [audit.as_dict(e) for e in reversed(trail)],
        "customer": session.get(Customer, case.customer_id) if case.customer_id else None,
        "conv": session.get(ConversationRow, case.conversation_id)
        if case.conversation_id
        else None,
        "priorities": PRIORITIES,
        "supervisors": supervisors(session=session, team=case.team),
    }


def _page(
    request: Request,
    user: WebUser,
    session: Session,
    case: Case,
    now: datetime,
    error: str = "",
    status: int = 409,
) -> HTMLResponse:
    return render(
        request,
        "case.html",
        user,
        status_code=status if error else 200,
        error=error,
        **case_context(session, user, case, now),
    )


def _back(case: Case) -> RedirectResponse:
    return RedirectResponse(f"/ui/cases/{case.id}", status_code=303)


@router.get("/{case_id}", response_class=HTMLResponse)
def case_view(
    case_id: PathId, request: Request, user: AgentUser, session: DbSession, now: Now
) -> HTMLResponse:
    return _page(request, user, session, _case(session, user, case_id), now)


@router.post("/{case_id}/transition")
def transition(
    case_id: PathId, request: Request, user: AgentUser, session: DbSession, now: Now
) -> Response:
    """One workflow move; a move the workflow forbids re-shows the page saying what is allowed."""
    to = request.state.form.get("to", "")
    try:
        case = _write(
            session,
            user,
            case_id,
            lambda c: case_changes.transition(
                session=session, case=c, to=to, actor=user.principal.actor, now=now
            ),
        )
    except workflow.TransitionError as exc:
        return _page(request, user, session, _case(session, user, case_id), now, error=str(exc))
    return _back(case)


@router.post("/{case_id}/handoff")
def hand_off(
    case_id: PathId, request: Request, user: AgentUser, session: DbSession, now: Now
) -> Response:
    case = _case(session, user, case_id)
    try:
        body = Handoff.model_validate(_blank_none(request.state.form, "supervisor", "note"))
    except ValidationError as exc:
        return _page(request, user, session, case, now, error=_problem(exc))
    try:  # an agent hands off to a supervisor of the team, nobody else (case_owner)
        check_handoff(session=session, principal=user.principal, to=body.supervisor)
    except OwnerChangeRefused as exc:
        return _page(request, user, session, case, now, error=str(exc), status=403)
    case = _write(
        session,
        user,
        case_id,
        lambda c: case_changes.hand_off(
            session=session,
            case=c,
            supervisor=body.supervisor,
            note=body.note,
            actor=user.principal.actor,
            now=now,
        ),
    )
    return _back(case)


@router.post("/{case_id}/edit")
def edit(
    case_id: PathId, request: Request, user: SupervisorUser, session: DbSession, now: Now
) -> Response:
    """Owner, priority and ETA by hand (supervisors, as in the API's PATCH)."""
    case = _case(session, user, case_id)
    try:
        body = CaseUpdate.model_validate(
            _blank_none(request.state.form, "owner", "priority", "eta")
        )
    except ValidationError as exc:
        return _page(request, user, session, case, now, error=_problem(exc))
    changes = body.model_dump(exclude_unset=True, exclude_none=True)
    case = _write(  # writes only what changed, and no audit entry when nothing did
        session,
        user,
        case_id,
        lambda c: case_changes.update(
            session=session, case=c, changes=changes, actor=user.principal.actor, now=now
        ),
    )
    return _back(case)


@router.post("/{case_id}/actions")
def add_action(
    case_id: PathId, request: Request, user: AgentUser, session: DbSession, now: Now
) -> Response:
    case = _case(session, user, case_id)
    try:
        body = ActionCreate.model_validate(_blank_none(request.state.form, "text", "owner", "due"))
    except ValidationError as exc:
        return _page(request, user, session, case, now, error=_problem(exc))
    case = _write(
        session,
        user,
        case_id,
        lambda c: case_changes.add_action(
            session=session,
            case=c,
            text=body.text,
            owner=body.owner,
            due=body.due,
            actor=user.principal.actor,
            now=now,
        ),
    )
    return _back(case)


@router.post("/{case_id}/actions/{action_id}")
def update_action(
    case_id: PathId,
    action_id: PathId,
    request: Request,
    user: AgentUser,
    session: DbSession,
    now: Now,
) -> Response:
    """Tick an action item (status done / open again) or assign it to someone."""
    case = _case(session, user, case_id)
    item = session.get(ActionItem, action_id)
    if item is None or item.case_id != case.id:
        raise HTTPException(404, f"no action item {action_id} on case {case_id}")
    try:
        body = ActionUpdate.model_validate(_blank_none(request.state.form, "owner", "status"))
    except ValidationError as exc:
        return _page(request, user, session, case, now, error=_problem(exc))
    changes = body.model_dump(exclude_unset=True, exclude_none=True)
    if changes:

        def tick(c: Case) -> None:
            locked = session.get(ActionItem, action_id)
            assert locked is not None  # checked above; action items are never deleted
            case_changes.update_action(
                session=session,
                case=c,
                item=locked,
                changes=changes,
                actor=user.principal.actor,
                now=now,
            )

        case = _write(session, user, case_id, tick)
    return _back(case)


@router.get("/{case_id}/record")
def case_record(
    case_id: PathId,
    user: AgentUser,
    session: DbSession,
    now: Now,
    format: str = "html",
    redact: bool = False,
) -> Response:
    """The customer's case record (the API's record), as a printable page or a JSON download."""
    case = _case(session, user, case_id)
    doc = record.build(
        session=session, case=case, now=now, redact=redact, with_audit=user.is_supervisor
    )
    if format == "json":
        return Response(
            json.dumps(doc, ensure_ascii=False, indent=2),
            media_type="application/json",
            headers={"Content-Disposition": f'attachment; filename="case-{case.id}.json"'},
        )
    if format != "html":
        raise HTTPException(422, "format: expected html or json")
    return HTMLResponse(record.render_html(doc))
