"""The customer cue machinery: clause-scoped negation, blockers, and an exact anchor prefilter."""

from __future__ import annotations

import importlib
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calmdesk.core.detect.customer_cues import LabelCues, cue, cue_keys, negated

_CUE_MODULES = (
    "calmdesk.core.detect.customer_emotion_cues",
    "calmdesk.core.detect.customer_courtesy_cues",
    "calmdesk.core.detect.customer_threat_cues",
    "calmdesk.core.detect.customer_case_cues",
    "calmdesk.core.detect.lexicon_customer",
)
_TEST_MODULES = ("test_customer_emotions", "test_customer_signals", "test_customer_sentiment")


def _tables() -> list[LabelCues]:
    out: list[LabelCues] = []
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


def _cue_params() -> list[object]:
    """(table, cue number) of every cue; the known gap of the profanity anchors marked."""
    out: list[object] = []
    for table in _tables():
        for i in range(len(table._cues)):
            marks = []
            if (table.name, i) == ("profanity", 0):  # f+u+c+k+: "fuuck" has none of its anchors
                # not strict: a run of random texts may not draw such a form (see the test below)
                marks = [pytest.mark.xfail(strict=False, reason="anchors miss f+u+c+k+ forms")]
            out.append(pytest.param(table, i, id=f"{table.name}-{i}", marks=marks))
    return out


@pytest.mark.parametrize(("table", "number"), _cue_params())
@settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_customer_cues_gate_never_loses_a_match(
    table: LabelCues, number: int, data: st.DataObject
) -> None:
    """Texts made from a cue's own pattern: the word gate lets through all that `re` finds."""
    pattern = re.compile(table._cues[number].pattern)
    body = data.draw(st.from_regex(pattern, fullmatch=True))
    before = data.draw(st.sampled_from(["", "so ", "ok, ", "@shop ", "it’s ", "I'm "]))
    after = data.draw(st.sampled_from(["", " now", "!", " 2day", ".", " @shop"]))
    text = before + body + after
    assert table.match(text) == table.match(text, prefilter=False), text


def test_customer_cues_rarest_required_word_gates_a_cue() -> None:
    """A cue is gated by its rarest required words, not by a common leading one."""
    rude = cue(r"(?:are|r) (?:you|u) (?:stupid|dumb)", 0.5, anchor="are|r")
    assert cue_keys(rude) == (frozenset({"stup*", "dumb*"}),)  # not its anchors "are" / "r"
    table = LabelCues("abuse", [rude])
    assert table.match("Are you stupid?")[0] == pytest.approx(0.5)
    assert table.match("are you ok? are you there?") == (0.0, ())


def test_customer_cues_a_table_built_later_sees_texts_already_read() -> None:
    text = "my zebra ran off"
    assert _tables()[0].match(text) is not None  # the text is prepared before the table exists
    late = LabelCues("zebra", [cue(r"zebra", 0.5)])
    assert late.match(text)[0] == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("pattern", "guard", "prefix"),
    [
        (r"[A-Z][A-Z']*[A-Z](?![\w&])", "nonword@#/&", r"(?<![\w@#/&])"),
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
    odd = "émad _mad ١mad ²mad ⅷmad -mad #MAD /MAD &MAD éMAD ABC AB'C OK& ÉTÉ xCAN can you"
    for text in [
        *_phrases(),
        "@angry mad angrymad mad@ x_mad",
        "can you, could you? scan you",
        odd,
        odd.upper(),
    ]:
        for low in (text.lower(), text):
            assert guarded.spans(low) == [m.span() for m in plain.finditer(low)], text


def test_a_capital_letter_in_a_customer_cue_is_refused_because_it_could_never_match() -> None:
    from calmdesk.core.detect.customer_cues import Cue, LabelCues

    with pytest.raises(ValueError, match="capital letters"):
        LabelCues("frustration", [Cue(r"can I just", 1.0, False, ("can",))])
    LabelCues("frustration", [Cue(r"can i just\S*", 1.0, False, ("can",))])  # escapes are fine


@pytest.mark.parametrize(
    "text",
    [
        "I'm done being ignored by you people.",
        "Can I just get a straight answer?",
        "This is the third time I have asked.",
    ],
)
def test_first_person_frustration_cues_match_whatever_the_case(text: str) -> None:
    from calmdesk.core.detect.customer_emotion_cues import FRUSTRATION

    assert FRUSTRATION.match(text)[0] > 0


@pytest.mark.xfail(strict=True, reason="profanity anchors miss stretched f+u+c+k+ forms")
def test_stretched_profanity_passes_the_gate() -> None:
    """The known gap, pinned to one text so it fails loudly once the anchors are fixed."""
    from calmdesk.core.detect.lexicon_customer import PROFANITY_CUES

    assert PROFANITY_CUES.match("fuuck this, useless")[0] > 0
