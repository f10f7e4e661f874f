"""The supervisor dashboard: the escalation queue (priority, then SLA), filters, team charts with
a drill-down from every point to the conversations behind it.

Charts are inline SVG drawn on the server by the same helpers as the batch report; each has its
figures in a table beside it, so nothing depends on seeing colour or on script.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from calmdesk.charts import bar_chart, line_chart
from calmdesk.service.deps import DbSession, Now
from calmdesk.store import cases, workflow
from calmdesk.store.models import ConversationRow
from calmdesk.store.models_case import Case
from calmdesk.store.priority import PRIORITIES
from calmdesk.web.console import ConvItem, customer_names
from calmdesk.web.dashboard_data import Figures, figures
from calmdesk.web.render import render
from calmdesk.web.session import SupervisorUser

router = APIRouter(prefix="/ui/dashboard", include_in_schema=False)

#: agents with fewer replies in the window stay out of the per-agent chart (a rate of one reply
#: says nothing); the figures table beside it lists everyone
MIN_REPLIES = 5
#: the charts' drawing width: narrower than the report's, so text stays legible in a half column
CHART_WIDTH = 560
ESCALATED, DEESCALATED = "escalation rate", "de-escalation rate"
ACK, RESOLVE = "median minutes to acknowledge", "median minutes to resolve"


def _drill(weeks: int, **params: str) -> str:
    """The drill-down link of one chart point (with the dashboard's window, so it finds it)."""
    return "/ui/dashboard/drill?" + urlencode({**params, "weeks": str(weeks)})


def next_deadline(case: Case, now: datetime) -> datetime:
    """The SLA deadline the case is racing now: acknowledgement first, then resolution."""
    return case.ack_due if case.acknowledged_at is None else case.resolve_due


@dataclass(frozen=True, slots=True)
class QueueItem:
    case: Case
    customer: str | None
    #: the SLA deadline the case races now
    deadline: datetime
    breached: bool


def queue(
    session: Session, team: str, now: datetime, filters: cases.CaseFilter, open_only: bool
) -> list[QueueItem]:
    rows = cases.list_cases(session=session, team=team, filters=filters, now=now, limit=500)
    if open_only and not filters.state:
        rows = [c for c in rows if c.state in workflow.OPEN_STATES]
    names = customer_names(session, team, (c.customer_id for c in rows))
    items = [
        QueueItem(
            case=c,
            customer=names.get(c.customer_id) if c.customer_id else None,
            deadline=next_deadline(c, now),
            breached=any(cases.breaches(c, now).values()),
        )
        for c in rows
    ]
    items.sort(key=lambda i: (i.case.priority, i.deadline))
    return items


def charts(f: Figures, weeks: int) -> dict[str, Markup]:
    labels = [w.label for w in f.weeks]
    keys = [w.key for w in f.weeks]
    rates = line_chart(
        labels,
        {
            ESCALATED: [w.escalation_rate for w in f.weeks],
            DEESCALATED: [w.deescalation_rate for w in f.weeks],
        },
        links={
            ESCALATED: [_drill(weeks, metric="escalated", week=k) for k in keys],
            DEESCALATED: [_drill(weeks, metric="deescalated", week=k) for k in keys],
        },
        label="Escalation and de-escalation rate per week",
        width=CHART_WIDTH,
    )
    speed = line_chart(
        labels,
        {ACK: [w.median_ack for w in f.weeks], RESOLVE: [w.median_resolve for w in f.weeks]},
        percent=False,
        links={
            ACK: [_drill(weeks, metric="acknowledge", week=k) for k in keys],
            RESOLVE: [_drill(weeks, metric="resolve", week=k) for k in keys],
        },
        label="Median minutes to acknowledge and to resolve a case, per week",
        width=CHART_WIDTH,
    )
    agents = [a for a in f.agents if a.messages >= MIN_REPLIES]
    per_agent = bar_chart(
        [f"{a.name} ({a.messages} replies)" for a in agents],
        {"anti-patterns per 10 replies": [a.per_ten for a in agents]},
        percent=False,
        links={
            "anti-patterns per 10 replies": [
                _drill(weeks, metric="agent", agent=a.name) for a in agents
            ]
        },
        label="Anti-patterns per 10 replies, by agent",
        width=CHART_WIDTH,
        label_width=170,
    )
    coverage = bar_chart(
        [s.title for s in f.steps],
        {"escalations covering the step": [s.share for s in f.steps]},
        links={
            "escalations covering the step": [
                _drill(weeks, metric="step", step=s.id) for s in f.steps
            ]
        },
        label="Playbook-step coverage in escalated conversations",
        width=CHART_WIDTH,
        label_width=220,
    )
    return {
        "rates": Markup(rates),
        "speed": Markup(speed),
        "agents": Markup(per_agent) if agents else Markup("<p>No replies yet.</p>"),
        "coverage": Markup(coverage),
    }


@router.get("", response_class=HTMLResponse)
def dashboard(
    request: Request,
    user: SupervisorUser,
    session: DbSession,
    now: Now,
    state: Annotated[str, Query(max_length=32)] = "",
    priority: Annotated[str, Query(max_length=2)] = "",
    owner: Annotated[str, Query(max_length=256)] = "",
    breached: Annotated[str, Query(max_length=3)] = "",
    weeks: Annotated[int, Query(ge=2, le=26)] = 6,
) -> HTMLResponse:
    """The queue (open cases unless a state is chosen), then the team's charts."""
    if state and state not in workflow.STATES:
        raise HTTPException(422, f"state: expected one of {', '.join(workflow.STATES)}")
    if priority and priority not in PRIORITIES:
        raise HTTPException(422, "priority: expected P1, P2, P3 or P4")
    filters = cases.CaseFilter(
        state or None,
        priority or None,
        owner or None,
        {"yes": True, "no": False}.get(breached),
    )
    team = user.principal.team
    f = figures(session=session, team=team, now=now, weeks=weeks)
    return render(
        request,
        "dashboard.html",
        user,
        now=now,
        queue=queue(session, team, now, filters, open_only=True),
        filters={"state": state, "priority": priority, "owner": owner, "breached": breached},
        states=workflow.STATES,
        priorities=PRIORITIES,
        weeks=weeks,
        f=f,
        charts=charts(f, weeks),
        min_replies=MIN_REPLIES,
    )


@router.get("/drill", response_class=HTMLResponse)
def drill(
    request: Request,
    user: SupervisorUser,
    session: DbSession,
    now: Now,
    metric: Annotated[str, Query(max_length=32)],
    week: Annotated[str, Query(max_length=10)] = "",
    agent: Annotated[str, Query(max_length=256)] = "",
    step: Annotated[str, Query(max_length=32)] = "",
    weeks: Annotated[int, Query(ge=2, le=26)] = 6,
) -> HTMLResponse:
    """The conversations behind one chart point, each saying whether and why it counts."""
    team = user.principal.team
    f = figures(session=session, team=team, now=now, weeks=weeks)
    title, counted, context = _drill_set(f, metric, week, agent, step)
    rows = session.scalars(
        select(ConversationRow).where(
            ConversationRow.team == team, ConversationRow.id.in_(list(context))
        )
    ).all()
    names = customer_names(session, team, (r.customer_id for r in rows))
    case_by_conv = {
        c.conversation_id: c
        for c in session.scalars(
            select(Case).where(Case.team == team, Case.conversation_id.in_(list(context)))
        )
    }
    items = [
        ConvItem(
            conv=r,
            customer=names.get(r.customer_id) if r.customer_id else None,
            case=case_by_conv.get(r.id),
            counts=r.id in counted,
        )
        for r in rows
    ]
    items.sort(key=lambda i: (not i.counts, -i.conv.peak_risk))
    return render(
        request,
        "drill.html",
        user,
        title=title,
        items=items,
        counted=len(counted),
        total=len(context),
    )


def _drill_set(
    f: Figures, metric: str, week: str, agent: str, step: str
) -> tuple[str, set[int], set[int]]:
    """(title, the ids the figure counts, the ids it is computed over)."""
    if metric in ("escalated", "deescalated", "acknowledge", "resolve"):
        w = next((w for w in f.weeks if w.key == week), None)
        if w is None:
            raise HTTPException(404, f"week {week!r} is not on the dashboard")
        if metric == "escalated":
            return (
                f"Week of {w.label}: escalated conversations",
                set(w.escalated),
                set(w.conversations),
            )
        if metric == "deescalated":
            return (
                f"Week of {w.label}: escalations that calmed down",
                set(w.deescalated),
                set(w.escalated),
            )
        what = "acknowledged" if metric == "acknowledge" else "resolved"
        return (
            f"Week of {w.label}: escalations ({what} ones count)",
            set(w.escalated),
            set(w.escalated),
        )
    if metric == "agent":
        a = next((a for a in f.agents if a.name == agent), None)
        if a is None:
            raise HTTPException(404, f"no replies by {agent!r} in these weeks")
        labels = ", ".join(f"{n} × {c}" for n, c in a.by_label.most_common())
        return (
            f"{a.name}: conversations with an anti-pattern ({labels or 'none'})",
            set(a.conversations),
            set(a.conversations),
        )
    if metric == "step":
        s = next((s for s in f.steps if s.id == step), None)
        if s is None:
            raise HTTPException(404, f"no playbook step {step!r}")
        return (
            f"{s.title}: escalated conversations that cover it (listed first) and miss it",
            set(s.covered),
            set(s.covered) | set(s.missed),
        )
    raise HTTPException(
        422, "metric: expected escalated, deescalated, acknowledge, resolve, agent or step"
    )
