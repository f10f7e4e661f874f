"""Tables for escalation cases, their action items, and the hash-chained audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from calmdesk.store.db import Base, UTCDateTime, utcnow


class Case(Base):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team: Mapped[str] = mapped_column(ForeignKey("teams.name"), index=True)
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversations.id"), nullable=True, index=True
    )
    customer_id: Mapped[int | None] = mapped_column(
        ForeignKey("customers.id"), nullable=True, index=True
    )
    title: Mapped[str] = mapped_column(String(256))
    state: Mapped[str] = mapped_column(String(32), default="new", index=True)
    priority: Mapped[str] = mapped_column(String(2), index=True)
    #: the inputs of the priority formula, kept so the priority can be explained
    priority_inputs: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: why the case opened: signal names and/or "risk>=threshold"
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    owner: Mapped[str | None] = mapped_column(String(256), nullable=True, index=True)
    supervisor: Mapped[str | None] = mapped_column(String(256), nullable=True)
    needs_supervisor: Mapped[bool] = mapped_column(Boolean, default=False)
    risk_at_open: Mapped[float] = mapped_column(Float, default=0.0)
    eta: Mapped[datetime] = mapped_column(UTCDateTime)
    ack_due: Mapped[datetime] = mapped_column(UTCDateTime)
    resolve_due: Mapped[datetime] = mapped_column(UTCDateTime)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    solution_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actions: Mapped[list[ActionItem]] = relationship(
        back_populates="case", order_by="ActionItem.id"
    )


class ActionItem(Base):
    __tablename__ = "action_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    owner: Mapped[str | None] = mapped_column(String(256), nullable=True)
    due: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: open | done | cancelled
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    case: Mapped[Case] = relationship(back_populates="actions")


class AuditEntry(Base):
    """One change, chained to the team's previous entry: hash = sha256(prev_hash + body).

    Each team has its own chain (`seq` counts from 1 per team, the first entry links to the
    team's genesis hash), so a team's log and its verification show nothing of another team.
    `id` is only the row's identity. `at` is stored as the exact text that was hashed, so the
    chain verifies the same on SQLite and PostgreSQL.
    """

    __tablename__ = "audit_log"
    __table_args__ = (UniqueConstraint("team", "seq", name="uq_audit_team_seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team: Mapped[str] = mapped_column(String(64), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(256))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(64), index=True)
    action: Mapped[str] = mapped_column(String(64))
    #: canonical JSON (sorted keys, no spaces): the exact text that was hashed
    data: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)
