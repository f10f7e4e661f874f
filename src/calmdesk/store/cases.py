"""Escalation cases: when they open, how urgent they are, and every change made to them.

A case opens when a new message pushes the escalation risk to the team's threshold
(`ThresholdPolicy`) or carries one of the signals that always escalate (OPEN_ON). It gets a
priority from `priority.py`, an owner (the agent in the conversation), the SLA deadlines of its
priority, an ETA (the latest resolve time, P1: promise what can be kept) and a first action item.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from calmdesk.core.forecast import ThresholdPolicy
from calmdesk.core.pipeline import Analysis
from calmdesk.core.taxonomy import ESCALATION_SIGNALS
from calmdesk.store import case_changes, workflow
from calmdesk.store.models import ConversationRow, Customer, Team
from calmdesk.store.models_case import Case
from calmdesk.store.priority import (
    PriorityConfig,
    PriorityInputs,
    deadlines,
    higher,
    priority,
    severity_of,
    value_of,
)

#: signals that open a case whatever the risk (P5: never block a supervisor request)
OPEN_ON: tuple[str, ...] = (
    "supervisor_request",
    "abuse_toward_agent",
    "legal_threat",
    "public_threat",
)
FIRST_ACTION = "Acknowledge the customer's feelings, then offer at least two alternatives"
TAKEOVER_ACTION = "Supervisor takes over the conversation (abuse toward the agent)"


def open_case_for(*, session: Session, conv: ConversationRow) -> Case | None:
    q = select(Case).where(
        Case.conversation_id == conv.id, Case.state.in_(sorted(workflow.OPEN_STATES))
    )
    return session.scalars(q.order_by(Case.id.desc()).limit(1)).first()


def _signals(analysis: Analysis) -> dict[str, float]:
    best: dict[str, float] = {}
    for ma in analysis.messages:
        if not ma.message.is_customer:
            continue
        for lab in ma.present():
            if lab.name in ESCALATION_SIGNALS:
                best[lab.name] = max(best.get(lab.name, 0.0), lab.confidence)
    return best


def _reasons(analysis: Analysis, first_new: int, threshold: float) -> list[str]:
    reasons: list[str] = []
    for ma in analysis.messages[first_new:]:
        if ma.message.is_customer:
            reasons += [lab.name for lab in ma.present() if lab.name in OPEN_ON]
    risks = [ma.risk for ma in analysis.messages[first_new:]]
    if ThresholdPolicy(threshold).first_crossing(risks) is not None:
        reasons.append(f"risk>={threshold:g}")
    return list(dict.fromkeys(reasons))


def _owner(analysis: Analysis) -> str | None:
    agents = [ma.message.author for ma in analysis.messages if ma.message.role == "agent"]
    return agents[-1] if agents else None


def inputs_for(
    analysis: Analysis, customer: Customer | None, config: PriorityConfig
) -> PriorityInputs:
    signals = _signals(analysis)
    return PriorityInputs(
        severity=severity_of(analysis.peak_risk, signals),
        value=value_of(customer.tier, customer.value, config) if customer else 0.0,
        time_pressure=signals.get("time_pressure", 0.0),
    )


def consider(
    *,
    session: Session,
    team: Team,
    conv: ConversationRow,
    analysis: Analysis,
    first_new: int,
    actor: str,
    now: datetime,
) -> tuple[Case | None, bool]:
    """Open a case, or raise the open one, if the new messages call for it. (case, opened?)"""
    existing = open_case_for(session=session, conv=conv)
    reasons = _reasons(analysis, first_new, team.threshold)
    if not reasons:
        return existing, False
    config = PriorityConfig.from_overrides(team.priority_config)
    customer = session.get(Customer, conv.customer_id) if conv.customer_id else None
    inputs = inputs_for(analysis, customer, config)
    prio = priority(inputs, config)
    if existing is not None:
        raised = higher(existing.priority, prio)
        added = [r for r in reasons if r not in existing.reasons]
        if raised == existing.priority and not added:
            return existing, False
        before = existing.priority
        existing.priority = raised
        existing.reasons = [*existing.reasons, *added]
        existing.priority_inputs = inputs.as_dict()
        existing.ack_due, existing.resolve_due = deadlines(existing.opened_at, raised, config)
        existing.eta = min(existing.eta, existing.resolve_due)
        if "abuse_toward_agent" in added:
            existing.needs_supervisor = True
        existing.updated_at = now
        case_changes.record(
            session,
            existing,
            actor,
            "escalated",
            {"priority": [before, raised], "reasons": added},
            now,
        )
        return existing, False
    ack_due, resolve_due = deadlines(now, prio, config)
    owner = _owner(analysis)
    case = Case(
        team=team.name,
        conversation_id=conv.id,
        customer_id=conv.customer_id,
        title=f"Escalation in conversation {conv.external_id}: {', '.join(reasons)}",
        state="new",
        priority=prio,
        priority_inputs=inputs.as_dict(),
        reasons=reasons,
        owner=owner,
        needs_supervisor="abuse_toward_agent" in reasons,
        risk_at_open=analysis.risk,
        eta=resolve_due,
        ack_due=ack_due,
        resolve_due=resolve_due,
        opened_at=now,
        updated_at=now,
    )
    session.add(case)
    session.flush()
    case_changes.record(
        session,
        case,
        actor,
        "opened",
        {"priority": prio, "reasons": reasons, "owner": owner, "inputs": inputs.as_dict()},
        now,
    )
    case_changes.add_action(
        session=session,
        case=case,
        text=FIRST_ACTION,
        owner=owner,
        due=ack_due,
        actor=actor,
        now=now,
    )
    if case.needs_supervisor:
        case_changes.add_action(
            session=session,
            case=case,
            text=TAKEOVER_ACTION,
            owner=None,
            due=ack_due,
            actor=actor,
            now=now,
        )
    return case, True


def open_manual(
    *,
    session: Session,
    team: Team,
    title: str,
    customer_id: int | None,
    conversation_id: int | None,
    prio: str,
    owner: str | None,
    actor: str,
    now: datetime,
) -> Case:
    """A case a person opens by hand (a phone call, an email outside any connected channel)."""
    config = PriorityConfig.from_overrides(team.priority_config)
    ack_due, resolve_due = deadlines(now, prio, config)
    case = Case(
        team=team.name,
        conversation_id=conversation_id,
        customer_id=customer_id,
        title=title,
        state="new",
        priority=prio,
        priority_inputs={},
        reasons=["manual"],
        owner=owner,
        eta=resolve_due,
        ack_due=ack_due,
        resolve_due=resolve_due,
        opened_at=now,
        updated_at=now,
    )
    session.add(case)
    session.flush()
    case_changes.record(
        session,
        case,
        actor,
        "opened",
        {"priority": prio, "reasons": ["manual"], "owner": owner},
        now,
    )
    return case


def get(*, session: Session, team: str, case_id: int, for_update: bool = False) -> Case | None:
    """`for_update` locks the row until commit (PostgreSQL; SQLite has one writer at a time), so
    two edits of one case take turns and each sees the state the other left."""
    case = session.get(Case, case_id, with_for_update=for_update or None)
    return case if case is not None and case.team == team else None


@dataclass(frozen=True, slots=True)
class CaseFilter:
    state: str | None = None
    priority: str | None = None
    owner: str | None = None
    breached: bool | None = None
    customer_id: int | None = None


def breach_clause(now: datetime) -> Any:
    """SQL for 'an SLA target was missed': not acknowledged or not resolved in time."""
    ack = or_(
        and_(Case.acknowledged_at.is_(None), Case.ack_due < now),
        Case.acknowledged_at > Case.ack_due,
    )
    res = or_(
        and_(Case.resolved_at.is_(None), Case.resolve_due < now),
        Case.resolved_at > Case.resolve_due,
    )
    return or_(ack, res)


def list_cases(
    *,
    session: Session,
    team: str,
    filters: CaseFilter,
    now: datetime,
    limit: int = 50,
    offset: int = 0,
) -> Sequence[Case]:
    q = select(Case).where(Case.team == team)
    f = filters
    if f.state:
        q = q.where(Case.state == f.state)
    if f.priority:
        q = q.where(Case.priority == f.priority)
    if f.owner:
        q = q.where(Case.owner == f.owner)
    if f.customer_id is not None:
        q = q.where(Case.customer_id == f.customer_id)
    if f.breached is not None:
        clause = breach_clause(now)
        q = q.where(clause if f.breached else ~clause)
    return session.scalars(
        q.order_by(Case.priority, Case.opened_at).limit(limit).offset(offset)
    ).all()


def breaches(case: Case, now: datetime) -> dict[str, bool]:
    ack_at = case.acknowledged_at or now
    res_at = case.resolved_at or now
    return {"acknowledge": ack_at > case.ack_due, "resolve": res_at > case.resolve_due}
