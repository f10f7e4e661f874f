"""`calmdesk batch` and `calmdesk report` as a user runs them: exit codes and messages."""

from __future__ import annotations

from pathlib import Path

from batch_helpers import cli, runner

from calmdesk.cli.batch_cmd import STOPPED


def test_cli_register_adds_batch_and_report():
    result = runner.invoke(cli(), ["--help"])
    assert result.exit_code == 0
    assert "batch" in result.output and "report" in result.output


def test_cli_batch_summarises_and_lists_bad_records_on_stderr(inputs: Path, tmp_path: Path):
    out = tmp_path / "out"
    args = ["batch", str(inputs), "--out", str(out), "--scheduler", "synchronous"]
    result = runner.invoke(cli(), args)
    assert result.exit_code == 1  # something could not be read, as in `calmdesk analyze`
    assert "8 conversations" in result.stderr
    assert "a.jsonl: line 3" in result.stderr


def test_cli_batch_stopped_early_resumes_on_the_next_run(inputs: Path, tmp_path: Path):
    out = tmp_path / "out"
    args = ["batch", str(inputs), "--out", str(out), "--scheduler", "synchronous"]
    args += ["--partition-size", "700B", "--no-progress"]
    first = runner.invoke(cli(), [*args, "--stop-after", "1"])
    assert first.exit_code == STOPPED and "run again to resume" in first.stderr
    second = runner.invoke(cli(), args)
    assert "1 kept from an earlier run" in second.stderr


def test_cli_batch_rejects_a_bad_partition_size(inputs: Path, tmp_path: Path):
    args = ["batch", str(inputs), "--out", str(tmp_path / "o"), "--partition-size", "lots"]
    result = runner.invoke(cli(), args)
    assert result.exit_code == 2


def test_cli_report_writes_the_page(inputs: Path, tmp_path: Path):
    out = tmp_path / "out"
    runner.invoke(cli(), ["batch", str(inputs), "--out", str(out), "--scheduler", "synchronous"])
    result = runner.invoke(cli(), ["report", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "report.html").exists()


def test_cli_report_on_an_empty_folder_says_why(tmp_path: Path):
    result = runner.invoke(cli(), ["report", str(tmp_path)])
    assert result.exit_code == 1 and "manifest" in result.stderr


def test_cli_batch_stops_before_work_on_a_bad_rubric(inputs: Path, tmp_path: Path):
    rubric = tmp_path / "rubric.toml"
    rubric.write_text("this is not toml = = =", encoding="utf-8")
    args = ["batch", str(inputs), "--out", str(tmp_path / "o"), "--rubric", str(rubric)]
    result = runner.invoke(cli(), [*args, "--scheduler", "synchronous"])
    assert result.exit_code == 2 and "not valid TOML" in result.stderr
