"""Tampering with the audit, the way someone with write access to the database (or the file)
would, and what the verification says about it. Every scenario runs on SQLite and PostgreSQL.

A small desk is filled through the real ingest and case code: two teams, each commit writing its
signed checkpoint as the server does. Then one scenario tampers and the support team's report
must name it (or, for the few that cannot be found, stay `ok`, which the row says and why).

| scenario | detected by | the report says |
|---|---|---|
| edit an entry's data mid-chain | chain | content was changed |
| edit an entry's actor | chain | content was changed |
| edit an entry's time | chain | content was changed |
| edit an entry's action | chain | content was changed |
| edit an entry's entity | chain | content was changed |
| edit an entry's entity id | chain | content was changed |
| edit an entry's stored hash | chain | content was changed |
| edit an entry's prev_hash | chain | does not link |
| move an entry to another team | chain | entry k is missing |
| delete an entry mid-chain | chain | entry k is missing |
| delete mid-chain and renumber | chain | does not link |
| swap two entries | chain | does not link |
| delete the newest entry | checkpoint | entries k–n were deleted |
| delete the newest 10 entries | checkpoint | entries k–n were deleted |
| delete all the team's entries | checkpoint | entries 1–n were deleted |
| edit an entry, re-hash to the end | checkpoint | the chain was rewritten |
| delete, renumber, re-hash to the end | checkpoint | the chain was rewritten |
| forged append with a valid hash | checkpoint | covered by no checkpoint |
| forged append, then a real change | checkpoint | covered by no checkpoint |
| a checkpoint line edited | file | not matched by its signature |
| a checkpoint's signature forged | file | not matched by its signature |
| a rewrite signed with another desk's key | file + checkpoint | signed with another key |
| the checkpoint file cut mid-line | file | cannot be read |
| the team's checkpoint lines removed, chain rewritten | checkpoint | no checkpoint covers |
| a message's text edited | rows | text_sha256 |
| a message's author edited | rows | author_sha256 |
| a message's role edited | rows | role |
| a case's priority edited | rows | priority |
| a case's state edited | rows | state |
| a case's owner edited | rows | owner |
| a case's ETA edited | rows | eta |
| a message row deleted | rows | deleted without an entry |
| a case row deleted | rows | deleted without an entry |
| a message row inserted | rows | no audit entry |
| an audited erasure of a message | (not tampering) | ok |
| chain, rows and checkpoint file put back together | NOT detected | ok: all copies agree |
| rewrite re-signed with the desk's own key | NOT detected | ok: the key is the anchor |
| a message's labels edited | NOT detected | ok: re-analysis rewrites them |
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session, sessionmaker

from calmdesk.service.audit_checkpoints import CheckpointFile
from calmdesk.store import audit, audit_checkpoint, audit_verify, case_changes, conversations, keys
from calmdesk.store.audit_verify import TeamReport
from calmdesk.store.db import make_engine, make_sessionmaker
from calmdesk.store.migrate import upgrade
from calmdesk.store.models import MessageRow
from calmdesk.store.models_case import Case
from store.convs import AGENT_REPLY, CALM, MANAGER, conversation


@dataclass
class Desk:
    engine: Engine
    sessions: sessionmaker[Session]
    file: CheckpointFile
    clock: Callable

    def report(self, team: str = "support") -> TeamReport:
        good, bad = audit_checkpoint.read(self.file.lines(), self.file.key)
        with self.sessions() as s:
            return audit_verify.check_team(s, team, good, bad)

    def sql(self, statement: str, **params: object) -> None:
        with self.engine.begin() as conn:
            conn.execute(text(statement), params)

    def last_seq(self, team: str = "support") -> int:
        with self.sessions() as s:
            return max(e.seq for e in audit.walk(s, team))

    def ingest(self, team: str, conv, pipeline) -> conversations.IngestResult:
        with self.sessions() as s:
            result = conversations.ingest(
                session=s,
                team=keys.ensure_team(session=s, name=team),
                source="api",
                conversation=conv,
                identities=[("external", conv.customer_id)],
                pipeline=pipeline,
                actor="agent:test",
                now=self.clock(),
            )
            s.commit()
        self.clock.advance(minutes=1)
        return result


@pytest.fixture
def desk(database_url: str, tmp_path: Path, clock, pipeline) -> Iterator[Desk]:
    engine = make_engine(database_url)
    upgrade(engine)
    sessions = make_sessionmaker(engine)
    file = CheckpointFile(tmp_path / "checkpoints.jsonl", b"k" * 32, clock)
    file.watch(sessions)
    d = Desk(engine, sessions, file, clock)
    d.ingest("billing", conversation("b1", ("customer", MANAGER), customer="cust-b"), pipeline)
    for n in range(3):
        d.ingest(
            "support", conversation(f"s{n}", ("customer", CALM), ("agent", AGENT_REPLY)), pipeline
        )
    opened = d.ingest("support", conversation("s9", ("customer", MANAGER)), pipeline)
    with d.sessions() as s:
        case = s.get(Case, opened.case.id)
        for step in ("acknowledged", "solution_offered"):
            case_changes.transition(session=s, case=case, to=step, actor="agent:tom", now=clock())
            s.commit()
    assert d.report().ok and d.report("billing").ok, d.report().problems
    assert d.last_seq() >= 12
    yield d
    engine.dispose()


# -- how an attacker with the database works ----------------------------------------------------


def _rehash_from(d: Desk, seq: int, team: str = "support") -> None:
    """Recompute hash and link from entry `seq` to the end: the chain verifies again."""
    with d.sessions() as s:
        rows = list(audit.walk(s, team))
        prev = next((e.hash for e in rows if e.seq == seq - 1), audit.genesis(team))
        for e in rows:
            if e.seq < seq:
                continue
            e.prev_hash = prev
            e.hash = prev = audit.entry_hash(
                prev_hash=prev,
                seq=e.seq,
                team=e.team,
                at=e.at,
                actor=e.actor,
                entity=e.entity,
                entity_id=e.entity_id,
                action=e.action,
                data=e.data,
            )
            s.flush()
        s.commit()


def _forge_append(d: Desk) -> None:
    """An entry written straight into the table, with a valid hash linking to the head."""
    with d.sessions() as s:
        audit.append(
            session=s,
            team="support",
            actor="admin:eve",
            entity="case",
            entity_id=1,
            action="note",
            data={"text": "all fine"},
            at=d.clock(),
        )
        s.commit()  # a plain session: no checkpoint is written


def _plain_sessions(d: Desk) -> Desk:
    return replace(d, sessions=make_sessionmaker(d.engine))


def _delete_newest(n: int) -> Callable[[Desk], None]:
    def tamper(d: Desk) -> None:
        d.sql("DELETE FROM audit_log WHERE team = 'support' AND seq > :s", s=d.last_seq() - n)

    return tamper


def _swap(d: Desk) -> None:
    d.sql("UPDATE audit_log SET seq = -1 WHERE team = 'support' AND seq = 3")
    d.sql("UPDATE audit_log SET seq = 3 WHERE team = 'support' AND seq = 4")
    d.sql("UPDATE audit_log SET seq = 4 WHERE team = 'support' AND seq = -1")


def _delete_and_renumber(d: Desk) -> None:
    last = d.last_seq()
    d.sql("DELETE FROM audit_log WHERE team = 'support' AND seq = 5")
    for seq in range(6, last + 1):
        d.sql("UPDATE audit_log SET seq = :n WHERE team = 'support' AND seq = :o", n=seq - 1, o=seq)


def _edit_and_rehash(d: Desk) -> None:
    d.sql("UPDATE audit_log SET actor = 'admin:eve' WHERE team = 'support' AND seq = 5")
    _rehash_from(d, 5)


def _lines(d: Desk) -> list[str]:
    return d.file.path.read_text().splitlines()


def _write_lines(d: Desk, lines: list[str]) -> None:
    d.file.path.write_text("".join(line + "\n" for line in lines))


def _edit_checkpoint_line(d: Desk) -> None:
    lines = _lines(d)
    doc = json.loads(lines[-1])
    doc["seq"] += 5  # claims more entries than there are
    _write_lines(d, [*lines[:-1], json.dumps(doc)])


def _forge_signature(d: Desk) -> None:
    _edit_and_rehash(d)
    with d.sessions() as s:
        head = list(audit.walk(s, "support"))[-1]
    doc = json.loads(_lines(d)[-1]) | {"head": head.hash, "seq": head.seq, "first": head.seq}
    doc["sig"] = hmac.new(b"a guessed key", json.dumps(doc).encode(), hashlib.sha256).hexdigest()
    _write_lines(d, [*_lines(d), json.dumps(doc)])


def _sign_with_another_desk_key(d: Desk) -> None:
    _edit_and_rehash(d)
    with d.sessions() as s:
        e = list(audit.walk(s, "support"))[-1]
    head = audit.Head(team="support", first=1, seq=e.seq, hash=e.hash)
    other = audit_checkpoint.sign(b"another desk's key!!", head, d.clock())
    _write_lines(d, [*_lines(d), other])


def _cut_file_mid_line(d: Desk) -> None:
    raw = d.file.path.read_text()
    d.file.path.write_text(raw[: len(raw) - 40])


def _cut_both(d: Desk) -> None:
    """Chain, rows and file put back to the same moment, as a consistent restore would: the
    newest change (the case's move to solution_offered) is undone everywhere."""
    lines = _lines(d)
    back_to = json.loads(lines[-2])
    assert back_to["team"] == "support"  # the newest lines are support's (billing wrote first)
    _write_lines(d, lines[:-1])
    d.sql("DELETE FROM audit_log WHERE team = 'support' AND seq > :s", s=back_to["seq"])
    d.sql("UPDATE cases SET state = 'acknowledged' WHERE id = :i", i=_a_case(d))


def _drop_team_checkpoints(d: Desk) -> None:
    _write_lines(d, [x for x in _lines(d) if json.loads(x)["team"] != "support"])


def _rewrite_and_resign_with_desk_key(d: Desk) -> None:
    _edit_and_rehash(d)
    with d.sessions() as s:
        e = list(audit.walk(s, "support"))[-1]
    kept = [x for x in _lines(d) if json.loads(x)["team"] != "support"]
    resigned = audit_checkpoint.sign(d.file.key, audit.Head("support", 1, e.seq, e.hash), d.clock())
    _write_lines(d, [*kept, resigned])


def _first_message(d: Desk) -> int:
    with d.sessions() as s:
        q = select(MessageRow.id).where(MessageRow.team == "support").order_by(MessageRow.id)
        return s.scalars(q).first()


def _a_case(d: Desk) -> int:
    with d.sessions() as s:
        return s.scalars(select(Case.id).where(Case.team == "support")).first()


def _edit_row(model: type, find: Callable[[Desk], int], column: str, value: object):
    """A column changed in its own table, past the code that audits changes."""

    def tamper(d: Desk) -> None:
        with _plain_sessions(d).sessions() as s:
            setattr(s.get(model, find(d)), column, value)
            s.commit()

    return tamper


def _edit_message(column: str, value: object) -> Callable[[Desk], None]:
    return _edit_row(MessageRow, _first_message, column, value)


def _edit_case(column: str, value: object) -> Callable[[Desk], None]:
    return _edit_row(Case, _a_case, column, value)


def _delete_case(d: Desk) -> None:
    d.sql("DELETE FROM action_items WHERE case_id = :i", i=_a_case(d))
    d.sql("DELETE FROM cases WHERE id = :i", i=_a_case(d))


def _insert_message(d: Desk) -> None:
    with d.sessions() as s:
        m = s.get(MessageRow, _first_message(d))
        s.add(
            MessageRow(
                team="support",
                conversation_id=m.conversation_id,
                seq=99,
                external_id="planted",
                author="cust-1",
                role="customer",
                text="I was offered a full refund.",
                timestamp=m.timestamp,
                created_at=m.created_at,
            )
        )
        s.commit()


def _erase_message(d: Desk) -> None:
    """What an erasure must do: change the row and say so in the audit, with the new digests."""
    with d.sessions() as s:
        m = s.get(MessageRow, _first_message(d))
        m.text, m.author = "[erased]", "[erased]"
        audit.append(
            session=s,
            team="support",
            actor="admin:dpo",
            entity="message",
            entity_id=m.id,
            action="erased",
            data={
                "text_sha256": audit.text_digest(m.text),
                "author_sha256": audit.text_digest(m.author),
            },
            at=d.clock(),
        )
        s.commit()


def _real_change_after(tamper: Callable[[Desk], None]) -> Callable[[Desk], None]:
    def both(d: Desk) -> None:
        tamper(d)
        with d.sessions() as s:
            case = s.get(Case, _a_case(d))
            case_changes.transition(
                session=s, case=case, to="solution_accepted", actor="agent:tom", now=d.clock()
            )
            s.commit()

    return both


def _entry(column: str, value: str, seq: int = 5) -> Callable[[Desk], None]:
    def tamper(d: Desk) -> None:
        d.sql(
            f"UPDATE audit_log SET {column} = :v WHERE team = 'support' AND seq = :s",
            v=value,
            s=seq,
        )

    return tamper


#: (scenario, tamper, a phrase the support team's report must contain; None: must stay ok)
SCENARIOS: list[tuple[str, Callable[[Desk], None], str | None]] = [
    ("edit entry data", _entry("data", '{"n":1}'), "entry 5: its content was changed"),
    ("edit entry actor", _entry("actor", "admin:eve"), "entry 5: its content was changed"),
    ("edit entry time", _entry("at", "2026-01-01T00:00:00+00:00"), "entry 5: its content"),
    ("edit entry action", _entry("action", "closed"), "entry 5: its content was changed"),
    ("edit entry entity", _entry("entity", "customer"), "entry 5: its content was changed"),
    ("edit entry entity id", _entry("entity_id", "999"), "entry 5: its content was changed"),
    ("edit entry hash", _entry("hash", "f" * 64), "entry 5: its content was changed"),
    ("edit entry prev_hash", _entry("prev_hash", "e" * 64), "entry 5: does not link"),
    ("move entry to another team", _entry("team", "sales", seq=12), "entry 12 is missing"),
    (
        "delete entry mid-chain",
        lambda d: d.sql("DELETE FROM audit_log WHERE team = 'support' AND seq = 5"),
        "entry 5 is missing",
    ),
    ("delete mid-chain and renumber", _delete_and_renumber, "entry 5: does not link"),
    ("swap two entries", _swap, "entry 3: does not link"),
    ("delete the newest entry", _delete_newest(1), "were deleted"),
    ("delete the newest 10 entries", _delete_newest(10), "were deleted"),
    (
        "delete all entries",
        lambda d: d.sql("DELETE FROM audit_log WHERE team = 'support'"),
        "entries 1–",
    ),
    ("edit and re-hash to the end", _edit_and_rehash, "the chain was rewritten"),
    (
        "delete, renumber, re-hash",
        lambda d: (_delete_and_renumber(d), _rehash_from(d, 5)),
        "the chain was rewritten",
    ),
    (
        "forged append with a valid hash",
        lambda d: _forge_append(_plain_sessions(d)),
        "covered by no checkpoint",
    ),
    (
        "forged append, then a real change",
        _real_change_after(lambda d: _forge_append(_plain_sessions(d))),
        "covered by no checkpoint",
    ),
    ("checkpoint line edited", _edit_checkpoint_line, "not matched by its signature"),
    ("checkpoint signature forged", _forge_signature, "not matched by its signature"),
    (
        "rewrite signed with another desk's key",
        _sign_with_another_desk_key,
        "signed with another key",
    ),
    ("checkpoint file cut mid-line", _cut_file_mid_line, "cannot be read"),
    (
        "team's checkpoints removed, chain rewritten",
        lambda d: (_edit_and_rehash(d), _drop_team_checkpoints(d)),
        "no checkpoint covers",
    ),
    ("message text edited", _edit_message("text", "All sorted, thanks!"), "text_sha256"),
    ("message author edited", _edit_message("author", "someone-else"), "author_sha256"),
    ("message role edited", _edit_message("role", "agent"), "differs from the audit in role"),
    ("case priority edited", _edit_case("priority", "P4"), "differs from the audit in priority"),
    ("case state edited", _edit_case("state", "closed"), "differs from the audit in state"),
    ("case owner edited", _edit_case("owner", "eve"), "differs from the audit in owner"),
    (
        "case ETA edited",
        _edit_case("eta", datetime(2027, 1, 1, tzinfo=UTC)),
        "differs from the audit in eta",
    ),
    (
        "message row deleted",
        lambda d: d.sql("DELETE FROM messages WHERE id = :i", i=_first_message(d)),
        "deleted without an entry",
    ),
    ("case row deleted", _delete_case, "deleted without an entry"),
    ("message row inserted", _insert_message, "no audit entry records this row"),
    # not tampering: an erasure that says so is the newest fact about the row
    ("audited erasure", _erase_message, None),
    # not detected, and why:
    # the file and the chain agree with each other; only a copy kept elsewhere (the response
    # headers, a shipped log) still holds the newer checkpoints
    ("chain, rows and file put back together", _cut_both, None),
    # whoever holds the key signs what they like: keep the secrets folder from the database's
    # writers, and a copy of the lines out of reach of both
    ("rewrite re-signed with the desk's key", _rewrite_and_resign_with_desk_key, None),
    # labels and risk are re-computed by POST /conversations/{id}/analyze, so not held to the audit
    ("message labels edited", _edit_message("labels", []), None),
]


@pytest.mark.parametrize(
    ("name", "tamper", "expected"), SCENARIOS, ids=[s[0].replace(" ", "-") for s in SCENARIOS]
)
def test_audit_tamper_scenario(desk, name, tamper, expected):
    billing_before = _state(desk.report("billing"))
    tamper(desk)
    report = desk.report()
    if expected is None:
        assert report.ok, report.problems
    else:
        assert not report.ok
        assert any(expected in p for p in report.problems), report.problems
    assert _state(desk.report("billing")) == billing_before  # the other team is untouched


def _state(r: TeamReport) -> tuple:
    """What a team's report says of its own chain, rows and checkpoints."""
    assert r.anchors is not None
    return (r.chain, r.rows_checked, r.row_problems, r.anchors)


def test_audit_tamper_scenarios_number_at_least_23():
    assert len([s for s in SCENARIOS if s[2] is not None]) >= 23


def test_audit_report_names_the_deleted_range(desk):
    last = desk.last_seq()
    _delete_newest(10)(desk)
    [problem] = [p for p in desk.report().problems if "deleted" in p]
    assert f"the chain ends at entry {last - 10}" in problem
    assert f"entries {last - 9}–{last} were deleted" in problem


def test_audit_entry_after_the_newest_checkpoint_is_reported_as_not_anchored(desk):
    last = desk.last_seq()
    _forge_append(_plain_sessions(desk))
    report = desk.report()
    assert report.anchors is not None and report.anchors.unanchored == ((last + 1, last + 1),)
    assert report.chain.ok  # its hash is valid: only the missing checkpoint gives it away


def test_audit_checkpoints_are_one_line_per_commit_and_team(desk):
    lines = [json.loads(x) for x in desk.file.lines()]
    assert {x["team"] for x in lines} == {"support", "billing"}
    support = [x for x in lines if x["team"] == "support"]
    assert support[0]["first"] == 1
    assert [x["first"] for x in support[1:]] == [x["seq"] + 1 for x in support[:-1]]


def test_audit_chains_are_per_team(desk):
    with desk.sessions() as s:
        billing = list(audit.walk(s, "billing"))
        support = list(audit.walk(s, "support"))
    assert billing[0].seq == 1 and billing[0].prev_hash == audit.genesis("billing")
    assert support[0].seq == 1 and support[0].prev_hash == audit.genesis("support")
    assert support[0].id > billing[-1].id  # written later, yet numbered from 1 in its own chain
