"""`calmdesk keys create` and `calmdesk audit verify` as a user runs them."""

from __future__ import annotations

import typer
from sqlalchemy import text
from typer.testing import CliRunner

from calmdesk.cli.serve_cmd import register
from calmdesk.store.db import make_engine

runner = CliRunner()


def _app() -> typer.Typer:
    app = typer.Typer()
    app.command("noop")(lambda: None)
    register(app)
    return app


def test_cli_keys_create_prints_a_token_once_and_audit_verify_passes(tmp_path):
    url = f"sqlite:///{tmp_path}/calmdesk.db"
    r = runner.invoke(
        _app(), ["keys", "create", "--role", "admin", "--team", "support", "--database-url", url]
    )
    assert r.exit_code == 0, r.output
    assert r.stdout.strip().startswith("cdk_")
    listed = runner.invoke(_app(), ["keys", "list", "--database-url", url])
    assert "support" in listed.stdout and r.stdout.strip() not in listed.stdout
    ok = runner.invoke(_app(), ["audit", "verify", "--database-url", url])
    assert ok.exit_code == 0 and "intact" in ok.stdout


def test_cli_audit_verify_fails_on_an_edited_entry(tmp_path):
    url = f"sqlite:///{tmp_path}/calmdesk.db"
    for role in ("admin", "agent"):
        runner.invoke(
            _app(), ["keys", "create", "--role", role, "--team", "t", "--database-url", url]
        )
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET data = '{}' WHERE seq = 1"))
    engine.dispose()
    r = runner.invoke(_app(), ["audit", "verify", "--database-url", url])
    assert r.exit_code == 1 and "broken at entry 1" in r.output


def test_cli_audit_verify_fails_on_a_deleted_entry(tmp_path):
    url = f"sqlite:///{tmp_path}/calmdesk.db"
    for role in ("admin", "agent", "supervisor"):
        runner.invoke(
            _app(), ["keys", "create", "--role", role, "--team", "t", "--database-url", url]
        )
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE seq = 2"))
    engine.dispose()
    r = runner.invoke(_app(), ["audit", "verify", "--database-url", url])
    assert r.exit_code == 1 and "entry 2" in r.output and "missing" in r.output


def test_cli_keys_create_rejects_an_unknown_role(tmp_path):
    r = runner.invoke(
        _app(),
        [
            "keys",
            "create",
            "--role",
            "boss",
            "--team",
            "t",
            "--database-url",
            f"sqlite:///{tmp_path}/c.db",
        ],
    )
    assert r.exit_code == 2 and "expected one of agent, supervisor, admin" in r.output


def test_cli_serve_is_registered_with_its_options():
    r = runner.invoke(_app(), ["serve", "--help"])
    assert r.exit_code == 0 and "--database-url" in r.output and "--port" in r.output
