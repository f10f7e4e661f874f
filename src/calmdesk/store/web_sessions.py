"""Rows of the web sessions: open at login, read on every page, end at logout or expiry.

The caller hands in the token's keyed hash (calmdesk.web.session), never the token: this layer
cannot tell a cookie from its row, and neither can whoever reads the table.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from calmdesk.store.models import ApiKey, WebSession


def open_session(
    *, session: Session, token_hash: str, key_id: int, now: datetime, lifetime: timedelta
) -> WebSession:
    row = WebSession(
        token_hash=token_hash,
        key_id=key_id,
        created_at=now,
        last_seen_at=now,
        expires_at=now + lifetime,
    )
    session.add(row)
    session.flush()
    return row


def find_live(
    *, session: Session, token_hash: str, now: datetime, idle: timedelta
) -> tuple[WebSession, ApiKey] | None:
    """The session and its key, unless the session ended (logout, idle, lifetime) or the key
    was revoked: a revoked key ends all its sessions with no further step."""
    found = session.execute(
        select(WebSession, ApiKey)
        .join(ApiKey, ApiKey.id == WebSession.key_id)
        .where(WebSession.token_hash == token_hash)
    ).first()
    if found is None:
        return None
    row, key = found
    if row.revoked_at is not None or key.revoked_at is not None:
        return None
    if now >= row.expires_at or now >= row.last_seen_at + idle:
        return None
    return row, key


def due(*, row: WebSession, now: datetime, every: timedelta) -> bool:
    """Whether the idle timer wants moving on: only once per `every`, so reading pages seldom
    writes (and a page read runs in a read-only session, so the move is a write of its own)."""
    return now - row.last_seen_at >= every


def touch(*, session: Session, token_hash: str, now: datetime) -> None:
    """Move a session's idle timer on to `now` (the caller commits)."""
    session.execute(
        update(WebSession).where(WebSession.token_hash == token_hash).values(last_seen_at=now)
    )


def revoke(*, session: Session, token_hash: str, now: datetime) -> None:
    session.execute(
        update(WebSession)
        .where(WebSession.token_hash == token_hash, WebSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )


def purge(*, session: Session, now: datetime) -> None:
    """Drop sessions past their lifetime or logged out, so the table holds live logins only."""
    session.execute(
        delete(WebSession).where(
            or_(WebSession.expires_at <= now, WebSession.revoked_at.is_not(None))
        )
    )
