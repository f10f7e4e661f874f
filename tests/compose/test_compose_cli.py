"""`suggest` and `rewrite` as a user runs them, through a Typer app built like calmdesk's."""

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from calmdesk.cli.compose_cmd import register

EXAMPLES = Path(__file__).resolve().parents[2] / "src" / "calmdesk" / "examples" / "conversations"
CLASSIC = "That's not our fault, our policy clearly states refunds take 10 days. Please calm down."
runner = CliRunner()


def make_app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """calmdesk (test build)."""

    register(app)
    return app


def test_cli_suggest_json_passes_the_self_check_for_an_example():
    path = EXAMPLES / "01-p1-premature-fact-finding.json"
    result = runner.invoke(make_app(), ["suggest", str(path), "--json", "--seed", "2"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)["suggestions"][0]
    assert doc["self_check"]["passed"] and doc["engine"] == "template" and doc["seed"] == 2
    assert doc["knowledge_entry"] == "courier-hub-backlog" and "stroller" in doc["draft"]


def test_cli_suggest_view_prints_the_draft_and_the_check():
    path = EXAMPLES / "03-p2-push-back-tone-matching.json"
    result = runner.invoke(make_app(), ["suggest", str(path)])
    assert result.exit_code == 0, result.output
    assert "self-check passed" in result.stdout


def test_cli_suggest_unknown_conversation_id_is_an_error():
    path = EXAMPLES / "03-p2-push-back-tone-matching.json"
    result = runner.invoke(make_app(), ["suggest", str(path), "--conversation", "nope"])
    assert result.exit_code == 1
    assert "no conversation with id 'nope'" in result.output


def test_cli_suggest_bad_remedies_file_names_the_file_and_field(tmp_path):
    bad = tmp_path / "remedies.yaml"
    bad.write_text("remedies:\n  - id: a\n    offer: refund you\n  - id: b\n")
    path = EXAMPLES / "03-p2-push-back-tone-matching.json"
    result = runner.invoke(make_app(), ["suggest", str(path), "--remedies", str(bad)])
    assert result.exit_code == 2
    assert "remedies.yaml" in result.output and "'why'" in result.output


def test_cli_suggest_llm_without_configuration_says_what_to_set(monkeypatch):
    monkeypatch.delenv("CALMDESK_LLM_BASE_URL", raising=False)
    path = EXAMPLES / "03-p2-push-back-tone-matching.json"
    result = runner.invoke(make_app(), ["suggest", str(path), "--engine", "llm"])
    assert result.exit_code == 2 and "CALMDESK_LLM_BASE_URL" in result.output


def test_cli_rewrite_json_marks_and_keeps_the_ten_days():
    result = runner.invoke(make_app(), ["rewrite", CLASSIC, "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert {m["label"] for m in doc["marks"]} >= {"defensive", "dismissive"}
    assert "10 days" in doc["replacement"] and doc["self_check"]["passed"]
    assert doc["facts_missing"] == []


def test_cli_rewrite_reads_the_draft_from_a_file_in_context(tmp_path):
    draft = tmp_path / "reply.txt"
    draft.write_text(CLASSIC)
    ctx = EXAMPLES / "01-p1-premature-fact-finding.json"
    result = runner.invoke(make_app(), ["rewrite", "--file", str(draft), "--context", str(ctx)])
    assert result.exit_code == 0, result.output
    assert "P2 axiom 1" in result.stdout and "self-check passed" in result.stdout


def test_cli_rewrite_needs_exactly_one_draft():
    result = runner.invoke(make_app(), ["rewrite"])
    assert result.exit_code == 2 and "--file" in result.output
