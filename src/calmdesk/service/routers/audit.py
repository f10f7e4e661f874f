"""The audit log: the team's entries, and verification of the team's chain, checkpoints and rows.

Verification covers the caller's team only (each team has its own chain), so an admin learns
nothing about other teams, not even how many entries they have."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request

from calmdesk.service.audit_checkpoints import CheckpointFile
from calmdesk.service.deps import Admin, DbSession, Supervisor
from calmdesk.store import audit, audit_checkpoint, audit_verify

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
def verify(principal: Admin, session: DbSession, request: Request) -> dict[str, Any]:
    """Recompute the team's chain, hold it to the desk's signed checkpoints, and re-hash the
    team's messages and cases: `ok` false lists every problem found."""
    file: CheckpointFile = request.app.state.audit_checkpoints
    good, bad = audit_checkpoint.read(file.lines(), file.key)
    report = audit_verify.check_team(session, principal.team, good, bad)
    return report.as_dict()
