"""Hand-labelled conversations for testing scoring and forecasting without the detectors."""

from __future__ import annotations

from calmdesk.core.annotate import State
from calmdesk.core.detect.base import MessageAnalysis
from calmdesk.core.model import Label, Message


def said(
    role: str, mid: str, *labels: str | tuple[str, float], sentiment: float = 0.0
) -> MessageAnalysis:
    """A message by `role` carrying `labels` (name, or (name, value)) at confidence 0.9."""
    labs = [Label("sentiment", 0.9, value=sentiment)] if role == "customer" else []
    for lab in labels:
        name, value = (lab, None) if isinstance(lab, str) else lab
        labs.append(Label(name, 0.9, value=value))
    msg = Message(id=mid, author=role, role=role, text=f"({mid})")  # type: ignore[arg-type]
    return MessageAnalysis(msg, tuple(labs))


def states(msgs: list[MessageAnalysis]) -> list[State]:
    """The walk's state before each message, as the pipeline computes it."""
    out, state = [], State()
    for ma in msgs:
        out.append(state)
        state = state.after(ma)
    return out
