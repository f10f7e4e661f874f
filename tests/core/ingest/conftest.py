"""Fixtures for ingest tests: small files written inline, read back through the public API."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from calmdesk.core.ingest import IngestOptions, ReadResult, read_path

from .helpers import Read, Write


@pytest.fixture
def write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Write:
    """Write `content` (dedented if text) to tmp_path/name and return the relative path.

    The test runs inside tmp_path, so error messages name the file as a user would see it.
    """
    monkeypatch.chdir(tmp_path)

    def _write(name: str, content: str | bytes) -> Path:
        path = Path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            content = textwrap.dedent(content).lstrip("\n").encode()
        path.write_bytes(content)
        return path

    return _write


@pytest.fixture
def read(write: Write) -> Read:
    """Write a file and read it: read("a.csv", text, column_map={...})."""

    def _read(name: str, content: str | bytes, **options: object) -> ReadResult:
        return read_path(write(name, content), IngestOptions(**options))  # type: ignore[arg-type]

    return _read
