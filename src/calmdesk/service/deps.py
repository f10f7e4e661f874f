"""Request dependencies: one session per request (the route commits), the caller's key, the clock.

Every route declares the least role it needs with `Need("supervisor")` etc.; a key sees only its
own team's rows, because every repository call is given `principal.team`.

GET and HEAD requests get a read-only session (on SQLite it never waits for the write lock). The
key check uses neither: it asks the key cache, else reads the key in a short session of its own,
so a request waiting for its key never holds a connection or a lock another request needs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import Depends, HTTPException, Request, Security
from fastapi.security import APIKeyHeader, APIKeyQuery, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from calmdesk.core.compose.config import TeamConfig
from calmdesk.core.pipeline import Pipeline
from calmdesk.service import ratelimit
from calmdesk.service.key_cache import KeyCache
from calmdesk.store import keys
from calmdesk.store.models import Team

_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="calmdesk API key")
_bearer = HTTPBearer(auto_error=False, description="calmdesk API key as a bearer token")
_query = APIKeyQuery(
    name="api_key", auto_error=False, description="for helpdesks that cannot set headers"
)


#: methods that never change anything, so their session may be read-only
READ_METHODS = frozenset({"GET", "HEAD"})


def get_session(request: Request) -> Iterator[Session]:
    state = request.app.state
    session = (state.read_sessions if request.method in READ_METHODS else state.sessions)()
    try:
        yield session
    finally:
        session.close()


DbSession = Annotated[Session, Depends(get_session)]


def get_clock(request: Request) -> datetime:
    now: datetime = request.app.state.clock()
    return now


Now = Annotated[datetime, Depends(get_clock)]


def get_pipeline(request: Request) -> Pipeline:
    pipeline: Pipeline = request.app.state.pipeline
    return pipeline


PipelineDep = Annotated[Pipeline, Depends(get_pipeline)]


def get_team_config(request: Request) -> TeamConfig:
    config: TeamConfig = request.app.state.team_config
    return config


TeamConfigDep = Annotated[TeamConfig, Depends(get_team_config)]


@dataclass(frozen=True, slots=True)
class Principal:
    key_id: int
    name: str
    role: str
    team: str

    @property
    def actor(self) -> str:
        return f"{self.role}:{self.name}"

    def at_least(self, role: str) -> bool:
        return keys.role_rank(self.role) >= keys.role_rank(role)


def _active_key(request: Request, token: str) -> keys.ActiveKey | None:
    """The key from the cache of verified keys, else from a read-only lookup (then cached)."""
    cache: KeyCache = request.app.state.key_cache
    token_hash = keys.hash_token(token)
    key = cache.get(token_hash)
    if key is None:
        key = keys.lookup_active(sessions=request.app.state.read_sessions, token_hash=token_hash)
        if key is not None:
            cache.put(token_hash, key)
    return key


def _principal(request: Request, token: str | None) -> Principal:
    if not token:
        raise HTTPException(
            401, "missing API key: send it as 'X-API-Key: <key>' or 'Authorization: Bearer <key>'"
        )
    key = _active_key(request, token)
    if key is None:
        raise HTTPException(401, "unknown or revoked API key")
    return Principal(key_id=key.id, name=key.name, role=key.role, team=key.team)


def forget_key(request: Request, key_id: int) -> None:
    """After a revocation: the key stops working in this process at once, not after the TTL."""
    cache: KeyCache = request.app.state.key_cache
    cache.forget(key_id)


def Need(role: str, *, query: bool = False) -> Callable[..., Principal]:
    """A dependency that admits keys of `role` or above (agent < supervisor < admin)."""

    def header_only(
        request: Request,
        header: Annotated[str | None, Security(_header)] = None,
        bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)] = None,
    ) -> Principal:
        token = header or (bearer.credentials if bearer else None)
        return ratelimit.check_key(request, token, lambda: _check(request, token, role))

    def with_query(
        request: Request,
        header: Annotated[str | None, Security(_header)] = None,
        bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)] = None,
        token: Annotated[str | None, Security(_query)] = None,
    ) -> Principal:
        given = header or (bearer.credentials if bearer else None) or token
        return ratelimit.check_key(request, given, lambda: _check(request, given, role))

    dep = with_query if query else header_only
    dep.required_role = role  # type: ignore[attr-defined]
    return dep


def _check(request: Request, token: str | None, role: str) -> Principal:
    p = _principal(request, token)
    if not p.at_least(role):
        raise HTTPException(403, f"this needs a {role} key or above; this key is {p.role}")
    return p


def team_of(session: Session, principal: Principal) -> Team:
    team = session.get(Team, principal.team)
    if team is None:  # keys are only created with their team, so this is a broken database
        raise HTTPException(500, f"team {principal.team!r} of this key does not exist")
    return team


Agent = Annotated[Principal, Depends(Need("agent"))]
Supervisor = Annotated[Principal, Depends(Need("supervisor"))]
Admin = Annotated[Principal, Depends(Need("admin"))]
WebhookAgent = Annotated[Principal, Depends(Need("agent", query=True))]
