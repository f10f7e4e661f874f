"""Webhook payloads shaped as the helpdesks document them (trimmed to the fields they send).

Chatwoot: "Webhook events" -> message_created (chatwoot/docs, product/others/webhook-events).
Zendesk: "Ticket events" -> zen:event-type:ticket.comment_added (developer.zendesk.com).
"""

from __future__ import annotations

from typing import Any


def chatwoot_message(
    message_id: int,
    content: str,
    *,
    incoming: bool = True,
    conversation: int = 10,
    contact: int = 14,
    email: str | None = "jane@acme.example",
    private: bool = False,
) -> dict[str, Any]:
    sender = (
        {"id": contact, "name": "Jane Doe", "avatar": "", "type": "contact"}
        if incoming
        else {"id": 1, "name": "John", "email": "john@acme.example", "type": "user"}
    )
    return {
        "id": message_id,
        "content": content,
        "created_at": "2021-07-23T18:02:48.000Z",
        "message_type": "incoming" if incoming else "outgoing",
        "content_type": "text",
        "private": private,
        "content_attributes": {},
        "source_id": None,
        "sender": sender,
        "inbox": {"id": 1, "name": "Acme Support"},
        "conversation": {
            "additional_attributes": {},
            "can_reply": True,
            "channel": "Channel::WebWidget",
            "id": conversation,
            "inbox_id": 1,
            "contact_inbox": {
                "id": 12,
                "contact_id": contact,
                "inbox_id": 1,
                "source_id": "405f1d30",
                "hmac_verified": False,
            },
            "meta": {
                "sender": {
                    "additional_attributes": {},
                    "custom_attributes": {},
                    "email": email,
                    "id": contact,
                    "identifier": None,
                    "name": "Jane Doe",
                    "phone_number": None,
                    "type": "contact",
                },
                "assignee": {"id": 1, "name": "John", "type": "user"},
            },
            "status": "open",
            "unread_count": 1,
            "timestamp": 1627063369,
        },
        "account": {"id": 1, "name": "Acme Inc"},
        "event": "message_created",
    }


def zendesk_comment(
    comment_id: int,
    body: str,
    *,
    staff: bool = False,
    ticket: str = "5158",
    requester: int = 8447388090494,
    public: bool = True,
) -> dict[str, Any]:
    author = (
        {"id": 8447388090495, "is_staff": True, "name": "Support Agent"}
        if staff
        else {"id": requester, "is_staff": False, "name": "Sam Carter"}
    )
    return {
        "account_id": 22129848,
        "detail": {
            "actor_id": str(author["id"]),
            "assignee_id": "8447388090495",
            "created_at": "2025-01-08T10:12:07Z",
            "id": ticket,
            "is_public": True,
            "priority": "HIGH",
            "requester_id": str(requester),
            "status": "OPEN",
            "subject": "Cannot login to mobile app",
            "submitter_id": str(requester),
            "tags": [],
            "type": "PROBLEM",
            "updated_at": "2025-01-08T14:25:30Z",
            "via": {"channel": "web_service"},
        },
        "event": {
            "comment": {"id": comment_id, "body": body, "is_public": public, "author": author},
            "meta": {"sequence": {"id": "d4f5c389", "position": 1}},
        },
        "id": f"01JQ{comment_id}",
        "subject": f"zen:ticket:{ticket}",
        "time": "2025-01-08T14:25:30.123456789Z",
        "type": "zen:event-type:ticket.comment_added",
        "zendesk_event_version": "2022-11-06",
    }
