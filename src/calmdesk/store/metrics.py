"""Team metrics: how often conversations escalate, how often they calm down, how fast cases move.

The de-escalation rate counts escalated conversations whose outcome shows the customer's mood
recovered or the customer apologised or thanked (the service axioms' predicted outcome, P2).
Anti-pattern counts per agent read the stored labels; a team sees the coaching need, by person.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from calmdesk.core.detect.base import PRESENT
from calmdesk.core.taxonomy import AGENT_ANTIPATTERNS
from calmdesk.store.cases import breach_clause
from calmdesk.store.models import ConversationRow, MessageRow
from calmdesk.store.models_case import Case
from calmdesk.store.workflow import OPEN_STATES


def _median_minutes(pairs: list[tuple[datetime, datetime | None]]) -> float | None:
    spans = [(end - start).total_seconds() / 60 for start, end in pairs if end is not None]
    return round(statistics.median(spans), 2) if spans else None


def team_metrics(*, session: Session, team: str, now: datetime) -> dict[str, Any]:
    total = (
        session.scalar(select(func.count(ConversationRow.id)).where(ConversationRow.team == team))
        or 0
    )
    escalated_ids = set(
        session.scalars(
            select(Case.conversation_id).where(Case.team == team, Case.conversation_id.is_not(None))
        )
    )
    outcomes = (
        session.scalars(
            select(ConversationRow.outcome).where(ConversationRow.id.in_(escalated_ids))
        ).all()
        if escalated_ids
        else []
    )
    calmed = sum(1 for o in outcomes if (o or {}).get("deescalated"))
    times = session.execute(
        select(Case.opened_at, Case.acknowledged_at, Case.resolved_at).where(Case.team == team)
    ).all()
    by_state = dict(
        session.execute(
            select(Case.state, func.count(Case.id)).where(Case.team == team).group_by(Case.state)
        ).all()
    )
    by_priority = dict(
        session.execute(
            select(Case.priority, func.count(Case.id))
            .where(Case.team == team, Case.state.in_(sorted(OPEN_STATES)))
            .group_by(Case.priority)
        ).all()
    )
    breached_open = (
        session.scalar(
            select(func.count(Case.id)).where(
                Case.team == team, Case.state.in_(sorted(OPEN_STATES)), breach_clause(now)
            )
        )
        or 0
    )
    return {
        "conversations": total,
        "escalated_conversations": len(escalated_ids),
        "escalation_rate": round(len(escalated_ids) / total, 4) if total else None,
        "deescalated_conversations": calmed,
        "deescalation_rate": round(calmed / len(escalated_ids), 4) if escalated_ids else None,
        "median_minutes_to_acknowledge": _median_minutes([(t[0], t[1]) for t in times]),
        "median_minutes_to_resolve": _median_minutes([(t[0], t[2]) for t in times]),
        "cases_by_state": by_state,
        "open_cases_by_priority": by_priority,
        "open_cases_breaching_sla": breached_open,
        "agents": agent_antipatterns(session=session, team=team),
    }


def agent_antipatterns(*, session: Session, team: str) -> dict[str, dict[str, Any]]:
    """Per agent: messages sent and how many carried each anti-pattern."""
    rows = session.execute(
        select(MessageRow.author, MessageRow.labels).where(
            MessageRow.team == team, MessageRow.role.in_(("agent", "supervisor"))
        )
    ).all()
    sent: Counter[str] = Counter()
    found: dict[str, Counter[str]] = defaultdict(Counter)
    for author, labels in rows:
        sent[author] += 1
        for lab in labels or []:
            if lab.get("name") in AGENT_ANTIPATTERNS and lab.get("confidence", 0) >= PRESENT:
                found[author][lab["name"]] += 1
    return {
        a: {"messages": n, "antipatterns": dict(found[a]), "total": sum(found[a].values())}
        for a, n in sorted(sent.items())
    }
