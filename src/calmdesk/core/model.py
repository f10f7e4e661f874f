"""The conversation model every reader produces and every analyzer consumes.

Frozen dataclasses: ingest builds a `Conversation` once; analyzers return new objects
(labels, analyses) and never edit it, so one conversation can be analysed many ways.

The constructors are the boundary every input crosses (readers, API, webhooks, web pages): they
refuse a field of the wrong type with a TypeError naming it, so a reader's mistake surfaces where
it is made and not in the tokenizer, and they replace unencodable code points by U+FFFD
(calmdesk.core.storable), so whatever a model object holds can be analysed and stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any, Literal, get_args

from calmdesk.core.storable import is_storable, needs_cleaning, storable, storable_mapping

Role = Literal["customer", "agent", "bot", "supervisor"]
ROLES: tuple[Role, ...] = get_args(Role)

#: Roles that speak for the company: the playbook coaches all of them.
COMPANY_ROLES: frozenset[str] = frozenset({"agent", "bot", "supervisor"})

_EMPTY: Mapping[str, Any] = MappingProxyType({})
_PLAIN_MAPPINGS = (dict, MappingProxyType)


def _normalise(obj: object, texts: tuple[str, ...], optional: tuple[str, ...] = ()) -> None:
    """Check that the named fields are strings (or None, for `optional`) and make them storable;
    make `metadata`, where the class has one, storable too."""
    for name in (*texts, *optional):
        value = getattr(obj, name)
        if value is None and name in optional:
            continue
        if not isinstance(value, str):
            raise TypeError(
                f"{type(obj).__name__}.{name} must be a str, got {type(value).__name__}"
            )
        if not is_storable(value):
            object.__setattr__(obj, name, storable(value))
    role = getattr(obj, "role", None)
    if role is not None and role not in ROLES:
        raise ValueError(
            f"{type(obj).__name__}.role must be one of {', '.join(ROLES)}, got {role!r}"
        )
    metadata = getattr(obj, "metadata", None)
    if metadata is None:
        return
    if not isinstance(metadata, Mapping):
        kind = type(obj).__name__
        raise TypeError(f"{kind}.metadata must be a mapping, got {type(metadata).__name__}")
    cleaned = storable_mapping(metadata)
    if cleaned is not metadata:
        object.__setattr__(obj, "metadata", cleaned)


@dataclass(frozen=True, slots=True)
class Participant:
    id: str
    role: Role
    name: str | None = None

    def __post_init__(self) -> None:
        _normalise(self, ("id", "role"), ("name",))


@dataclass(frozen=True, slots=True)
class Message:
    id: str
    author: str
    role: Role
    text: str
    timestamp: datetime | None = None
    channel: str = "chat"
    metadata: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)

    def __post_init__(self) -> None:
        # Runs for every message built: the common case (plain clean strings, a known role, a
        # dict or read-only metadata whose scalars are clean) is checked inline, once.
        if not (
            type(self.id) is str
            and type(self.author) is str
            and type(self.text) is str
            and type(self.channel) is str
            and self.role in ROLES
            and (self.timestamp is None or isinstance(self.timestamp, datetime))
            and type(self.metadata) in _PLAIN_MAPPINGS
            and is_storable(self.text)
            and is_storable(self.id)
            and is_storable(self.author)
            and is_storable(self.channel)
            and not needs_cleaning(self.metadata)
        ):
            _normalise(self, ("id", "author", "role", "text", "channel"))
            if self.timestamp is not None and not isinstance(self.timestamp, datetime):
                raise TypeError(f"Message.timestamp must be a datetime, got {self.timestamp!r}")

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

    def __post_init__(self) -> None:
        _normalise(self, ("id", "channel"), ("customer_id",))

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
