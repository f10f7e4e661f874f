"""The shipped samples read cleanly: the CLI demo and the docs rely on them."""

import pytest

from calmdesk.core.ingest import IngestOptions, read_path

from .helpers import EXAMPLES

HELPDESK_COLUMNS = {
    "conversation_id": "ticket_id",
    "timestamp": "sent_at",
    "role": "sender_type",
    "author": "sender",
    "text": "body",
}


@pytest.mark.parametrize(
    ("name", "options", "conversations", "messages"),
    [
        ("conversation.json", IngestOptions(), 1, 4),
        ("conversations.jsonl", IngestOptions(), 2, 5),
        ("helpdesk_export.csv", IngestOptions(column_map=HELPDESK_COLUMNS), 2, 9),
        ("twcs_sample.csv", IngestOptions(), 4, 14),
        ("support_inbox.mbox", IngestOptions(), 2, 6),
        ("refund_complaint.eml", IngestOptions(), 1, 1),
        ("phone_call.txt", IngestOptions(), 2, 12),
    ],
)
def test_examples_read_without_errors(
    name: str, options: IngestOptions, conversations: int, messages: int
) -> None:
    result = read_path(EXAMPLES / name, options)
    assert result.errors == ()
    assert len(result.conversations) == conversations
    assert sum(len(c.messages) for c in result.conversations) == messages


def test_examples_every_conversation_has_a_customer_and_a_company_side() -> None:
    for path in sorted(EXAMPLES.iterdir()):
        options = IngestOptions(
            column_map=HELPDESK_COLUMNS if path.name == "helpdesk_export.csv" else {}
        )
        for conversation in read_path(path, options).conversations:
            roles = {m.role for m in conversation.messages}
            if path.suffix != ".eml":
                assert "customer" in roles and roles - {"customer"}, (path.name, conversation.id)
