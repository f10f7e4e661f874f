"""`calmdesk serve --demo` as a new user runs it: demo data loaded, keys printed, app served."""

from __future__ import annotations

import typer
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from calmdesk.cli.serve_cmd import register

runner = CliRunner()


def _app() -> typer.Typer:
    app = typer.Typer()
    app.command("noop")(lambda: None)
    register(app)
    return app


def test_web_serve_demo_prints_keys_that_log_in(tmp_path, monkeypatch):
    served = {}
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: served.update(app=app, **kw))
    url = f"sqlite:///{tmp_path}/demo.db"
    r = runner.invoke(_app(), ["serve", "--demo", "--port", "8123", "--database-url", url])
    assert r.exit_code == 0, r.output
    assert served["port"] == 8123
    assert "generated from them" in r.stdout
    tokens = [line.split()[-1] for line in r.stdout.splitlines() if "cdk_" in line]
    assert len(tokens) == 2
    client = TestClient(served["app"])
    page = client.post("/ui/login", data={"key": tokens[0]})
    assert page.status_code == 200 and "Inbox" in page.text
    served["app"].state.engine.dispose()


def test_web_serve_demo_never_writes_into_the_database_of_the_environment(tmp_path, monkeypatch):
    served = {}
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: served.update(app=app, **kw))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CALMDESK_DATABASE_URL", f"sqlite:///{tmp_path}/production.db")
    r = runner.invoke(_app(), ["serve", "--demo"])
    assert r.exit_code == 0, r.output
    assert "--demo ignores CALMDESK_DATABASE_URL" in r.output
    assert (tmp_path / "calmdesk-demo.db").exists()
    assert not (tmp_path / "production.db").exists()
    served["app"].state.engine.dispose()


def test_web_serve_help_offers_the_demo():
    r = runner.invoke(_app(), ["serve", "--help"])
    assert r.exit_code == 0 and "--demo" in r.output
