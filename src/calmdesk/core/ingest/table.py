"""Reading delimited text row by row with the line each row starts on, for error messages.

Shared by the column-mapped CSV reader and the twcs reader. Quotes are read strictly: a quote
left open would otherwise swallow every following row into one cell without a word. A row the
csv module cannot read is kept as an error on the line where it starts, and reading goes on
from the next line, so one bad quote costs one row, not the rest of the file.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from calmdesk.core.ingest import budget
from calmdesk.core.ingest.errors import IngestError

if TYPE_CHECKING:
    from _csv import Reader

_DELIMITERS = (",", ";", "\t", "|")
#: Line ends as the csv module counts them in a file opened with newline="".
_LINE_END = re.compile(r"\r\n|\r|\n")


class Table:
    def __init__(self, text: str, *, delimiter: str | None = None) -> None:
        first_line = text.split("\n", 1)[0]
        self.delimiter = delimiter or max(_DELIMITERS, key=first_line.count)
        # A cell may be as long as the file: the default limit (128 KiB) would stop the read.
        if csv.field_size_limit() < len(text) + 1:
            csv.field_size_limit(len(text) + 1)
        self._text = text
        self._offset = 0  # where the current reader started in the text, and on which line
        self._first_line = 1
        self._reader = self._reader_from(0)
        #: (line, problem, the cells of that line read alone) for every row that could not be
        #: read: the cells say which conversation lost the row
        self.errors: list[tuple[int, str, list[str]]] = []
        rows = self._rows()
        self._iterator = rows
        first = next(rows, None)
        # A header row that cannot be read leaves no header; the error says why.
        self.header: list[str] = []
        if first is not None and not self.errors:
            self.header = [name.strip() for name in first[1]]

    def _reader_from(self, offset: int) -> Reader:
        return csv.reader(self._lines_from(offset), delimiter=self.delimiter, strict=True)

    def _lines_from(self, offset: int) -> Iterator[str]:
        """The text's lines from `offset` on, line ends kept, without copying the rest of the
        text (a restart per bad row would otherwise make many bad rows quadratic)."""
        text = self._text
        for end in _LINE_END.finditer(text, offset):
            yield text[offset : end.end()]
            offset = end.end()
        if offset < len(text):
            yield text[offset:]

    def _line_number(self) -> int:
        """The line the reader read last (0 before any)."""
        return self._first_line - 1 + self._reader.line_num

    def _restart_at(self, line: int) -> None:
        """Read on from the start of `line`; lines only ever move forward, so this is linear."""
        offset, current = self._offset, self._first_line
        while current < line:
            end = _LINE_END.search(self._text, offset)
            if end is None:
                offset = len(self._text)
                break
            offset, current = end.end(), current + 1
        self._offset, self._first_line = offset, line
        self._reader = self._reader_from(offset)

    def _first_line_cells(self) -> list[str]:
        """The cells of the line the reader is at, read alone and leniently."""
        end = _LINE_END.search(self._text, self._offset)
        line = self._text[self._offset : end.start() if end else len(self._text)]
        return next(csv.reader([line], delimiter=self.delimiter), [])

    def _rows(self) -> Iterator[tuple[int, list[str]]]:
        while True:
            start = self._line_number() + 1
            try:
                row = next(self._reader)
            except StopIteration:
                return
            except csv.Error as exc:
                problem = _explain(exc, self._line_number())
                self._restart_at(start)
                self.errors.append((start, problem, self._first_line_cells()))
                self._restart_at(start + 1)
                continue
            yield start, row

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(line the row starts on, cells) for every non-blank row after the header."""
        for start, row in self._iterator:
            budget.check(f"line {start}")
            if any(cell.strip() for cell in row):
                yield start, row

    def problems(self, source: str) -> list[IngestError]:
        """The rows that could not be read, as errors of the file `source`."""
        return [
            IngestError(source, f"line {line}", None, problem) for line, problem, _ in self.errors
        ]

    def column(self, name: str) -> int | None:
        return self.header.index(name) if name in self.header else None

    def duplicated(self, name: str) -> bool:
        return self.header.count(name) > 1


def _explain(exc: csv.Error, line: int) -> str:
    reason = str(exc)
    if "unexpected end of data" in reason:
        return "a quote opened in this row is never closed (rows after it are read on)"
    if "expected after" in reason:
        return (
            f"unbalanced quote: the quoted cell that starts in this row ends on line {line} "
            'with more text after its closing quote (double a quote inside a quoted cell: "")'
        )
    return f"unreadable CSV: {reason}"
