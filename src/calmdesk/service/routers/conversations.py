"""Stored conversations: messages with their labels, re-analysis and the scorecard.

Reply suggestions (`suggest`) belong to the composer, which is not built yet; the route will
join this router when it is.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query
from sqlalchemy.orm import Session

from calmdesk.core.serialize import analysis_dict, label_dict, scorecard_dict
from calmdesk.service.deps import Agent, DbSession, Now, PipelineDep
from calmdesk.service.schemas import PathId, QueryId
from calmdesk.service.views import conversation_view, message_view
from calmdesk.store import conversations
from calmdesk.store.models import ConversationRow

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
