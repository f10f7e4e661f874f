"""The supervisor dashboard's figures, week by week, each traceable to its conversations.

Every figure is computed from rows in one pass and keeps the conversation ids behind it, so a
chart point links to exactly the conversations it counts (the drill-down). Definitions match
`store.metrics.team_metrics`: a conversation escalated when a case opened on it; it de-escalated
when its stored outcome says so (mood recovered, or the customer apologised or thanked).
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from calmdesk.core.taxonomy import AGENT_ANTIPATTERNS
from calmdesk.store.models import ConversationRow, MessageRow
from calmdesk.store.models_case import Case
from calmdesk.web import coaching


def week_start(at: datetime) -> datetime:
    day = at.replace(hour=0, minute=0, second=0, microsecond=0)
    return day - timedelta(days=day.weekday())


def week_key(at: datetime) -> str:
    return week_start(at).strftime("%Y-%m-%d")


@dataclass
class Week:
    key: str
    conversations: list[int] = field(default_factory=list)
    escalated: list[int] = field(default_factory=list)
    deescalated: list[int] = field(default_factory=list)
    ack_minutes: list[float] = field(default_factory=list)
    resolve_minutes: list[float] = field(default_factory=list)

    @property
    def label(self) -> str:
        return datetime.strptime(self.key, "%Y-%m-%d").strftime("%b %d")

    @property
    def escalation_rate(self) -> float | None:
        return len(self.escalated) / len(self.conversations) if self.conversations else None

    @property
    def deescalation_rate(self) -> float | None:
        return len(self.deescalated) / len(self.escalated) if self.escalated else None

    @property
    def median_ack(self) -> float | None:
        return statistics.median(self.ack_minutes) if self.ack_minutes else None

    @property
    def median_resolve(self) -> float | None:
        return statistics.median(self.resolve_minutes) if self.resolve_minutes else None


@dataclass
class AgentRow:
    name: str
    messages: int = 0
    by_label: Counter[str] = field(default_factory=Counter)
    conversations: set[int] = field(default_factory=set)

    @property
    def total(self) -> int:
        return sum(self.by_label.values())

    @property
    def per_ten(self) -> float:
        return 10 * self.total / self.messages if self.messages else 0.0


@dataclass
class StepRow:
    id: str
    title: str
    covered: list[int] = field(default_factory=list)
    missed: list[int] = field(default_factory=list)

    @property
    def share(self) -> float:
        n = len(self.covered) + len(self.missed)
        return len(self.covered) / n if n else 0.0


@dataclass
class Figures:
    since: datetime
    weeks: list[Week]
    agents: list[AgentRow]
    steps: list[StepRow]


def figures(*, session: Session, team: str, now: datetime, weeks: int = 6) -> Figures:
    since = week_start(now) - timedelta(weeks=weeks - 1)
    buckets = {
        week_key(since + timedelta(weeks=i)): Week(week_key(since + timedelta(weeks=i)))
        for i in range(weeks)
    }
    convs = session.execute(
        select(ConversationRow.id, ConversationRow.created_at, ConversationRow.outcome).where(
            ConversationRow.team == team, ConversationRow.created_at >= since
        )
    ).all()
    case_rows = session.execute(
        select(Case.conversation_id, Case.opened_at, Case.acknowledged_at, Case.resolved_at).where(
            Case.team == team, Case.opened_at >= since
        )
    ).all()
    escalated = {r.conversation_id for r in case_rows if r.conversation_id is not None}
    for cid, created, outcome in convs:
        week = buckets.get(week_key(created))
        if week is None:
            continue
        week.conversations.append(cid)
        if cid in escalated:
            week.escalated.append(cid)
            if (outcome or {}).get("deescalated"):
                week.deescalated.append(cid)
    for r in case_rows:
        week = buckets.get(week_key(r.opened_at))
        if week is None:
            continue
        if r.acknowledged_at:
            week.ack_minutes.append((r.acknowledged_at - r.opened_at).total_seconds() / 60)
        if r.resolved_at:
            week.resolve_minutes.append((r.resolved_at - r.opened_at).total_seconds() / 60)
    agents: dict[str, AgentRow] = {}
    step_rows = [StepRow(sid, title) for sid, title, _ in coaching.STEPS]
    company: dict[int, list[list[dict[str, object]]]] = defaultdict(list)
    in_window = {cid for cid, _, _ in convs}
    msgs = session.execute(
        select(MessageRow.conversation_id, MessageRow.author, MessageRow.labels).where(
            MessageRow.team == team,
            MessageRow.role.in_(("agent", "supervisor")),
            MessageRow.conversation_id.in_(in_window) if in_window else MessageRow.id < 0,
        )
    ).all()
    for cid, author, labels in msgs:
        row = agents.setdefault(author, AgentRow(author))
        row.messages += 1
        company[cid].append(labels or [])
        for lab in coaching.present(labels or []):
            if lab.get("name") in AGENT_ANTIPATTERNS:
                row.by_label[str(lab["name"])] += 1
                row.conversations.add(cid)
    for cid in sorted(escalated & in_window):
        for step, done in zip(step_rows, coaching.checklist(company.get(cid, [])), strict=True):
            (step.covered if done.done else step.missed).append(cid)
    ranked = sorted(agents.values(), key=lambda a: (-a.per_ten, a.name))
    return Figures(since, list(buckets.values()), ranked, step_rows)
