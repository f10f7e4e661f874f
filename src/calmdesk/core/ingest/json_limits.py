"""What valid JSON can still hold that calmdesk will not take, found with the place it is.

Python's json module refuses an integer of more than 4300 digits (a guard against quadratic
int parsing) and overflows its stack a thousand levels deep; either way it says nothing of where,
and one such value would reject a whole file. So integers that long are parsed into a marker and
reported on their record and field, nesting is capped well below the stack (no conversation
nests more than a few levels), and when the parser itself overflows, a linear scan of the text
finds the line and column where the nesting went past the cap; in a file holding a list of
conversations, the list is then read one record at a time, so only the over-deep record is lost.
"""

from __future__ import annotations

import json
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


@dataclass(frozen=True, slots=True)
class TooDeep:
    """A record nested past what the parser can hold, kept as where it starts."""

    line: int
    column: int


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
        if isinstance(item, TooDeep):
            where = f"line {item.line}, column {item.column}"
            return _short(path), f"nested deeper than {MAX_DEPTH} levels (from {where})"
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


_SPACE = re.compile(r"[ \t\n\r]*")


def array_items(text: str) -> list[object] | None:
    """The items of a top-level JSON array, each parsed alone; an item too deep for the parser
    becomes TooDeep. None when `text` is not such an array or has a syntax error elsewhere (the
    whole-document error then stands)."""
    decoder = json.JSONDecoder(parse_int=parse_int)
    position = _SPACE.match(text).end()  # type: ignore[union-attr]
    if not text.startswith("[", position):
        return None
    items: list[object] = []
    position = _SPACE.match(text, position + 1).end()  # type: ignore[union-attr]
    while not text.startswith("]", position):
        try:
            item, position = decoder.raw_decode(text, position)
        except RecursionError:
            items.append(TooDeep(*_line_and_column(text, position)))
            position = _value_end(text, position)
        except json.JSONDecodeError:
            return None
        else:
            items.append(item)
        position = _SPACE.match(text, position).end()  # type: ignore[union-attr]
        if text.startswith(",", position):
            position = _SPACE.match(text, position + 1).end()  # type: ignore[union-attr]
        elif not text.startswith("]", position):
            return None
    return items


def _value_end(text: str, start: int) -> int:
    """Where the bracketed value starting at `start` ends (a linear scan of its tokens)."""
    depth = 0
    for token in _TOKEN.finditer(text, start):
        kind = token[0][0]
        if kind in "[{":
            depth += 1
        elif kind in "]}":
            depth -= 1
            if depth == 0:
                return token.end()
    return len(text)


def _line_and_column(text: str, position: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, position) + 1
    return text.count("\n", 0, position) + 1, position - line_start + 1
