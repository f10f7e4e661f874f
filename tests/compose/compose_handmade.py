"""Tiny hand-written conversations for composer tests."""

from pathlib import Path

from calmdesk.core.ingest import IngestOptions, read_paths
from calmdesk.core.model import Conversation, Message, Participant


def conv(*turns: tuple[str, str], channel: str = "chat", customer: dict | None = None):
    """A conversation from (role, text) pairs: 'customer' is Dana, the company side is Sam."""
    msgs = tuple(
        Message(
            id=f"m{i}",
            author="dana" if role == "customer" else "sam",
            role=role,  # type: ignore[arg-type]
            text=text,
            channel=channel,
        )
        for i, (role, text) in enumerate(turns, 1)
    )
    people = (Participant("dana", "customer", "Dana Reyes"), Participant("sam", "agent", "Sam"))
    meta = {"customer": customer} if customer else {}
    return Conversation(
        id="hand", messages=msgs, participants=people, channel=channel, metadata=meta
    )


EXAMPLES = Path(__file__).resolve().parents[2] / "src" / "calmdesk" / "examples" / "conversations"


def example(name: str) -> Conversation:
    """A bundled example conversation by file-name prefix ("03")."""
    path = next(EXAMPLES.glob(f"{name}*.json"))
    return read_paths([path], IngestOptions()).conversations[0]


def example_names() -> list[str]:
    return sorted(p.stem for p in EXAMPLES.glob("*.json"))
