"""Login sessions for the pages: a signed cookie that names an API key, checked on every request.

The cookie holds `key id . expiry . signature`; the signature (HMAC-SHA256 with the app's session
secret) also covers the key's stored hash, so a cookie cannot be forged or moved to another key,
and revoking the key ends its web sessions at once. The same key record gives the same role and
team as the API, so pages and API can never disagree about who may see what.

CSRF: the cookie is SameSite=Strict, and every POST must also carry a token derived from the
cookie (a hidden form field or the X-CSRF-Token header that HTMX sends).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Any
from urllib.parse import parse_qs, quote

from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session

from calmdesk.service.deps import DbSession, Principal
from calmdesk.store import keys
from calmdesk.store import secrets as stored_secrets
from calmdesk.store.models import ApiKey

COOKIE = "calmdesk_session"
#: a page's form is a reply draft and a few fields; anything larger is refused unread
MAX_FORM_BYTES = 64 * 1024
LIFETIME = timedelta(hours=12)


#: The stored secret's name (`calmdesk.store.secrets`) when CALMDESK_SESSION_SECRET is unset.
STORED_SECRET = "web_session"


def make_secret(configured: str | None, sessions: Callable[[], Session], now: datetime) -> bytes:
    """The configured secret, or the one this desk made for itself and keeps in its database,
    so a restart or a second worker keeps everyone logged in."""
    if configured:
        return configured.encode("utf-8")
    with sessions() as session:
        return stored_secrets.get_or_create(session, STORED_SECRET, now)


def _sign(secret: bytes, body: str) -> str:
    return hmac.new(secret, body.encode("utf-8"), hashlib.sha256).hexdigest()


def issue(secret: bytes, key: ApiKey, now: datetime) -> str:
    """The cookie value for a key that just logged in."""
    body = f"{key.id}.{int((now + LIFETIME).timestamp())}"
    return f"{body}.{_sign(secret, body + '.' + key.token_hash)}"


def read(secret: bytes, session: Session, cookie: str | None, now: datetime) -> ApiKey | None:
    """The active key a cookie belongs to, or None (absent, forged, expired or revoked)."""
    if not cookie:
        return None
    parts = cookie.split(".")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
        return None
    key_id, expires, sig = int(parts[0]), int(parts[1]), parts[2]
    if expires < now.timestamp():
        return None
    key = session.get(ApiKey, key_id)
    if key is None or key.revoked_at is not None:
        return None
    expected = _sign(secret, f"{parts[0]}.{parts[1]}.{key.token_hash}")
    return key if hmac.compare_digest(expected, sig) else None


def csrf_token(secret: bytes, cookie: str) -> str:
    """The form token of one session: only pages served to that session can know it."""
    return _sign(secret, "csrf:" + cookie)[:32]


@dataclass(frozen=True, slots=True)
class WebUser:
    """The logged-in person: the API principal plus what the pages need to render forms."""

    principal: Principal
    csrf: str

    @property
    def is_supervisor(self) -> bool:
        return self.principal.at_least("supervisor")


class LoginRequired(Exception):
    """Raised by page dependencies; the app answers with a redirect to the login page."""

    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


def _secret(request: Request) -> bytes:
    secret: bytes = request.app.state.session_secret
    return secret


def _user(request: Request, session: Session, role: str) -> WebUser:
    cookie = request.cookies.get(COOKIE)
    key = read(_secret(request), session, cookie, request.app.state.clock())
    if key is None or cookie is None:
        if request.method == "GET" and "HX-Request" not in request.headers:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            raise LoginRequired(target)
        raise HTTPException(401, "not logged in (or the session expired): log in again")
    principal = Principal(key_id=key.id, name=key.name, role=key.role, team=key.team)
    if not principal.at_least(role):
        raise HTTPException(403, f"this page needs a {role} key or above; you are {key.role}")
    user = WebUser(principal=principal, csrf=csrf_token(_secret(request), cookie))
    if request.method == "POST":
        sent = request.headers.get("X-CSRF-Token") or request.state.form.get("csrf", "")
        if not hmac.compare_digest(sent.encode("utf-8"), user.csrf.encode("utf-8")):
            raise HTTPException(403, "the form token is missing or stale: reload the page")
    return user


async def parsed_form(request: Request) -> dict[str, str]:
    """The urlencoded form of a POST (what HTMX and plain forms send), first value per name.

    Parsed here rather than with FastAPI's Form(), which needs an extra multipart package for a
    job the standard library does.
    """
    form: dict[str, str] = {}
    if request.method == "POST":
        raw = await request.body()
        if len(raw) > MAX_FORM_BYTES:
            raise HTTPException(413, f"the form is larger than {MAX_FORM_BYTES // 1024} KiB")
        body = raw.decode("utf-8", errors="replace")
        form = {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}
    request.state.form = form
    return form


Form = Annotated[dict[str, str], Depends(parsed_form)]


def need(role: str) -> Any:
    """A dependency admitting logged-in keys of `role` or above (agent < supervisor < admin)."""

    def dep(request: Request, session: DbSession, form: Form) -> WebUser:
        return _user(request, session, role)

    dep.required_role = role  # type: ignore[attr-defined]
    return Depends(dep)


AgentUser = Annotated[WebUser, need("agent")]
SupervisorUser = Annotated[WebUser, need("supervisor")]


def login(session: Session, token: str) -> ApiKey | None:
    """The active key for a pasted token (surrounding spaces forgiven), or None."""
    return keys.find_active(session=session, token=token.strip())


def login_url(next_url: str) -> str:
    return "/ui/login?next=" + quote(next_url, safe="/")
