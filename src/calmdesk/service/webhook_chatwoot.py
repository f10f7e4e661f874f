"""Chatwoot's `message_created` webhook (documented at chatwoot.com, "Webhook events").

The payload is the message itself: `id`, `content`, `message_type` ("incoming" from the contact,
"outgoing" from an agent; "activity"/"template" are not conversation turns), `private` (an
internal note), `created_at`, `sender` ({id, name, type: "contact" | "user" | "agent_bot"}),
`conversation` ({id, channel, meta.sender: the contact with email and phone_number,
contact_inbox.contact_id}) and `account` ({id}).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from calmdesk.core.model import Conversation, Message, Role
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

CHANNELS = {
    "Channel::WebWidget": "chat",
    "Channel::Email": "email",
    "Channel::TwitterProfile": "twitter",
    "Channel::FacebookPage": "facebook",
    "Channel::Whatsapp": "whatsapp",
    "Channel::Sms": "sms",
    "Channel::TwilioSms": "sms",
    "Channel::Telegram": "telegram",
    "Channel::Line": "line",
    "Channel::Api": "api",
}
#: older payloads and the conversation's embedded messages use integers
MESSAGE_TYPES = {0: "incoming", 1: "outgoing", 2: "activity", 3: "template"}


def read(payload: Any) -> Delivery | Ignored:
    if not isinstance(payload, Mapping):
        raise PayloadError("(body)", "expected a JSON object")
    event = payload.get("event")
    if event != "message_created":
        return Ignored(f"event {event!r} is not stored; subscribe to message_created")
    if payload.get("private") is True:
        return Ignored("private note: not part of the conversation with the customer")
    kind = payload.get("message_type")
    kind = MESSAGE_TYPES.get(kind, kind) if isinstance(kind, int) else kind
    if kind not in ("incoming", "outgoing"):
        return Ignored(f"message_type {kind!r} is not a conversation turn")
    content = payload.get("content")
    if content is None or (isinstance(content, str) and not content.strip()):
        return Ignored("message without text (an attachment or a card)")
    text = as_text(content, "content")
    message_id = as_id(need(payload, "id"), "id")
    conv_id = as_id(need(payload, "conversation.id"), "conversation.id")
    sender = get(payload, "sender") or {}
    sender_type = sender.get("type") if isinstance(sender, Mapping) else None
    role: Role = "customer" if kind == "incoming" else "agent"
    if sender_type == "agent_bot":
        role = "bot"
    channel = CHANNELS.get(str(get(payload, "conversation.channel")), "chat")
    contact_id = _contact_id(payload, sender if role == "customer" else None)
    author = _author(role, sender, contact_id)
    message = Message(
        id=message_id,
        author=author,
        role=role,
        text=text,
        timestamp=parse_time(payload.get("created_at")),
        channel=channel,
        metadata={"source": "chatwoot", "account": get(payload, "account.id")},
    )
    return Delivery(
        conversation=Conversation(
            id=conv_id,
            messages=(message,),
            customer_id=contact_id,
            channel=channel,
            metadata={"source": "chatwoot", "inbox": get(payload, "inbox.name")},
        ),
        identities=_identities(payload, contact_id, channel),
        customer_name=_contact_name(payload, sender if role == "customer" else None),
    )


def _contact_id(payload: Mapping[str, Any], sender: Any) -> str | None:
    for value in (
        sender.get("id") if isinstance(sender, Mapping) else None,
        get(payload, "conversation.meta.sender.id"),
        get(payload, "conversation.contact_inbox.contact_id"),
    ):
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            return str(value)
    return None


def _contact_name(payload: Mapping[str, Any], sender: Any) -> str | None:
    name = sender.get("name") if isinstance(sender, Mapping) else None
    name = name or get(payload, "conversation.meta.sender.name")
    return name if isinstance(name, str) else None


def _author(role: Role, sender: Any, contact_id: str | None) -> str:
    if role == "customer":
        return f"chatwoot-contact:{contact_id}" if contact_id else "chatwoot-contact"
    if isinstance(sender, Mapping):
        if isinstance(sender.get("email"), str) and sender["email"]:
            return str(sender["email"])
        if sender.get("id") is not None:
            return f"chatwoot-user:{sender['id']}"
    return "chatwoot-agent"


def _identities(
    payload: Mapping[str, Any], contact_id: str | None, channel: str
) -> tuple[tuple[str, str], ...]:
    out: list[tuple[str, str]] = []
    if contact_id:
        out.append(("chatwoot", contact_id))
    email = get(payload, "conversation.meta.sender.email")
    phone = get(payload, "conversation.meta.sender.phone_number")
    if isinstance(email, str) and email:
        out.append(("email", email))
    if isinstance(phone, str) and phone:
        out.append(("phone", phone))
    return tuple(out)
