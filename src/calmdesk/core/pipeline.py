"""One call from a Conversation to everything calmdesk knows about it.

`analyze` scores every message with the pipeline's model in one batch (the static heads by
default, the encoder in "encoder" mode, none with the rules only), runs the detectors in registry
order over the conversation, with the model's answers merged after the rule detectors they
share labels with (core/encoder/combine.py, core/learned/combine.py), then the forecaster, the
scorecard and the outcome; the result is an immutable `Analysis` that every layer downstream
(CLI, store, service, batch) consumes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from calmdesk.core.annotate import annotate
from calmdesk.core.detect.base import Detector, MessageAnalysis
from calmdesk.core.detect.registry import select
from calmdesk.core.forecast import RiskWeights, risk_series
from calmdesk.core.learned.combine import scorer_for, with_heads
from calmdesk.core.model import Conversation
from calmdesk.core.modes import DEFAULT_MODE, STATIC, check_mode
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


class Scorer(Protocol):
    """What a pipeline's model gives before the walk: per message, scores by name."""

    def score(self, conversation: Conversation) -> Sequence[Mapping[str, float]]: ...

    def view_policy(self, view: str) -> str | None:
        """How a view's score (`impolite`) combines with its rule-side answer; None when the
        model has no such view."""


@dataclass(frozen=True, slots=True)
class Pipeline:
    """Detectors, rubric and risk weights chosen once, applied to many conversations."""

    detectors: tuple[Detector, ...]
    rubric: Rubric
    weights: RiskWeights
    #: scores messages for the merge steps (the encoder, or the static heads); None when
    #: running the rules only
    scorer: Scorer | None = None
    #: a detector mode of core/modes.py
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

    `mode`: one of core/modes.py: "fast" (the default), "encoder", "rules", "models", "both".
    """
    check_mode(mode)
    rules = select(detectors)
    scorer: Scorer | None
    if mode == "encoder":
        from calmdesk.core.encoder.combine import with_encoder
        from calmdesk.core.encoder.judge import shipped_judge

        judge = shipped_judge()
        steps, scorer = with_encoder(rules, judge), judge
    else:
        static = STATIC[mode]
        heads = scorer_for(static)
        steps, scorer = with_heads(rules, static, heads.heads if heads else None), heads
    return Pipeline(
        detectors=steps,
        rubric=rubric or load_rubric(),
        weights=weights or RiskWeights(),
        scorer=scorer,
        mode=mode,
    )


def analyze(conversation: Conversation, *, rubric: Rubric | None = None) -> Analysis:
    """Analyse one conversation with the default detectors (convenient for the library user)."""
    return make_pipeline(rubric=rubric).analyze(conversation)
