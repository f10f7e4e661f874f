"""Customers and their identities: one customer, one timeline, across every channel (P3).

An identity is (kind, value): an email address, a phone number, a Twitter handle, a chat or
helpdesk contact id. Ingest hands over every identity it knows for the author; when they point
to two different customers, those customers are the same person and are merged.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from calmdesk.store import audit
from calmdesk.store.models import ConversationRow, Customer, Identity, MessageRow
from calmdesk.store.models_case import Case

IDENTITY_KINDS = ("email", "phone", "twitter", "chat", "chatwoot", "zendesk", "external")


def normalise(kind: str, value: str) -> tuple[str, str]:
    """One spelling per identity, so 'Jane@Shop.example' and 'jane@shop.example' match."""
    value = value.strip()
    if kind == "email":
        value = value.lower()
    elif kind == "twitter":
        value = value.lower().lstrip("@")
    elif kind == "phone":
        value = "".join(ch for ch in value if ch.isdigit() or ch == "+")
    return kind, value


def get(
    *, session: Session, team: str, customer_id: int, for_update: bool = False
) -> Customer | None:
    """`for_update` locks the row until commit (PostgreSQL; SQLite has one writer at a time), so
    two edits of one customer take turns instead of the later overwriting the earlier."""
    c = session.get(Customer, customer_id, with_for_update=for_update or None)
    return c if c is not None and c.team == team else None


def resolve(
    *,
    session: Session,
    team: str,
    identities: Iterable[tuple[str, str]],
    name: str | None,
    actor: str,
    now: datetime,
) -> Customer:
    """The customer these identities belong to, created or merged as needed (caller commits)."""
    wanted = list(dict.fromkeys(normalise(k, v) for k, v in identities if v and str(v).strip()))
    found: list[Identity] = []
    for kind, value in wanted:
        row = session.scalar(
            select(Identity).where(
                Identity.team == team, Identity.kind == kind, Identity.value == value
            )
        )
        if row is not None:
            found.append(row)
    owners = list(dict.fromkeys(_live(session, i.customer_id) for i in found))
    if owners:
        customer = session.get(Customer, owners[0])
        assert customer is not None
        for other in owners[1:]:
            merge(session=session, team=team, into=customer.id, other=other, actor=actor, now=now)
    else:
        customer = Customer(team=team, name=name, created_at=now)
        session.add(customer)
        session.flush()
        audit.append(
            session=session,
            team=team,
            actor=actor,
            entity="customer",
            entity_id=customer.id,
            action="created",
            data=_audited({"name": name}),
            at=now,
        )
    if name and not customer.name:
        customer.name = name
    known = {(i.kind, i.value) for i in found}
    # new identities are inserted in one order, whatever order they were given in: two
    # deliveries adding the same ones then wait for each other at the first instead of
    # deadlocking; the one that finds an identity just taken fails on its unique key and is
    # run again (calmdesk.store.retry), when it finds the identity and its customer
    for kind, value in sorted(wanted):
        if (kind, value) not in known:
            add_identity(
                session=session,
                team=team,
                customer=customer,
                kind=kind,
                value=value,
                actor=actor,
                now=now,
            )
    return customer


def _live(session: Session, customer_id: int) -> int:
    """Follow merges to the customer that absorbed this one."""
    seen = set()
    while True:
        c = session.get(Customer, customer_id)
        if c is None or c.merged_into is None or customer_id in seen:
            return customer_id
        seen.add(customer_id)
        customer_id = c.merged_into


def add_identity(
    *,
    session: Session,
    team: str,
    customer: Customer,
    kind: str,
    value: str,
    actor: str,
    now: datetime,
) -> Identity:
    kind, value = normalise(kind, value)
    row = Identity(team=team, customer_id=customer.id, kind=kind, value=value)
    session.add(row)
    session.flush()
    audit.append(
        session=session,
        team=team,
        actor=actor,
        entity="customer",
        entity_id=customer.id,
        action="identity_added",
        data={"kind": kind, "value_sha256": audit.text_digest(value)},
        at=now,
    )
    return row


def link_identity(
    *,
    session: Session,
    team: str,
    customer: Customer,
    kind: str,
    value: str,
    actor: str,
    now: datetime,
) -> Customer:
    """Attach an identity; if another customer already has it, the two are merged."""
    kind, value = normalise(kind, value)
    row = session.scalar(
        select(Identity).where(
            Identity.team == team, Identity.kind == kind, Identity.value == value
        )
    )
    if row is None:
        add_identity(
            session=session,
            team=team,
            customer=customer,
            kind=kind,
            value=value,
            actor=actor,
            now=now,
        )
    elif _live(session, row.customer_id) != customer.id:
        merge(
            session=session,
            team=team,
            into=customer.id,
            other=_live(session, row.customer_id),
            actor=actor,
            now=now,
        )
    return customer


def merge(*, session: Session, team: str, into: int, other: int, actor: str, now: datetime) -> None:
    """Move the other customer's identities, conversations and cases; keep its row as a pointer."""
    if into == other:
        return
    session.execute(update(Identity).where(Identity.customer_id == other).values(customer_id=into))
    session.execute(
        update(ConversationRow).where(ConversationRow.customer_id == other).values(customer_id=into)
    )
    session.execute(update(Case).where(Case.customer_id == other).values(customer_id=into))
    target, source = session.get(Customer, into), session.get(Customer, other)
    assert target is not None and source is not None
    target.goodwill_given += source.goodwill_given
    target.value = max(target.value, source.value)
    if source.customer_since and (
        target.customer_since is None or source.customer_since < target.customer_since
    ):
        target.customer_since = source.customer_since
    source.merged_into = into
    session.flush()
    session.expire_all()
    audit.append(
        session=session,
        team=team,
        actor=actor,
        entity="customer",
        entity_id=into,
        action="merged",
        data={"absorbed": other},
        at=now,
    )


EDITABLE = ("name", "tier", "value", "customer_since")
#: fields the audit log keeps only as a SHA-256: the log can never be erased, a customer's
#: name must be (the identities are digested the same way in "identity_added")
PERSONAL = ("name",)


def _audited(fields: dict[str, Any]) -> dict[str, Any]:
    """`fields` as the audit log may keep them: personal values as `<field>_sha256`."""
    return {
        (f"{k}_sha256" if k in PERSONAL and v is not None else k): (
            audit.text_digest(str(v)) if k in PERSONAL and v is not None else v
        )
        for k, v in fields.items()
    }


def update_fields(
    *, session: Session, customer: Customer, changes: dict[str, Any], actor: str, now: datetime
) -> Customer:
    before = {k: _plain(getattr(customer, k)) for k in changes}
    for key, value in changes.items():
        if key not in EDITABLE:
            raise ValueError(f"field {key!r} cannot be edited; editable: {', '.join(EDITABLE)}")
        setattr(customer, key, value)
    audit.append(
        session=session,
        team=customer.team,
        actor=actor,
        entity="customer",
        entity_id=customer.id,
        action="updated",
        data={
            "before": _audited(before),
            "after": _audited({k: _plain(v) for k, v in changes.items()}),
        },
        at=now,
    )
    return customer


def give_goodwill(
    *, session: Session, customer: Customer, amount: float, reason: str, actor: str, now: datetime
) -> Customer:
    customer.goodwill_given += amount
    audit.append(
        session=session,
        team=customer.team,
        actor=actor,
        entity="customer",
        entity_id=customer.id,
        action="goodwill",
        data={"amount": amount, "reason": reason},
        at=now,
    )
    return customer


def _plain(v: Any) -> Any:
    return v.isoformat() if isinstance(v, datetime) else v


def list_customers(
    *, session: Session, team: str, limit: int = 50, offset: int = 0
) -> Sequence[Customer]:
    q = (
        select(Customer)
        .where(Customer.team == team, Customer.merged_into.is_(None))
        .order_by(Customer.id)
        .limit(limit)
        .offset(offset)
    )
    return session.scalars(q).all()


def case_count(*, session: Session, customer_id: int) -> int:
    return session.scalar(select(func.count(Case.id)).where(Case.customer_id == customer_id)) or 0


def timeline(*, session: Session, customer_id: int, limit: int = 500) -> list[MessageRow]:
    """Every message of every conversation of the customer, oldest first, across channels."""
    q = (
        select(MessageRow)
        .join(ConversationRow, MessageRow.conversation_id == ConversationRow.id)
        .where(ConversationRow.customer_id == customer_id)
        .order_by(MessageRow.timestamp.is_(None), MessageRow.timestamp, MessageRow.id)
        .limit(limit)
    )
    return list(session.scalars(q))
