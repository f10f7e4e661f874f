"""What a read returns: the conversations it could build and an error for everything it could not.

Bad input is data, not an exception: a person fixing a file needs every problem at once, each
naming the file, the line or record, the field and what was expected.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from calmdesk.core.model import Conversation


@dataclass(frozen=True, slots=True)
class IngestError:
    """One bad file or record; `str()` is the sentence a person reads."""

    path: str
    location: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        parts = [self.path]
        if self.location:
            parts.append(self.location)
        if self.field:
            parts.append(f"field {self.field!r}")
        return ": ".join([*parts, self.message])


@dataclass(frozen=True, slots=True)
class ReadResult:
    conversations: tuple[Conversation, ...] = ()
    errors: tuple[IngestError, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors

    @staticmethod
    def merge(results: Iterable[ReadResult]) -> ReadResult:
        conversations: list[Conversation] = []
        errors: list[IngestError] = []
        for result in results:
            conversations.extend(result.conversations)
            errors.extend(result.errors)
        return ReadResult(tuple(conversations), tuple(errors))


def file_error(path: str, message: str, *, location: str | None = None) -> ReadResult:
    """A result holding a single error about a whole file (or one place in it)."""
    return ReadResult(errors=(IngestError(path, location, None, message),))


def sorted_by_line(errors: Iterable[IngestError]) -> tuple[IngestError, ...]:
    """Errors in the order a person fixes a file: by line, file-wide ones first (stable)."""

    def line(error: IngestError) -> int:
        words = (error.location or "").replace(",", " ").split()
        return int(words[1]) if len(words) > 1 and words[0] == "line" and words[1].isdigit() else 0

    return tuple(sorted(errors, key=line))
