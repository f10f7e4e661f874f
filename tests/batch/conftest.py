"""The standard batch input: three JSONL files, one with a malformed line."""

from __future__ import annotations

from pathlib import Path

import pytest
from batch_helpers import ANGRY, CALM, conversation, write_jsonl


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    """Three JSONL files, eight conversations, 24 messages, one malformed line (a.jsonl line 3)."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name, start in (("a", 1), ("b", 4), ("c", 7)):
        n = 2 if name == "c" else 3
        records = [
            conversation(
                f"{name}{k}",
                ANGRY if k % 2 else CALM,
                day=start + k,
                team="billing" if k % 2 else "returns",
            )
            for k in range(n)
        ]
        write_jsonl(folder / f"{name}.jsonl", records, broken_at=2 if name == "a" else None)
    return folder
