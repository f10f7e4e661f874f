"""The team's settings: escalation threshold, redaction on ingest, the priority formula."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException

from calmdesk.service.deps import Admin, Agent, DbSession, Now, team_of
from calmdesk.service.schemas import TeamUpdate
from calmdesk.service.views import team_view
from calmdesk.store import audit
from calmdesk.store.priority import PriorityConfig

router = APIRouter(prefix="/team", tags=["team"])


@router.get("")
def get_team(principal: Agent, session: DbSession) -> dict[str, Any]:
    team = team_of(session, principal)
    config = PriorityConfig.from_overrides(team.priority_config)
    return {**team_view(team), "effective_priority_config": _plain(config)}


@router.put("")
def update_team(body: TeamUpdate, principal: Admin, session: DbSession, now: Now) -> dict[str, Any]:
    team = team_of(session, principal)
    changes = body.model_dump(exclude_unset=True, exclude_none=True)
    if "priority_config" in changes:
        try:
            PriorityConfig.from_overrides(changes["priority_config"])
        except (ValueError, TypeError) as exc:
            raise HTTPException(422, str(exc)) from exc
    before = {k: getattr(team, k) for k in changes}
    for key, value in changes.items():
        setattr(team, key, value)
    audit.append(
        session=session,
        team=team.name,
        actor=principal.actor,
        entity="team",
        entity_id=team.name,
        action="updated",
        data={"before": before, "after": changes},
        at=now,
    )
    session.commit()
    return team_view(team)


def _plain(config: PriorityConfig) -> dict[str, Any]:
    from dataclasses import asdict

    return {k: dict(v) if hasattr(v, "items") else v for k, v in asdict(config).items()}
