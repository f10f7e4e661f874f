"""The reply composer of the agent console: draft check, rewrite, suggestion and send.

The draft is read as the next reply of the stored conversation by the same pipeline and rewrite
code the API and CLI use, and "Send" stores the reply through the API's ingest transaction, so
the case, audit trail and metrics move exactly as they would for a helpdesk webhook.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from calmdesk.core.compose.rewrite import rewrite
from calmdesk.core.compose.suggest import suggest as draft_reply
from calmdesk.core.model import Conversation, Message, Role
from calmdesk.core.serialize import label_dict
from calmdesk.service import ingesting
from calmdesk.service.deps import DbSession, Now, PipelineDep, TeamConfigDep
from calmdesk.service.routers.conversations import for_composer
from calmdesk.service.schemas import PathId
from calmdesk.store import conversations
from calmdesk.store.models import ConversationRow, MessageRow
from calmdesk.web import coaching
from calmdesk.web.console import conversation_or_404
from calmdesk.web.render import render
from calmdesk.web.session import AgentUser, WebUser

router = APIRouter(prefix="/ui", include_in_schema=False)

#: the longest reply the composer accepts (a chat reply is short), unless the desk's message
#: limit (CALMDESK_MAX_MESSAGE_CHARS) is shorter still
MAX_DRAFT = 5000


def _draft_text(request: Request) -> str:
    text: str = request.state.form.get("draft", "").replace("\r\n", "\n")
    limit = min(MAX_DRAFT, request.app.state.settings.max_message_chars)
    if len(text) > limit:
        raise HTTPException(
            413, f"the reply (draft) is {len(text):,} characters; the limit is {limit:,}"
        )
    return text


def _with_draft(
    row: ConversationRow, msgs: list[MessageRow], user: WebUser, text: str
) -> Conversation:
    conv = conversations.as_core(row, msgs)
    role: Role = "supervisor" if user.is_supervisor else "agent"
    channel = msgs[-1].channel if msgs else row.channel
    draft = Message(id="draft", author=user.principal.name, role=role, text=text, channel=channel)
    return replace(conv, messages=(*conv.messages, draft))


def check_draft(
    request: Request, session: Session, user: WebUser, row: ConversationRow, text: str
) -> dict[str, Any] | None:
    """The draft read as the next reply: anti-patterns marked (with why) and a checked rewrite,
    the playbook steps it covers, and the risk if it were sent as it is."""
    if not text.strip():
        return None
    pipeline = request.app.state.pipeline
    msgs = conversations.messages_of(session=session, conversation_id=row.id)
    context = conversations.as_core(row, msgs)
    fixed = rewrite(text, request.app.state.team_config, pipeline, conversation=context)
    analysis = pipeline.analyze(_with_draft(row, msgs, user, text))
    mine = [label_dict(lab) for lab in analysis.messages[-1].labels]
    before = [m.labels or [] for m in msgs if m.role != "customer"]
    steps_before = {s.id for s in coaching.checklist(before) if s.done}
    steps = coaching.checklist([*before, mine])
    return {
        "segments": coaching.segments(
            text, [(s.start, s.end, m.label) for m in fixed.marks for s in m.spans]
        ),
        "marks": fixed.marks,
        "replacement": fixed.replacement if fixed.marks else None,
        "replacement_ok": fixed.passed,
        "steps": steps,
        "new_steps": [s for s in steps if s.done and s.id not in steps_before],
        "risk_now": msgs[-1].risk if msgs else 0.0,
        "risk_after": analysis.risk,
    }


def _composer(
    request: Request,
    user: WebUser,
    session: Session,
    row: ConversationRow,
    text: str,
    *,
    focus: bool,
    note: str = "",
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    return render(
        request,
        "_composer.html",
        user,
        headers=headers,
        conv=row,
        draft=text,
        check=check_draft(request, session, user, row, text),
        focus=focus,
        note=note,
    )


@router.post("/conversations/{conversation_id}/draft", response_class=HTMLResponse)
def draft(
    conversation_id: PathId, request: Request, user: AgentUser, session: DbSession
) -> HTMLResponse:
    """The check of the draft as typed (debounced by the page), for the composer's check area."""
    row = conversation_or_404(session, user, conversation_id)
    text = _draft_text(request)
    check = check_draft(request, session, user, row, text)
    return render(request, "_draft_check.html", user, conv=row, check=check)


@router.post("/conversations/{conversation_id}/rewrite", response_class=HTMLResponse)
def rewrite_draft(
    conversation_id: PathId, request: Request, user: AgentUser, session: DbSession
) -> HTMLResponse:
    """The composer again, its draft replaced by calmdesk's checked rewrite."""
    row = conversation_or_404(session, user, conversation_id)
    text = _draft_text(request)
    if not text.strip():
        return _composer(request, user, session, row, "", focus=True, note="empty")
    msgs = conversations.messages_of(session=session, conversation_id=row.id)
    fixed = rewrite(
        text,
        request.app.state.team_config,
        request.app.state.pipeline,
        conversation=conversations.as_core(row, msgs),
    )
    return _composer(request, user, session, row, fixed.replacement, focus=True, note="rewritten")


@router.post("/conversations/{conversation_id}/suggest", response_class=HTMLResponse)
def suggest(
    conversation_id: PathId,
    request: Request,
    user: AgentUser,
    session: DbSession,
    pipeline: PipelineDep,
    team_config: TeamConfigDep,
    now: Now,
) -> HTMLResponse:
    """The composer filled with the drafted next reply (the API's /suggest, same inputs)."""
    row = conversation_or_404(session, user, conversation_id)
    msgs = conversations.messages_of(session=session, conversation_id=row.id)
    if not msgs:
        raise HTTPException(409, "the conversation has no messages to answer")
    conv = for_composer(session, user.principal.team, row, msgs, now)
    result = draft_reply(conv, team_config, pipeline)
    return _composer(request, user, session, row, result.text, focus=True, note="suggested")


@router.post("/conversations/{conversation_id}/send", response_class=HTMLResponse)
def send(
    conversation_id: PathId,
    request: Request,
    user: AgentUser,
    session: DbSession,
    pipeline: PipelineDep,
    now: Now,
) -> HTMLResponse:
    """Store the reply as the conversation's next message through the API's ingest path."""
    row = conversation_or_404(session, user, conversation_id)
    text = _draft_text(request).strip()
    if not text:
        return _composer(request, user, session, row, "", focus=True, note="empty")
    msgs = conversations.messages_of(session=session, conversation_id=row.id)
    role: Role = "supervisor" if user.is_supervisor else "agent"
    message = Message(
        id=f"web-{uuid.uuid4().hex[:16]}",
        author=user.principal.name,
        role=role,
        text=text,
        timestamp=now,
        channel=msgs[-1].channel if msgs else row.channel,
    )
    item = ingesting.Item(
        Conversation(id=row.external_id, messages=(message,), channel=row.channel), (), None
    )
    ingesting.run(
        session=session,
        principal=user.principal,
        source=row.source,
        items=[item],
        pipeline=pipeline,
        now=now,
        redact=None,
    )
    return _composer(
        request,
        user,
        session,
        row,
        "",
        focus=True,
        note="sent",
        headers={"HX-Trigger": "calmdesk-sent"},
    )
