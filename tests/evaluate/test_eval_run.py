"""What the evaluator reads (the carve) and how calmdesk's answers are read off an analysis."""

import json
from pathlib import Path

import pytest

from calmdesk.core.forecast import derail_policy, derail_probability
from calmdesk.core.model import Conversation, Message
from calmdesk.core.pipeline import make_pipeline
from calmdesk.evaluate import run as run_module
from calmdesk.evaluate.datasets import discover, in_validation, read_split
from calmdesk.evaluate.mapping import load_mapping
from calmdesk.evaluate.predict import answer, impolite_combined, sentiment_class
from calmdesk.evaluate.run import (
    Manifest,
    ModeUnavailable,
    evaluate,
    pipeline_for,
    sha256_of,
    trained_on,
)

MAPPING = Path(__file__).resolve().parent / "fixtures" / "mapping.toml"


def lone_dev_file(tmp_path: Path, n: int = 40) -> Path:
    """A dataset with only a development file, so the shared carve splits it by group hash."""
    folder = tmp_path / "data" / "thanks-and-tone"
    folder.mkdir(parents=True)
    rows = [
        {
            "id": f"r{i}",
            "text": f"Thank you for order {i}!" if i % 2 else f"Order {i} is late.",
            "role": "customer",
            "context": [],
            "labels": {"thanks": i % 2},
        }
        for i in range(n)
    ]
    (folder / "dev.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    return folder.parent


def test_eval_run_without_manifest_a_file_with_a_training_part_counts_as_seen(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(run_module, "trained_hashes", lambda: Manifest(None, None))
    data = lone_dev_file(tmp_path)
    files = discover(data)
    expected = [e for e in read_split(files[0].path) if in_validation(e.group)]
    assert 0 < len(expected) < 40
    run = evaluate(files, load_mapping(MAPPING), mode="rules")
    [result] = run.results
    assert result.part == "validation"
    assert result.rows_in_part == result.rows_scored == len(expected)
    assert result.part_note == f"validation part: {len(expected)} of 40 rows"


def test_eval_run_manifest_decides_by_file_hash(tmp_path, monkeypatch):
    files = discover(lone_dev_file(tmp_path))
    listed = frozenset({sha256_of(files[0].path)})
    monkeypatch.setattr(run_module, "trained_hashes", lambda: Manifest(listed, None))
    [seen] = evaluate(files, load_mapping(MAPPING), mode="rules").results
    assert seen.part == "validation" and seen.rows_in_part < 40
    monkeypatch.setattr(run_module, "trained_hashes", lambda: Manifest(frozenset({"0" * 64}), None))
    [unseen] = evaluate(files, load_mapping(MAPPING), mode="rules").results
    assert (unseen.part, unseen.rows_in_part) == ("all", 40)


def test_eval_run_a_file_nobody_trained_on_is_scored_whole(tmp_path):
    files = discover(lone_dev_file(tmp_path))
    run = evaluate(
        files, load_mapping(MAPPING), mode="rules", trained=lambda sf, rows, targets: False
    )
    [result] = run.results
    assert (result.part, result.rows_scored, result.part_note) == ("all", 40, "all 40 rows")
    # every "Thank you" row is gratitude and no "is late" row is
    [grat, _] = result.scores
    assert (grat.precision, grat.recall) == (1.0, 1.0)


def test_eval_run_modes_without_learned_detectors_are_refused():
    assert pipeline_for("rules").detectors
    with pytest.raises(ModeUnavailable, match="unknown detector mode"):
        pipeline_for("magic")


def analysed(*turns: tuple[str, str]):
    msgs = tuple(
        Message(id=str(i), author=role, role=role, text=text)  # type: ignore[arg-type]
        for i, (role, text) in enumerate(turns)
    )
    return make_pipeline(mode="rules").analyze(Conversation(id="c", messages=msgs))


def test_eval_run_answers_read_on_the_last_message():
    a = analysed(
        ("customer", "Thank you so much for your help!"),
        ("customer", "I want to speak to your manager right now."),
    )
    assert answer(a, "gratitude") is False  # said earlier, not in the labelled message
    assert answer(a, "upset") is True  # a supervisor request is an escalation signal
    calm = analysed(("customer", "Thank you so much for your help!"))
    assert answer(calm, "gratitude") is True
    assert answer(calm, "upset") is False
    assert answer(calm, "impolite") is False  # thanks is courtesy
    assert answer(analysed(("customer", "Why did you revert my edit?")), "impolite") is True


def test_eval_run_derails_by_the_learned_forecaster_and_by_the_desk():
    angry = analysed(
        ("customer", "This is outrageous, I am furious with you people!"),
        ("customer", "I will sue you and post this everywhere, you are useless idiots!"),
    )
    assert derail_probability(angry.messages) >= derail_policy().threshold
    assert answer(angry, "derails") is True
    assert angry.risk >= 0.6 and answer(angry, "derails", learned_forecaster=False) is True
    calm = analysed(("customer", "Hello, I have a question about my order."))
    assert answer(calm, "derails") is False
    assert answer(calm, "derails", learned_forecaster=False) is False


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.05, "positive"), (0.049, "neutral"), (-0.049, "neutral"), (-0.05, "negative")],
)
def test_eval_run_sentiment_cut_is_vaders(value, expected):
    assert sentiment_class(value) == expected


@pytest.mark.parametrize(
    ("rule", "confidence", "mode", "policy", "expected"),
    [
        (True, 0.2, "rules", "or", True),  # rules mode ignores the head
        (False, 0.9, "models", "and", True),  # models mode trusts the head alone
        (True, 0.2, "models", "or", False),
        (False, 0.7, "both", "or", True),  # either
        (True, 0.7, "both", "and", True),  # both needed
        (True, 0.3, "both", "and", False),
        (True, 0.3, "both", "model", False),  # the head decides
    ],
)
def test_eval_run_impolite_head_combines_like_other_labels(
    rule, confidence, mode, policy, expected
):
    assert impolite_combined(rule, confidence, mode, policy) is expected


def test_eval_run_forecaster_without_file_list_falls_back_to_the_carve(tmp_path, monkeypatch):
    [sf] = discover(lone_dev_file(tmp_path))
    rows = list(read_split(sf.path))
    heads_only = Manifest(frozenset({"0" * 64}), None)
    monkeypatch.setattr(run_module, "trained_hashes", lambda: heads_only)
    # not in the heads' list: unseen for a label the heads answer ...
    assert trained_on(sf, rows, ["gratitude"]) is False
    # ... but the forecaster lists no files, so a derails file with a training part is seen
    assert trained_on(sf, rows, ["derails"]) is True


def test_eval_run_shipped_forecaster_lists_the_files_it_was_fitted_on():
    run_module.trained_hashes.cache_clear()
    manifest = run_module.trained_hashes()
    assert manifest.forecaster is not None and len(manifest.forecaster) >= 2
    assert manifest.heads is not None
    # the forecaster was fitted on the CGA files only, which the heads never saw
    assert not manifest.forecaster & manifest.heads


def test_eval_run_a_manifest_entry_names_the_file_by_its_content(tmp_path):
    [sf] = discover(lone_dev_file(tmp_path))
    entry = sf.manifest_entry(rows=40, rows_used=30)
    assert entry == {
        "dataset": sf.dataset,
        "split": "dev",
        "sha256": sha256_of(sf.path),
        "rows": 40,
        "rows_used": 30,
    }


def test_eval_run_a_dataset_labelling_both_sides_is_scored_once_per_side(tmp_path):
    folder = tmp_path / "data" / "both-sides"
    folder.mkdir(parents=True)
    rows = [
        {
            "id": "t1-0",
            "text": "My order never came, I want a refund.",
            "role": "customer",
            "context": [],
            "labels": {"compensation_demand": 1},
        },
        {
            "id": "t1-1",
            "text": "Sorry for the wait! Please DM us your order number.",
            "role": "agent",
            "context": [{"role": "customer", "text": "My order never came."}],
            "labels": {"clarifying_question": 1, "compensation_demand": 0},
        },
    ]
    (folder / "dev.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(
        '["both-sides:customer"]\ndataset = "both-sides"\nside = "customer"\n'
        '["both-sides:customer".targets]\n'
        'compensation_demand = { field = "compensation_demand", equals = 1 }\n'
        '["both-sides:agent"]\ndataset = "both-sides"\nside = "agent"\n'
        '["both-sides:agent".targets]\n'
        'clarifying_question = { field = "clarifying_question", equals = 1 }\n'
    )
    run = evaluate(
        discover(tmp_path / "data"),
        load_mapping(mapping),
        mode="rules",
        trained=lambda sf, rows, targets: False,
    )
    by_table = {r.dataset: r for r in run.results}
    assert set(by_table) == {"both-sides:customer", "both-sides:agent"}
    # each table reads only its own side's rows, and only its own labels
    assert by_table["both-sides:customer"].rows_scored == 1
    assert [s.label for s in by_table["both-sides:agent"].scores] == ["clarifying_question"]
