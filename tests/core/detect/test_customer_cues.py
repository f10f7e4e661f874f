"""The customer cue machinery: clause-scoped negation, blockers, and an exact anchor prefilter."""

from __future__ import annotations

import importlib
import re

import pytest

from calmdesk.core.detect.customer_cues import LabelCues, cue, negated

_CUE_MODULES = (
    "calmdesk.core.detect.customer_emotion_cues",
    "calmdesk.core.detect.customer_courtesy_cues",
    "calmdesk.core.detect.customer_threat_cues",
    "calmdesk.core.detect.customer_case_cues",
    "calmdesk.core.detect.lexicon_customer",
)
_TEST_MODULES = ("test_customer_emotions", "test_customer_signals", "test_customer_sentiment")


def _tables() -> list[LabelCues]:
    out = []
    for name in _CUE_MODULES:
        mod = importlib.import_module(name)
        out.extend(v for v in vars(mod).values() if isinstance(v, LabelCues))
    return out


def _phrases() -> list[str]:
    texts: list[str] = []
    for name in _TEST_MODULES:
        mod = importlib.import_module(name)
        for value in vars(mod).values():
            if isinstance(value, list):
                texts.extend(v[0] if isinstance(v, tuple) else v for v in value)
    return [t for t in texts if isinstance(t, str)]


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        ("i'm not angry, just confused", "angry", True),
        ("i'm not angry, just confused", "confused", False),
        ("i'm not angry just confused", "confused", False),
        ("i've never been so angry", "angry", False),
        ("no worries", "worries", True),
        ("i don't want a refund", "refund", True),
        ("i haven't been able to get a refund for weeks", "refund", False),
        ("i want to speak to a manager", "speak", False),
    ],
)
def test_customer_cues_negation_stops_at_the_clause(text: str, word: str, expected: bool) -> None:
    assert negated(text, text.index(word)) is expected


def test_customer_cues_blocker_removes_a_formula() -> None:
    table = LabelCues("gratitude", [cue("thanks", 0.8)], blockers=[r"thanks for nothing"])
    assert table.match("Thanks for nothing")[0] == 0.0
    assert table.match("Thanks for the help")[0] == pytest.approx(0.8)


def test_customer_cues_hedge_drops_a_wish() -> None:
    table = LabelCues("satisfaction", [cue("happy", 0.7)], hedges="would|if")
    assert table.match("I would be happy if it arrived")[0] == 0.0
    assert table.match("I'm happy now")[0] == pytest.approx(0.7)


def test_customer_cues_a_cue_without_a_leading_word_needs_an_anchor() -> None:
    with pytest.raises(ValueError, match="anchor"):
        cue(r"(?:ok|okay) go", 0.5)


def test_customer_cues_prefilter_never_changes_a_match() -> None:
    """The anchor prefilter is only a shortcut: every table finds the same with and without it."""
    phrases = _phrases()
    assert len(phrases) > 100
    for table in _tables():
        for text in phrases:
            assert table.match(text) == table.match(text, prefilter=False), (table.name, text)


@pytest.mark.parametrize(
    ("pattern", "guard", "prefix"),
    [
        (r"(?:angry|mad)(?!\w)", "nonword@", r"(?<![\w@])"),
        (r"(?:thanks?|ty)(?!\w)", "nonword", r"(?<!\w)"),
        (r"(?:could|can) you\b", "boundary", r"\b"),
        (r"\w+ed\b", "boundary", r"\b"),
        (r"x?", "boundary", r"\b"),  # can match empty: falls back to finditer
    ],
)
def test_customer_cues_guard_outside_re_finds_what_finditer_finds(
    pattern: str, guard: str, prefix: str
) -> None:
    from calmdesk.core.detect.engine_scan import GuardedRegex

    guarded = GuardedRegex(pattern, guard)
    plain = re.compile(prefix + pattern)
    for text in [*_phrases(), "@angry mad angrymad mad@ x_mad", "can you, could you? scan you"]:
        low = text.lower()
        assert guarded.spans(low) == [m.span() for m in plain.finditer(low)], text
