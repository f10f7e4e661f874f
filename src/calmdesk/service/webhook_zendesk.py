"""Zendesk's `zen:event-type:ticket.comment_added` webhook (developer.zendesk.com, "Ticket events").

The payload: `type`, `id` (the event id), `time`, `subject` ("zen:ticket:<id>"), `detail` (the
ticket: id, requester_id, via.channel, ...) and `event.comment` ({id, body, is_public,
author: {id, is_staff, name}}). Private comments are internal notes and are not stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from calmdesk.core.model import Conversation, Message
from calmdesk.service.webhook_common import (
    Delivery,
    Ignored,
    PayloadError,
    as_id,
    as_text,
    get,
    need,
    parse_time,
)

EVENT = "zen:event-type:ticket.comment_added"
CHANNELS = {
    "email": "email",
    "web": "web",
    "api": "api",
    "voice": "phone",
    "chat": "chat",
    "native_messaging": "chat",
    "twitter": "twitter",
    "facebook": "facebook",
    "mobile": "chat",
    "sms": "sms",
    "whatsapp": "whatsapp",
}


def read(payload: Any) -> Delivery | Ignored:
    if not isinstance(payload, Mapping):
        raise PayloadError("(body)", "expected a JSON object")
    kind = payload.get("type")
    if kind != EVENT:
        return Ignored(f"event type {kind!r} is not stored; subscribe to {EVENT}")
    comment = need(payload, "event.comment")
    if not isinstance(comment, Mapping):
        raise PayloadError("event.comment", "expected an object")
    if comment.get("is_public") is False:
        return Ignored("private comment: an internal note, not part of the conversation")
    text = as_text(need(payload, "event.comment.body"), "event.comment.body")
    if not text.strip():
        return Ignored("comment without text")
    comment_id = as_id(need(payload, "event.comment.id"), "event.comment.id")
    ticket = as_id(need(payload, "detail.id"), "detail.id")
    author = need(payload, "event.comment.author")
    if not isinstance(author, Mapping):
        raise PayloadError("event.comment.author", "expected an object")
    author_id = as_id(need(payload, "event.comment.author.id"), "event.comment.author.id")
    staff = author.get("is_staff") is True
    requester = get(payload, "detail.requester_id")
    requester_id = str(requester) if isinstance(requester, (str, int)) else None
    channel = CHANNELS.get(str(get(payload, "detail.via.channel")), "email")
    name = author.get("name") if isinstance(author.get("name"), str) else None
    message = Message(
        id=comment_id,
        author=(name or f"zendesk-user:{author_id}") if staff else f"zendesk-user:{author_id}",
        role="agent" if staff else "customer",
        text=text,
        timestamp=parse_time(payload.get("time")),
        channel=channel,
        metadata={"source": "zendesk", "event_id": payload.get("id")},
    )
    customer = requester_id or (None if staff else author_id)
    return Delivery(
        conversation=Conversation(
            id=ticket,
            messages=(message,),
            customer_id=customer,
            channel=channel,
            metadata={"source": "zendesk", "subject": get(payload, "detail.subject")},
        ),
        identities=(("zendesk", customer),) if customer else (),
        customer_name=None if staff else name,
    )
