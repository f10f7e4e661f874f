"""Team metrics for supervisors: escalation and de-escalation rates, speed, coaching needs."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from calmdesk.service.deps import DbSession, Now, Supervisor
from calmdesk.store.metrics import team_metrics

router = APIRouter(tags=["metrics"])


@router.get("/metrics")
def metrics(principal: Supervisor, session: DbSession, now: Now) -> dict[str, Any]:
    """Escalation rate, de-escalation rate, median minutes to acknowledge and resolve, open
    cases by priority and SLA breach, and anti-pattern counts per agent, for the key's team."""
    return {"team": principal.team, **team_metrics(session=session, team=principal.team, now=now)}
