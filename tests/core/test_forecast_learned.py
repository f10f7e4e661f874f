"""The learned escalation-risk weights: they load, they read a derailing exchange as one, the
hand-set baseline stays available, and on real data they rank CGA-WIKI better than it does."""

from pathlib import Path

import pytest

from calmdesk.core.detect.base import MessageAnalysis
from calmdesk.core.forecast import (
    RiskWeights,
    ThresholdPolicy,
    address,
    derail_policy,
    derail_probability,
    learned_report,
    risk_series,
    weights_from,
)
from calmdesk.core.model import Label, Message

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "cga-wiki"


def msg(text: str, *labels: str, sentiment: float = 0.0, intensity: float = 0.0) -> MessageAnalysis:
    """A customer comment with the given labels at confidence 0.9 (no detectors involved)."""
    labs = [Label("sentiment", 0.9, value=sentiment), Label("intensity", 0.9, value=intensity)]
    labs += [Label(name, 0.9) for name in labels]
    return MessageAnalysis(
        Message(id=text[:8], author="c", role="customer", text=text), tuple(labs)
    )


DERAILING = [
    msg("i reverted the edit because the source does not say that .", sentiment=-0.1),
    msg(
        "you keep reverting without reading . did you even look at the source ?",
        "polite_displeasure",
        sentiment=-0.5,
        intensity=0.4,
    ),
    msg(
        "you clearly have no idea what you are talking about , you are wasting everyone's time !",
        "anger",
        "frustration",
        "abuse_toward_agent",
        sentiment=-0.8,
        intensity=0.8,
    ),
]
CALM = [
    msg("i added a citation for the release date , see the talk page .", sentiment=0.1),
    msg("thanks , that source looks good to me .", "gratitude", sentiment=0.6),
    msg("great , the section reads much better now .", "satisfaction", sentiment=0.7),
]


def test_forecast_learned_weights_load_with_the_untrained_terms_hand_set():
    learned, hand = RiskWeights.learned(), RiskWeights.hand_set()
    assert learned != hand
    assert learned.address > 0  # learned: addressing "you" raises the risk on CGA
    # no CGA data for the escalation signals or the agent side: they stay the playbook's
    assert learned.signals == hand.signals
    assert (learned.moves, learned.antipattern) == (hand.moves, hand.antipattern)
    report = learned_report()
    assert set(report["validation"]) == {"cga-wiki", "cga-cmv", "pooled"}
    assert report["fit"]["seed"] == 20261123


def test_forecast_learned_risk_rises_on_a_derailing_exchange_and_stays_low_on_a_calm_one():
    rising = risk_series(DERAILING, RiskWeights.learned())
    calm = risk_series(CALM, RiskWeights.learned())
    assert rising[0] < rising[1] < rising[2]
    assert derail_probability(DERAILING) == rising[-1]
    assert derail_probability(DERAILING) >= derail_policy().threshold
    assert max(calm) < derail_policy().threshold
    assert calm[-1] < calm[0]  # thanks and satisfaction release pressure


def test_forecast_hand_set_baseline_is_still_the_default_and_ignores_the_new_terms():
    hand = RiskWeights.hand_set()
    assert hand == RiskWeights()
    assert (hand.bias, hand.negativity, hand.intensity, hand.decay) == (-2.2, 1.6, 1.2, 0.8)
    assert (hand.address, hand.linger) == (0.0, 0.0)
    # the same labels, with and without "you" in the text: the hand-set risk is the same
    plain = msg("the source does not say that .", "anger", sentiment=-0.6)
    yours = msg("your source does not say what you claim .", "anger", sentiment=-0.6)
    assert risk_series([plain]) == risk_series([yours])
    assert ThresholdPolicy().threshold == 0.6


def test_forecast_address_counts_second_person_words_up_to_a_cap():
    assert address("the page is fine") == 0.0
    assert address("You said your edit was fine") == pytest.approx(2 / 3)
    assert address("you you you you you") == 1.0
    assert address("youth and young editors") == 0.0


def test_forecast_weights_file_rejects_an_unknown_weight_name():
    with pytest.raises(ValueError, match="unknown risk weight"):
        weights_from({"bias": -1.0, "sarcasm": 2.0})
    assert weights_from({"bias": -1.0}).bias == -1.0


def _auc(gold: list[bool], score: list[float]) -> float:
    pos = [s for g, s in zip(gold, score, strict=True) if g]
    neg = [s for g, s in zip(gold, score, strict=True) if not g]
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


@pytest.mark.shared_data
def test_forecast_learned_beats_hand_set_on_the_carved_validation_part_of_cga_wiki():
    if not (SHARED / "dev.jsonl").exists():
        pytest.skip(f"CGA-WIKI not available: {SHARED / 'dev.jsonl'} is missing")
    from calmdesk.core.pipeline import make_pipeline
    from calmdesk.evaluate.datasets import SplitFile, part_of, read_split

    split = SplitFile("cga-wiki", "dev", SHARED / "dev.jsonl")
    # the labels the weights were fitted on (the weights file records the detectors used)
    pipeline = make_pipeline(mode=learned_report()["fit"]["detectors"])
    gold: list[bool] = []
    hand: list[float] = []
    learned: list[float] = []
    for ex in read_split(split.path):
        if part_of(ex, split) != "validation":
            continue
        msgs = pipeline.analyze(ex.conversation()).messages
        gold.append(bool(ex.labels["derails"]))
        hand.append(risk_series(msgs, RiskWeights.hand_set())[-1])
        learned.append(derail_probability(msgs))
    assert len(gold) > 100
    # measured 2026-11-23: hand-set 0.566, learned 0.599 (153 rows); margin kept below that
    assert _auc(gold, learned) >= _auc(gold, hand) + 0.015
