"""Storing conversations: idempotent per message, analysed on arrival, cases opened by rule."""

from __future__ import annotations

from sqlalchemy import func, select

from calmdesk.store import audit, conversations, keys
from calmdesk.store.models import MessageRow, Team
from calmdesk.store.models_case import Case
from store.convs import AGENT_REPLY, CALM, MANAGER, conversation


def _team(session, threshold: float = 0.6) -> Team:
    team = keys.ensure_team(session=session, name="support")
    team.threshold = threshold
    return team


def _ingest(session, team, pipeline, clock, conv, **kw):
    result = conversations.ingest(
        session=session,
        team=team,
        source="api",
        conversation=conv,
        identities=[("external", conv.customer_id)],
        pipeline=pipeline,
        actor="agent:test",
        now=clock(),
        **kw,
    )
    session.commit()
    return result


def test_ingest_same_message_twice_is_stored_once(session, pipeline, clock):
    team = _team(session)
    conv = conversation("c1", ("customer", CALM), ("agent", AGENT_REPLY))
    first = _ingest(session, team, pipeline, clock, conv)
    again = _ingest(session, team, pipeline, clock, conv)
    assert (first.stored, first.duplicates) == (2, 0)
    assert (again.stored, again.duplicates) == (0, 2)
    assert session.scalar(select(func.count(MessageRow.id))) == 2


def test_ingest_stores_labels_and_risk_from_the_pipeline(session, pipeline, clock):
    team = _team(session)
    conv = conversation("c1", ("customer", MANAGER))
    _ingest(session, team, pipeline, clock, conv)
    expected = pipeline.analyze(conv).messages[0]
    row = session.scalar(select(MessageRow))
    assert row.risk == expected.risk
    assert {lab["name"] for lab in row.labels} == {lab.name for lab in expected.labels}


def test_ingest_supervisor_request_opens_a_case_with_eta_and_action(session, pipeline, clock):
    team = _team(session)
    result = _ingest(
        session,
        team,
        pipeline,
        clock,
        conversation("c1", ("agent", "Hello, how can I help?"), ("customer", MANAGER)),
    )
    case = result.case
    assert result.case_opened and case is not None
    assert "supervisor_request" in case.reasons
    assert case.priority in ("P1", "P2", "P3", "P4") and case.eta > clock()
    assert case.owner == "agent-7" and case.state == "new"
    assert [a.text for a in case.actions]


def test_ingest_calm_conversation_opens_no_case(session, pipeline, clock):
    team = _team(session)
    result = _ingest(session, team, pipeline, clock, conversation("c1", ("customer", CALM)))
    assert result.case is None and not result.case_opened


def test_ingest_risk_over_threshold_opens_a_case(session, pipeline, clock):
    conv = conversation("c1", ("customer", CALM))
    risk = pipeline.analyze(conv).risk
    team = _team(session, threshold=max(0.01, risk - 0.001))
    result = _ingest(session, team, pipeline, clock, conv)
    assert result.case_opened and any(r.startswith("risk>=") for r in result.case.reasons)


def test_ingest_later_messages_join_the_open_case(session, pipeline, clock):
    team = _team(session)
    first = _ingest(session, team, pipeline, clock, conversation("c1", ("customer", MANAGER)))
    more = conversation(
        "c1",
        ("customer", MANAGER),
        ("agent", AGENT_REPLY),
        ("customer", "I'll post this on Twitter and call my lawyer."),
    )
    second = _ingest(session, team, pipeline, clock, more)
    assert second.stored == 2 and not second.case_opened
    assert second.case.id == first.case.id
    assert session.scalar(select(func.count(Case.id))) == 1


def test_ingest_redactor_stores_redacted_text(session, pipeline, clock):
    from calmdesk.core.redact import Redactor

    team = _team(session)
    conv = conversation("c1", ("customer", "Write to jane@shop.example or call +44 20 7946 0958"))
    _ingest(session, team, pipeline, clock, conv, redactor=Redactor())
    row = session.scalar(select(MessageRow))
    assert row.redacted and "jane@" not in row.text and "[email]" in row.text


def test_ingest_writes_message_and_case_entries_to_a_valid_chain(session, pipeline, clock):
    team = _team(session)
    _ingest(session, team, pipeline, clock, conversation("c1", ("customer", MANAGER)))
    kinds = {(e.entity, e.action) for e in audit.entries(session=session, team="support")}
    assert {("message", "created"), ("case", "opened"), ("customer", "created")} <= kinds
    assert audit.verify(session=session, team="support").ok


def test_ingest_audit_keeps_a_digest_not_the_text(session, pipeline, clock):
    team = _team(session)
    _ingest(session, team, pipeline, clock, conversation("c1", ("customer", MANAGER)))
    entry = audit.entries(session=session, team="support", entity="message")[0]
    assert "manager" not in entry.data and audit.text_digest(MANAGER) in entry.data
