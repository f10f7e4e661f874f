"""`calmdesk eval` as a team runs it on its own labelled folder.

The fixture (tests/evaluate/fixtures) is built so the answers are known: texts the rules surely
label ("Thank you so much ...") and surely do not ("The parcel arrived on Tuesday."), with gold
labels that make one true positive, false positive, false negative and true negative at least:

- thanks-and-tone/dev: gratitude tp 2, fp 1, fn 1, tn 2 -> P = R = F1 = 2/3; sentiment gold
  pos pos neu neu neg neg, predicted pos pos pos neu neg neg -> macro-F1 (0.8 + 2/3 + 1) / 3;
- agent-questions/dev: clarifying_question tp 3, fp 1, fn 1, tn 1 -> P = R = F1 = 3/4; its one
  customer row is left out (the dataset labels agent messages);
- calm-or-not/dev: derails, an angry conversation crosses the threshold, two calm ones do not
  -> P 1, R 1/2;
- unmapped-set: no mapping table, so it is skipped with its reason.
"""

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from calmdesk.cli import app
from calmdesk.evaluate import run as run_module

FIXTURES = Path(__file__).resolve().parent / "fixtures"
DATA = FIXTURES / "data"
MAPPING = FIXTURES / "mapping.toml"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
runner = CliRunner()


def run_eval(*args: str):
    return runner.invoke(app, ["eval", *args])


def eval_json(tmp_path: Path, *args: str) -> dict:
    out = tmp_path / "eval.json"
    result = run_eval(*args, "--json", str(out))
    assert result.exit_code == 0, result.output
    return json.loads(out.read_text("utf-8"))


def by_label(doc: dict, dataset: str) -> dict:
    [entry] = [f for f in doc["files"] if f["dataset"] == dataset]
    return {lab["label"]: lab for lab in entry["labels"]} | {"_file": entry}


def fixture_args(data: Path = DATA, mode: str = "rules") -> list[str]:
    """The fixture; read with the rules by default, whose answers are the ones above."""
    return ["--data", str(data), "--mapping", str(MAPPING), "--split", "dev", "--detectors", mode]


def test_eval_cli_known_answers_on_fixture(tmp_path):
    doc = eval_json(tmp_path, *fixture_args())
    thanks = by_label(doc, "thanks-and-tone")
    grat = thanks["gratitude"]
    assert (grat["support"], grat["n"]) == (3, 6)
    assert grat["precision"] == pytest.approx(2 / 3)
    assert grat["recall"] == pytest.approx(2 / 3)
    assert grat["f1"] == pytest.approx(2 / 3)
    sent = thanks["sentiment"]
    assert sent["f1"] == pytest.approx((0.8 + 2 / 3 + 1) / 3)
    assert sent["macro_recall"] == pytest.approx(2.5 / 3)
    assert sent["classes"]["neutral"]["recall"] == 0.5
    assert sent["baseline"]["name"].startswith("VADER")
    assert thanks["_file"]["macro_f1"] == pytest.approx((2 / 3 + (0.8 + 2 / 3 + 1) / 3) / 2)
    assert thanks["_file"]["published"].startswith("a made-up figure")

    questions = by_label(doc, "agent-questions")
    q = questions["clarifying_question"]
    assert (q["support"], q["n"]) == (4, 6)
    assert (q["precision"], q["recall"]) == (0.75, 0.75)
    assert questions["_file"]["rows_total"] == 7 and questions["_file"]["rows_scored"] == 6

    derails = by_label(doc, "calm-or-not")["derails"]
    assert (derails["precision"], derails["recall"]) == (1.0, 0.5)  # the learned forecaster
    assert (derails["baseline"]["precision"], derails["baseline"]["recall"]) == (1.0, 0.5)
    assert derails["baseline"]["name"] == "rules, hand-set forecaster weights"

    assert doc["detectors"] == "rules"
    assert doc["skipped"] == [
        {
            "path": str(DATA / "unmapped-set" / "dev.jsonl"),
            "reason": "no mapping for dataset 'unmapped-set' (add a [unmapped-set] table)",
        }
    ]
    assert doc["errors"] == []


def test_eval_cli_prints_table_with_baseline_and_published_note():
    result = run_eval(*fixture_args())
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())  # captions wrap at the terminal's width
    assert "thanks-and-tone" in text and "gratitude" in text and "66.7" in text
    assert "clarifying_question" in text and "75.0" in text
    assert "F1 base" in text and "macro-F1" in text
    assert "not directly comparable" in text
    assert "unmapped-set" in text and "no mapping" in text


def test_eval_cli_on_a_copy_placed_elsewhere(tmp_path):
    copy = tmp_path / "team-data"
    shutil.copytree(DATA / "thanks-and-tone", copy / "thanks-and-tone")
    doc = eval_json(tmp_path, *fixture_args(copy))
    assert [f["dataset"] for f in doc["files"]] == ["thanks-and-tone"]
    assert by_label(doc, "thanks-and-tone")["gratitude"]["f1"] == pytest.approx(2 / 3)


def test_eval_cli_bad_line_names_file_line_field_and_scores_the_rest(tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    bad = copy / "agent-questions" / "dev.jsonl"
    with bad.open("a", encoding="utf-8") as fh:
        fh.write('{"id": "q9", "role": "agent", "labels": {}}\n')
    out = tmp_path / "eval.json"
    result = run_eval(*fixture_args(copy), "--json", str(out))
    assert result.exit_code == 1
    assert f"{bad}:8: field 'text' missing" in result.stderr
    doc = json.loads(out.read_text("utf-8"))
    assert {f["dataset"] for f in doc["files"]} == {"thanks-and-tone", "calm-or-not"}
    assert len(doc["errors"]) == 1


def test_eval_cli_mapping_error_names_dataset_label_and_key(tmp_path):
    bad = tmp_path / "mapping.toml"
    bad.write_text(
        '[thanks-and-tone]\nside = "customer"\n[thanks-and-tone.targets]\n'
        'gratitude = { field = "thanks", equals = 1, min = 1 }\n'
    )
    result = run_eval("--data", str(DATA), "--mapping", str(bad))
    assert result.exit_code == 2
    message = " ".join(result.stderr.split())
    assert "[thanks-and-tone.targets] gratitude" in message
    assert "exactly one of any, min, equals" in message


def test_eval_cli_carve_skips_training_file_and_limit_caps_rows(tmp_path, monkeypatch):
    # without the models' manifest, a file with a training part counts as seen
    monkeypatch.setattr(run_module, "trained_hashes", lambda: run_module.Manifest(None, None))
    doc = eval_json(
        tmp_path,
        "--data",
        str(DATA),
        "--mapping",
        str(MAPPING),
        "--limit",
        "2",
        "--detectors",
        "rules",
    )
    reasons = {
        Path(s["path"]).parent.name + "/" + Path(s["path"]).name: s["reason"]
        for s in doc["skipped"]
    }
    assert reasons["thanks-and-tone/train.jsonl"] == "training file: all 2 rows were trained on"
    assert all(f["rows_scored"] <= 2 for f in doc["files"])
    assert doc["limit"] == 2


def test_eval_cli_markdown_table_for_the_readme():
    result = run_eval(*fixture_args(), "--markdown")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Measured ")
    assert any(
        line.startswith("| thanks-and-tone/dev") and "| gratitude | 3/6 |" in line for line in lines
    )
    assert any("**macro-F1**" in line for line in lines)


def test_eval_cli_unknown_detector_mode_and_missing_folder_exit_2(tmp_path):
    assert run_eval(*fixture_args(), "--detectors", "magic").exit_code == 2
    missing = run_eval("--data", str(tmp_path / "nope"))
    assert missing.exit_code == 2
    assert "no such folder" in missing.stderr


@pytest.mark.shared_data
def test_eval_cli_runs_on_shared_data_with_limit(tmp_path):
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent")
    doc = eval_json(tmp_path, "--data", str(SHARED), "--limit", "40")
    datasets = {f["dataset"] for f in doc["files"]}
    assert {"goemotions", "tweeteval-sentiment", "cga-wiki", "esconv-strategies"} <= datasets
    for f in doc["files"]:
        assert 0 < f["rows_scored"] <= 40
        assert f["macro_f1"] is None or 0.0 <= f["macro_f1"] <= 1.0
    # training files are never scored as if they were held out
    assert all(f["split"] != "train" for f in doc["files"])
    # --limit spreads its rows over the file: twitter-complaints lists non-complaints first
    complaints = by_label(doc, "twitter-complaints")["upset"]
    assert 0 < complaints["support"] < complaints["n"]


def test_eval_cli_learned_modes_keep_the_rules_as_baseline(tmp_path):
    rules = eval_json(tmp_path, *fixture_args())
    for mode in ("models", "both"):
        doc = eval_json(tmp_path, *fixture_args(mode=mode))
        assert doc["detectors"] == mode
        for dataset in ("thanks-and-tone", "agent-questions", "calm-or-not"):
            ours, base = by_label(doc, dataset), by_label(rules, dataset)
            for label, entry in ours.items():
                if label != "_file":
                    # the baseline columns are the rules' (and VADER's) answers in every mode
                    assert entry["baseline"]["f1"] == base[label]["baseline"]["f1"]
