"""`calmdesk report`: the batch's Parquet tables turned into one offline HTML page."""

from __future__ import annotations

from pathlib import Path

from calmdesk.batch.report.data import load
from calmdesk.batch.report.page import render


def write_report(folder: Path, target: Path, *, top: int = 10) -> None:
    """Read the finished partitions under `folder` and write the report to `target`."""
    html = render(load(folder, top=top))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html, encoding="utf-8")


__all__ = ["write_report"]
