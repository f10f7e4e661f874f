"""Turning the command line's inputs into partitions: units of work small enough to balance
across workers and stable enough to recognise again when a run resumes.

A partition is a list of pieces: a byte range of a JSON Lines file (cut on line ends, so every
conversation lands in exactly one piece), a run of row groups of a Parquet file, or a whole file
of a format that cannot be cut (JSON, CSV, email, transcripts), small ones grouped together. Its
fingerprint hashes the pieces, each file's identity (fsspec's `ukey`: size, mtime, ETag) and the
run's settings, so a partition counts as done only if nothing it depends on has changed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import fsspec
from fsspec.core import url_to_fs

from calmdesk.core.ingest import IngestError
from calmdesk.core.ingest.detect import EXTENSIONS, SNIFF_BYTES, detect_from

PARQUET_SUFFIXES = (".parquet", ".pq")
#: Whole small files grouped into one partition stop at this many files, so that a folder of
#: 100,000 emails still gives progress and resumes in useful steps.
MAX_FILES_PER_PARTITION = 500
_GLOB_CHARS = ("*", "?", "[")


@dataclass(frozen=True, slots=True)
class Piece:
    """Part of one input file. `start`/`stop`: byte range (JSONL) or row groups (Parquet);
    both None for a whole file."""

    url: str
    kind: str | None
    ukey: str
    start: int | None = None
    stop: int | None = None


@dataclass(frozen=True, slots=True)
class Partition:
    pieces: tuple[Piece, ...]
    fingerprint: str
    size: int = 0


@dataclass
class Plan:
    partitions: list[Partition] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)


def expand_inputs(inputs: Iterable[str]) -> tuple[list[tuple[Any, str]], list[IngestError]]:
    """(filesystem, path) for every input file: plain paths, folders (walked for known
    extensions, hidden entries skipped), globs, and any fsspec URL (s3://, gs://, ...)."""
    found: list[tuple[Any, str]] = []
    errors: list[IngestError] = []
    for spec in inputs:
        try:
            fs, path = url_to_fs(spec)
        except (ImportError, ValueError) as exc:
            errors.append(IngestError(spec, None, None, f"cannot open: {exc}"))
            continue
        if any(ch in path for ch in _GLOB_CHARS):
            paths = sorted(p for p in fs.glob(path) if fs.isfile(p))
        elif fs.isdir(path):
            paths = sorted(p for p in fs.find(path) if _known(p) and not _hidden(p, path))
            if not paths:
                errors.append(IngestError(spec, None, None, "no conversation files found"))
                continue
        elif fs.exists(path):
            paths = [path]
        else:
            errors.append(IngestError(spec, None, None, "no such file"))
            continue
        if not paths:
            errors.append(IngestError(spec, None, None, "the pattern matches no file"))
        found.extend((fs, p) for p in paths)
    return found, errors


def _known(path: str) -> bool:
    suffix = PurePosixPath(path).suffix.lower()
    return suffix in EXTENSIONS or suffix in PARQUET_SUFFIXES


def _hidden(path: str, root: str) -> bool:
    rel = PurePosixPath(path).relative_to(PurePosixPath(root.rstrip("/") or "/"))
    return any(part.startswith((".", "_")) for part in rel.parts)


def plan_partitions(
    inputs: Sequence[str],
    *,
    target_bytes: int,
    target_rows: int,
    fmt: str | None,
    settings: dict[str, Any],
) -> Plan:
    """Cut the inputs into partitions of about `target_bytes` of text input or `target_rows`
    Parquet rows (messages) each: Parquet compresses too well for its bytes to measure work."""
    files, errors = expand_inputs(inputs)
    plan = Plan(errors=errors)
    small: list[Piece] = []
    small_size = 0

    def flush() -> None:
        nonlocal small, small_size
        if small:
            plan.partitions.append(_partition(small, small_size, settings))
        small, small_size = [], 0

    for fs, path in files:
        url = _url(fs, path)
        ukey = str(fs.ukey(path))
        suffix = PurePosixPath(path).suffix.lower()
        if suffix in PARQUET_SUFFIXES and fmt is None:
            for pieces, size in _parquet_pieces(fs, path, url, ukey, target_rows):
                plan.partitions.append(_partition(pieces, size, settings))
            continue
        size = int(fs.size(path) or 0)
        if size > target_bytes and _kind(fs, path, fmt) == "jsonl":
            for start in range(0, size, target_bytes):
                stop = min(start + target_bytes, size)
                piece = Piece(url, "jsonl", ukey, start, stop)
                plan.partitions.append(_partition([piece], stop - start, settings))
            continue
        small.append(Piece(url, fmt, ukey))
        small_size += size
        if small_size >= target_bytes or len(small) >= MAX_FILES_PER_PARTITION:
            flush()
    flush()
    return plan


def _url(fs: Any, path: str) -> str:
    """A path the workers can open again: plain for local files, with the protocol otherwise."""
    protocols = fs.protocol if isinstance(fs.protocol, tuple) else (fs.protocol,)
    return path if "file" in protocols else str(fs.unstrip_protocol(path))


def _kind(fs: Any, path: str, fmt: str | None) -> str:
    """The format of a big file, to know whether it can be cut (only JSON Lines can)."""
    if fmt is not None:
        return fmt
    with fs.open(path, "rb") as handle:
        head = handle.read(SNIFF_BYTES)
    return detect_from(Path(path), head)


def _parquet_pieces(
    fs: Any, path: str, url: str, ukey: str, target_rows: int
) -> Iterable[tuple[list[Piece], int]]:
    """Runs of whole row groups of about `target_rows` rows each (a row group is the smallest
    unit Parquet reads; write files with row groups smaller than a partition to spread them)."""
    import pyarrow.parquet as pq

    with fs.open(path, "rb") as handle:
        meta = pq.ParquetFile(handle).metadata
    start, rows, size = 0, 0, 0
    for index in range(meta.num_row_groups):
        rows += meta.row_group(index).num_rows
        size += meta.row_group(index).total_byte_size
        if rows >= target_rows or index == meta.num_row_groups - 1:
            yield [Piece(url, "parquet", ukey, start, index + 1)], size
            start, rows, size = index + 1, 0, 0


def _partition(pieces: Sequence[Piece], size: int, settings: dict[str, Any]) -> Partition:
    doc = {
        "settings": settings,
        "pieces": [[p.url, p.kind, p.ukey, p.start, p.stop] for p in pieces],
    }
    digest = hashlib.sha256(json.dumps(doc, sort_keys=True, default=str).encode()).hexdigest()
    return Partition(tuple(pieces), digest[:20], size)


def open_input(url: str) -> Any:
    """Open an input for binary reading on whichever filesystem its URL names."""
    return fsspec.open(url, "rb").open()
