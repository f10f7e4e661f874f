"""Customers: relationship data (tier, value, tenure, goodwill), identities, one timeline."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query
from sqlalchemy.orm import Session

from calmdesk.service.deps import Agent, DbSession, Now, Supervisor
from calmdesk.service.schemas import CustomerUpdate, Goodwill, IdentityAdd, PathId
from calmdesk.service.transactions import commit_retrying
from calmdesk.service.views import customer_view, message_view
from calmdesk.store import customers
from calmdesk.store.models import Customer

router = APIRouter(prefix="/customers", tags=["customers"])


def _customer(session: Session, team: str, customer_id: int, *, edit: bool = False) -> Customer:
    c = customers.get(session=session, team=team, customer_id=customer_id, for_update=edit)
    if c is None:
        raise HTTPException(404, f"no customer {customer_id}")
    if c.merged_into is not None:
        raise HTTPException(404, f"customer {customer_id} was merged into {c.merged_into}")
    return c


@router.get("")
def list_customers(
    principal: Agent,
    session: DbSession,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> dict[str, Any]:
    rows = customers.list_customers(
        session=session, team=principal.team, limit=limit, offset=offset
    )
    return {"customers": [customer_view(c) for c in rows]}


@router.get("/{customer_id}")
def get_customer(customer_id: PathId, principal: Agent, session: DbSession) -> dict[str, Any]:
    """The customer with identities on every channel, past cases and goodwill given (P4)."""
    c = _customer(session, principal.team, customer_id)
    return customer_view(c, past_cases=customers.case_count(session=session, customer_id=c.id))


@router.get("/{customer_id}/timeline")
def timeline(
    customer_id: PathId,
    principal: Agent,
    session: DbSession,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> dict[str, Any]:
    """Every message of the customer on every channel, oldest first (P3: one timeline)."""
    c = _customer(session, principal.team, customer_id)
    msgs = customers.timeline(session=session, customer_id=c.id, limit=limit)
    return {"customer_id": c.id, "messages": [message_view(m) for m in msgs]}


@router.patch("/{customer_id}")
def update_customer(
    customer_id: PathId, body: CustomerUpdate, principal: Supervisor, session: DbSession, now: Now
) -> dict[str, Any]:
    changes = body.model_dump(exclude_unset=True, exclude_none=True)

    def work() -> dict[str, Any]:
        c = _customer(session, principal.team, customer_id, edit=True)
        customers.update_fields(
            session=session, customer=c, changes=changes, actor=principal.actor, now=now
        )
        return customer_view(c)

    return commit_retrying(session, work)


@router.post("/{customer_id}/identities")
def add_identity(
    customer_id: PathId, body: IdentityAdd, principal: Agent, session: DbSession, now: Now
) -> dict[str, Any]:
    """Link an email, phone, handle or chat id; a customer who already had it is merged in."""

    def work() -> Customer:
        c = _customer(session, principal.team, customer_id, edit=True)
        customers.link_identity(
            session=session,
            team=principal.team,
            customer=c,
            kind=body.kind,
            value=body.value,
            actor=principal.actor,
            now=now,
        )
        return c

    linked = commit_retrying(session, work)
    session.refresh(linked)  # identities added or merged in are not in its loaded collection
    return customer_view(linked)


@router.post("/{customer_id}/goodwill")
def give_goodwill(
    customer_id: PathId, body: Goodwill, principal: Agent, session: DbSession, now: Now
) -> dict[str, Any]:
    """Record a gesture of goodwill (credit, refund, gift) so later cases see it."""

    def work() -> dict[str, Any]:
        c = _customer(session, principal.team, customer_id, edit=True)
        customers.give_goodwill(
            session=session,
            customer=c,
            amount=body.amount,
            reason=body.reason,
            actor=principal.actor,
            now=now,
        )
        return customer_view(c)

    return commit_retrying(session, work)
