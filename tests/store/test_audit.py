"""The audit chains: one per team, intact after appends, edited or deleted entries found, and
the desk's old single chain carried over by migration 0005."""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from calmdesk.store import audit
from calmdesk.store.db import make_engine, make_sessionmaker
from calmdesk.store.migrate import upgrade
from store.dbsupport import BACKENDS, PG_SERVER


def _fill(session, clock, n: int = 5, team: str = "support") -> None:
    for i in range(n):
        audit.append(
            session=session,
            team=team,
            actor="agent:tom",
            entity="case",
            entity_id=i,
            action="updated",
            data={"n": i, "note": "ünïcode"},
            at=clock(),
        )
        clock.advance(minutes=1)
    session.commit()


def test_audit_chain_verifies_after_appends(session, clock):
    _fill(session, clock)
    verdict = audit.verify(session=session, team="support")
    assert verdict.ok and verdict.entries == 5 and verdict.head is not None


def test_audit_chain_links_each_entry_to_the_previous(session, clock):
    _fill(session, clock, 3)
    rows = audit.entries(session=session, team="support")
    assert rows[0].prev_hash == audit.genesis("support")
    assert [r.prev_hash for r in rows[1:]] == [r.hash for r in rows[:-1]]


def test_audit_verify_detects_an_edited_entry(session, clock):
    _fill(session, clock)
    session.execute(text("UPDATE audit_log SET data = :d WHERE seq = 3"), {"d": '{"n":99}'})
    session.commit()
    verdict = audit.verify(session=session, team="support")
    assert not verdict.ok and verdict.broken_at == 3 and "changed" in verdict.problem


def test_audit_verify_detects_a_deleted_entry(session, clock):
    _fill(session, clock)
    session.execute(text("DELETE FROM audit_log WHERE seq = 2"))
    session.commit()
    verdict = audit.verify(session=session, team="support")
    assert not verdict.ok and verdict.broken_at == 2 and "missing" in verdict.problem


def test_audit_each_team_counts_its_own_entries_from_one(session, clock):
    _fill(session, clock, 2, team="support")
    _fill(session, clock, 3, team="billing")
    _fill(session, clock, 1, team="support")
    assert [e.seq for e in audit.entries(session=session, team="support")] == [1, 2, 3]
    assert [e.seq for e in audit.entries(session=session, team="billing")] == [1, 2, 3]
    assert audit.verify(session=session, team="support").entries == 3
    assert audit.teams(session) == ["billing", "support"]


def test_audit_appended_heads_are_the_transactions_and_a_rollback_forgets_them(session, clock):
    _fill(session, clock, 2)
    assert audit.appended(session) == []  # read at commit: nobody listened, nothing left over
    audit.append(
        session=session,
        team="support",
        actor="a",
        entity="case",
        entity_id=1,
        action="x",
        at=clock(),
    )
    audit.append(
        session=session,
        team="support",
        actor="a",
        entity="case",
        entity_id=1,
        action="y",
        at=clock(),
    )
    [head] = audit.appended(session)
    assert (head.team, head.first, head.seq) == ("support", 3, 4)
    audit.append(
        session=session,
        team="support",
        actor="a",
        entity="case",
        entity_id=1,
        action="z",
        at=clock(),
    )
    session.rollback()
    assert audit.appended(session) == []


# -- migration 0005: the desk's single chain becomes one chain per team -------------------------


def _legacy_hash(prev: str, seq: int, row: dict) -> str:
    body = "\n".join(
        [
            prev,
            str(seq),
            row["team"],
            row["at"],
            row["actor"],
            row["entity"],
            row["entity_id"],
            row["action"],
            row["data"],
        ]
    )
    return hashlib.sha256(body.encode()).hexdigest()


@pytest.fixture(params=BACKENDS)
def empty_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """A database with no tables yet (the shared test database is already at the newest
    revision), so the migration runs on data written by the old code."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/old.db"
        return
    name = f"calmdesk_test_old_{secrets.token_hex(4)}"
    admin = make_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        admin.dispose()
        pytest.skip(f"PostgreSQL at {PG_SERVER} not reachable: {exc}")
    yield f"{PG_SERVER}/{name}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _legacy_desk(database_url: str, *, edit_one: bool = False):
    """A desk at revision 0002 whose one chain interleaves two teams, as before 0005."""
    engine = make_engine(database_url)
    upgrade(engine, "0002")
    prev = "0" * 64
    with engine.begin() as conn:
        for seq, team in enumerate(["support", "billing", "support", "billing", "support"], 1):
            row = {
                "team": team,
                "at": f"2026-03-02T09:0{seq}:00+00:00",
                "actor": "agent:tom",
                "entity": "case",
                "entity_id": str(seq),
                "action": "updated",
                "data": json.dumps({"n": seq}),
            }
            row |= {"seq": seq, "prev_hash": prev, "hash": _legacy_hash(prev, seq, row)}
            if edit_one and seq == 2:
                row["actor"] = "admin:eve"  # edited after it was written
            conn.execute(
                text(
                    "INSERT INTO audit_log (seq, team, at, actor, entity, entity_id, action, "
                    "data, prev_hash, hash) VALUES (:seq, :team, :at, :actor, :entity, "
                    ":entity_id, :action, :data, :prev_hash, :hash)"
                ),
                row,
            )
            prev = row["hash"]
    upgrade(engine)
    return engine


def test_audit_migration_re_chains_each_team_and_says_the_old_chain_was_intact(empty_url):
    engine = _legacy_desk(empty_url)
    with make_sessionmaker(engine)() as s:
        for team, taken in (("support", 3), ("billing", 2)):
            verdict = audit.verify(session=s, team=team)
            assert verdict.ok and verdict.entries == taken + 1
            *kept, last = audit.entries(session=s, team=team)
            assert [json.loads(e.data)["n"] for e in kept] == [
                n for n, t in zip(range(1, 6), "sbsbs", strict=True) if t == team[0]
            ]
            assert last.action == "rechained"
            assert json.loads(last.data) == {"legacy_chain_intact": True, "legacy_entries": taken}
    engine.dispose()


def test_audit_migration_records_that_the_old_chain_was_already_broken(empty_url):
    engine = _legacy_desk(empty_url, edit_one=True)
    with Session(engine) as s:
        last = audit.entries(session=s, team="support")[-1]
        assert json.loads(last.data)["legacy_chain_intact"] is False
        assert audit.verify(session=s, team="support").ok  # re-hashed: hence the record
    engine.dispose()
