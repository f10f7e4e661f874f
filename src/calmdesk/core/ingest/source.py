"""Turning a file's bytes into text, or into an error that says where the bad byte is."""

from __future__ import annotations

from pathlib import Path

from calmdesk.core.ingest.errors import IngestError


def decode_text(path: Path, data: bytes) -> str | IngestError:
    """UTF-8 text (a leading BOM dropped, as spreadsheet exports add one), else an error."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return IngestError(
            str(path),
            f"line {line}",
            None,
            f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
        )
    if not text.strip():
        return IngestError(str(path), None, None, "file is empty")
    return text


def quoted(value: object, limit: int = 60) -> str:
    """A value for an error message: repr, cut short so one bad cell cannot flood the output."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 4] + "...'"
