"""The walk's bookkeeping: label lookup by name and the state carried from message to message."""

from __future__ import annotations

from calmdesk.core.annotate import State
from calmdesk.core.detect.base import MessageAnalysis
from calmdesk.core.model import Label, Message


def _ma(role: str, *labels: Label) -> MessageAnalysis:
    msg = Message(id="m1", author="x", role=role, text="...")  # type: ignore[arg-type]
    return MessageAnalysis(msg, labels)


def test_annotate_lookup_by_name_takes_the_first_label_of_a_name() -> None:
    ma = _ma(
        "customer", Label("anger", 0.4), Label("anger", 0.9), Label("sentiment", 0.7, value=-0.6)
    )
    assert ma.get("anger") == Label("anger", 0.4)
    assert not ma.has("anger")
    assert ma.value("sentiment") == -0.6
    assert ma.get("gratitude") is None


def test_annotate_risk_copy_keeps_labels_and_equality() -> None:
    ma = _ma("customer", Label("anger", 0.9))
    assert ma.has("anger")
    later = ma.with_risk(0.7)
    assert later.risk == 0.7
    assert later.has("anger")
    assert later == MessageAnalysis(ma.message, ma.labels, 0.7)


def test_annotate_state_after_customer_and_company_messages() -> None:
    state = State().after(_ma("customer", Label("anger", 0.9)))
    assert state == State(escalated=True)
    offered = state.after(_ma("agent", Label("expectation", 0.8)))
    assert offered == State(escalated=True, solution_offered=True)
    assert offered.after(_ma("agent")) is offered
    accepted = offered.after(_ma("customer", Label("accepts_solution", 0.8)))
    assert accepted.solution_accepted and accepted.escalated
