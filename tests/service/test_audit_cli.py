"""`calmdesk audit verify --checkpoint FILE`, as an operator runs it after a database breach."""

from __future__ import annotations

import json
import os
from pathlib import Path

import typer
from sqlalchemy import text
from typer.testing import CliRunner

from calmdesk.cli.serve_cmd import register
from calmdesk.service.audit_checkpoints import FILE_NAME
from calmdesk.store.db import make_engine

runner = CliRunner()


def _app() -> typer.Typer:
    app = typer.Typer()
    app.command("noop")(lambda: None)
    register(app)
    return app


def _desk(tmp_path: Path) -> tuple[str, Path]:
    """Three keys made with the CLI: three commits, three checkpoints in the default file."""
    url = f"sqlite:///{tmp_path}/calmdesk.db"
    for role in ("admin", "agent", "supervisor"):
        r = runner.invoke(
            _app(), ["keys", "create", "--role", role, "--team", "t", "--database-url", url]
        )
        assert r.exit_code == 0, r.output
    return url, Path(os.environ["CALMDESK_SECRETS_DIR"]) / FILE_NAME


def _verify(url: str, checkpoints: Path):
    return runner.invoke(
        _app(), ["audit", "verify", "--checkpoint", str(checkpoints), "--database-url", url]
    )


def test_audit_cli_verify_with_checkpoints_passes_on_an_untouched_desk(tmp_path):
    url, checkpoints = _desk(tmp_path)
    assert len(checkpoints.read_text().splitlines()) == 3
    r = _verify(url, checkpoints)
    assert r.exit_code == 0, r.output
    assert "t: chain intact, 3 entries" in r.stdout and "anchored up to entry 3" in r.stdout


def test_audit_cli_verify_with_checkpoints_finds_the_newest_entry_deleted(tmp_path):
    url, checkpoints = _desk(tmp_path)
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE seq = 3"))
    engine.dispose()
    assert runner.invoke(_app(), ["audit", "verify", "--database-url", url]).exit_code == 0
    r = _verify(url, checkpoints)
    assert r.exit_code == 1 and "entries 3–3 were deleted" in r.output


def test_audit_cli_verify_names_the_line_of_a_forged_checkpoint(tmp_path):
    url, checkpoints = _desk(tmp_path)
    lines = checkpoints.read_text().splitlines()
    forged = json.loads(lines[1]) | {"seq": 9}
    checkpoints.write_text("\n".join([lines[0], json.dumps(forged), lines[2]]) + "\n")
    r = _verify(url, checkpoints)
    assert r.exit_code == 1 and "line 2" in r.output and "signature" in r.output


def test_audit_cli_verify_without_the_key_says_where_it_looked(tmp_path, monkeypatch):
    url, checkpoints = _desk(tmp_path)
    monkeypatch.setenv("CALMDESK_SECRETS_DIR", str(tmp_path / "elsewhere"))
    r = _verify(url, checkpoints)
    assert r.exit_code == 2 and "audit_checkpoint.key" in r.output


def test_audit_cli_checkpoint_anchors_entries_written_before_checkpoints(tmp_path):
    url, checkpoints = _desk(tmp_path)
    checkpoints.unlink()  # an upgraded desk: its entries predate the checkpoint file
    r = _verify(url, checkpoints)
    assert r.exit_code == 1 and "no checkpoint covers any of its 3 entries" in r.output
    signed = runner.invoke(_app(), ["audit", "checkpoint", "--database-url", url])
    assert signed.exit_code == 0 and "t: entry 3 signed" in signed.stdout
    assert _verify(url, checkpoints).exit_code == 0


def test_audit_cli_checkpoint_refuses_to_sign_a_broken_chain(tmp_path):
    url, checkpoints = _desk(tmp_path)
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET actor = 'admin:eve' WHERE seq = 2"))
    engine.dispose()
    r = runner.invoke(_app(), ["audit", "checkpoint", "--database-url", url])
    assert r.exit_code == 1 and "nothing signed" in r.output
    assert len(checkpoints.read_text().splitlines()) == 3
