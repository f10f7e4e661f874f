"""The shipped learned heads: they load, give probabilities, and combine with the rules as
documented in core/learned/combine.py."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from calmdesk.core.detect.base import PRESENT
from calmdesk.core.learned.combine import LEARNED, combine, combine_sentiment, default_scorer
from calmdesk.core.learned.embed import shipped_embedder
from calmdesk.core.learned.heads import (
    NEVER,
    VADER_CUT,
    SentimentHead,
    package_dir,
    shipped_heads,
    to_confidence,
    trained_files,
)
from calmdesk.core.model import Conversation, Label, Message, Span
from calmdesk.core.pipeline import make_pipeline

DATA = Path(__file__).resolve().parents[4] / "shared" / "data"


def conv(*turns: tuple[str, str]) -> Conversation:
    msgs = tuple(
        Message(id=f"m{i}", author=role, role=role, text=text)  # type: ignore[arg-type]
        for i, (role, text) in enumerate(turns)
    )
    return Conversation(id="c", messages=msgs)


def test_heads_give_probabilities_in_unit_interval():
    heads = shipped_heads()
    x = shipped_embedder().encode(["I am furious, this is the third time!", "", "ok"])
    assert x.shape == (3, shipped_embedder().dim)
    assert np.allclose(np.linalg.norm(x[[0, 2]], axis=1), 1.0, atol=1e-5)
    assert not x[1].any()  # no token, no direction
    for side in heads.sides.values():
        p = side.probability(x)
        assert p.shape == (3, len(side.labels))
        assert ((p >= 0) & (p <= 1)).all()
    s = heads.sentiment.probability(x, np.array([-0.8, 0.0, 0.3], dtype=np.float32))
    assert np.allclose(s.sum(axis=1), 1.0, atol=1e-5)
    for logits in heads.sentiment.logits(x).tolist():
        assert -1.0 <= heads.sentiment.value(logits, 0.5) <= 1.0


def test_sentiment_head_reads_the_text_and_vader():
    heads = shipped_heads()
    x = shipped_embedder().encode(
        ["This is awful, worst service ever", "Thank you so much, great!"]
    )
    bad, good = heads.sentiment.logits(x).tolist()
    assert heads.sentiment.value(bad, -0.8) < -0.05
    assert heads.sentiment.value(good, 0.8) > 0.05


def test_confidence_puts_the_threshold_on_present():
    t = np.float32(0.3)
    c = to_confidence(np.array([0.0, 0.29, 0.3, 0.31, 1.0], dtype=np.float32), t)
    assert c[0] == 0.0 and c[-1] == pytest.approx(1.0)
    assert c[1] < PRESENT <= c[2] < c[3]


def model_alone(scores: dict[str, float], side: str, label: str) -> float:
    """The head's confidence with no help from the rule (rule confidence 0)."""
    info = shipped_heads().info(side, label)
    assert info is not None
    return info.confidence(scores[label], 0.0)


def test_angry_message_gets_anger_from_the_model_alone():
    scores = default_scorer().score(
        conv(("customer", "I am so angry and furious with you people, absolutely livid!!"))
    )
    assert model_alone(scores[0], "customer", "anger") >= PRESENT
    calm = default_scorer().score(conv(("customer", "Could you tell me when the store opens?")))
    assert model_alone(calm[0], "customer", "anger") < PRESENT
    a = make_pipeline(mode="models").analyze(
        conv(("customer", "I am so angry and furious with you people, absolutely livid!!"))
    )
    anger = a.messages[0].get("anger")
    assert anger is not None and anger.confidence >= PRESENT and LEARNED in anger.detector


def test_agent_question_is_a_clarifying_question_for_the_model():
    scores = default_scorer().score(
        conv(
            ("customer", "my order never came"),
            ("agent", "Could you tell me a bit more about what happened when it was delivered?"),
        )
    )
    assert model_alone(scores[1], "agent", "clarifying_question") >= PRESENT
    assert "anger" not in scores[1]  # customer heads do not score agent messages


RULE = Label("anger", 0.8, (Span(0, 5, "angry"),), None, "customer_emotions")


@pytest.mark.parametrize(
    ("policy", "rule", "conf", "present", "spans"),
    [
        ("or", RULE, 0.2, True, True),  # rule only
        ("or", None, 0.7, True, False),  # model only: no span
        ("or", RULE, 0.7, True, True),  # both
        ("or", None, 0.2, False, False),
        ("model", RULE, 0.2, False, False),  # the rule alone is not enough
        ("model", RULE, 0.7, True, True),
        ("and", RULE, 0.2, False, False),
        ("and", None, 0.9, False, False),
        ("and", RULE, 0.9, True, True),
        ("rules", RULE, 0.1, True, True),  # the head did not help: the rule decides
        ("rules", None, 0.9, False, False),
    ],
)
def test_combination_rule(policy, rule, conf, present, spans):
    got = combine("anger", rule, conf, "both", policy)
    assert (got is not None and got.confidence >= PRESENT) is present
    if policy == "rules":
        assert got is rule
    if present:
        assert bool(got.spans) is spans
        if policy == "or":
            assert got.confidence == max(conf, rule.confidence if rule else 0.0)


def test_modes_rules_and_models_ignore_the_other_side():
    assert combine("anger", RULE, 0.1, "rules", "or") is RULE
    assert combine("anger", None, 0.9, "rules", "or") is None
    assert combine("anger", RULE, 0.1, "models", "or") is None
    got = combine("anger", None, 0.9, "models", "and")
    assert got is not None and got.detector == LEARNED


def test_sentiment_in_both_keeps_vader_unless_the_head_overrules_it():
    vader = Label("sentiment", 0.9, (Span(0, 4, "good"),), 0.8, "customer_sentiment")
    kept = combine_sentiment(vader, -0.4, "both", None)
    assert kept is vader
    overruled = combine_sentiment(vader, -0.4, "both", -0.3)
    assert overruled is not None and overruled.value == pytest.approx(-0.3)
    assert overruled.spans == vader.spans and LEARNED in overruled.detector
    models = combine_sentiment(vader, -0.4, "models", -0.3)
    assert models is not None and models.value == pytest.approx(-0.4)
    assert combine_sentiment(vader, -0.4, "rules", -0.3) is vader


def gated(gates: tuple[float, float, float]) -> SentimentHead:
    """A sentiment head whose class logits are its input (no embedding, no VADER weights)."""
    return SentimentHead(
        weights=np.zeros((3, 1), dtype=np.float32),
        bias=np.zeros(3, dtype=np.float32),
        vader_weights=np.zeros((3, 3), dtype=np.float32),
        dead_zone=0.0,
        gates=gates,
    )


def test_sentiment_override_needs_another_class_past_the_gate_for_vaders_class():
    head = gated((0.9, 0.6, 0.7))
    sure_negative = [3.0, 0.0, 0.0]  # P(negative) about .91
    leaning_negative = [1.0, 0.0, 0.0]  # P(negative) about .58
    # VADER positive (0.6): gate .7; a sure negative overrules it, a leaning one does not
    over = head.override(sure_negative, 0.6)
    assert over is not None and over <= -VADER_CUT
    assert head.override(leaning_negative, 0.6) is None
    # VADER neutral (0.0): gate .6, still above the leaning head
    assert head.override(leaning_negative, 0.0) is None
    # VADER already negative: nothing to overrule
    assert head.override(sure_negative, -0.5) is None
    # a head that calls it neutral brings the value into the neutral band
    assert head.override([0.0, 3.0, 0.0], 0.6) == 0.0
    # the default gates never overrule
    assert gated((NEVER, NEVER, NEVER)).override(sure_negative, 0.6) is None


def test_rules_mode_gives_exactly_the_rules_labels():
    c = conv(
        ("customer", "This is the THIRD time I ask. I am fed up, I want a refund or I cancel."),
        ("agent", "I understand how frustrating that is. Could you share the order number?"),
        ("customer", "Thanks, that helps a lot."),
    )
    rules = make_pipeline(mode="rules").analyze(c)
    for ma in rules.messages:
        assert all(LEARNED not in lab.detector for lab in ma.labels)
    both = make_pipeline(mode="both").analyze(c)
    assert len(both.messages) == len(rules.messages)
    # every rule label that fires also fires in "both" where its head's policy is "or" or
    # "rules", or where no head covers it
    heads = shipped_heads()
    for r, b in zip(rules.messages, both.messages, strict=True):
        side = "customer" if r.message.is_customer else "agent"
        for lab in r.present():
            info = heads.info(side, lab.name)
            if info is None or info.policy in ("or", "rules"):
                assert b.has(lab.name), (r.message.text, lab.name)


def test_auto_mode_keeps_the_rules_on_agent_messages():
    c = conv(
        ("customer", "I am furious, nobody has answered me in a week!!"),
        ("agent", "Your parcel left our warehouse on Monday and the courier has it now."),
    )
    auto = make_pipeline(mode="auto").analyze(c)
    assert all(LEARNED not in lab.detector for lab in auto.messages[1].labels)
    assert any(LEARNED in lab.detector for lab in auto.messages[0].labels)


def test_unknown_mode_is_refused():
    with pytest.raises(ValueError, match="unknown detector mode"):
        make_pipeline(mode="magic")


def test_manifest_files_exist_and_name_what_was_trained_on():
    folder = package_dir() / "model"
    for name in ("embeddings.safetensors", "tokenizer.json", "heads.safetensors", "heads.json"):
        assert (folder / name).is_file(), name
    files = trained_files()
    assert files and all(f["rows_used"] > 0 and len(f["sha256"]) == 64 for f in files)
    assert not any(f["split"] == "test" for f in files)
    size = sum(p.stat().st_size for p in folder.iterdir())
    assert size < 10_500_000


@pytest.mark.shared_data
def test_trained_file_hashes_match_the_shared_data():
    if not DATA.is_dir():
        pytest.skip(f"shared data not found at {DATA}")
    for f in trained_files():
        path = DATA / f["dataset"] / f"{f['split']}.jsonl"
        if path.exists():
            assert hashlib.sha256(path.read_bytes()).hexdigest() == f["sha256"], path


@pytest.mark.shared_data
def test_heads_beat_the_rules_on_a_validation_part():
    """Abuse toward the agent on tweeteval-offensive's val file, which is all validation (a
    train file sits beside it), read through the real pipeline in each mode."""
    from calmdesk.evaluate.datasets import SplitFile, part_of, read_split
    from calmdesk.evaluate.mapping import load_mapping

    path = DATA / "tweeteval-offensive" / "val.jsonl"
    if not path.exists():
        pytest.skip(f"shared data not found at {path}")
    split = SplitFile("tweeteval-offensive", "val", path)
    mapping = load_mapping()["tweeteval-offensive"]
    rows = [e for e in read_split(path) if part_of(e, split) == "validation"][:400]
    gold = [bool(mapping.gold(e)["abuse_toward_agent"]) for e in rows]

    def f1(mode: str) -> float:
        pipe = make_pipeline(mode=mode)
        pred = [pipe.analyze(e.conversation()).messages[-1].has("abuse_toward_agent") for e in rows]
        tp = sum(p and g for p, g in zip(pred, gold, strict=True))
        return 2 * tp / max(sum(pred) + sum(gold), 1)

    rules, models, both = f1("rules"), f1("models"), f1("both")
    assert models > rules + 0.2
    assert both > rules + 0.2
