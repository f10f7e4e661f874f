"""Helpdesk webhooks with payloads shaped as Chatwoot and Zendesk document them."""

from __future__ import annotations

from service.payloads import chatwoot_message, zendesk_comment

MANAGER = "This is the third time I'm writing. I want to speak to your manager."


def test_webhooks_chatwoot_message_is_stored_and_analysed(desk):
    r = desk.post(
        "/webhooks/chatwoot", chatwoot_message(118, "Hi, where is my order?"), role="agent"
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["stored"] == 1 and body["external_id"] == "10"
    conv = desk.get(f"/conversations/{body['conversation_id']}").json()
    assert conv["messages"][0]["role"] == "customer" and conv["channel"] == "chat"
    assert conv["messages"][0]["labels"]


def test_webhooks_chatwoot_redelivery_is_idempotent(desk):
    payload = chatwoot_message(118, MANAGER)
    first = desk.post("/webhooks/chatwoot", payload).json()
    again = desk.post("/webhooks/chatwoot", payload).json()
    assert (first["stored"], again["stored"], again["duplicates"]) == (1, 0, 1)
    assert len(desk.get("/cases").json()["cases"]) == 1


def test_webhooks_chatwoot_agent_reply_joins_the_conversation(desk):
    desk.post("/webhooks/chatwoot", chatwoot_message(118, "My order never came."))
    r = desk.post(
        "/webhooks/chatwoot",
        chatwoot_message(119, "I'm sorry, I'll resend it today.", incoming=False),
    )
    conv = desk.get(f"/conversations/{r.json()['conversation_id']}").json()
    assert [(m["role"], m["author"]) for m in conv["messages"]] == [
        ("customer", "chatwoot-contact:14"),
        ("agent", "john@acme.example"),
    ]


def test_webhooks_chatwoot_key_in_query_string_is_accepted(desk):
    token = desk.h("agent")["X-API-Key"]
    r = desk.client.post(f"/webhooks/chatwoot?api_key={token}", json=chatwoot_message(1, "hi"))
    assert r.status_code == 200


def test_webhooks_chatwoot_other_events_and_private_notes_are_acknowledged(desk):
    r = desk.post("/webhooks/chatwoot", {"event": "conversation_status_changed", "id": 10})
    assert r.status_code == 202 and "message_created" in r.json()["ignored"]
    r = desk.post("/webhooks/chatwoot", chatwoot_message(5, "internal", private=True))
    assert r.status_code == 202
    assert desk.get("/conversations").json()["conversations"] == []


def test_webhooks_chatwoot_missing_conversation_names_the_field(desk):
    payload = chatwoot_message(118, "hello")
    del payload["conversation"]
    r = desk.post("/webhooks/chatwoot", payload)
    assert r.status_code == 422 and r.json()["detail"]["field"] == "conversation.id"


def test_webhooks_zendesk_comment_is_stored_with_requester_as_customer(desk):
    r = desk.post("/webhooks/zendesk", zendesk_comment(9876543210, "The app logs me out."))
    assert r.status_code == 200, r.text
    customer = desk.get(f"/customers/{r.json()['customer_id']}").json()
    assert {"kind": "zendesk", "value": "8447388090494"} in customer["identities"]


def test_webhooks_zendesk_staff_comment_is_an_agent_message(desk):
    desk.post("/webhooks/zendesk", zendesk_comment(1, "The app logs me out."))
    r = desk.post("/webhooks/zendesk", zendesk_comment(2, "Sorry! Fixed now.", staff=True))
    conv = desk.get(f"/conversations/{r.json()['conversation_id']}").json()
    assert [m["role"] for m in conv["messages"]] == ["customer", "agent"]


def test_webhooks_zendesk_redelivery_and_private_comments(desk):
    payload = zendesk_comment(1, MANAGER)
    assert desk.post("/webhooks/zendesk", payload).json()["stored"] == 1
    assert desk.post("/webhooks/zendesk", payload).json()["duplicates"] == 1
    assert (
        desk.post("/webhooks/zendesk", zendesk_comment(2, "note", public=False)).status_code == 202
    )
    r = desk.post("/webhooks/zendesk", {"type": "zen:event-type:ticket.status_changed"})
    assert r.status_code == 202


def test_webhooks_zendesk_supervisor_request_opens_a_case(desk):
    r = desk.post("/webhooks/zendesk", zendesk_comment(1, MANAGER)).json()
    assert r["case_opened"] and "supervisor_request" in r["case"]["reasons"]


def test_webhooks_zendesk_bad_comment_body_names_the_field(desk):
    payload = zendesk_comment(1, "x")
    payload["event"]["comment"]["body"] = 42
    r = desk.post("/webhooks/zendesk", payload)
    assert r.status_code == 422 and r.json()["detail"]["field"] == "event.comment.body"


def test_webhooks_same_email_on_two_channels_is_one_customer(desk):
    chat = desk.post("/webhooks/chatwoot", chatwoot_message(1, "Where is my order?")).json()
    doc = {
        "id": "mail-1",
        "channel": "email",
        "metadata": {"customer": {"email": "JANE@acme.example"}},
        "messages": [
            {
                "id": "e1",
                "author": "jane",
                "role": "customer",
                "text": "Writing again about my order.",
            }
        ],
    }
    mail = desk.post("/ingest", doc).json()["conversations"][0]
    assert mail["customer_id"] == chat["customer_id"]
    timeline = desk.get(f"/customers/{chat['customer_id']}/timeline").json()["messages"]
    assert {m["channel"] for m in timeline} == {"chat", "email"}
