"""One call from a Conversation to everything calmdesk knows about it.

`analyze` scores every message with the learned heads in one batch (unless the pipeline runs the
rules only), runs the detectors in registry order over the conversation, with the heads' answers
merged after the rule detectors they share labels with (core/learned/combine.py), then the
forecaster, the scorecard and the outcome; the result is an immutable `Analysis` that every
layer downstream (CLI, store, service, batch) consumes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from calmdesk.core.annotate import annotate
from calmdesk.core.detect.base import Detector, MessageAnalysis
from calmdesk.core.detect.registry import select
from calmdesk.core.forecast import RiskWeights, risk_series
from calmdesk.core.learned.combine import DEFAULT_MODE, LearnedScorer, scorer_for, with_heads
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
    #: embeds and scores messages for the learned heads; None when running the rules only
    scorer: LearnedScorer | None = None
    #: "rules", "models", "both" or "auto" (core/learned/combine.py)
    mode: str = "rules"

    def analyze(
        self,
        conversation: Conversation,
        *,
        learned: Sequence[Mapping[str, float]] | None = None,
    ) -> Analysis:
        """`learned`: the scorer's output for this conversation, when the caller already has it
        (eval reads a view head from the same scores); computed here otherwise."""
        if learned is None and self.scorer is not None:
            learned = self.scorer.score(conversation)
        labelled, states = annotate(conversation, self.detectors, learned)
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
    mode: str = DEFAULT_MODE,
) -> Pipeline:
    """A pipeline with the named rule detectors (all by default) and the default rubric.

    `mode`: "rules" (rule detectors only), "models" (the learned heads answer every label they
    cover, the rules the rest), "both" (combined per label) or "auto" (the default: combined on
    customer messages, rules on agent messages; why in core/learned/combine.py).
    """
    rules = select(detectors)
    scorer = scorer_for(mode)
    return Pipeline(
        detectors=with_heads(rules, mode, scorer.heads if scorer else None),
        rubric=rubric or load_rubric(),
        weights=weights or RiskWeights(),
        scorer=scorer,
        mode=mode,
    )


def analyze(conversation: Conversation, *, rubric: Rubric | None = None) -> Analysis:
    """Analyse one conversation with the default detectors (convenient for the library user)."""
    return make_pipeline(rubric=rubric).analyze(conversation)
