"""Redaction over HTTP: the team's policy is a floor no request lowers, and it covers the
author, the metadata and the exported case record as well as the text."""

from __future__ import annotations

from sqlalchemy import select

from calmdesk.store.models import ConversationRow, MessageRow
from service.payloads import chatwoot_message, zendesk_comment

CARD_AND_EMAIL = "Refund card 4111 1111 1111 1111 and write to sam.carter@mail.example"


def _redacting(desk) -> None:
    assert desk.client.put("/team", json={"redact": True}, headers=desk.h()).status_code == 200


def _doc(cid: str, text: str, **extra) -> dict:
    message = {"id": "1", "author": "c-1", "role": "customer", "text": text}
    return {"id": cid, "customer_id": "c-1", "messages": [{**message, **extra}]}


def _stored(desk) -> list[MessageRow]:
    with desk.client.app.state.sessions() as s:
        rows = list(s.scalars(select(MessageRow).order_by(MessageRow.id)))
        s.expunge_all()
    return rows


def test_redaction_an_agent_cannot_turn_the_teams_redaction_off(desk):
    _redacting(desk)
    r = desk.post("/ingest", _doc("a", CARD_AND_EMAIL), role="agent", params={"redact": False})
    assert r.status_code == 200
    (row,) = _stored(desk)
    assert row.text == "Refund card [card] and write to [email]" and row.redacted


def test_redaction_not_even_an_admin_turns_it_off_per_request(desk):
    _redacting(desk)
    desk.post("/ingest", _doc("a", CARD_AND_EMAIL), role="admin", params={"redact": "false"})
    assert "4111" not in _stored(desk)[0].text


def test_redaction_a_request_may_ask_for_more_than_the_team(desk):
    desk.post("/ingest", _doc("a", CARD_AND_EMAIL), role="agent", params={"redact": True})
    assert _stored(desk)[0].text == "Refund card [card] and write to [email]"


def test_redaction_off_stores_the_text_as_sent(desk):
    desk.post("/ingest", _doc("a", CARD_AND_EMAIL), role="agent")
    (row,) = _stored(desk)
    assert row.text == CARD_AND_EMAIL and not row.redacted


def test_redaction_webhooks_follow_the_team_whatever_the_query_says(desk):
    _redacting(desk)
    chatwoot = chatwoot_message(118, CARD_AND_EMAIL)
    zendesk = zendesk_comment(7, CARD_AND_EMAIL)
    for path, payload in (("/webhooks/chatwoot", chatwoot), ("/webhooks/zendesk", zendesk)):
        r = desk.post(path, payload, role="agent", params={"redact": False})
        assert r.status_code == 200, r.text
    rows = _stored(desk)
    assert len(rows) == 2
    assert all(row.text == "Refund card [card] and write to [email]" for row in rows)


def test_redaction_covers_the_customers_author_and_all_metadata(desk):
    _redacting(desk)
    doc = _doc(
        "a",
        "Hello, my parcel is late.",
        author="sam.carter@mail.example",
        metadata={"callback": {"phone": "+44 20 7946 0958", "tries": [2, "card 4111111111111111"]}},
    )
    doc["metadata"] = {"customer": {"email": "sam.carter@mail.example", "name": "Sam Carter"}}
    desk.post("/ingest", doc, role="agent")
    (row,) = _stored(desk)
    assert row.author == "[email]" and row.redacted
    assert row.metadata_json == {"callback": {"phone": "[phone]", "tries": [2, "card [card]"]}}
    with desk.client.app.state.sessions() as s:
        conv = s.scalars(select(ConversationRow)).one()
        assert conv.metadata_json == {"customer": {"email": "[email]", "name": "[name]"}}


def test_redaction_flags_a_message_whose_author_alone_was_personal(desk):
    _redacting(desk)
    desk.post("/ingest", _doc("a", "Where is my parcel?", author="+44 7700 900123"))
    (row,) = _stored(desk)
    assert row.text == "Where is my parcel?" and row.author == "[phone]" and row.redacted


def test_redaction_keeps_the_agents_own_author_id(desk):
    _redacting(desk)
    desk.post("/webhooks/chatwoot", chatwoot_message(5, "Happy to help!", incoming=False))
    assert _stored(desk)[0].author == "john@acme.example"


def _case_with_customer(desk) -> int:
    r = desk.post("/webhooks/zendesk", zendesk_comment(1, "I want your manager, now!"))
    assert r.json()["case_opened"], r.text
    return r.json()["case"]["id"]


def test_redaction_the_redacted_case_record_names_no_customer(desk):
    case_id = _case_with_customer(desk)
    doc = desk.get(f"/cases/{case_id}/record", params={"redact": True}).json()
    assert "Sam Carter" not in str(doc)
    assert doc["customer"]["name"] == f"customer #{doc['customer']['id']}"
    page = desk.get(f"/cases/{case_id}/record.html", params={"redact": True}).text
    assert "Sam Carter" not in page and "customer #" in page


def test_redaction_the_teams_policy_applies_to_the_record_too(desk):
    case_id = _case_with_customer(desk)
    assert desk.get(f"/cases/{case_id}/record").json()["customer"]["name"] == "Sam Carter"
    _redacting(desk)
    doc = desk.get(f"/cases/{case_id}/record", params={"redact": False}, role="agent").json()
    assert "Sam Carter" not in str(doc)
