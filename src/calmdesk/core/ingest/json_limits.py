"""What valid JSON can still hold that calmdesk will not take, found with the place it is.

Python's json module refuses an integer of more than 4300 digits (a guard against quadratic
int parsing) and overflows its stack a thousand levels deep; either way it says nothing of where,
and one such value would reject a whole file. So integers that long are parsed into a marker and
reported on their record and field, nesting is capped well below the stack (no conversation
nests more than a few levels), and when the parser itself overflows, a linear scan of the text
finds the line and column where the nesting went past the cap.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass

#: Nesting levels a record may have; a conversation needs four or five.
MAX_DEPTH = 64
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]|\n')


@dataclass(frozen=True, slots=True)
class HugeInteger:
    """An integer literal too long for int(): kept as its digit count, to be reported."""

    digits: int


def parse_int(literal: str) -> int | HugeInteger:
    """json's parse_int hook: int(), or a HugeInteger where int() would refuse the literal."""
    limit = sys.get_int_max_str_digits()
    digits = len(literal.lstrip("-"))
    return HugeInteger(digits) if limit and digits > limit else int(literal)


def value_problem(value: object) -> tuple[str | None, str] | None:
    """(field path, message) for the first HugeInteger or over-deep place in `value`, or None.

    Walks with its own stack, so it is safe on any depth the parser produced.
    """
    stack: list[tuple[object, int, str]] = [(value, 0, "")]
    while stack:
        item, depth, path = stack.pop()
        if isinstance(item, HugeInteger):
            limit = sys.get_int_max_str_digits()
            return _short(path), f"an integer of {item.digits} digits; at most {limit} are read"
        if depth > MAX_DEPTH:
            return _short(path), f"nested deeper than {MAX_DEPTH} levels"
        if isinstance(item, Mapping):
            stack.extend(
                (child, depth + 1, f"{path}.{key}" if path else str(key))
                for key, child in list(item.items())[::-1]
            )
        elif isinstance(item, list):
            stack.extend(
                (child, depth + 1, f"{path}[{index}]")
                for index, child in reversed(list(enumerate(item)))
            )
    return None


def _short(path: str, limit: int = 80) -> str | None:
    return (path if len(path) <= limit else path[: limit - 3] + "...") or None


def too_deep_at(text: str) -> tuple[int, int] | None:
    """(line, column) where the nesting of JSON `text` first goes past MAX_DEPTH, or None."""
    depth, line, line_start = 0, 1, 0
    for token in _TOKEN.finditer(text):
        kind = token[0][0]
        if kind == "\n":
            line, line_start = line + 1, token.end()
        elif kind in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return line, token.start() - line_start + 1
        elif kind in "]}":
            depth -= 1
    return None
