"""The entry points: read files and directories in any supported format into conversations.

Every failure a file can cause (missing, unreadable, empty, too large, too slow, unknown format,
bad records) comes back as an IngestError in the result, so one bad file never stops a batch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from calmdesk.core.ingest import budget
from calmdesk.core.ingest.csv_table import read_csv
from calmdesk.core.ingest.detect import EXTENSIONS, SNIFF_BYTES, UNKNOWN, detect_from
from calmdesk.core.ingest.email_thread import read_email
from calmdesk.core.ingest.errors import ReadResult, file_error
from calmdesk.core.ingest.json_format import read_json, read_jsonl
from calmdesk.core.ingest.options import FORMATS, IngestOptions
from calmdesk.core.ingest.transcript import read_transcript
from calmdesk.core.ingest.twcs import read_twcs

Reader = Callable[[Path, bytes, IngestOptions], ReadResult]

READERS: dict[str, Reader] = {
    "json": read_json,
    "jsonl": read_jsonl,
    "csv": read_csv,
    "twcs": read_twcs,
    "email": read_email,
    "transcript": read_transcript,
}

_DEFAULT_OPTIONS = IngestOptions()


def read_path(path: Path, options: IngestOptions = _DEFAULT_OPTIONS) -> ReadResult:
    """Read one file (or every conversation file under a directory)."""
    if path.is_dir():
        return read_paths([path], options)
    if options.format is not None and options.format not in READERS:
        return file_error(
            str(path), f"unknown format {options.format!r}; expected one of {', '.join(FORMATS)}"
        )
    try:
        size = path.stat().st_size
        if size > options.max_file_bytes:
            limit = _size(options.max_file_bytes)
            return file_error(
                str(path),
                f"file is {_size(size)}, over the limit of {limit} for one file "
                "(split it, or raise the limit with --max-file-size)",
            )
        data = path.read_bytes()
    except FileNotFoundError:
        return file_error(str(path), "no such file")
    except OSError as exc:
        return file_error(str(path), f"cannot read: {exc.strerror or exc}")
    if not data.strip():
        return file_error(str(path), "file is empty")
    kind = options.format or detect_from(path, data[:SNIFF_BYTES])
    if kind == UNKNOWN:
        return file_error(
            str(path),
            f"cannot tell the format; name it with --format (one of {', '.join(FORMATS)})",
        )
    try:
        with budget.time_budget(options.file_seconds):
            return READERS[kind](path, data, options)
    except budget.OverBudget as over:
        return file_error(
            str(path),
            f"reading took longer than {options.file_seconds:g} s, the limit for one file; "
            "nothing of it was kept (split it, or raise the limit with --file-timeout)",
            location=f"stopped at {over.location}",
        )


def _size(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size / 1e3:.1f} kB"


def read_paths(paths: Iterable[Path], options: IngestOptions = _DEFAULT_OPTIONS) -> ReadResult:
    """Read files and directories; directories are walked for known extensions, in name order,
    skipping hidden files and folders."""
    results: list[ReadResult] = []
    for path in paths:
        if path.is_dir():
            found = conversation_files(path)
            if not found:
                known = ", ".join(EXTENSIONS)
                results.append(file_error(str(path), f"no conversation files ({known}) found"))
            results.extend(read_path(file, options) for file in found)
        else:
            results.append(read_path(path, options))
    return ReadResult.merge(results)


def conversation_files(directory: Path) -> list[Path]:
    """Files under `directory` with a known extension, sorted, hidden ones left out."""
    return sorted(
        file
        for file in directory.rglob("*")
        if file.suffix.lower() in EXTENSIONS
        and file.is_file()
        and not any(part.startswith(".") for part in file.relative_to(directory).parts)
    )
