"""Storing conversations as they arrive: idempotent per message, analysed on arrival.

`ingest` is what every entry point (the generic endpoint, each webhook adapter) calls with a core
`Conversation` holding the messages just delivered. Messages already stored (same conversation,
same message id) are skipped, so a re-delivered webhook changes nothing. The new messages are
analysed together with the stored history, because labels and risk depend on what came before.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from calmdesk.core.model import Conversation, Message
from calmdesk.core.pipeline import Analysis, Pipeline
from calmdesk.core.redact import Redactor
from calmdesk.core.serialize import label_dict, outcome_dict
from calmdesk.store import audit, cases, customers
from calmdesk.store.models import ConversationRow, MessageRow, Team
from calmdesk.store.models_case import Case


@dataclass(frozen=True, slots=True)
class IngestResult:
    conversation: ConversationRow
    stored: int
    duplicates: int
    case: Case | None
    case_opened: bool
    analysis: Analysis | None = field(default=None, repr=False)


def get(*, session: Session, team: str, conversation_id: int) -> ConversationRow | None:
    row = session.get(ConversationRow, conversation_id)
    return row if row is not None and row.team == team else None


def list_conversations(
    *,
    session: Session,
    team: str,
    customer_id: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Sequence[ConversationRow]:
    q = select(ConversationRow).where(ConversationRow.team == team)
    if customer_id is not None:
        q = q.where(ConversationRow.customer_id == customer_id)
    return session.scalars(q.order_by(ConversationRow.id).limit(limit).offset(offset)).all()


def messages_of(*, session: Session, conversation_id: int) -> list[MessageRow]:
    q = select(MessageRow).where(MessageRow.conversation_id == conversation_id)
    return list(session.scalars(q.order_by(MessageRow.seq)))


def as_core(row: ConversationRow, msgs: Iterable[MessageRow]) -> Conversation:
    """The stored conversation as the core reads it (stored text: redacted if redaction was on)."""
    return Conversation(
        id=row.external_id,
        messages=tuple(
            Message(
                id=m.external_id,
                author=m.author,
                role=m.role,  # type: ignore[arg-type]
                text=m.text,
                timestamp=m.timestamp,
                channel=m.channel,
                metadata=m.metadata_json or {},
            )
            for m in msgs
        ),
        customer_id=str(row.customer_id) if row.customer_id else None,
        channel=row.channel,
    )


def ingest(
    *,
    session: Session,
    team: Team,
    source: str,
    conversation: Conversation,
    identities: Iterable[tuple[str, str]] = (),
    customer_name: str | None = None,
    pipeline: Pipeline,
    actor: str,
    now: datetime,
    redactor: Redactor | None = None,
) -> IngestResult:
    """Store the new messages of `conversation`, analyse, open or raise a case (caller commits).

    The conversation's row is locked first (FOR UPDATE on PostgreSQL; SQLite has one writer at a
    time anyway), so deliveries to one conversation take turns: each finds the messages stored
    before it, numbers its own after them, and analyses the history they make. Two first
    deliveries of a conversation meet at its unique key instead: the loser fails there and is
    run again by the caller (`calmdesk.store.retry`), when it finds the row.
    """
    row = session.scalar(
        select(ConversationRow)
        .where(
            ConversationRow.team == team.name,
            ConversationRow.source == source,
            ConversationRow.external_id == conversation.id,
        )
        .with_for_update()
    )
    if row is None:
        row = ConversationRow(
            team=team.name,
            source=source,
            external_id=conversation.id,
            channel=conversation.channel,
            metadata_json=redactor.metadata(conversation.metadata)
            if redactor
            else dict(conversation.metadata),
            created_at=now,
            updated_at=now,
        )
        session.add(row)
        session.flush()
    idents = list(identities)
    if idents:
        customer = customers.resolve(
            session=session,
            team=team.name,
            identities=idents,
            name=customer_name,
            actor=actor,
            now=now,
        )
        row.customer_id = customer.id
    known = set(
        session.scalars(select(MessageRow.external_id).where(MessageRow.conversation_id == row.id))
    )
    fresh: list[Message] = []
    for m in conversation.messages:
        if m.id not in known:
            known.add(m.id)
            fresh.append(m)
    duplicates = len(conversation.messages) - len(fresh)
    if not fresh:
        return IngestResult(
            row, 0, duplicates, cases.open_case_for(session=session, conv=row), False
        )
    start = (
        session.scalar(select(func.max(MessageRow.seq)).where(MessageRow.conversation_id == row.id))
        or 0
    )
    new_rows = []
    for offset, m in enumerate(fresh, start=1):
        kept = redactor.message(m) if redactor else m
        mr = MessageRow(
            team=team.name,
            conversation_id=row.id,
            seq=start + offset,
            external_id=m.id,
            author=kept.author,
            role=m.role,
            text=kept.text,
            timestamp=m.timestamp or now,
            channel=m.channel,
            redacted=kept is not m,
            metadata_json=dict(kept.metadata),
            created_at=now,
        )
        session.add(mr)
        new_rows.append(mr)
    session.flush()
    stored = messages_of(session=session, conversation_id=row.id)
    analysis = pipeline.analyze(as_core(row, stored))
    # pair each new row with its own analysis by identity: as_core keeps the order of `stored`
    new_ids = {mr.id for mr in new_rows}
    pairs = list(zip(stored, analysis.messages, strict=True))
    first_new = next(i for i, (mr, _) in enumerate(pairs) if mr.id in new_ids)
    for mr, ma in (pair for pair in pairs if pair[0].id in new_ids):
        mr.labels = [label_dict(lab) for lab in ma.labels]
        mr.risk = ma.risk
        audit.append(
            session=session,
            team=team.name,
            actor=actor,
            entity="message",
            entity_id=mr.id,
            action="created",
            data={
                "conversation": row.id,
                "external_id": mr.external_id,
                "role": mr.role,
                "text_sha256": audit.text_digest(mr.text),
                "author_sha256": audit.text_digest(mr.author),
                "redacted": mr.redacted,
                "labels": sorted(lab.name for lab in ma.present()),
                "risk": ma.risk,
            },
            at=now,
        )
    summarise(row, analysis, now)
    case, opened = cases.consider(
        session=session,
        team=team,
        conv=row,
        analysis=analysis,
        first_new=first_new,
        actor=actor,
        now=now,
    )
    return IngestResult(row, len(new_rows), duplicates, case, opened, analysis)


def summarise(row: ConversationRow, analysis: Analysis, now: datetime) -> None:
    row.risk = analysis.risk
    row.peak_risk = analysis.peak_risk
    s = analysis.scorecard.score
    row.score = None if s is None else float(s)
    row.outcome = outcome_dict(analysis.outcome)
    row.updated_at = now
