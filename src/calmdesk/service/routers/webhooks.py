"""Helpdesk webhooks: Chatwoot `message_created` and Zendesk `ticket.comment_added`.

Both answer 200 with what was stored, 202 for events calmdesk does not store, 422 naming the
field for a payload it cannot read. The key may come as `?api_key=` for helpdesks that cannot
send headers (Chatwoot).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException
from fastapi.responses import JSONResponse

from calmdesk.service import ingesting, webhook_chatwoot, webhook_zendesk
from calmdesk.service.deps import DbSession, Now, PipelineDep, Principal, WebhookAgent
from calmdesk.service.limits import MessageLimit, check_messages
from calmdesk.service.webhook_common import Delivery, Ignored, PayloadError

router = APIRouter(prefix="/webhooks", tags=["webhooks"])

#: the payload field each helpdesk sends a message's text in (named when it is too long)
TEXT_FIELD = {"chatwoot": "content", "zendesk": "event.comment.body"}


def _handle(
    reader: Callable[[Any], Delivery | Ignored],
    source: str,
    payload: Any,
    principal: Principal,
    session: DbSession,
    pipeline: PipelineDep,
    now: Now,
    limit: int,
) -> Any:
    try:
        read = reader(payload)
    except PayloadError as exc:
        raise HTTPException(422, {"field": exc.field, "problem": exc.expected}) from exc
    if isinstance(read, Ignored):
        return JSONResponse({"ignored": read.reason}, status_code=202)
    check_messages([read.conversation], limit, field=TEXT_FIELD[source])
    item = ingesting.Item(read.conversation, read.identities, read.customer_name)
    results = ingesting.run(
        session=session,
        principal=principal,
        source=source,
        items=[item],
        pipeline=pipeline,
        now=now,
        redact=None,
    )
    return results[0]


@router.post("/chatwoot")
def chatwoot(
    principal: WebhookAgent,
    session: DbSession,
    pipeline: PipelineDep,
    now: Now,
    limit: MessageLimit,
    payload: Annotated[Any, Body()],
) -> Any:
    """A Chatwoot webhook event; `message_created` is stored, other events are acknowledged."""
    return _handle(
        webhook_chatwoot.read, "chatwoot", payload, principal, session, pipeline, now, limit
    )


@router.post("/zendesk")
def zendesk(
    principal: WebhookAgent,
    session: DbSession,
    pipeline: PipelineDep,
    now: Now,
    limit: MessageLimit,
    payload: Annotated[Any, Body()],
) -> Any:
    """A Zendesk webhook event; `ticket.comment_added` is stored, other events acknowledged."""
    return _handle(
        webhook_zendesk.read, "zendesk", payload, principal, session, pipeline, now, limit
    )
