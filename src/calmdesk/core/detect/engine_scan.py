"""Cue regexes with their leading guard checked outside `re`, so `re` can skip ahead.

`re` finds the start of a match fast only when the pattern begins with a literal or a set of
first characters; a leading `\\b` or `(?<![\\w@])` hides both, and `re` then tries the whole
pattern at every position of the text. Both cue engines begin every cue with such a guard. Here
the guard is taken off the front, `re` searches for the rest, and the guard is tested at each
candidate start (rare); a failed start resumes one character later, which is exactly the set of
matches `finditer` would have given with the guard in place.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

#: The characters a guard refuses just before a start besides letters and digits (`\\w` is
#: exactly `str.isalnum()` or "_", tested without a call into `re`), and the guard as a pattern.
_REFUSED = {"nonword": "_", "nonword@": "_@", "nonword@#/&": "_@#/&"}
_GUARDS = {
    "nonword": r"(?<!\w)",
    "nonword@": r"(?<![\w@])",
    "nonword@#/&": r"(?<![\w@#/&])",
    "boundary": r"\b",
}

Spans = list[tuple[int, int]]


def _parser() -> Any:
    return importlib.import_module("re._parser")


def min_width(pattern: str) -> int:
    """The fewest characters a match of `pattern` can take (0: it can match empty)."""
    return int(_parser().parse(pattern).getwidth()[0])


def starts_with_boundary(pattern: str) -> bool:
    """Whether every match of `pattern` begins at a `\\b` (a leading one, no top-level `|`)."""
    if not pattern.startswith("\\b"):
        return False
    data = _parser().parse(pattern).data
    return bool(data) and str(data[0][0]) == "AT" and str(data[0][1]) == "AT_BOUNDARY"


class GuardedRegex:
    """The regex guard + body; guards: "nonword" `(?<!\\w)`, "nonword@" `(?<![\\w@])`,
    "nonword@#/&" `(?<![\\w@#/&])`, "boundary" `\\b`."""

    __slots__ = ("_boundary", "_refused", "_regex", "_search")

    def __init__(self, body: str, guard: str) -> None:
        if guard not in _GUARDS:
            raise ValueError(f"unknown guard {guard!r}")
        self._boundary = guard == "boundary"
        self._refused = _REFUSED.get(guard, "_")
        self._regex = re.compile(body)
        self._search: Any = self._regex.search
        if min_width(body) == 0:  # it can match empty: keep finditer's own rules for those
            self._regex = re.compile(_GUARDS[guard] + f"(?:{body})")
            self._search = None

    def spans(self, low: str) -> Spans:
        """(start, end) of every match, as `finditer` of the guarded pattern gives them."""
        search = self._search
        if search is None:
            return [m.span() for m in self._regex.finditer(low)]
        out: Spans = []
        pos = 0
        refused = self._refused
        boundary = self._boundary
        while (m := search(low, pos)) is not None:
            start, end = m.span()
            if boundary:  # a match is never empty here, so `low[start]` exists
                before = start > 0 and ((ch := low[start - 1]).isalnum() or ch == "_")
                ok = before != ((ch := low[start]).isalnum() or ch == "_")
            else:
                ok = start == 0 or not ((ch := low[start - 1]).isalnum() or ch in refused)
            if ok:
                out.append((start, end))
                pos = end
            else:
                pos = start + 1
        return out
