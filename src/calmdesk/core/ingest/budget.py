"""A per-file time budget that readers check between records, so a slow file ends in an error.

Every reader is linear in its input, so a budget exceeded means a file far larger or stranger
than its size suggests; the reader stops at the next record boundary and the file is reported
with the place it had reached. The deadline lives in a context variable set by `read_path`, so
the readers' signatures stay (path, data, options) and a reader called on its own runs unbounded.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_deadline: ContextVar[float | None] = ContextVar("calmdesk_ingest_deadline", default=None)


class OverBudget(Exception):
    """Raised by `check` past the deadline; `read_path` turns it into the file's error."""

    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Reading inside this block must finish within `seconds` (None: no limit)."""
    token = _deadline.set(None if seconds is None else time.monotonic() + seconds)
    try:
        yield
    finally:
        _deadline.reset(token)


def check(location: str) -> None:
    """Raise OverBudget if the current file's time is up; `location` is where reading got to."""
    deadline = _deadline.get()
    if deadline is not None and time.monotonic() > deadline:
        raise OverBudget(location)
