"""Tables for teams, API keys, customers and their identities, conversations and messages.

Portable column types only (String, Integer, Float, Boolean, JSON, UTCDateTime), so one set of
migrations serves SQLite and PostgreSQL. Every row that holds customer data carries its `team`,
and every query a repository offers filters on it: that is how no team sees another's data.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from calmdesk.store.db import Base, UTCDateTime, utcnow


class Team(Base):
    """A team's own settings: escalation threshold, priority formula, SLA targets, redaction."""

    __tablename__ = "teams"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    threshold: Mapped[float] = mapped_column(Float, default=0.6)
    redact: Mapped[bool] = mapped_column(Boolean, default=False)
    #: overrides of calmdesk.store.priority.PriorityConfig fields, as JSON
    priority_config: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ApiKey(Base):
    """A key is stored as the SHA-256 of its token: a leaked table does not leak keys."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    prefix: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(128))
    role: Mapped[str] = mapped_column(String(16))
    team: Mapped[str] = mapped_column(ForeignKey("teams.name"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team: Mapped[str] = mapped_column(ForeignKey("teams.name"), index=True)
    name: Mapped[str | None] = mapped_column(String(256), nullable=True)
    #: free text set by the team, e.g. "standard", "gold", "vip"
    tier: Mapped[str] = mapped_column(String(32), default="standard")
    #: relationship value in the team's currency (lifetime revenue, contract value)
    value: Mapped[float] = mapped_column(Float, default=0.0)
    customer_since: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    goodwill_given: Mapped[float] = mapped_column(Float, default=0.0)
    #: set when this customer was merged into another; the row stays for the audit trail
    merged_into: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    identities: Mapped[list[Identity]] = relationship(
        back_populates="customer", foreign_keys="Identity.customer_id"
    )


class Identity(Base):
    """One way to recognise a customer on one channel: an email, a phone, a handle, a chat id."""

    __tablename__ = "identities"
    __table_args__ = (UniqueConstraint("team", "kind", "value", name="uq_identity"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team: Mapped[str] = mapped_column(ForeignKey("teams.name"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    value: Mapped[str] = mapped_column(String(320))

    customer: Mapped[Customer] = relationship(
        back_populates="identities", foreign_keys=[customer_id]
    )


class ConversationRow(Base):
    __tablename__ = "conversations"
    __table_args__ = (UniqueConstraint("team", "source", "external_id", name="uq_conversation"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team: Mapped[str] = mapped_column(ForeignKey("teams.name"), index=True)
    #: where it came from: "api", "chatwoot", "zendesk"
    source: Mapped[str] = mapped_column(String(32))
    external_id: Mapped[str] = mapped_column(String(256))
    customer_id: Mapped[int | None] = mapped_column(
        ForeignKey("customers.id"), nullable=True, index=True
    )
    channel: Mapped[str] = mapped_column(String(32), default="chat")
    #: risk, peak risk, score and outcome of the latest analysis (core.serialize views)
    risk: Mapped[float] = mapped_column(Float, default=0.0)
    peak_risk: Mapped[float] = mapped_column(Float, default=0.0)
    score: Mapped[float | None] = mapped_column(Float, nullable=True)
    outcome: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    metadata_json: Mapped[dict[str, Any]] = mapped_column("metadata", JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    messages: Mapped[list[MessageRow]] = relationship(
        back_populates="conversation", order_by="MessageRow.seq"
    )


class MessageRow(Base):
    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("conversation_id", "external_id", name="uq_message"),
        #: two deliveries can never number their messages alike (migration 0004)
        UniqueConstraint("conversation_id", "seq", name="uq_message_seq"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team: Mapped[str] = mapped_column(ForeignKey("teams.name"), index=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"), index=True)
    #: arrival order inside the conversation, the order the pipeline reads
    seq: Mapped[int] = mapped_column(Integer)
    external_id: Mapped[str] = mapped_column(String(256))
    author: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    timestamp: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    channel: Mapped[str] = mapped_column(String(32), default="chat")
    #: core.serialize.label_dict for each label
    labels: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    risk: Mapped[float] = mapped_column(Float, default=0.0)
    redacted: Mapped[bool] = mapped_column(Boolean, default=False)
    metadata_json: Mapped[dict[str, Any]] = mapped_column("metadata", JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    conversation: Mapped[ConversationRow] = relationship(back_populates="messages")


class WebSession(Base):
    """A login of the web pages. The cookie holds a random token; only its keyed hash is kept,
    so neither the table nor a backup of it can be replayed as a cookie. Logout and key
    revocation end a session here, on the server, whatever the browser still holds."""

    __tablename__ = "web_sessions"

    #: HMAC-SHA256 (hex) of the cookie's token under the session key kept outside the database
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    key_id: Mapped[int] = mapped_column(ForeignKey("api_keys.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: the absolute end, however busy the session is
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
