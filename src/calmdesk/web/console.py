"""The agent console: the inbox, a conversation with live coaching, and the reply composer.

The coaching panel reads stored labels (see coaching.py), so polling it costs no re-analysis;
the reply composer beside the thread lives in composer.py.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request, Response
from fastapi.responses import HTMLResponse
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from calmdesk.core.taxonomy import AGENT_ANTIPATTERNS, AGENT_MOVES, ESCALATION_SIGNALS
from calmdesk.service.deps import DbSession, Now
from calmdesk.service.routers.conversations import relationship_of
from calmdesk.service.schemas import PathId
from calmdesk.store import cases, conversations, customers, workflow
from calmdesk.store.models import ConversationRow, Customer, MessageRow
from calmdesk.store.models_case import Case
from calmdesk.web import coaching
from calmdesk.web.render import render
from calmdesk.web.session import AgentUser, WebUser

router = APIRouter(prefix="/ui", include_in_schema=False)

#: the inbox reads the most recently active conversations and shows the most urgent of them
INBOX_SIZE, INBOX_SHOWN = 500, 60
#: a conversation active within this window of the team's latest activity is "live"; older
#: ones are history
RECENT = timedelta(days=2)


@dataclass(frozen=True, slots=True)
class ConvItem:
    """One row of a conversation list (the inbox, a dashboard drill-down)."""

    conv: ConversationRow
    customer: str | None
    waiting: bool = False
    case: Case | None = None
    #: in a drill-down: whether this conversation counts toward the figure
    counts: bool = False

    @property
    def risk_level(self) -> str:
        return coaching.risk_level(self.conv.risk)

    @property
    def peak_level(self) -> str:
        return coaching.risk_level(self.conv.peak_risk)


def customer_names(session: Session, team: str, ids: Iterable[int | None]) -> dict[int, str | None]:
    """The names of the customers a list shows (one query, only the rows on the page)."""
    wanted = sorted({i for i in ids if i is not None})
    q = select(Customer.id, Customer.name).where(Customer.team == team, Customer.id.in_(wanted))
    return {i: name for i, name in session.execute(q).all()}


def conversation_or_404(session: Session, user: WebUser, conversation_id: int) -> ConversationRow:
    row = conversations.get(
        session=session, team=user.principal.team, conversation_id=conversation_id
    )
    if row is None:
        raise HTTPException(404, f"no conversation {conversation_id} in your team")
    return row


def case_of(session: Session, row: ConversationRow) -> Case | None:
    """The conversation's open case, else its latest one."""
    open_case = cases.open_case_for(session=session, conv=row)
    if open_case is not None:
        return open_case
    q = select(Case).where(Case.conversation_id == row.id).order_by(Case.id.desc()).limit(1)
    return session.scalars(q).first()


def version(session: Session, row: ConversationRow) -> str:
    """Changes when anything the live panels show changes (a message, a re-analysis, a case
    move), read with two small queries, so a poll that finds it unchanged costs next to nothing."""
    count = session.scalar(
        select(func.count(MessageRow.id)).where(MessageRow.conversation_id == row.id)
    )
    return _stamp(count or 0, row, case_of(session, row))


def _stamp(count: int, row: ConversationRow, case: Case | None) -> str:
    parts = [str(count), str(row.updated_at), str(case.updated_at if case else "")]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:12]


def message_views(msgs: list[MessageRow]) -> list[dict[str, Any]]:
    out = []
    for m in msgs:
        customer = m.role == "customer"
        names = ESCALATION_SIGNALS if customer else AGENT_ANTIPATTERNS
        marks = coaching.marks_of(m.labels or [], names)
        shown = [
            str(lab["name"])
            for lab in coaching.present(m.labels or [])
            if lab.get("name") in (ESCALATION_SIGNALS if customer else AGENT_MOVES)
        ]
        out.append(
            {
                "row": m,
                "segments": coaching.segments(m.text, marks),
                "moves": list(dict.fromkeys(shown)),
                "risk_level": coaching.risk_level(m.risk),
            }
        )
    return out


def relationship_card(
    session: Session, team: str, row: ConversationRow, case: Case | None, now: datetime
) -> dict[str, Any] | None:
    if row.customer_id is None:
        return None
    c = customers.get(session=session, team=team, customer_id=row.customer_id)
    if c is None:
        return None
    rel = relationship_of(session, team, row, now)
    past = rel.get("past_cases", 0) - (1 if case is not None else 0)
    months = (now - c.customer_since).days // 30 if c.customer_since else None
    used = session.scalars(
        select(MessageRow.channel)
        .join(ConversationRow, MessageRow.conversation_id == ConversationRow.id)
        .where(ConversationRow.customer_id == c.id)
        .distinct()
    )
    channels = sorted({*used, row.channel})
    return {
        "customer": c,
        "tenure": None if months is None else f"{months // 12} y {months % 12} m",
        "value": c.value,
        "tier": c.tier,
        "past_cases": max(0, past),
        "goodwill": c.goodwill_given,
        "channels": channels,
    }


def console_context(
    session: Session, user: WebUser, row: ConversationRow, now: datetime
) -> dict[str, Any]:
    """Everything the thread and the coaching panel show, from stored rows (no re-analysis)."""
    msgs = conversations.messages_of(session=session, conversation_id=row.id)
    case = case_of(session, row)
    customer_labels = [m.labels or [] for m in msgs if m.role == "customer"]
    company = [(m.id, m.labels or []) for m in msgs if m.role in ("agent", "supervisor", "bot")]
    risk = msgs[-1].risk if msgs else 0.0
    return {
        "conv": row,
        "messages": message_views(msgs),
        "case": case,
        "sla": cases.breaches(case, now) if case else None,
        "now": now,
        "risk": risk,
        "risk_level": coaching.risk_level(risk),
        "risk_series": [m.risk for m in msgs],
        "mood": coaching.mood(customer_labels),
        "signals": coaching.signals(customer_labels),
        "supervisor_pending": coaching.supervisor_pending([(m.role, m.labels or []) for m in msgs]),
        "steps": coaching.checklist([labels for _, labels in company]),
        "warnings": coaching.warnings(company),
        "card": relationship_card(session, user.principal.team, row, case, now),
        "version": _stamp(len(msgs), row, case),
        "waiting": bool(msgs) and msgs[-1].role == "customer",
    }


@router.get("", response_class=HTMLResponse)
def inbox(request: Request, user: AgentUser, session: DbSession, now: Now) -> HTMLResponse:
    """The team's conversations: those waiting for a reply first, then by escalation risk."""
    team = user.principal.team
    rows = session.scalars(
        select(ConversationRow)
        .where(ConversationRow.team == team)
        .order_by(ConversationRow.updated_at.desc())
        .limit(INBOX_SIZE)
    ).all()
    ids = [r.id for r in rows]
    last = (
        select(MessageRow.conversation_id, func.max(MessageRow.seq).label("seq"))
        .where(MessageRow.conversation_id.in_(ids))
        .group_by(MessageRow.conversation_id)
        .subquery()
    )
    last_roles = dict(
        session.execute(
            select(MessageRow.conversation_id, MessageRow.role).join(
                last,
                (MessageRow.conversation_id == last.c.conversation_id)
                & (MessageRow.seq == last.c.seq),
            )
        ).all()
    )
    names = customer_names(session, team, (r.customer_id for r in rows))
    open_cases = {
        c.conversation_id: c
        for c in session.scalars(
            select(Case).where(
                Case.conversation_id.in_(ids), Case.state.in_(sorted(workflow.OPEN_STATES))
            )
        )
    }
    # "recent" counts back from the team's latest activity, so a quiet week (or a demo
    # database started again days later) still shows its open conversations as the queue
    newest = max((r.updated_at for r in rows), default=now)
    recent = min(now, newest) - RECENT
    items = [
        ConvItem(
            conv=r,
            customer=names.get(r.customer_id) if r.customer_id else None,
            # a weeks-old conversation that ended on the customer is history, not a queue
            waiting=last_roles.get(r.id) == "customer" and r.updated_at >= recent,
            case=open_cases.get(r.id),
        )
        for r in rows
    ]

    def urgency(i: ConvItem) -> tuple[int, float, int]:
        """Waiting first, then other recent ones, then the history; riskiest first."""
        return (
            0 if i.waiting else 1 if i.conv.updated_at >= recent else 2,
            -i.conv.risk,
            -i.conv.id,
        )

    items.sort(key=urgency)
    return render(request, "inbox.html", user, items=items[:INBOX_SHOWN], total=len(items), now=now)


@router.get("/conversations/{conversation_id}", response_class=HTMLResponse)
def console(
    conversation_id: PathId, request: Request, user: AgentUser, session: DbSession, now: Now
) -> HTMLResponse:
    row = conversation_or_404(session, user, conversation_id)
    ctx = console_context(session, user, row, now)
    return render(request, "console.html", user, draft="", check=None, **ctx)


@router.get("/conversations/{conversation_id}/live", response_class=HTMLResponse)
def live(
    conversation_id: PathId,
    request: Request,
    user: AgentUser,
    session: DbSession,
    now: Now,
    v: Annotated[str, Query(max_length=64)] = "",
) -> Response:
    """The thread and (out of band) the coaching panel; 204 when nothing changed since `v`."""
    row = conversation_or_404(session, user, conversation_id)
    if v and v == version(session, row):
        return Response(status_code=204)
    return render(request, "_live.html", user, oob=True, **console_context(session, user, row, now))
