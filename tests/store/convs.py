"""Tiny hand-written conversations for store and service tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from calmdesk.core.model import Conversation, Message

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)

MANAGER = "This is the third time I've written. I want to speak to your manager right now."
CALM = "Hi, could you tell me when my parcel will arrive? Thanks."
AGENT_REPLY = "I'm sorry about this. I can send a replacement today or refund you now."


def conversation(cid: str, *turns: tuple[str, str], customer: str = "cust-1") -> Conversation:
    """turns: (role, text); ids m1, m2, ... one minute apart."""
    msgs = tuple(
        Message(
            id=f"m{i}",
            author=customer if role == "customer" else "agent-7",
            role=role,  # type: ignore[arg-type]
            text=text,
            timestamp=T0 + timedelta(minutes=i),
        )
        for i, (role, text) in enumerate(turns, start=1)
    )
    return Conversation(id=cid, messages=msgs, customer_id=customer)
