"""`FastCues` must find exactly what the plain `CueSet` finds: the gate only saves time."""

from __future__ import annotations

import pytest
from test_agent_antipatterns import CASES, LOYAL
from test_agent_moves import (
    APOLOGY_NEG,
    APOLOGY_POS,
    CLARIFYING_POS,
    EMPATHY_NEG,
    EMPATHY_POS,
    EXPLANATION_POS,
    GRATITUDE_POS,
    OWNERSHIP_POS,
    SUPERVISOR_NEG,
    SUPERVISOR_POS,
    UNDERSTANDING_POS,
    VALIDATION_POS,
)
from test_agent_offers import EXPECTATION_POS

from calmdesk.core.detect import (
    agent_cues_antipatterns,
    agent_cues_moves,
    agent_offers,
    agent_shared,
)
from calmdesk.core.detect.patterns import CueSet, cue
from calmdesk.core.detect.text_cues import (
    CueIndex,
    FastCues,
    Gate,
    anchors,
    lowered,
    requirements,
    word_keys,
)
from calmdesk.core.detect.text_tokens import copy_ratio, coverage, profile, stem

ALL_SETS = [
    v
    for mod in (agent_cues_moves, agent_cues_antipatterns, agent_offers, agent_shared)
    for v in vars(mod).values()
    if isinstance(v, FastCues)
]
TEXTS = [
    *EMPATHY_POS,
    *EMPATHY_NEG,
    *UNDERSTANDING_POS,
    *VALIDATION_POS,
    *CLARIFYING_POS,
    *APOLOGY_POS,
    *APOLOGY_NEG,
    *EXPLANATION_POS,
    *GRATITUDE_POS,
    *OWNERSHIP_POS,
    *SUPERVISOR_POS,
    *SUPERVISOR_NEG,
    *EXPECTATION_POS,
    *(t for pos, neg in CASES.values() for t in (*pos, *neg)),
    LOYAL,
    "I’m sorry we sent the wrong size — that’s on us.",
]


@pytest.mark.parametrize("fast", ALL_SETS, ids=lambda cs: cs.name)
def test_agent_text_cues_fast_matches_plain_cueset(fast: FastCues) -> None:
    plain = CueSet(fast.name, fast._cues)
    for text in TEXTS:
        low = lowered(text)
        conf, spans = fast.match(text)
        pconf, pspans = plain.match(low)
        assert [(s.start, s.end) for s in spans] == [(s.start, s.end) for s in pspans], text
        assert conf == pytest.approx(pconf)


def test_agent_text_cues_anchors_read_off_the_pattern() -> None:
    assert anchors(r"\bi (?:can )?(?:really )?understand (?:how|why)\b") == ("understand",)
    assert anchors(r"\b(?:i|we) apologi[sz]e\b") == ("apol*",)
    assert anchors(r"[^.]{0,10}x") is None


def test_agent_text_cues_lowered_keeps_offsets_and_straightens_apostrophes() -> None:
    text = "I’M SORRY it's 5 O'CLOCK"
    assert lowered(text) == "i'm sorry it's 5 o'clock"
    assert len(lowered(text)) == len(text)
    # apostrophes split words: a cue may start after one ("\\bclock" matches in "o'clock")
    assert {"sorry", "sorr*", "sor~", "i", "m", "clock", "cloc*", "clo~", "5"} <= word_keys(text)
    assert not any("'" in key for key in word_keys(text))


def test_agent_text_cues_two_key_sets_gate_a_cue() -> None:
    """A cue runs only on texts with a key of each of its two most selective requirements."""
    pattern = r"\bi know how (?:\w+ )?(?:frustrating|hard)\b"
    needs = requirements(pattern)
    assert needs[0] == {"frus*", "hard*"}
    assert len(needs) == 2 and len(needs[1]) == 1
    fast = FastCues("empathy", [cue(pattern, 0.7)])
    assert fast.match("I know how hard this is")[0] == pytest.approx(0.7)
    assert fast.match("I know how to fix it, it is hard") == (0.0, ())


def test_agent_text_cues_gate_runs_cues_with_every_needed_key() -> None:
    a, b, c = frozenset({"a"}), frozenset({"b"}), frozenset({"c"})
    gate = Gate([(a,), (b, c), ()])
    # bits 0-2: first key set of cues 0-2; bits 3-5: second key set
    assert gate.runnable(0) == 0b100  # the cue without keys always runs
    assert gate.runnable(0b001) == 0b101
    assert gate.runnable(0b010) == 0b100  # "b" without "c"
    assert gate.runnable(0b010_010) == 0b110
    assert gate.runnable(0b010_000) == 0b100  # "c" without "b"


def test_agent_text_cues_index_forgetting_words_keeps_results() -> None:
    """The per-word memory is bounded; starting afresh mid-stream changes no result."""
    small, large = CueIndex(memory=5), CueIndex()
    needs = [(frozenset({"sorr*"}),), (frozenset({"hear"}), frozenset({"sorry"}))]
    for index in (small, large):
        index.add(needs)
    for text in [*TEXTS, *TEXTS]:
        low = lowered(text)
        assert small.find(low) == large.find(low), text


def test_agent_text_cues_a_set_built_later_sees_texts_already_read() -> None:
    text = "the zebra crossing is closed"
    assert ALL_SETS[0].match(text) is not None
    late = FastCues("zebra", [cue(r"\bzebra\b", 0.5)])
    assert late.match(text)[0] == pytest.approx(0.5)


def test_agent_text_cues_upper_case_escapes_are_refused() -> None:
    with pytest.raises(ValueError, match="upper-case escape"):
        FastCues("x", [cue(r"\bfoo\W", 0.5)])


def test_agent_text_tokens_coverage_and_copy() -> None:
    source = profile("I was charged twice for my subscription this month")
    para = profile("Your subscription was billed two times this month, charges reversed")
    copy = profile("I was charged twice for my subscription this month")
    share, shared = coverage(para, source)
    assert shared >= 3 and share >= 0.3
    assert copy_ratio(para, source) < 0.6 <= copy_ratio(copy, source)
    assert stem("charged") == stem("charges") == stem("charge")
