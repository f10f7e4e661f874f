"""How a caller steers a read: the format, CSV columns, who the support side is, speaker roles."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

FORMATS: tuple[str, ...] = ("json", "jsonl", "csv", "twcs", "email", "transcript")
#: A file larger than this is refused before it is read: parsing holds it in memory several
#: times over (a 50 MB JSON Lines file takes about a gigabyte).
DEFAULT_MAX_FILE_BYTES = 50_000_000
#: Every reader is linear, so a file within the size limit reads in seconds; this bounds the rest.
DEFAULT_FILE_SECONDS = 60.0


@dataclass(frozen=True)
class IngestOptions:
    #: One of FORMATS; None detects it per file.
    format: str | None = None
    #: calmdesk field -> CSV column, e.g. {"text": "body", "role": "sender"}.
    column_map: Mapping[str, str] = field(default_factory=dict)
    #: Email addresses ("care@shop.example") or domains ("@shop.example") of the agent side.
    support_addresses: tuple[str, ...] = ()
    #: Transcript speaker name -> role; overrides and extends the built-in names.
    speakers: Mapping[str, str] = field(default_factory=dict)
    #: Channel for every conversation and message read, overriding what the input says.
    channel: str | None = None
    #: Files larger than this many bytes are reported, not read.
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    #: Seconds one file may take to read (None: no limit); past it the file is reported.
    file_seconds: float | None = DEFAULT_FILE_SECONDS


def parse_mapping(spec: str) -> dict[str, str]:
    """Parse "text=body, role=sender" (a CLI flag) into {"text": "body", "role": "sender"}.

    Raises ValueError naming the bad item: this runs on a flag before any file is read.
    """
    mapping: dict[str, str] = {}
    for item in spec.split(","):
        if not item.strip():
            continue
        key, sep, value = item.partition("=")
        key, value = key.strip(), value.strip()
        if not sep:
            raise ValueError(f"mapping item {item.strip()!r} has no '='; expected key=value")
        if not key or not value:
            raise ValueError(f"mapping item {item.strip()!r}: expected key=value, both non-empty")
        if key in mapping:
            raise ValueError(f"mapping key {key!r} given twice")
        mapping[key] = value
    return mapping
