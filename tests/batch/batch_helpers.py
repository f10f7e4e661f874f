"""Inputs, runs and readers shared by the batch tests: a few conversations a person can read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.dataset as ds
import typer
from typer.testing import CliRunner

from calmdesk.batch.job import SYNCHRONOUS, BatchOptions, BatchResult, run_batch
from calmdesk.cli.batch_cmd import register

#: What the `inputs` fixture holds once the malformed line is skipped.
CONVERSATIONS, MESSAGES = 8, 24
ANGRY = [
    ("customer", "cust-1", "Why was my account suspended without warning? I want a supervisor."),
    ("agent", "agent-4", "Are you sure you didn't violate our terms? That is our policy."),
    ("customer", "cust-1", "Are you accusing me? I'm screenshotting this whole conversation."),
]
CALM = [
    ("customer", "cust-2", "My order arrived damaged for the third time and I am upset."),
    (
        "agent",
        "agent-9",
        "I'm so sorry, that is really frustrating. I'll send a replacement today and refund "
        "your delivery costs, or you can choose a full refund. Thank you for telling us.",
    ),
    ("customer", "cust-2", "Thank you, that is very kind. Sorry for being short earlier."),
]


def conversation(cid: str, turns: list[tuple[str, str, str]], day: int, team: str) -> dict:
    return {
        "id": cid,
        "channel": "chat" if day % 2 else "email",
        "metadata": {"team": team},
        "messages": [
            {
                "id": str(i + 1),
                "author": author,
                "role": role,
                "text": text,
                "timestamp": f"2024-06-{day:02d}T09:{i:02d}:00Z",
            }
            for i, (role, author, text) in enumerate(turns)
        ],
    }


def write_jsonl(path: Path, records: list[dict], *, broken_at: int | None = None) -> Path:
    lines = [json.dumps(r) for r in records]
    if broken_at is not None:
        lines.insert(broken_at, '{"id": "broken", "messages": [')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(inputs: list[Path | str], out: Path, **kw: Any) -> BatchResult:
    """A batch run in this process unless the test names a scheduler or workers."""
    kw.setdefault("scheduler", SYNCHRONOUS)
    return run_batch(BatchOptions(inputs=tuple(map(str, inputs)), out=str(out), **kw))


def table(out: Path, name: str) -> pa.Table:
    return ds.dataset(out / name, format="parquet").to_table()


def cli() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """calmdesk (test app)."""

    register(app)
    return app


runner = CliRunner()
