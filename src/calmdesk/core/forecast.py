"""Escalation risk after every message, read over conversation prefixes.

The risk is a logistic score of the customer's current mood plus an accumulated "pressure" that
escalation signals and agent anti-patterns raise, good playbook moves and the customer's relief
lower, and time decays. Two sets of weights exist:

- `RiskWeights.hand_set()` (also `RiskWeights()`): set by hand from the playbook;
- `RiskWeights.learned()`: the customer-side weights (mood, address, relief), how much mood
  lingers, the decay and the bias fitted on CGA-WIKI + CGA-CMV ("will this conversation
  derail?", `training/train_forecaster.py`, weights in `forecast_weights.json`). The agent
  terms and the escalation signals have no data there and stay hand-set (docs/forecaster.md).

The model is kept apart from the decision policy (`ThresholdPolicy`), so a learned model replaces
the hand-set one without touching what the desk does with the number.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from typing import Any

from calmdesk.core.detect.base import PRESENT, MessageAnalysis
from calmdesk.core.taxonomy import AGENT_ANTIPATTERNS

#: The file the training script writes and `RiskWeights.learned()` reads (package data).
WEIGHTS_FILE = "forecast_weights.json"

#: Second-person words; a comment that keeps addressing "you" is a step toward a personal
#: attack in the CGA training data (the strongest single cue there), counted up to `ADDRESS_CAP`.
_SECOND_PERSON = re.compile(
    r"\b(?:you|your|yours|yourself|yourselves|you're|you've|you'll|you'd|u)\b", re.IGNORECASE
)
ADDRESS_CAP = 3


def _w(**kw: float) -> Mapping[str, float]:
    return kw


@dataclass(frozen=True, slots=True)
class RiskWeights:
    bias: float = -2.2
    #: weight of the latest customer sentiment's negative part, -min(0, sentiment)
    negativity: float = 1.6
    #: weight of the latest customer message's intensity
    intensity: float = 1.2
    #: the latest customer message's emotions (confidence-weighted)
    emotions: Mapping[str, float] = field(
        default_factory=lambda: _w(
            anger=1.0,
            frustration=0.8,
            disappointment=0.4,
            anxiety=0.3,
            confusion=0.2,
            polite_displeasure=0.5,
        )
    )
    #: escalation signals add lasting pressure: a supervisor request does not fade in one turn
    signals: Mapping[str, float] = field(
        default_factory=lambda: _w(
            supervisor_request=1.5,
            legal_threat=2.0,
            public_threat=1.6,
            churn_threat=1.4,
            abuse_toward_agent=1.2,
            repeat_contact=0.9,
            documenting=1.0,
            time_pressure=0.5,
            compensation_demand=0.5,
        )
    )
    #: every agent anti-pattern adds this much pressure (P2, P4: they provoke escalation)
    antipattern: float = 0.7
    #: good agent moves release pressure
    moves: Mapping[str, float] = field(
        default_factory=lambda: _w(
            empathy=-0.3,
            understanding=-0.3,
            validation=-0.3,
            apology=-0.4,
            alternatives=-0.5,
            expectation=-0.4,
            ownership=-0.3,
            supervisor_offer=-0.5,
        )
    )
    #: the customer's own signs of relief release the most
    relief: Mapping[str, float] = field(
        default_factory=lambda: _w(
            accepts_solution=-1.5, satisfaction=-1.5, gratitude=-1.2, apology=-1.0
        )
    )
    #: share of accumulated pressure that survives each new message
    decay: float = 0.8
    #: weight of second-person address in the latest customer message (0 by hand: learned)
    address: float = 0.0
    #: share of a customer message's mood that stays on as pressure (0 by hand: learned)
    linger: float = 0.0

    @classmethod
    def hand_set(cls) -> RiskWeights:
        """The playbook weights set by hand: the baseline the learned weights must beat."""
        return cls()

    @classmethod
    def learned(cls) -> RiskWeights:
        """The weights fitted on CGA (hand-set where CGA has no data), as shipped."""
        return _learned()


def learned_report() -> Mapping[str, Any]:
    """The shipped weights file: weights, how they were fitted, and the validation figures."""
    return _weights_file()


@cache
def _weights_file() -> Mapping[str, Any]:
    text = resources.files("calmdesk.core").joinpath(WEIGHTS_FILE).read_text("utf-8")
    data: Mapping[str, Any] = json.loads(text)
    return data


@cache
def _learned() -> RiskWeights:
    return weights_from(_weights_file()["weights"])


def weights_from(values: Mapping[str, Any]) -> RiskWeights:
    """Hand-set weights with the given fields replaced (the form of the weights file)."""
    fields: dict[str, Any] = {
        k: {n: float(x) for n, x in v.items()} if isinstance(v, dict) else float(v)
        for k, v in values.items()
    }
    unknown = fields.keys() - set(RiskWeights.__dataclass_fields__)
    if unknown:
        raise ValueError(f"unknown risk weight(s): {', '.join(sorted(unknown))}")
    return replace(RiskWeights(), **fields)


def address(text: str) -> float:
    """How much a message addresses "you": second-person words / ADDRESS_CAP, at most 1."""
    return min(1.0, len(_SECOND_PERSON.findall(text)) / ADDRESS_CAP)


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _sum(ma: MessageAnalysis, weights: Mapping[str, float]) -> float:
    total = 0.0
    for lab in ma.labels:
        w = weights.get(lab.name)
        if w is not None and lab.confidence >= PRESENT:
            total += w * lab.confidence
    return total


def customer_terms(ma: MessageAnalysis, names: Sequence[str]) -> list[float]:
    """The raw value each named weight multiplies for one customer message (training reads the
    model's inputs through here, so it fits exactly what `risk_series` computes)."""
    out: list[float] = []
    for name in names:
        if name == "negativity":
            out.append(max(0.0, -ma.value("sentiment")))
        elif name == "intensity":
            out.append(ma.value("intensity"))
        elif name == "address":
            out.append(address(ma.message.text))
        else:
            lab = ma.get(name)
            out.append(lab.confidence if lab is not None and lab.confidence >= PRESENT else 0.0)
    return out


def risk_series(msgs: Sequence[MessageAnalysis], weights: RiskWeights | None = None) -> list[float]:
    """The escalation risk in [0, 1] after each message."""
    w = weights or RiskWeights()
    pressure = 0.0
    mood = 0.0
    out: list[float] = []
    for ma in msgs:
        pressure *= w.decay
        if ma.message.is_customer:
            sentiment = ma.value("sentiment")
            mood = (
                w.negativity * max(0.0, -sentiment)
                + w.intensity * ma.value("intensity")
                + _sum(ma, w.emotions)
            )
            if w.address:
                mood += w.address * address(ma.message.text)
            pressure += _sum(ma, w.signals) + _sum(ma, w.relief) + w.linger * mood
        else:
            bad = sum(1 for lab in ma.present() if lab.name in AGENT_ANTIPATTERNS)
            pressure += w.antipattern * bad + _sum(ma, w.moves)
        out.append(round(_sigmoid(w.bias + mood + pressure), 4))
    return out


@dataclass(frozen=True, slots=True)
class ThresholdPolicy:
    """The decision kept apart from the model: escalate once the risk reaches the threshold."""

    threshold: float = 0.6

    def first_crossing(self, risks: Sequence[float]) -> int | None:
        """Index of the first message after which the risk reaches the threshold."""
        return next((i for i, r in enumerate(risks) if r >= self.threshold), None)


def derail_policy() -> ThresholdPolicy:
    """The decision for `derail_probability`: its scale is a probability on CGA's balanced
    pairs, so "will derail" is a probability of at least one half (from the weights file)."""
    return ThresholdPolicy(float(_weights_file()["derail_threshold"]))


def derail_probability(msgs: Sequence[MessageAnalysis]) -> float:
    """The learned forecaster's probability that a conversation goes on to derail, after its
    last message (CGA's question). The desk's own `risk` stays on the hand-set weights, whose
    scale the case threshold was set for (docs/forecaster.md says why)."""
    risks = risk_series(msgs, RiskWeights.learned())
    return risks[-1] if risks else 0.0
