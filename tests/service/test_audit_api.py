"""The audit over HTTP, as a team's admin sees it: verification shows only the team's own
entries, finds a chain cut short or rewritten behind the server's back (against the signed
checkpoints every change writes and returns), and finds rows edited in their own tables."""

from __future__ import annotations

import json

from sqlalchemy import text

from calmdesk.store import audit
from service.payloads import zendesk_comment

HEADER = "X-Calmdesk-Audit-Checkpoint"
MANAGER = "This is the third time I'm writing. I want to speak to your manager."


def _busy_desk(desk) -> dict:
    """Support opens a case and moves it; billing, on the same desk, writes more than support."""
    r = desk.post("/webhooks/zendesk", zendesk_comment(1, MANAGER), role="agent")
    case = r.json()["case"]
    desk.post(f"/cases/{case['id']}/transition", {"to": "acknowledged"}, role="agent")
    for n in range(2, 6):
        desk.post(
            "/webhooks/zendesk",
            zendesk_comment(n, MANAGER, ticket=f"9{n}"),
            role="agent",
            team="billing",
        )
    return case


def _sql(desk, statement: str, **params) -> None:
    with desk.client.app.state.engine.begin() as conn:
        conn.execute(text(statement), params)


def _team_entries(desk, team: str = "support") -> list[dict]:
    return desk.get("/audit", params={"limit": 1000}, role="supervisor", team=team).json()[
        "entries"
    ]


def test_audit_verify_counts_and_shows_only_the_teams_own_entries(desk):
    _busy_desk(desk)
    own = _team_entries(desk)
    verdict = desk.get("/audit/verify").json()
    assert verdict["ok"], verdict["problems"]
    assert verdict["entries"] == len(own)
    assert verdict["head"] == own[-1]["hash"]
    assert [e["seq"] for e in own] == list(range(1, len(own) + 1))  # no gaps: no hint of billing
    before = desk.get("/audit/verify").json()
    desk.post("/webhooks/zendesk", zendesk_comment(9, MANAGER, ticket="99"), team="billing")
    assert desk.get("/audit/verify").json() == before


def test_audit_verify_of_one_team_is_not_broken_by_another_teams_tampering(desk):
    _busy_desk(desk)
    _sql(desk, "UPDATE audit_log SET actor = 'admin:eve' WHERE team = 'billing' AND seq = 2")
    assert desk.get("/audit/verify").json()["ok"]
    billing = desk.get("/audit/verify", team="billing").json()
    assert not billing["ok"] and billing["broken_at"] == 2


def test_audit_every_change_returns_its_signed_checkpoint(desk):
    case = _busy_desk(desk)
    r = desk.post(f"/cases/{case['id']}/transition", {"to": "solution_offered"}, role="agent")
    checkpoint = json.loads(r.headers[HEADER])
    newest = _team_entries(desk)[-1]
    assert (checkpoint["team"], checkpoint["seq"], checkpoint["head"]) == (
        "support",
        newest["seq"],
        newest["hash"],
    )
    assert r.headers[HEADER] in desk.client.app.state.audit_checkpoints.lines()
    assert HEADER not in desk.get(f"/cases/{case['id']}", role="agent").headers  # reads: none


def test_audit_verify_finds_the_newest_entries_deleted(desk):
    case = _busy_desk(desk)
    for step in ("solution_offered", "solution_accepted", "resolved"):
        desk.post(f"/cases/{case['id']}/transition", {"to": step}, role="agent")
    last = len(_team_entries(desk))
    _sql(desk, "DELETE FROM audit_log WHERE team = 'support' AND seq > :s", s=last - 3)
    _sql(desk, "UPDATE cases SET state = 'acknowledged' WHERE id = :i", i=case["id"])
    verdict = desk.get("/audit/verify").json()
    assert not verdict["ok"]
    assert any(f"entries {last - 2}–{last} were deleted" in p for p in verdict["problems"])


def test_audit_verify_finds_every_entry_deleted(desk):
    _busy_desk(desk)
    _sql(desk, "DELETE FROM audit_log")
    for team in ("support", "billing"):
        verdict = desk.get("/audit/verify", team=team).json()
        assert not verdict["ok"] and verdict["entries"] == 0


def test_audit_verify_finds_an_entry_edited_and_the_chain_re_hashed(desk):
    _busy_desk(desk)
    with desk.client.app.state.sessions() as s:  # a session of the desk, but no checkpoint
        rows = audit.entries(session=s, team="support", limit=1000)
    prev = rows[1].hash
    _sql(desk, "UPDATE audit_log SET actor = 'admin:eve' WHERE team = 'support' AND seq = 3")
    for e in rows[2:]:
        actor = "admin:eve" if e.seq == 3 else e.actor
        new = audit.entry_hash(
            prev_hash=prev,
            seq=e.seq,
            team=e.team,
            at=e.at,
            actor=actor,
            entity=e.entity,
            entity_id=e.entity_id,
            action=e.action,
            data=e.data,
        )
        _sql(
            desk,
            "UPDATE audit_log SET prev_hash = :p, hash = :h WHERE team = 'support' AND seq = :s",
            p=prev,
            h=new,
            s=e.seq,
        )
        prev = new
    verdict = desk.get("/audit/verify").json()
    assert verdict["broken_at"] is None  # the chain itself verifies again
    assert not verdict["ok"] and any("rewritten" in p for p in verdict["problems"])


def test_audit_verify_finds_a_message_text_edited_in_its_table(desk):
    _busy_desk(desk)
    _sql(desk, "UPDATE messages SET text = 'Thanks, all good now.' WHERE team = 'support'")
    verdict = desk.get("/audit/verify").json()
    assert not verdict["ok"]
    assert any("message" in p and "text_sha256" in p for p in verdict["problems"])


def test_audit_verify_finds_a_case_priority_and_state_edited_in_their_table(desk):
    case = _busy_desk(desk)
    _sql(desk, "UPDATE cases SET priority = 'P4', state = 'closed' WHERE id = :i", i=case["id"])
    verdict = desk.get("/audit/verify").json()
    assert not verdict["ok"]
    assert f"case {case['id']}: differs from the audit in state, priority" in verdict["problems"]


def test_case_record_lists_what_was_done_without_the_audits_column_snapshot(desk):
    case = _busy_desk(desk)
    doc = desk.get(f"/cases/{case['id']}/record").json()
    [moved] = [a for a in doc["actions_taken"] if a["action"] == "transition"]
    assert moved["details"] == {"from": "new", "to": "acknowledged"}
