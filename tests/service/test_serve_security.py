"""`calmdesk serve` keeps secrets out of its logs and says which secrets folder it cannot use."""

from __future__ import annotations

import logging
import logging.config
import re

import typer
from typer.testing import CliRunner

from calmdesk.cli.serve_cmd import register
from calmdesk.service.access_log import mask

TOKEN = "cdk_Zt3secretsecretsecretsecretsecretsecret0"


def test_access_log_masks_the_key_in_every_spelling():
    assert mask(f"/webhooks/chatwoot?api_key={TOKEN}") == "/webhooks/chatwoot?api_key=***"
    assert mask(f"/w?team=a&API_KEY={TOKEN}&x=1") == "/w?team=a&API_KEY=***&x=1"
    assert mask(f"/w?api%5Fkey={TOKEN}") == "/w?api%5Fkey=***"
    assert mask("/cases?owner=api_key=x") == "/cases?owner=api_key=x"  # a value, not a field


def test_access_log_of_calmdesk_serve_hides_webhook_tokens(tmp_path, monkeypatch, capsys):
    served = {}
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: served.update(app=app, **kw))
    monkeypatch.setenv("CALMDESK_SECRETS_DIR", str(tmp_path / "secrets"))
    app = typer.Typer()
    app.command("noop")(lambda: None)
    register(app)
    url = f"sqlite:///{tmp_path}/calmdesk.db"
    assert CliRunner().invoke(app, ["serve", "--database-url", url]).exit_code == 0
    served["app"].state.engine.dispose()
    logging.config.dictConfig(served["log_config"])  # what uvicorn does with it on start
    try:
        # uvicorn's access line: client, method, path with query, HTTP version, status
        logging.getLogger("uvicorn.access").info(
            '%s - "%s %s HTTP/%s" %d',
            "192.0.2.1:5123",
            "POST",
            f"/webhooks/chatwoot?api_key={TOKEN}",
            "1.1",
            200,
        )
        written = capsys.readouterr().out
    finally:
        logging.getLogger("uvicorn.access").handlers.clear()
    assert "/webhooks/chatwoot?api_key=***" in written
    assert TOKEN not in written


def test_serve_says_which_secrets_folder_it_cannot_use(tmp_path, monkeypatch):
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: None)
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the secrets folder should be")
    monkeypatch.setenv("CALMDESK_SECRETS_DIR", str(blocked))
    app = typer.Typer()
    app.command("noop")(lambda: None)
    register(app)
    url = f"sqlite:///{tmp_path}/calmdesk.db"
    r = CliRunner().invoke(app, ["serve", "--database-url", url])
    assert r.exit_code == 2 and r.exception.__class__ is SystemExit
    # whichever of its keys (web session, audit checkpoint) it tried to keep there first
    assert re.search(r"not-a-folder: cannot keep the [a-z ]+ key there", r.output), r.output
    assert "CALMDESK_SECRETS_DIR" in r.output
