"""The audit chain: intact after appends, and any edited or deleted entry is found."""

from __future__ import annotations

from sqlalchemy import text

from calmdesk.store import audit


def _fill(session, clock, n: int = 5) -> None:
    for i in range(n):
        audit.append(
            session=session,
            team="support",
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
    verdict = audit.verify(session=session)
    assert verdict.ok and verdict.entries == 5 and verdict.head is not None


def test_audit_chain_links_each_entry_to_the_previous(session, clock):
    _fill(session, clock, 3)
    rows = audit.entries(session=session, team="support")
    assert rows[0].prev_hash == audit.GENESIS
    assert [r.prev_hash for r in rows[1:]] == [r.hash for r in rows[:-1]]


def test_audit_verify_detects_an_edited_entry(session, clock):
    _fill(session, clock)
    session.execute(text("UPDATE audit_log SET data = :d WHERE seq = 3"), {"d": '{"n":99}'})
    session.commit()
    verdict = audit.verify(session=session)
    assert not verdict.ok and verdict.broken_at == 3 and "changed" in verdict.problem


def test_audit_verify_detects_an_edited_actor(session, clock):
    _fill(session, clock)
    session.execute(text("UPDATE audit_log SET actor = 'admin:eve' WHERE seq = 2"))
    session.commit()
    assert audit.verify(session=session).broken_at == 2


def test_audit_verify_detects_a_deleted_entry(session, clock):
    _fill(session, clock)
    session.execute(text("DELETE FROM audit_log WHERE seq = 2"))
    session.commit()
    verdict = audit.verify(session=session)
    assert not verdict.ok and verdict.broken_at == 2 and "missing" in verdict.problem


def test_audit_verify_detects_a_deleted_entry_with_renumbering(session, clock):
    _fill(session, clock)
    session.execute(text("DELETE FROM audit_log WHERE seq = 2"))
    for seq in (3, 4, 5):
        session.execute(
            text("UPDATE audit_log SET seq = :n WHERE seq = :o"), {"n": seq - 1, "o": seq}
        )
    session.commit()
    verdict = audit.verify(session=session)
    assert not verdict.ok and verdict.broken_at == 2


def test_audit_entries_are_filtered_by_team(session, clock):
    _fill(session, clock, 2)
    audit.append(
        session=session,
        team="billing",
        actor="x",
        entity="case",
        entity_id=1,
        action="opened",
        data={},
        at=clock(),
    )
    session.commit()
    assert {e.team for e in audit.entries(session=session, team="billing")} == {"billing"}
    assert audit.verify(session=session).ok
