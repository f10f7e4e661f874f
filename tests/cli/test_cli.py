"""The command line as a user runs it: exit codes, JSON shape, error messages."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from calmdesk.cli import app

FORMATS = Path(__file__).resolve().parents[2] / "src" / "calmdesk" / "examples" / "formats"
runner = CliRunner()


def run_json(*args: str) -> dict:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def roles(conv: dict) -> list[str]:
    return [m["role"] for m in conv["messages"]]


def test_cli_analyze_twcs_rebuilds_threads_with_brand_as_agent():
    doc = run_json("analyze", str(FORMATS / "twcs_sample.csv"))
    by_id = {c["conversation_id"]: c for c in doc["conversations"]}
    first = by_id["twcs-1001"]
    assert [m["id"] for m in first["messages"]][:2] == ["1001", "1002"]
    assert roles(first)[:2] == ["customer", "agent"]
    assert {m["author"] for m in first["messages"] if m["role"] == "agent"} == {"AmazonHelp"}
    assert first["customer_id"] == "115712"
    assert all(m["channel"] == "twitter" for c in doc["conversations"] for m in c["messages"])


def test_cli_analyze_mbox_threads_and_support_address_is_agent():
    doc = run_json("analyze", str(FORMATS / "support_inbox.mbox"))
    assert len(doc["conversations"]) == 2
    for conv in doc["conversations"]:
        assert "customer" in roles(conv) and "agent" in roles(conv)
        assert all(">" not in m["text"].splitlines()[0] for m in conv["messages"])


def test_cli_analyze_transcript_maps_speakers_and_labels_messages():
    doc = run_json("analyze", str(FORMATS / "phone_call.txt"))
    first = doc["conversations"][0]
    assert roles(first)[:2] == ["agent", "customer"]
    assert "supervisor" in roles(first)
    labels = {lab["name"] for m in first["messages"] for lab in m["labels"]}
    assert {"supervisor_request", "apology"} <= labels


def test_cli_analyze_shows_evidence_and_risk_for_people():
    result = runner.invoke(app, ["analyze", str(FORMATS / "phone_call.txt")])
    assert result.exit_code == 0
    assert "supervisor_request" in result.stdout
    assert "risk" in result.stdout


def test_cli_bad_record_is_named_and_good_conversations_still_processed(tmp_path):
    good = {"id": "ok", "messages": [{"id": "m1", "author": "c", "role": "customer", "text": "hi"}]}
    bad = {"id": "bad", "messages": [{"id": "m1", "author": "c", "role": "client", "text": "hi"}]}
    path = tmp_path / "mixed.jsonl"
    path.write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n")
    result = runner.invoke(app, ["analyze", str(path), "--json"])
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert [c["conversation_id"] for c in doc["conversations"]] == ["ok"]
    [error] = doc["errors"]
    assert error["location"] == "line 2" and "role" in error["field"]
    assert "mixed.jsonl: line 2" in result.stderr


def test_cli_missing_file_exits_non_zero_with_its_name(tmp_path):
    result = runner.invoke(app, ["score", str(tmp_path / "nope.json")])
    assert result.exit_code == 1
    assert "nope.json" in result.stderr


def test_cli_bad_rubric_exits_2_naming_the_field(tmp_path):
    rubric = tmp_path / "r.toml"
    rubric.write_text('[[criterion]]\nid = "x"\nlabel = "hug"\nweight = 1\n')
    result = runner.invoke(
        app, ["score", str(FORMATS / "conversation.json"), "--rubric", str(rubric)]
    )
    assert result.exit_code == 2
    assert "field 'label'" in result.stderr


def test_cli_score_json_has_a_score_and_criteria_with_verdicts():
    doc = run_json("score", str(FORMATS / "conversation.json"))
    card = doc["conversations"][0]["scorecard"]
    assert 0 <= card["score"] <= 100
    assert {c["verdict"] for c in card["criteria"]} <= {"pass", "fail", "n/a"}
    assert "messages" not in doc["conversations"][0]


def test_cli_score_many_prints_a_summary_table():
    result = runner.invoke(app, ["score", str(FORMATS / "twcs_sample.csv"), "--summary"])
    assert result.exit_code == 0
    assert "twcs-1001" in result.stdout and "4 conversations" in result.stdout


def test_cli_csv_needs_its_mapping():
    path = str(FORMATS / "helpdesk_export.csv")
    assert runner.invoke(app, ["analyze", path]).exit_code == 1
    mapping = "conversation_id=ticket_id,timestamp=sent_at,role=sender_type,author=sender,text=body"
    assert runner.invoke(app, ["analyze", path, "--map", mapping]).exit_code == 0


def test_cli_demo_scores_every_bundled_example():
    result = runner.invoke(app, ["demo", "--brief"])
    assert result.exit_code == 0, result.output
    assert "16 conversations" in result.stdout


@pytest.mark.parametrize("command", ["analyze", "score", "demo"])
def test_cli_every_command_has_help_with_an_example(command):
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Examples" in result.stdout and f"calmdesk {command}" in result.stdout


def test_cli_unencodable_text_is_analysed_with_the_rest_of_the_file(tmp_path):
    good = {"id": "ok", "messages": [{"id": "m1", "author": "c", "role": "customer", "text": "hi"}]}
    path = tmp_path / "mixed.jsonl"
    lone = '{"id": "odd", "messages": [{"id": "m1", "author": "c", "role": "customer", '
    lone += '"text": "I want a manager \\ud800 now"}]}'
    path.write_text(json.dumps(good) + "\n" + lone + "\n")
    doc = run_json("analyze", str(path))
    assert [c["conversation_id"] for c in doc["conversations"]] == ["ok", "odd"]
    assert doc["conversations"][1]["messages"][0]["text"] == "I want a manager \ufffd now"


def test_cli_file_limits_are_options_and_a_file_over_them_is_reported(tmp_path):
    path = tmp_path / "call.txt"
    path.write_text("Customer: my order is late\nAgent: sorry\n" * 100)
    result = runner.invoke(app, ["analyze", str(path), "--max-file-size", "0.001"])
    assert result.exit_code == 1
    assert "over the limit of 1.0 kB for one file" in result.stderr
    assert runner.invoke(app, ["analyze", str(path), "--file-timeout", "0"]).exit_code == 0
