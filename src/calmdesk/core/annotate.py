"""Walk a conversation in order, running the detectors on each message with what came before.

Order is the point: the same question ("when did it arrive?") is suspicion before a solution was
accepted and fine after (P1), so the walk keeps the conversation's state as it goes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from calmdesk.core.detect.base import NO_SCORES, PRESENT, Context, Detector, MessageAnalysis
from calmdesk.core.model import Conversation, Label, Message
from calmdesk.core.taxonomy import ESCALATION_SIGNALS, NEGATIVE_EMOTIONS

#: Customer labels that put the conversation in escalation (one set lookup per label).
_UPSET = frozenset(NEGATIVE_EMOTIONS) | frozenset(ESCALATION_SIGNALS)
#: Customer sentiment at or below this counts as an escalation in progress.
ESCALATED_SENTIMENT = -0.5


@dataclass(frozen=True, slots=True)
class State:
    escalated: bool = False
    solution_offered: bool = False
    solution_accepted: bool = False
    supervisor_requested: bool = False

    def after(self, ma: MessageAnalysis) -> State:
        """The state once `ma` has been said."""
        if ma.message.is_customer:
            upset = (
                self.escalated
                or any(lab.name in _UPSET and lab.confidence >= PRESENT for lab in ma.labels)
                or ma.value("sentiment") <= ESCALATED_SENTIMENT
            )
            return State(
                escalated=self.escalated or upset,
                solution_offered=self.solution_offered,
                solution_accepted=self.solution_accepted
                or (self.solution_offered and ma.has("accepts_solution")),
                supervisor_requested=self.supervisor_requested or ma.has("supervisor_request"),
            )
        offered = ma.has("alternatives") or ma.has("expectation")
        if not offered or self.solution_offered:
            return self
        return State(
            escalated=self.escalated,
            solution_offered=True,
            solution_accepted=self.solution_accepted,
            supervisor_requested=self.supervisor_requested,
        )


def label_message(
    message: Message,
    detectors: Sequence[Detector],
    *,
    conversation: Conversation,
    index: int,
    prior: Sequence[MessageAnalysis],
    state: State,
    learned: Mapping[str, float] | None = None,
) -> tuple[Label, ...]:
    """All labels for one message, each detector seeing the labels of those before it.

    `learned` holds the heads' scores for this message; a merge step (`Detector.replaces`)
    swaps the labels of its names given so far for its combined answer.
    """
    current: list[Label] = []
    ctx = Context(
        conversation=conversation,
        index=index,
        prior=prior,
        escalated=state.escalated,
        solution_offered=state.solution_offered,
        solution_accepted=state.solution_accepted,
        supervisor_requested=state.supervisor_requested,
        current=current,
        learned=NO_SCORES if learned is None else learned,
    )
    customer, company = message.is_customer, message.is_company
    for det in detectors:
        if customer if det.side == "customer" else company:  # `Detector.applies`, inlined
            if det.replaces:
                got = det.fn(message, ctx)
                names = det.assigns
                current[:] = [lab for lab in current if lab.name not in names]
                current.extend(got)
            else:
                current.extend(det.fn(message, ctx))
    return tuple(current)


def annotate(
    conversation: Conversation,
    detectors: Sequence[Detector],
    learned: Sequence[Mapping[str, float]] | None = None,
) -> tuple[tuple[MessageAnalysis, ...], tuple[State, ...]]:
    """Labels for every message, and the state before each message (for the forecaster).

    `learned`: the heads' scores per message (`LearnedScorer.score`), or None for rules only.
    """
    analyses: list[MessageAnalysis] = []
    states: list[State] = []
    state = State()
    for i, msg in enumerate(conversation.messages):
        states.append(state)
        labels = label_message(
            msg,
            detectors,
            conversation=conversation,
            index=i,
            prior=analyses,
            state=state,
            learned=learned[i] if learned is not None else None,
        )
        ma = MessageAnalysis(msg, labels)
        analyses.append(ma)
        state = state.after(ma)
    return tuple(analyses), tuple(states)


__all__ = ["PRESENT", "State", "annotate", "label_message"]
