"""Stored conversations: messages with their labels, re-analysis, the scorecard and the next
reply drafted by the composer with the customer's stored relationship (P4a)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query
from sqlalchemy.orm import Session

from calmdesk.core.compose.suggest import suggest as draft_reply
from calmdesk.core.compose.views import suggestion_dict
from calmdesk.core.model import Conversation
from calmdesk.core.serialize import analysis_dict, label_dict, scorecard_dict
from calmdesk.service.deps import Agent, DbSession, Now, PipelineDep, TeamConfigDep
from calmdesk.service.schemas import PathId, QueryId
from calmdesk.service.views import conversation_view, message_view
from calmdesk.store import conversations, customers
from calmdesk.store.models import ConversationRow, MessageRow

router = APIRouter(prefix="/conversations", tags=["conversations"])


def _conv(session: Session, team: str, conversation_id: int) -> ConversationRow:
    row = conversations.get(session=session, team=team, conversation_id=conversation_id)
    if row is None:
        raise HTTPException(404, f"no conversation {conversation_id}")
    return row


@router.get("")
def list_conversations(
    principal: Agent,
    session: DbSession,
    customer_id: QueryId = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> dict[str, Any]:
    rows = conversations.list_conversations(
        session=session, team=principal.team, customer_id=customer_id, limit=limit, offset=offset
    )
    return {"conversations": [conversation_view(c) for c in rows]}


@router.get("/{conversation_id}")
def get_conversation(
    conversation_id: PathId, principal: Agent, session: DbSession
) -> dict[str, Any]:
    """The conversation with every message, its labels (with evidence) and the risk after it."""
    row = _conv(session, principal.team, conversation_id)
    msgs = conversations.messages_of(session=session, conversation_id=row.id)
    return {**conversation_view(row), "messages": [message_view(m) for m in msgs]}


@router.post("/{conversation_id}/analyze")
def analyze(
    conversation_id: PathId, principal: Agent, session: DbSession, pipeline: PipelineDep, now: Now
) -> dict[str, Any]:
    """Re-run the current detectors over the stored conversation and store the new labels."""
    row = _conv(session, principal.team, conversation_id)
    msgs = conversations.messages_of(session=session, conversation_id=row.id)
    if not msgs:
        raise HTTPException(409, "the conversation has no messages")
    analysis = pipeline.analyze(conversations.as_core(row, msgs))
    for m, ma in zip(msgs, analysis.messages, strict=True):
        m.labels = [label_dict(lab) for lab in ma.labels]
        m.risk = ma.risk
    conversations.summarise(row, analysis, now)
    session.commit()
    return {"id": row.id, **analysis_dict(analysis)}


@router.get("/{conversation_id}/score")
def score(
    conversation_id: PathId, principal: Agent, session: DbSession, pipeline: PipelineDep
) -> dict[str, Any]:
    """The playbook scorecard of the stored conversation (0-100, each criterion with evidence)."""
    row = _conv(session, principal.team, conversation_id)
    msgs = conversations.messages_of(session=session, conversation_id=row.id)
    if not msgs:
        raise HTTPException(409, "the conversation has no messages")
    analysis = pipeline.analyze(conversations.as_core(row, msgs))
    return {"id": row.id, "scorecard": scorecard_dict(analysis.scorecard)}


def for_composer(
    session: Session, team: str, row: ConversationRow, msgs: list[MessageRow], now: datetime
) -> Conversation:
    """The stored conversation with its customer's relationship, as the composer drafts from."""
    conv = conversations.as_core(row, msgs)
    relationship = relationship_of(session, team, row, now)
    if relationship:
        conv = replace(conv, metadata={**conv.metadata, "customer": relationship})
    return conv


def relationship_of(
    session: Session, team: str, row: ConversationRow, now: datetime
) -> dict[str, Any]:
    """The stored customer as the composer reads `metadata.customer` (tenure, tier, value...)."""
    if row.customer_id is None:
        return {}
    c = customers.get(session=session, team=team, customer_id=row.customer_id)
    if c is None:
        return {}
    tenure = (now - c.customer_since).days / 365.25 if c.customer_since else 0.0
    return {
        "tenure_years": max(0, int(tenure)),  # whole years, as a customer counts them
        "tier": c.tier,
        "lifetime_value": c.value,
        "past_cases": customers.case_count(session=session, customer_id=c.id),
        "goodwill_given": c.goodwill_given,
    }


@router.post("/{conversation_id}/suggest")
def suggest(
    conversation_id: PathId,
    principal: Agent,
    session: DbSession,
    pipeline: PipelineDep,
    team_config: TeamConfigDep,
    now: Now,
    seed: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> dict[str, Any]:
    """The agent's next reply in the playbook's five steps, checked by calmdesk's own analysis.

    The draft uses the team's knowledge base and remedy catalogue and the customer's stored
    relationship (tenure, tier, value, past cases, goodwill given); `self_check.passed` is false,
    with the problems listed, when no attempt passed.
    """
    row = _conv(session, principal.team, conversation_id)
    msgs = conversations.messages_of(session=session, conversation_id=row.id)
    if not msgs:
        raise HTTPException(409, "the conversation has no messages")
    conv = for_composer(session, principal.team, row, msgs, now)
    result = draft_reply(conv, team_config, pipeline, seed=seed)
    return {"id": row.id, **suggestion_dict(result)}
