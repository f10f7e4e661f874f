"""Load limits: how many requests run at once, how large a request and a message may be.

Without them a burst of webhooks wedged the server: every worker thread was taken by requests
waiting for what other requests held, and those waited for a thread. Now a request is admitted
only when a thread is free for it (`threads` in flight), a bounded number wait a bounded time for
a slot, and the rest are answered 503 with Retry-After at once, before their body is read, so a
burst costs the server almost nothing beyond the work it admits. /health is never held back.

Size limits turn a 12 MB message (40 s and 3 GB of analysis, then 15 s for every later message
of its conversation) into a 413 that names the limit: the body is refused by its Content-Length
before it is read, or as soon as a streamed body passes the limit; a message's text is refused
with the field that is too long.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

import anyio
from fastapi import Depends, HTTPException, Request
from starlette.datastructures import Headers
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from calmdesk.core.model import Conversation

#: answered whatever the load: a liveness probe that queues is a probe that lies
EXEMPT_PATHS = frozenset({"/health"})
#: seconds a refused client should wait; a burst drains within a few seconds
RETRY_AFTER = "2"


class LoadLimits:
    """ASGI middleware: at most `in_flight` requests run, `queued` more wait up to `queue_wait`
    seconds for a slot, others get 503 + Retry-After; bodies over `max_body` bytes get 413."""

    def __init__(
        self, app: ASGIApp, *, in_flight: int, queued: int, queue_wait: float, max_body: int
    ) -> None:
        if in_flight < 1:
            raise ValueError(f"in_flight must be at least 1, got {in_flight}")
        self.app = app
        self.in_flight = in_flight
        self.queued = queued
        self.queue_wait = queue_wait
        self.max_body = max_body
        self._slots = anyio.Semaphore(in_flight)
        self._waiting = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in EXEMPT_PATHS:
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_body:
            await _too_large(self.max_body, declared)(scope, receive, send)
            return
        if not await self._admit():
            await _busy(Headers(scope=scope))(scope, receive, send)
            return
        try:
            await self.app(scope, self._counting(receive), send)
        finally:
            self._slots.release()

    async def _admit(self) -> bool:
        try:
            self._slots.acquire_nowait()
            return True
        except anyio.WouldBlock:
            pass
        if self._waiting >= self.queued:
            return False
        self._waiting += 1
        try:
            with anyio.move_on_after(self.queue_wait):
                await self._slots.acquire()
                return True
            return False
        finally:
            self._waiting -= 1

    def _counting(self, receive: Receive) -> Receive:
        """`receive`, refusing a body (sent without a Content-Length) once it passes the limit.

        The HTTPException reaches the app's own handlers, so the API answers JSON and the pages
        an error page."""
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise HTTPException(413, _body_detail(self.max_body, None))
            return message

        return counted


def _content_length(scope: Scope) -> int | None:
    raw = Headers(scope=scope).get("content-length")
    return int(raw) if raw is not None and raw.isdigit() else None


def _body_detail(limit: int, size: int | None) -> str:
    sent = f" (this one is {size:,} bytes)" if size is not None else ""
    return (
        f"the request body is larger than the limit of {limit:,} bytes{sent}; "
        "send fewer conversations per request (CALMDESK_MAX_REQUEST_BYTES sets the limit)"
    )


def _too_large(limit: int, size: int) -> JSONResponse:
    # the client may still be sending: close the connection rather than read what was refused
    return JSONResponse(
        {"detail": _body_detail(limit, size)}, status_code=413, headers={"Connection": "close"}
    )


BUSY = "the server is at its limit of requests in flight; retry shortly"

#: what a browser shows instead of raw JSON when the desk is at its limit: no script (the
#: pages' CSP allows none inline); it says what happened and how to go on
BUSY_PAGE = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>calmdesk is busy</title>
<style>body {{ font-family: system-ui, sans-serif; max-width: 36rem; margin: 3rem auto; }}</style>
</head><body>
<h1>calmdesk is busy</h1>
<p>The desk is answering as many requests as it can at once. Nothing you sent was lost or
stored: wait {RETRY_AFTER} seconds and <a href="">load the page again</a>.</p>
</body></html>
"""


def _busy(headers: Headers) -> Response:
    retry = {"Retry-After": RETRY_AFTER}
    if "text/html" in headers.get("accept", ""):  # a browser: a page, not JSON
        return HTMLResponse(BUSY_PAGE, status_code=503, headers=retry)
    return JSONResponse({"detail": BUSY}, status_code=503, headers=retry)


def message_limit(request: Request) -> int:
    limit: int = request.app.state.settings.max_message_chars
    return limit


MessageLimit = Annotated[int, Depends(message_limit)]


def check_messages(
    conversations: Sequence[Conversation], limit: int, *, field: str | None = None
) -> None:
    """413 naming every message whose text is longer than `limit` characters; nothing is stored.

    `field` names the payload field a webhook's one message came from; otherwise the message is
    named by its place in the request, as /ingest's other problems are.
    """
    problems: list[dict[str, Any]] = []
    for i, conv in enumerate(conversations):
        for j, m in enumerate(conv.messages):
            if len(m.text) > limit:
                problems.append(
                    {
                        "record": i,
                        "field": field or f"messages[{j}].text",
                        "message_id": m.id,
                        "problem": f"{len(m.text):,} characters; the limit is {limit:,}",
                    }
                )
    if problems:
        raise HTTPException(
            413,
            {
                "message": f"nothing was stored: a message is longer than {limit:,} characters "
                "(CALMDESK_MAX_MESSAGE_CHARS sets the limit)",
                "problems": problems,
            },
        )
