"""Text no database can store (a lone surrogate, NUL, a non-character) arrives through every
entry point and is stored with U+FFFD in its place, on SQLite and on PostgreSQL.

The bodies are sent as raw JSON with the escapes written out ("\\ud800"), as a helpdesk would send
them: a JSON decoder turns them into code points no UTF-8 encoder accepts.
"""

from __future__ import annotations

import json

from service.payloads import chatwoot_message, zendesk_comment

#: JSON escapes for the three kinds of unencodable text, and what each is stored as.
BAD = "lost \\ud800 parcel \\u0000 and \\uffff, \\ud83d\\ude00 kept"
STORED = "lost \ufffd parcel \ufffd and \ufffd, \U0001f600 kept"


def _raw(payload: dict, **escaped: str) -> bytes:
    """`payload` as JSON with each placeholder value replaced by raw escaped JSON text."""
    text = json.dumps(payload)
    for placeholder, value in escaped.items():
        text = text.replace(json.dumps(placeholder), f'"{value}"')
    return text.encode()


def _post(desk, path: str, body: bytes):
    headers = {**desk.h("agent"), "Content-Type": "application/json"}
    return desk.client.post(path, content=body, headers=headers)


def _stored_messages(desk, conversation_id: int) -> list[dict]:
    return desk.get(f"/conversations/{conversation_id}").json()["messages"]


def test_unencodable_text_in_ingest_is_stored_replaced(desk):
    doc = {
        "id": "BAD_ID",
        "customer_id": "c-1",
        "metadata": {"note": "BAD_NOTE"},
        "messages": [
            {"id": "1", "author": "BAD_AUTHOR", "role": "customer", "text": "BAD_TEXT"},
            {"id": "2", "author": "c-1", "role": "customer", "text": "I want a manager."},
        ],
    }
    body = _raw(doc, BAD_ID="conv \\ud800", BAD_NOTE=BAD, BAD_AUTHOR="c-\\u0000", BAD_TEXT=BAD)
    r = _post(desk, "/ingest", body)
    assert r.status_code == 200, r.text
    result = r.json()["conversations"][0]
    assert result["stored"] == 2 and result["external_id"] == "conv \ufffd"
    messages = _stored_messages(desk, result["conversation_id"])
    assert [(m["author"], m["text"]) for m in messages] == [
        ("c-\ufffd", STORED),
        ("c-1", "I want a manager."),
    ]


def test_unencodable_text_in_chatwoot_webhook_is_stored_replaced(desk):
    payload = chatwoot_message(118, "BAD_TEXT")
    payload["conversation"]["meta"]["sender"]["name"] = "BAD_NAME"
    r = _post(desk, "/webhooks/chatwoot", _raw(payload, BAD_TEXT=BAD, BAD_NAME="Jane \\udfff"))
    assert r.status_code == 200, r.text
    assert _stored_messages(desk, r.json()["conversation_id"])[0]["text"] == STORED


def test_unencodable_text_in_zendesk_webhook_is_stored_replaced(desk):
    payload = zendesk_comment(9001, "BAD_TEXT")
    payload["detail"]["subject"] = "BAD_SUBJECT"
    r = _post(desk, "/webhooks/zendesk", _raw(payload, BAD_TEXT=BAD, BAD_SUBJECT="\\u0000"))
    assert r.status_code == 200, r.text
    assert _stored_messages(desk, r.json()["conversation_id"])[0]["text"] == STORED


def test_unencodable_text_in_other_request_bodies_is_a_422_naming_the_field(sqlite_desk):
    headers = {**sqlite_desk.h("supervisor"), "Content-Type": "application/json"}
    r = sqlite_desk.client.post("/cases", content=b'{"title": "late \\ud800"}', headers=headers)
    assert r.status_code == 422
    [problem] = r.json()["detail"]
    assert problem["loc"] == ["body", "title"] and problem["input"] == "late \ufffd"
