"""The HTML report: self-contained, charts present, worst and best conversations quoted."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from batch_helpers import run

from calmdesk.batch.report import write_report
from calmdesk.batch.report.data import load


@pytest.fixture
def finished(inputs: Path, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    run([inputs], out)
    return out


def test_report_renders_offline_with_svg_charts(finished: Path):
    target = finished / "report.html"
    write_report(finished, target, top=3)
    html = target.read_text("utf-8")
    assert "http://" not in html and "https://" not in html
    assert "<script" not in html and "<link" not in html
    assert html.count("<svg") >= 6  # time, channel, team, agent, anti-patterns, coverage


def test_report_links_worst_and_best_to_their_text(finished: Path):
    target = finished / "report.html"
    write_report(finished, target, top=3)
    html = target.read_text("utf-8")
    links = set(re.findall(r'href="#((?:worst|best)-\d+)"', html))
    anchors = set(re.findall(r'id="((?:worst|best)-\d+)"', html))
    assert links and links <= anchors
    assert "I want a supervisor" in html  # the angry conversation's own words are quoted


def test_report_figures_match_the_tables(finished: Path):
    data = load(finished, top=2)
    assert data.conversations == 8 and data.messages == 24 and data.errors == 1
    assert {r.key for r in data.by_team} == {"billing", "returns"}
    assert {r.key for r in data.by_channel} == {"chat", "email"}
    assert sum(r.conversations for r in data.by_team) == 8
    billing = next(r for r in data.by_team if r.key == "billing")
    assert billing.escalated > 0  # the angry conversations ask for a supervisor
    assert all(0 <= c.share <= 1 for c in data.coverage) and data.coverage
    assert len(data.worst) == 2 and data.worst[0].score <= data.best[0].score
    assert data.worst[0].messages  # their text is loaded for quoting


def test_report_refuses_a_folder_without_a_batch_run(tmp_path: Path):
    with pytest.raises(FileNotFoundError, match="manifest"):
        load(tmp_path)
