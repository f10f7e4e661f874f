"""Run the agent detectors on one reply in a hand-built context (shared by the agent tests)."""

from __future__ import annotations

from calmdesk.core.detect import agent_antipatterns, agent_moves
from calmdesk.core.detect.base import PRESENT, Context, MessageAnalysis
from calmdesk.core.model import Conversation, Label, Message

DETECTORS = (*agent_moves.DETECTORS, *agent_antipatterns.DETECTORS)
ANGRY = (Label("anger", 0.9), Label("intensity", 0.8, value=0.8))
CALM = (Label("intensity", 0.1, value=0.1),)


def analyse(
    text: str,
    *,
    customer: str = "Hi, I have a question about my order.",
    customer_labels: tuple[Label, ...] = (),
    escalated: bool = False,
    accepted: bool = False,
    supervisor: bool = False,
) -> dict[str, Label]:
    """Run every agent detector on one agent reply, in registry order, with a built Context."""
    cust = Message("m1", "c", "customer", customer)
    agent = Message("m2", "a", "agent", text)
    current: list[Label] = []
    ctx = Context(
        conversation=Conversation("t", (cust, agent)),
        index=1,
        prior=[MessageAnalysis(cust, customer_labels)],
        escalated=escalated,
        solution_offered=accepted,
        solution_accepted=accepted,
        supervisor_requested=supervisor,
        current=current,
    )
    for det in DETECTORS:
        current.extend(det(agent, ctx))
    return {lab.name: lab for lab in current}


def present(labels: dict[str, Label], name: str) -> bool:
    return name in labels and labels[name].confidence >= PRESENT
