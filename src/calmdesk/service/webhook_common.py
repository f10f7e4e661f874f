"""What a webhook adapter hands to ingest, and how it reports a payload it cannot read."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from calmdesk.core.model import Conversation


@dataclass(frozen=True, slots=True)
class Delivery:
    """One delivered message as a one-message conversation, plus who the customer is."""

    conversation: Conversation
    identities: tuple[tuple[str, str], ...]
    customer_name: str | None


@dataclass(frozen=True, slots=True)
class Ignored:
    """An event calmdesk does not store (another event type, a private note): answered 202."""

    reason: str


class PayloadError(ValueError):
    """A payload of the right event type missing a field calmdesk needs: answered 422."""

    def __init__(self, field: str, expected: str) -> None:
        super().__init__(f"field {field!r}: {expected}")
        self.field = field
        self.expected = expected


def need(obj: Any, path: str) -> Any:
    """The value at a dotted path of a JSON object, or a PayloadError naming the path."""
    cur = obj
    for part in path.split("."):
        if not isinstance(cur, Mapping) or part not in cur or cur[part] is None:
            raise PayloadError(path, "missing; it is required")
        cur = cur[part]
    return cur


def get(obj: Any, path: str) -> Any:
    try:
        return need(obj, path)
    except PayloadError:
        return None


def as_id(value: Any, path: str) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)) or str(value) == "":
        raise PayloadError(path, f"expected a string or integer id, got {value!r}")
    return str(value)


def as_text(value: Any, path: str) -> str:
    if not isinstance(value, str):
        raise PayloadError(path, f"expected a string, got {type(value).__name__}")
    return value


def parse_time(value: Any) -> datetime | None:
    """ISO 8601, '2020-03-03 13:05:57 UTC' or unix seconds; None when it cannot be read."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        try:
            return datetime.fromtimestamp(value, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    text = value.strip().replace(" UTC", "+00:00").replace("Z", "+00:00")
    if "." in text:  # Zendesk sends nanoseconds; Python reads at most microseconds
        head, _, tail = text.partition(".")
        digits = "".join(ch for ch in tail if ch.isdigit())
        text = f"{head}.{digits[:6]}{tail[len(digits) :]}"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
