"""One call from a Conversation to everything calmdesk knows about it.

`analyze` runs the detectors in registry order over the conversation, then the forecaster, the
scorecard and the outcome; the result is an immutable `Analysis` that every layer downstream
(CLI, store, service, batch) consumes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from calmdesk.core.annotate import annotate
from calmdesk.core.detect.base import Detector, MessageAnalysis
from calmdesk.core.detect.registry import select
from calmdesk.core.forecast import RiskWeights, risk_series
from calmdesk.core.model import Conversation
from calmdesk.core.outcome import Outcome, conversation_outcome
from calmdesk.core.rubric import Rubric, load_rubric
from calmdesk.core.scorecard import Scorecard, score_conversation


@dataclass(frozen=True, slots=True)
class Analysis:
    conversation: Conversation
    messages: tuple[MessageAnalysis, ...]
    scorecard: Scorecard
    outcome: Outcome

    @property
    def risk(self) -> float:
        """The escalation risk after the latest message."""
        return self.messages[-1].risk if self.messages else 0.0

    @property
    def peak_risk(self) -> float:
        return max((m.risk for m in self.messages), default=0.0)


@dataclass(frozen=True, slots=True)
class Pipeline:
    """Detectors, rubric and risk weights chosen once, applied to many conversations."""

    detectors: tuple[Detector, ...]
    rubric: Rubric
    weights: RiskWeights

    def analyze(self, conversation: Conversation) -> Analysis:
        labelled, states = annotate(conversation, self.detectors)
        risks = risk_series(labelled, self.weights)
        msgs = tuple(ma.with_risk(r) for ma, r in zip(labelled, risks, strict=True))
        return Analysis(
            conversation=conversation,
            messages=msgs,
            scorecard=score_conversation(msgs, states, self.rubric),
            outcome=conversation_outcome(msgs),
        )

    def analyze_many(self, conversations: Iterable[Conversation]) -> Iterator[Analysis]:
        for conv in conversations:
            yield self.analyze(conv)


def make_pipeline(
    *,
    detectors: Sequence[str] | None = None,
    rubric: Rubric | None = None,
    weights: RiskWeights | None = None,
) -> Pipeline:
    """A pipeline with the named detectors (all by default) and the default rubric."""
    return Pipeline(
        detectors=select(detectors),
        rubric=rubric or load_rubric(),
        weights=weights or RiskWeights(),
    )


def analyze(conversation: Conversation, *, rubric: Rubric | None = None) -> Analysis:
    """Analyse one conversation with the default detectors (convenient for the library user)."""
    return make_pipeline(rubric=rubric).analyze(conversation)
