"""Ingest: read conversations from every supported format into the one `Conversation` model.

All normalising happens here (roles, timestamps, threads, quoted text), so analysis never needs
to know where a conversation came from.
"""

from calmdesk.core.ingest.detect import detect_format
from calmdesk.core.ingest.errors import IngestError, ReadResult
from calmdesk.core.ingest.options import FORMATS, IngestOptions, parse_mapping
from calmdesk.core.ingest.reader import read_path, read_paths

__all__ = [
    "FORMATS",
    "IngestError",
    "IngestOptions",
    "ReadResult",
    "detect_format",
    "parse_mapping",
    "read_path",
    "read_paths",
]
