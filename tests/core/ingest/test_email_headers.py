"""Header values read the way mail clients write them, in one pass however long they are."""

from __future__ import annotations

import pytest

from calmdesk.core.ingest.email_headers import addresses, message_ids, sender

from .helpers import Read


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Dana Reyes <Dana@Example.com>", ("Dana Reyes", "dana@example.com")),
        ('"Reyes, Dana" <dana@example.com>', ("Reyes, Dana", "dana@example.com")),
        ("dana@example.com (Dana Reyes)", ("Dana Reyes", "dana@example.com")),
        ("dana@example.com", (None, "dana@example.com")),
        ("Dana Reyes", (None, "")),
        ("(" * 5000, (None, "")),
    ],
)
def test_email_headers_sender_name_and_address(value: str, expected: tuple) -> None:
    assert sender(value) == expected


def test_email_headers_every_address_of_a_recipient_list() -> None:
    values = ['"Sam, Support" <sam@shop.example>, care@shop.example', "(cc) Ann <ann@x.example>"]
    assert addresses(values) == ["sam@shop.example", "care@shop.example", "ann@x.example"]


def test_email_headers_message_ids_need_angle_brackets() -> None:
    assert message_ids("<a@x> b@x <c@x>") == ["a@x", "c@x"]


def test_email_headers_encoded_words_and_raw_utf8_are_decoded(read: Read) -> None:
    mail = (
        "From: =?utf-8?q?J=C3=B6rg?= <jorg@example.com>\n"
        "Subject: =?iso-8859-1?q?Lieferung_versp=E4tet?=\n\nWo bleibt sie?\n"
    )
    result = read("a.eml", mail.encode())
    [conversation] = result.conversations
    assert conversation.participants[0].name == "Jörg"
    assert conversation.messages[0].metadata["subject"] == "Lieferung verspätet"
    raw = "From: Jörg <jorg@example.com>\nSubject: Lieferung verspätet\n\nWo?\n".encode()
    assert read("b.eml", raw).conversations[0].messages[0].metadata["subject"] == (
        "Lieferung verspätet"
    )
