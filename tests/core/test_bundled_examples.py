"""The bundled example conversations as a regression check of the detectors.

Each example lists the labels a careful reader assigns to its messages ("expected") and hard
negatives ("not_expected"). The detectors are rules, so they do not match every human judgement;
the floors below are today's measured agreement, kept so a change cannot silently lower it.
"""

from pathlib import Path

import pytest

from calmdesk.core.ingest import IngestOptions, read_paths
from calmdesk.core.pipeline import make_pipeline
from calmdesk.core.taxonomy import AGENT_LABELS, CUSTOMER_LABELS

EXAMPLES = Path(__file__).resolve().parents[2] / "src" / "calmdesk" / "examples" / "conversations"
UNSCORED = {"sentiment", "intensity"}


@pytest.fixture(scope="module")
def analyses():
    result = read_paths(sorted(EXAMPLES.glob("*.json")), IngestOptions())
    assert not result.errors
    pipeline = make_pipeline()
    return [pipeline.analyze(c) for c in result.conversations]


def present(ma):
    return {lab.name for lab in ma.present() if lab.name not in UNSCORED}


def test_examples_every_label_is_produced_with_evidence(analyses):
    produced = {
        lab.name
        for a in analyses
        for ma in a.messages
        for lab in ma.present()
        if lab.spans and all(ma.message.text[s.start : s.end] == s.text for s in lab.spans)
    }
    assert set(CUSTOMER_LABELS) | set(AGENT_LABELS) <= produced


def test_examples_hard_negatives_are_not_labelled(analyses):
    wrong = [
        (a.conversation.id, ma.message.id, name)
        for a in analyses
        for ma in a.messages
        for name in a.conversation.metadata.get("not_expected", {}).get(ma.message.id, [])
        if name in present(ma)
    ]
    assert wrong == []


def test_examples_agreement_with_the_human_labels_stays_above_its_floor(analyses):
    hits = missed = extra = 0
    for a in analyses:
        expected = a.conversation.metadata["expected"]
        for ma in a.messages:
            want = set(expected.get(ma.message.id, [])) - UNSCORED
            got = present(ma)
            hits += len(want & got)
            missed += len(want - got)
            extra += len(got - want)
    recall = hits / (hits + missed)
    precision = hits / (hits + extra)
    assert recall >= 0.65, f"recall {recall:.2f}"
    assert precision >= 0.80, f"precision {precision:.2f}"


def test_examples_good_handling_outscores_bad_handling(analyses):
    by_handling: dict[str, list[float]] = {"good": [], "bad": []}
    for a in analyses:
        handling = a.conversation.metadata.get("handling")
        if handling in by_handling and a.scorecard.score is not None:
            by_handling[handling].append(a.scorecard.score)
    assert min(by_handling["good"]) > max(by_handling["bad"])
