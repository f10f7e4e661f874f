"""Shared last steps of every reader: participants, customer id, frozen metadata, id checks.

Kept in one place so every format fills the model the same way (a customer id means the same
thing whether it came from a CSV or an mbox).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

from calmdesk.core.model import Message, Participant, Role


def frozen(mapping: Mapping[str, Any] | None) -> Mapping[str, Any]:
    """A read-only copy, so nobody edits a conversation's metadata after ingest."""
    return MappingProxyType(dict(mapping or {}))


def participants_for(
    messages: Iterable[Message],
    listed: Iterable[Participant] = (),
    names: Mapping[str, str] | None = None,
) -> tuple[Participant, ...]:
    """Listed participants first, then each further author once, in order of first message."""
    result = list(listed)
    seen = {p.id for p in result}
    for message in messages:
        if message.author not in seen:
            seen.add(message.author)
            name = (names or {}).get(message.author)
            result.append(Participant(message.author, message.role, name))
    return tuple(result)


def first_customer(messages: Iterable[Message]) -> str | None:
    """The author of the first customer message: who the conversation is about."""
    return next((m.author for m in messages if m.role == "customer"), None)


def duplicate_ids(ids: Iterable[str]) -> list[tuple[int, str]]:
    """(position, id) of every id already seen earlier in `ids`."""
    seen: set[str] = set()
    dups: list[tuple[int, str]] = []
    for index, value in enumerate(ids):
        if value in seen:
            dups.append((index, value))
        seen.add(value)
    return dups


def role_of(value: str) -> Role:
    """Narrow a string already checked against ROLES (keeps mypy honest without casts)."""
    if value == "customer":
        return "customer"
    if value == "agent":
        return "agent"
    if value == "bot":
        return "bot"
    if value == "supervisor":
        return "supervisor"
    raise ValueError(f"not a role: {value!r}")
