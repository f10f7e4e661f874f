"""Finding personal data in text and replacing it: one place for every caller.

What is found: emails, IBANs (mod-97 checked), street addresses, payment card numbers (Luhn
checked) and phone numbers, each replaced by its kind in brackets, e.g. `[email]`. Finders run
in that order and a later one never looks inside what an earlier one found, so a ZIP code in an
address or the digits of an IBAN are not read again as a phone number.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

from calmdesk.core.model import Message
from calmdesk.core.redact.addresses import addresses
from calmdesk.core.redact.iban import ibans
from calmdesk.core.redact.numbers import numbers

Kind = Literal["email", "iban", "address", "card", "phone"]
#: starts only where a run of address characters starts, so a long run is read once
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
#: metadata keys whose values name a person: replaced whatever the value looks like
NAME_KEYS = frozenset(
    {
        "name",
        "full_name",
        "first_name",
        "last_name",
        "display_name",
        "customer_name",
        "contact_name",
    }
)


@dataclass(frozen=True, slots=True)
class Finding:
    kind: Kind
    start: int
    end: int


def _emails(text: str) -> Iterator[tuple[Kind, int, int]]:
    for m in EMAIL.finditer(text):
        yield "email", m.start(), m.end()


def _ibans(text: str) -> Iterator[tuple[Kind, int, int]]:
    for start, end in ibans(text):
        yield "iban", start, end


def _addresses(text: str) -> Iterator[tuple[Kind, int, int]]:
    for start, end in addresses(text):
        yield "address", start, end


def _numbers(text: str) -> Iterator[tuple[Kind, int, int]]:
    for kind, start, end in numbers(text):
        yield ("card" if kind == "card" else "phone"), start, end


FINDERS: tuple[Callable[[str], Iterable[tuple[Kind, int, int]]], ...] = (
    _emails,
    _ibans,
    _addresses,
    _numbers,
)


def find(text: str) -> list[Finding]:
    """The personal data in `text`, in reading order, no two findings overlapping."""
    found: list[Finding] = []
    hidden = text
    for finder in FINDERS:
        new = [Finding(kind, s, e) for kind, s, e in finder(hidden)]
        if new:
            found += new
            hidden = _blank(hidden, new)
    return sorted(found, key=lambda f: f.start)


def _blank(text: str, found: Iterable[Finding]) -> str:
    """`text` with what was found blanked out, so the next finder cannot read inside it."""
    pieces, last = [], 0
    for f in sorted(found, key=lambda f: f.start):
        pieces += [text[last : f.start], "\x00" * (f.end - f.start)]
        last = f.end
    return "".join(pieces) + text[last:]


def redact(text: str) -> str:
    """`text` with each piece of personal data replaced by its kind: `[email]`, `[phone]`, ..."""
    out, last = [], 0
    for f in find(text):
        out += [text[last : f.start], f"[{f.kind}]"]
        last = f.end
    return "".join(out) + text[last:]


@dataclass(frozen=True, slots=True)
class Redactor:
    """Redaction of all a message carries: its text, its author and its metadata."""

    def text(self, value: str) -> str:
        return redact(value)

    def author(self, value: str) -> str:
        """An author id that is an email or a phone number is personal data; a handle is not."""
        return redact(value)

    def metadata(self, value: Mapping[str, Any]) -> dict[str, Any]:
        """A plain copy with every string (nested too) redacted, and names under name keys."""
        return {str(k): self._value(k, v) for k, v in value.items()}

    def message(self, message: Message) -> Message:
        """The message as it may be stored: `message` itself when nothing in it was personal.

        A customer's author id is redacted; the team's own agents keep theirs, because case
        ownership and coaching are per agent.
        """
        clean = replace(
            message,
            text=self.text(message.text),
            author=self.author(message.author) if message.is_customer else message.author,
            metadata=self.metadata(message.metadata),
        )
        return message if clean == message else clean

    def _value(self, key: object, value: Any) -> Any:
        if isinstance(key, str) and key.lower() in NAME_KEYS and isinstance(value, str) and value:
            return "[name]"
        if isinstance(value, str):
            return redact(value)
        if isinstance(value, bool) or not isinstance(value, int | Mapping | list | tuple):
            return value
        if isinstance(value, int):  # a card or phone number sent as a JSON number
            as_text = str(value)
            return value if redact(as_text) == as_text else redact(as_text)
        if isinstance(value, Mapping):
            return self.metadata(value)
        return [self._value(None, v) for v in value]
