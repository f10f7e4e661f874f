"""Small helpers shared by the ingest tests (fixtures live in conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from calmdesk.core.ingest import ReadResult

EXAMPLES = Path(__file__).parents[3] / "src" / "calmdesk" / "examples" / "formats"

Write = Callable[[str, "str | bytes"], Path]
Read = Callable[..., ReadResult]


def messages(result: ReadResult, index: int = 0) -> list[tuple[str, str, str]]:
    """(author, role, text) of one conversation's messages, for short assertions."""
    return [(m.author, m.role, m.text) for m in result.conversations[index].messages]


def error_texts(result: ReadResult) -> list[str]:
    return [str(e) for e in result.errors]
