"""The `impolite` view head: scored for `calmdesk eval`, never emitted as a label."""

from __future__ import annotations

from pathlib import Path

import pytest

from calmdesk.core.detect.base import PRESENT
from calmdesk.core.learned.combine import MODES, default_scorer
from calmdesk.core.learned.heads import POLICIES, shipped_heads
from calmdesk.core.model import Conversation, Message
from calmdesk.core.pipeline import make_pipeline
from calmdesk.core.taxonomy import AGENT_LABELS, CUSTOMER_LABELS

DATA = Path(__file__).resolve().parents[4] / "shared" / "data"
LABELS = {**CUSTOMER_LABELS, **AGENT_LABELS}
RUDE = "Why on earth is this still broken? Fix it now, I'm not asking again."
POLITE = "Hi! Could you please take a look at this when you have a moment? Thanks so much."


def conv(*turns: tuple[str, str]) -> Conversation:
    msgs = tuple(
        Message(id=f"m{i}", author=role, role=role, text=text)  # type: ignore[arg-type]
        for i, (role, text) in enumerate(turns)
    )
    return Conversation(id="c", messages=msgs)


def test_impolite_is_a_customer_view_with_a_policy():
    info = shipped_heads().info("customer", "impolite")
    assert info is not None and info.view
    assert info.policy in POLICIES
    assert "stanford-politeness" in info.datasets
    assert "impolite" not in LABELS  # a view, not a taxonomy label
    assert shipped_heads().info("agent", "impolite") is None


def test_scorer_gives_the_impolite_confidence_on_customer_messages_only():
    scores = default_scorer().score(conv(("customer", RUDE), ("agent", RUDE), ("customer", POLITE)))
    rude, agent, polite = scores
    assert 0.0 <= polite["impolite"] < PRESENT <= rude["impolite"] <= 1.0
    assert "impolite" not in agent


@pytest.mark.parametrize("mode", MODES)
def test_no_mode_emits_an_impolite_label(mode):
    a = make_pipeline(mode=mode).analyze(conv(("customer", RUDE), ("agent", "Sorry about that.")))
    for ma in a.messages:
        assert ma.get("impolite") is None
        assert all(lab.name in LABELS for lab in ma.labels)


@pytest.mark.shared_data
def test_impolite_head_beats_the_rules_on_the_validation_part():
    """stanford-politeness has one dev file, carved by `part_of`; only its validation part is
    read here, as `calmdesk eval` reads it (the rule-side answer against the head)."""
    from calmdesk.evaluate.datasets import SplitFile, part_of, read_split
    from calmdesk.evaluate.mapping import load_mapping
    from calmdesk.evaluate.predict import impolite_by_rules

    path = DATA / "stanford-politeness" / "dev.jsonl"
    if not path.exists():
        pytest.skip(f"shared data not found at {path}")
    split = SplitFile("stanford-politeness", "dev", path)
    mapping = load_mapping()["stanford-politeness"]
    rows = [
        (e, g["impolite"])
        for e in read_split(path)
        if part_of(e, split) == "validation" and "impolite" in (g := mapping.gold(e))
    ][:400]
    rules, scorer = make_pipeline(mode="rules"), default_scorer()

    def f1(pred: list[bool]) -> float:
        tp = sum(p and g for p, (_, g) in zip(pred, rows, strict=True))
        return 2 * tp / max(sum(pred) + sum(g for _, g in rows), 1)

    by_rules = [impolite_by_rules(rules.analyze(e.conversation()).messages[-1]) for e, _ in rows]
    by_head = [scorer.score(e.conversation())[-1]["impolite"] >= PRESENT for e, _ in rows]
    assert f1(by_head) > f1(by_rules) + 0.03
