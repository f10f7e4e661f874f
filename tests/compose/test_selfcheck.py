"""The self-check: what it flags, what it requires, and that its shortcut changes nothing."""

import pytest
from compose_handmade import conv, example, example_names

from calmdesk.core.compose.selfcheck import check, with_draft

ANGRY = conv(("customer", "My order is two weeks late and I'm furious. Nobody answers."))


@pytest.mark.parametrize("name", example_names())
def test_selfcheck_labels_the_draft_exactly_as_a_full_reanalysis_would(name, pipeline):
    c = example(name[:2])
    draft = "I'm so sorry. Are you sure you checked your mailbox? Calm down!!"
    quick = check(pipeline, c, draft, analysis=pipeline.analyze(c))
    full = pipeline.analyze(with_draft(c, draft)).messages[-1]
    assert quick.draft.labels == full.labels


def test_selfcheck_flags_each_antipattern_and_each_missing_step(pipeline):
    result = check(pipeline, ANGRY, "Please calm down, it's only been two weeks.")
    names = {p.name for p in result.problems}
    assert "dismissive" in names
    assert {"empathy", "alternatives", "expectation", "apology"} <= names
    assert not result.passed


def test_selfcheck_ignores_earlier_agent_mistakes_no_draft_can_undo(pipeline, team):
    c = conv(
        ("customer", "My order is two weeks late and I'm furious."),
        ("agent", "Are you sure you ordered it? Calm down."),
        ("customer", "Unbelievable."),
    )
    from calmdesk.core.compose.suggest import suggest

    assert suggest(c, team, pipeline).passed


def test_selfcheck_draft_speaks_as_the_supervisor_who_took_over(pipeline):
    c = example("10")
    assert with_draft(c, "hello").messages[-1].role == "supervisor"
