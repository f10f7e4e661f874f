"""Escalation risk after every message, read over conversation prefixes.

The risk is a logistic score of the customer's current mood plus an accumulated "pressure" that
escalation signals and agent anti-patterns raise, good playbook moves lower, and time decays.
These first weights are set by hand from the playbook (documented below) rather than learned; the
model is kept apart from the decision policy (`ThresholdPolicy`), so a learned model can replace
it without touching what the desk does with the number.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from calmdesk.core.detect.base import MessageAnalysis
from calmdesk.core.taxonomy import AGENT_ANTIPATTERNS


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


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _sum(ma: MessageAnalysis, weights: Mapping[str, float]) -> float:
    total = 0.0
    for lab in ma.labels:
        w = weights.get(lab.name)
        if w is not None and lab.confidence >= 0.5:
            total += w * lab.confidence
    return total


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
            pressure += _sum(ma, w.signals) + _sum(ma, w.relief)
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
