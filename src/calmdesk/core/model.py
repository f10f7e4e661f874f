"""The conversation model every reader produces and every analyzer consumes.

Frozen dataclasses: ingest builds a `Conversation` once; analyzers return new objects
(labels, analyses) and never edit it, so one conversation can be analysed many ways.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any, Literal, get_args

Role = Literal["customer", "agent", "bot", "supervisor"]
ROLES: tuple[Role, ...] = get_args(Role)

#: Roles that speak for the company: the playbook coaches all of them.
COMPANY_ROLES: frozenset[str] = frozenset({"agent", "bot", "supervisor"})

_EMPTY: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Participant:
    id: str
    role: Role
    name: str | None = None


@dataclass(frozen=True, slots=True)
class Message:
    id: str
    author: str
    role: Role
    text: str
    timestamp: datetime | None = None
    channel: str = "chat"
    metadata: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)

    @property
    def is_customer(self) -> bool:
        return self.role == "customer"

    @property
    def is_company(self) -> bool:
        return self.role in COMPANY_ROLES


@dataclass(frozen=True, slots=True)
class Conversation:
    id: str
    messages: tuple[Message, ...]
    participants: tuple[Participant, ...] = ()
    customer_id: str | None = None
    channel: str = "chat"
    metadata: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)

    def participant(self, pid: str) -> Participant | None:
        return next((p for p in self.participants if p.id == pid), None)


@dataclass(frozen=True, slots=True)
class Span:
    """A character range of a message's text that supports a label."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Label:
    """One label on one message: how sure, why (spans), and a measure where the label has one.

    `value` carries the label's measure: sentiment in [-1, 1], intensity in [0, 1], the number of
    distinct options for `alternatives`; None for plain yes/no labels.
    """

    name: str
    confidence: float
    spans: tuple[Span, ...] = ()
    value: float | None = None
    detector: str = ""

    def __post_init__(self) -> None:
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"label {self.name!r}: confidence {self.confidence} not in [0, 1]")
