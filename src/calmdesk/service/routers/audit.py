"""The audit log: the team's entries, and verification of the whole hash chain."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from calmdesk.service.deps import Admin, DbSession, Supervisor
from calmdesk.store import audit

router = APIRouter(prefix="/audit", tags=["audit"])


@router.get("")
def list_entries(
    principal: Supervisor,
    session: DbSession,
    entity: Literal["case", "customer", "message"] | None = None,
    entity_id: Annotated[str | None, Query(max_length=64)] = None,
    after: Annotated[int, Query(ge=0, le=2**62)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> dict[str, Any]:
    """The team's entries in order; page with `after` = the last `seq` seen."""
    rows = audit.entries(
        session=session,
        team=principal.team,
        entity=entity,
        entity_id=entity_id,
        after=after,
        limit=limit,
    )
    return {"entries": [audit.as_dict(e) for e in rows]}


@router.get("/verify")
def verify(principal: Admin, session: DbSession) -> dict[str, Any]:
    """Recompute the chain: `ok` false names the first edited or missing entry."""
    v = audit.verify(session=session)
    return {
        "ok": v.ok,
        "entries": v.entries,
        "broken_at": v.broken_at,
        "problem": v.problem,
        "head": v.head,
    }
