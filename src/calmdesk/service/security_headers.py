"""Security headers on every answer of the desk: pages, API, static files, errors.

The pages load scripts only from /ui/static (htmx is vendored; calmdesk.js holds every handler;
no inline script or `on…=` attribute exists), so their Content-Security-Policy allows no inline
script at all. Styles may be inline: the risk meters size themselves with a `style` attribute
and htmx adds its indicator style, neither of which can run code. The Swagger page (/docs) is
FastAPI's HTML with one inline start-up script; it gets the same policy with that script's
SHA-256 added, computed from the page as served, so nothing else inline runs there either.

Who may frame the desk is decided by `frame_ancestors` alone: nobody today (`'none'`, plus
X-Frame-Options DENY for older browsers). Helpdesk embedding will make it per team there.

A route that sets one of these headers itself keeps its own value.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: who may show the desk in a frame, as CSP frame-ancestors sources
FRAME_ANCESTORS = "'none'"

PAGE_POLICY: tuple[tuple[str, str], ...] = (
    ("default-src", "'self'"),
    ("script-src", "'self'"),
    ("style-src", "'self' 'unsafe-inline'"),
    ("img-src", "'self' data:"),
    ("connect-src", "'self'"),
    ("form-action", "'self'"),
    ("base-uri", "'none'"),
    ("object-src", "'none'"),
)
#: pages whose inline scripts are allowed by their hash (Swagger UI's start-up and its
#: OAuth2 redirect page, both written by FastAPI)
HASHED_PATHS = ("/docs", "/docs/oauth2-redirect")
_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S | re.I)


def frame_ancestors(scope: Scope) -> str:
    """Who may frame the answer to `scope`: the one place to make this per team."""
    return FRAME_ANCESTORS


def policy(scope: Scope, script_hashes: Iterable[str] = ()) -> str:
    directives = dict(PAGE_POLICY)
    hashes = " ".join(f"'sha256-{h}'" for h in script_hashes)
    if hashes:
        directives["script-src"] += " " + hashes
    directives["frame-ancestors"] = frame_ancestors(scope)
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def inline_script_hashes(html: bytes) -> list[str]:
    return [
        base64.b64encode(hashlib.sha256(body).digest()).decode("ascii")
        for body in _INLINE_SCRIPT.findall(html)
    ]


def _add(headers: MutableHeaders, scope: Scope, script_hashes: Iterable[str] = ()) -> None:
    headers.setdefault("Content-Security-Policy", policy(scope, script_hashes))
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "no-referrer")
    if frame_ancestors(scope) == "'none'":
        headers.setdefault("X-Frame-Options", "DENY")


class SecurityHeaders:
    """ASGI middleware adding the headers above to every HTTP answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["path"] in HASHED_PATHS:
            await self._hashed(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                _add(MutableHeaders(scope=message), scope)
            await send(message)

        await self.app(scope, receive, with_headers)

    async def _hashed(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Hold the (small) page back until its inline scripts are hashed into the policy."""
        start: Message | None = None
        body: list[bytes] = []

        async def collect(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            body.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            page = b"".join(body)
            _add(MutableHeaders(scope=start), scope, inline_script_hashes(page))
            await send(start)
            await send({"type": "http.response.body", "body": page})

        await self.app(scope, receive, collect)
