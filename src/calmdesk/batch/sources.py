"""Reading one partition's pieces into conversations, on the worker that analyses them.

The core's readers do the parsing; this module only fetches the bytes (any fsspec filesystem),
cuts JSON Lines blocks on line ends, and puts file-level line numbers back into the errors of a
block, so a person is sent to the right line of the original file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import IO

from fsspec.utils import seek_delimiter

from calmdesk.batch.parquet_input import read_parquet_piece
from calmdesk.batch.plan import Partition, Piece, open_input
from calmdesk.core.ingest import IngestError, IngestOptions, ReadResult
from calmdesk.core.ingest.detect import SNIFF_BYTES, UNKNOWN, detect_from
from calmdesk.core.ingest.options import FORMATS
from calmdesk.core.ingest.reader import READERS

_LINE = re.compile(r"^line (\d+)")
_COUNT_CHUNK = 1 << 22


def read_partition(part: Partition, options: IngestOptions) -> Iterator[tuple[str, ReadResult]]:
    """(source URL, what was read) for each piece, one piece in memory at a time."""
    for piece in part.pieces:
        try:
            yield piece.url, read_piece(piece, options)
        except OSError as exc:
            yield piece.url, _error(piece.url, f"cannot read: {exc}")


def read_piece(piece: Piece, options: IngestOptions) -> ReadResult:
    if piece.kind == "parquet":
        return read_parquet_piece(piece, options)
    with open_input(piece.url) as handle:
        start, data = _block(handle, piece.start, piece.stop)
    if piece.start is not None and not data.strip():
        return ReadResult()  # a block with only the tail of the previous one's last line
    kind = options.format or piece.kind or detect_from(Path(piece.url), data[:SNIFF_BYTES])
    if kind == UNKNOWN or kind not in READERS:
        return _error(
            piece.url,
            f"cannot tell the format; name it with --format (one of {', '.join(FORMATS)})",
        )
    result = READERS[kind](Path(piece.url), data, options)
    if not result.errors:
        return result
    lines_before = _lines_before(piece.url, start) if start else 0
    return ReadResult(
        result.conversations,
        tuple(_relocated(e, piece.url, lines_before) for e in result.errors),
    )


def _block(handle: IO[bytes], start: int | None, stop: int | None) -> tuple[int, bytes]:
    """The bytes of [start, stop) widened to whole lines, and where they begin (like
    fsspec.utils.read_block, which does not say where it began)."""
    if start is None or stop is None:
        return 0, handle.read()
    handle.seek(start)
    if start:
        seek_delimiter(handle, b"\n", 1 << 16)
    begin = handle.tell()
    if begin > stop:  # no line starts in this block: the one before reads them all
        return begin, b""
    handle.seek(stop)
    seek_delimiter(handle, b"\n", 1 << 16)
    end = handle.tell()
    handle.seek(begin)
    return begin, handle.read(end - begin)


def _lines_before(url: str, offset: int) -> int:
    """Line ends before `offset`: read only when a block has errors, which is rare."""
    count = 0
    with open_input(url) as handle:
        left = offset
        while left > 0:
            chunk = handle.read(min(_COUNT_CHUNK, left))
            if not chunk:
                break
            count += chunk.count(b"\n")
            left -= len(chunk)
    return count


def _relocated(error: IngestError, url: str, lines_before: int) -> IngestError:
    location = error.location
    if location and lines_before:
        location = _LINE.sub(lambda m: f"line {int(m[1]) + lines_before}", location)
    return replace(error, path=url, location=location)


def _error(url: str, message: str) -> ReadResult:
    return ReadResult(errors=(IngestError(url, None, None, message),))
