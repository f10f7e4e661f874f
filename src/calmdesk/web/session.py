"""Login sessions for the pages: a random token in the cookie, its session kept on the server.

At login the desk makes a random token, stores only its HMAC under the session key (a file
outside the database, calmdesk.service.secret_files, or CALMDESK_SESSION_SECRET) and sends the
token as the cookie. Every request looks the session up: logout revokes it, revoking the key
ends all its sessions, and a session ends after `idle` without a request or `lifetime` after
its login, whatever the browser keeps. Neither the database alone nor a copy of it yields a
cookie. The session's key gives the same role and team as the API, so pages and API can never
disagree about who may see what.

CSRF: the cookie is SameSite=Strict, and every POST must also carry a token derived from the
cookie (a hidden form field or the X-CSRF-Token header that HTMX sends).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qs, quote

from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session

from calmdesk.service import secret_files
from calmdesk.service.deps import DbSession, Principal
from calmdesk.service.settings import Settings
from calmdesk.store import keys, web_sessions
from calmdesk.store.models import ApiKey

COOKIE = "calmdesk_session"
#: a page's form is a reply draft and a few fields; anything larger is refused unread
MAX_FORM_BYTES = 64 * 1024
#: the session key's file in the secrets folder when CALMDESK_SESSION_SECRET is unset
SECRET_NAME = "web_session"
#: random bytes in a session token
TOKEN_BYTES = 32


@dataclass(frozen=True, slots=True)
class Lifetimes:
    idle: timedelta
    lifetime: timedelta

    @property
    def touch_every(self) -> timedelta:
        """How stale `last seen` may get: a write per minute at most, well inside `idle`."""
        return min(timedelta(minutes=1), self.idle / 10)

    @staticmethod
    def of(settings: Settings) -> Lifetimes:
        return Lifetimes(
            idle=timedelta(minutes=settings.session_idle_minutes),
            lifetime=timedelta(hours=settings.session_hours),
        )


def make_secret(configured: str | None, directory: Path) -> bytes:
    """The configured secret, or the desk's own key file (made on first start), so a restart
    or a second worker keeps everyone logged in."""
    if configured:
        return configured.encode("utf-8")
    return secret_files.load_or_create(directory, SECRET_NAME)


def _sign(secret: bytes, body: str) -> str:
    return hmac.new(secret, body.encode("utf-8"), hashlib.sha256).hexdigest()


def _token_hash(secret: bytes, token: str) -> str:
    return _sign(secret, "session:" + token)


def issue(session: Session, secret: bytes, key: ApiKey, now: datetime, times: Lifetimes) -> str:
    """Open a session for a key that just logged in; the cookie value (shown only now)."""
    web_sessions.purge(session=session, now=now)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    web_sessions.open_session(
        session=session,
        token_hash=_token_hash(secret, token),
        key_id=key.id,
        now=now,
        lifetime=times.lifetime,
    )
    return token


def read(
    secret: bytes,
    session: Session,
    cookie: str | None,
    now: datetime,
    times: Lifetimes,
    writer: Callable[[], Session],
) -> ApiKey | None:
    """The active key a cookie's live session belongs to, or None (absent, unknown, logged
    out, expired, or its key revoked). Moving the idle timer on is a short write of its own
    (`writer`), because a page read runs in a read-only session."""
    if not cookie or len(cookie) > 128:
        return None
    found = web_sessions.find_live(
        session=session, token_hash=_token_hash(secret, cookie), now=now, idle=times.idle
    )
    if found is None:
        return None
    row, key = found
    if web_sessions.due(row=row, now=now, every=times.touch_every):
        with writer() as w:
            web_sessions.touch(session=w, token_hash=row.token_hash, now=now)
            w.commit()
    return key


def end(secret: bytes, session: Session, cookie: str, now: datetime) -> None:
    """Log out: the session is revoked on the server, so the cookie is dead wherever it is."""
    web_sessions.revoke(session=session, token_hash=_token_hash(secret, cookie), now=now)


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
    times: Lifetimes = request.app.state.session_lifetimes
    key = read(
        _secret(request),
        session,
        cookie,
        request.app.state.clock(),
        times,
        writer=request.app.state.sessions,
    )
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
