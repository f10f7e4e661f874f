"""What the encoder reads for one message: the message with its side, and the turn it answers.

Training (training/train_encoder.py) and the desk build the encoder's input here, so both feed
it the same text. A label such as `transactional` ("ignores the specifics the customer gave")
or `correcting` is a judgement of a reply against what it answers, so the previous turn is the
second segment of a sentence pair; more context did not fit the CPU budget (issue 12).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from calmdesk.core.model import Conversation

#: Tokens per input pair (message first; the longer segment is cut first when over).
MAX_TOKENS = 128
#: Characters of either segment kept before tokenising: a pasted 12 MB e-mail must not cost
#: the tokenizer seconds for 128 tokens it keeps.
MAX_CHARS = 1200


@dataclass(frozen=True, slots=True)
class EncoderInput:
    """The two segments of one message's input pair (`previous` is None for an opening)."""

    text: str
    previous: str | None


def side_word(role: str) -> str:
    return "customer" if role == "customer" else "agent"


def input_of(role: str, text: str, previous: tuple[str, str] | None) -> EncoderInput:
    """One message as the encoder reads it: `role` and `text` of the message, and the
    (role, text) of the turn before it, if any."""
    first = f"{side_word(role)}: {text[:MAX_CHARS]}"
    if previous is None:
        return EncoderInput(first, None)
    prev_role, prev_text = previous
    return EncoderInput(first, f"{side_word(prev_role)}: {prev_text[:MAX_CHARS]}")


def previous_of(conversation: Conversation, index: int) -> tuple[str, str] | None:
    """The (side, text) of the turn message `index` answers; None for the opening message."""
    if index <= 0:
        return None
    prev = conversation.messages[index - 1]
    return ("customer" if prev.is_customer else "agent", prev.text)


def inputs_of(
    conversation: Conversation, indices: Sequence[int] | None = None
) -> list[EncoderInput]:
    """The inputs of a conversation's messages (all, or those at `indices`)."""
    msgs = conversation.messages
    picked = range(len(msgs)) if indices is None else indices
    return [
        input_of(
            "customer" if msgs[i].is_customer else "agent",
            msgs[i].text,
            previous_of(conversation, i),
        )
        for i in picked
    ]
