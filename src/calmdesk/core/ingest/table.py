"""Reading delimited text row by row with the line each row starts on, for error messages.

Shared by the column-mapped CSV reader and the twcs reader; a csv.Error mid-file stops the rows
and is kept, so the rows before it still count.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

_DELIMITERS = (",", ";", "\t", "|")


class Table:
    def __init__(self, text: str, *, delimiter: str | None = None) -> None:
        first_line = text.split("\n", 1)[0]
        self.delimiter = delimiter or max(_DELIMITERS, key=first_line.count)
        self._reader = csv.reader(io.StringIO(text, newline=""), delimiter=self.delimiter)
        self.header: list[str] = []
        self.error: tuple[int, str] | None = None
        self.header = [name.strip() for name in self._next() or []]

    def _next(self) -> list[str] | None:
        try:
            return next(self._reader)
        except StopIteration:
            return None
        except csv.Error as exc:
            self.error = (self._reader.line_num, f"unreadable CSV: {exc}")
            return None

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(line the row starts on, cells) for every non-blank row after the header."""
        while self.error is None:
            start = self._reader.line_num + 1
            row = self._next()
            if row is None:
                return
            if any(cell.strip() for cell in row):
                yield start, row

    def column(self, name: str) -> int | None:
        return self.header.index(name) if name in self.header else None

    def duplicated(self, name: str) -> bool:
        return self.header.count(name) > 1
