"""Which reader a file needs, from its extension and, where that is not enough, its first bytes.

A .csv may be a twcs dump, a .txt may be an mbox, and exports often have no extension at all.
"""

from __future__ import annotations

import re
from pathlib import Path

from calmdesk.core.ingest.transcript import speaker_of
from calmdesk.core.ingest.twcs import SIGNATURE

UNKNOWN = "unknown"
#: Extensions read when a directory is walked.
EXTENSIONS: dict[str, str] = {
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".tsv": "csv",
    ".eml": "email",
    ".mbox": "email",
    ".txt": "transcript",
}
SNIFF_BYTES = 64 * 1024
_EMAIL_HEADERS = frozenset(
    {"from", "to", "subject", "date", "message-id", "received", "return-path", "mime-version"}
)
_HEADER_LINE = re.compile(r"^([A-Za-z][\w-]*):")


def detect_format(path: Path) -> str:
    """One of FORMATS, or "unknown" when neither the name nor the content says."""
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError:
        head = b""
    return detect_from(path, head)


def detect_from(path: Path, head: bytes) -> str:
    """detect_format on bytes already read (the file's first SNIFF_BYTES are enough)."""
    suffix = path.suffix.lower()
    text = head.decode("utf-8-sig", "replace")
    kind = EXTENSIONS.get(suffix)
    if kind == "csv":
        return "twcs" if _is_twcs(text) else "csv"
    if kind in ("json", "jsonl"):
        return _json_kind(text) if kind == "json" else kind
    if kind == "email" or head.startswith(b"From ") or _looks_like_email(text):
        return "email"
    if kind is not None:
        return kind
    if text.lstrip()[:1] in ("{", "["):
        return _json_kind(text)
    if any(speaker_of(line, {}) for line in text.splitlines()[:200]):
        return "transcript"
    if _is_twcs(text):
        return "twcs"
    return UNKNOWN


def _is_twcs(text: str) -> bool:
    header = {name.strip().strip('"') for name in text.split("\n", 1)[0].split(",")}
    return SIGNATURE.issubset(header)


def _json_kind(text: str) -> str:
    """A .json whose lines are each a whole object is really JSON Lines."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > 1 and all(line.startswith("{") and line.endswith("}") for line in lines[:2]):
        return "jsonl"
    return "json"


def _looks_like_email(text: str) -> bool:
    names: set[str] = set()
    for line in text.splitlines()[:60]:
        if not line.strip():
            break
        if line[:1].isspace():
            continue
        match = _HEADER_LINE.match(line)
        if match is None:
            return False
        names.add(match[1].lower())
    return len(names & _EMAIL_HEADERS) >= 2
