"""API keys of the admin's own team: create (the token is shown once), list, revoke."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request

from calmdesk.service.deps import Admin, DbSession, Now, forget_key
from calmdesk.service.schemas import KeyCreate, PathId
from calmdesk.service.views import key_view
from calmdesk.store import audit, keys

router = APIRouter(prefix="/keys", tags=["keys"])


@router.get("")
def list_keys(principal: Admin, session: DbSession) -> dict[str, Any]:
    return {"keys": [key_view(k) for k in keys.list_keys(session=session, team=principal.team)]}


@router.post("", status_code=201)
def create_key(body: KeyCreate, principal: Admin, session: DbSession, now: Now) -> dict[str, Any]:
    """A new key for the admin's team; the response is the only place the token appears."""
    new = keys.create_key(
        session=session, team=principal.team, role=body.role, name=body.name, now=now
    )
    audit.append(
        session=session,
        team=principal.team,
        actor=principal.actor,
        entity="key",
        entity_id=new.key.id,
        action="created",
        data={"role": body.role, "name": body.name},
        at=now,
    )
    session.commit()
    return {**key_view(new.key), "token": new.token}


@router.delete("/{key_id}")
def revoke_key(
    key_id: PathId, request: Request, principal: Admin, session: DbSession, now: Now
) -> dict[str, Any]:
    key = keys.revoke(session=session, key_id=key_id, team=principal.team, now=now)
    if key is None:
        raise HTTPException(404, f"no key {key_id}")
    audit.append(
        session=session,
        team=principal.team,
        actor=principal.actor,
        entity="key",
        entity_id=key.id,
        action="revoked",
        data={},
        at=now,
    )
    session.commit()
    forget_key(request, key.id)
    return key_view(key)
