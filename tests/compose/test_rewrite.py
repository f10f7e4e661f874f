"""`rewrite`: each anti-pattern marked with its rule, and a checked replacement keeping facts."""

import pytest
from compose_handmade import conv, example

from calmdesk.core.compose.facts import find_facts
from calmdesk.core.compose.rewrite import rewrite
from calmdesk.core.taxonomy import AGENT_ANTIPATTERNS

CLASSIC = "That's not our fault, our policy clearly states refunds take 10 days. Please calm down."


def test_rewrite_the_classic_bad_reply_keeps_ten_days_and_loses_every_antipattern(pipeline, team):
    r = rewrite(CLASSIC, team, pipeline)
    assert {m.label for m in r.marks} >= {"defensive", "dismissive"}
    assert "10 days" in r.replacement
    assert r.passed
    assert not [lab for lab in r.check.draft.present() if lab.name in AGENT_ANTIPATTERNS]
    assert "calm down" not in r.replacement.lower() and "not our fault" not in r.replacement


def test_rewrite_explains_each_mark_in_one_line_citing_the_rule(pipeline, team):
    r = rewrite(CLASSIC, team, pipeline)
    for m in r.marks:
        assert "\n" not in m.why and m.why.startswith("P")
        assert all(CLASSIC[s.start : s.end] == s.text for s in m.spans)


def test_rewrite_in_context_meets_every_applicable_criterion(pipeline, team):
    r = rewrite(CLASSIC, team, pipeline, conversation=example("01"))
    assert r.passed, [(p.name, p.detail) for p in r.check.problems]
    assert "10 days" in r.replacement
    assert r.check.draft.value("alternatives") >= 2


@pytest.mark.parametrize(
    "draft",
    [
        "As I already said, your order #48213-RT will arrive on 3 March. Calm down.",
        "Are you sure you checked with your neighbours? The refund of £45 takes 5 working days.",
        "You should have read the terms. Your plan renews on 12/10/2026 at $199.",
        "Sorry you feel that way, but ticket SV-44120 shows the repair is booked for 2 pm.",
        "WE DID NOT LOSE IT!!! Your bag is on flight AU 1187 and lands in 3 hours.",
    ],
)
def test_rewrite_keeps_amounts_dates_order_numbers_and_durations(draft, pipeline, team):
    angry = conv(("customer", "This is RIDICULOUS, where is my stuff?! I'm furious."))
    r = rewrite(draft, team, pipeline, conversation=angry)
    assert r.marks
    for fact in find_facts(draft):
        assert fact in r.replacement, fact
    assert r.passed, [(p.name, p.detail) for p in r.check.problems]


def test_rewrite_of_a_clean_draft_marks_nothing_and_keeps_its_sentences(pipeline, team):
    clean = "Your replacement ships today and arrives within 2 working days."
    r = rewrite(clean, team, pipeline)
    assert r.marks == ()
    assert clean[1:] in r.replacement  # framed as context, word for word
