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
from calmdesk.core.detect.patterns import CueSet
from calmdesk.core.detect.text_cues import FastCues, anchors, lowered, word_keys
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
    text = "I’M SORRY"
    assert lowered(text) == "i'm sorry"
    assert len(lowered(text)) == len(text)
    assert {"sorry", "sorr*", "sor~"} <= word_keys(text)


def test_agent_text_cues_upper_case_escapes_are_refused() -> None:
    from calmdesk.core.detect.patterns import cue

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
