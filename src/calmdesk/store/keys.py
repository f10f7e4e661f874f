"""API keys and teams. A token is shown once at creation; only its SHA-256 is stored.

Tokens carry 256 bits from `secrets`, so a plain SHA-256 (no salt, no slow hash) is enough:
there is nothing to guess, and a lookup by hash stays one indexed query per request.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from calmdesk.store.models import ApiKey, Team

ROLES: tuple[str, ...] = ("agent", "supervisor", "admin")
TOKEN_PREFIX = "cdk_"


def role_rank(role: str) -> int:
    return ROLES.index(role)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class NewKey:
    key: ApiKey
    #: the only time the token exists outside the caller's hands
    token: str


def ensure_team(*, session: Session, name: str) -> Team:
    team = session.get(Team, name)
    if team is None:
        team = Team(name=name, threshold=0.6, redact=False, priority_config={})
        session.add(team)
        session.flush()
    return team


def create_key(*, session: Session, team: str, role: str, name: str, now: datetime) -> NewKey:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
    if not team.strip():
        raise ValueError("a key needs a team name")
    ensure_team(session=session, name=team)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey(
        token_hash=hash_token(token),
        prefix=token[:10],
        name=name,
        role=role,
        team=team,
        created_at=now,
    )
    session.add(key)
    session.flush()
    return NewKey(key=key, token=token)


def find_active(*, session: Session, token: str) -> ApiKey | None:
    key = session.scalar(select(ApiKey).where(ApiKey.token_hash == hash_token(token)))
    return key if key is not None and key.revoked_at is None else None


@dataclass(frozen=True, slots=True)
class ActiveKey:
    """What a request needs to know about its key: plain values, tied to no session, so it can
    be cached and passed between threads."""

    id: int
    name: str
    role: str
    team: str


def lookup_active(*, sessions: sessionmaker[Session], token_hash: str) -> ActiveKey | None:
    """The active key with this token hash, read in a session of its own that is closed before
    returning: checking a key never keeps a connection (or, on SQLite, a lock) for the request.
    `sessions` should be read-only (`calmdesk.store.db.make_read_sessionmaker`)."""
    with sessions() as session:
        row = session.execute(
            select(ApiKey.id, ApiKey.name, ApiKey.role, ApiKey.team).where(
                ApiKey.token_hash == token_hash, ApiKey.revoked_at.is_(None)
            )
        ).first()
    if row is None:
        return None
    return ActiveKey(id=row.id, name=row.name, role=row.role, team=row.team)


def list_keys(*, session: Session, team: str | None = None) -> list[ApiKey]:
    q = select(ApiKey).order_by(ApiKey.id)
    if team is not None:
        q = q.where(ApiKey.team == team)
    return list(session.scalars(q))


def revoke(*, session: Session, key_id: int, team: str | None, now: datetime) -> ApiKey | None:
    key = session.get(ApiKey, key_id)
    if key is None or (team is not None and key.team != team):
        return None
    if key.revoked_at is None:
        key.revoked_at = now
    return key
