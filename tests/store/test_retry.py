"""Write transactions that lose a race are run again, a bounded number of times; other
failures are not retried. Real lost races: a PostgreSQL deadlock, a SQLite writer locked out."""

from __future__ import annotations

import random
import sqlite3
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from calmdesk.store import keys, retry
from calmdesk.store.db import make_engine, make_sessionmaker
from calmdesk.store.migrate import upgrade
from calmdesk.store.models import Team

FAST = retry.RetryPolicy(attempts=4, base_delay=0.01, max_delay=0.05)


def test_retry_policy_needs_at_least_one_attempt():
    with pytest.raises(ValueError, match="attempts must be at least 1"):
        retry.RetryPolicy(attempts=0)


def test_retry_pauses_grow_and_stay_under_the_cap():
    policy = retry.RetryPolicy(base_delay=0.02, max_delay=0.1)
    rng = random.Random(1)
    for attempt, cap in ((1, 0.02), (2, 0.04), (3, 0.08), (4, 0.1), (9, 0.1)):
        assert all(0 <= policy.delay(attempt, rng) <= cap for _ in range(50))


def test_retry_commits_what_the_work_did(session, clock):
    done = retry.run(session, lambda: keys.ensure_team(session=session, name="support").name)
    assert done == "support"
    session.close()
    assert session.get(Team, "support") is not None


def test_retry_does_not_repeat_a_failure_retrying_cannot_mend(session):
    calls = 0

    def work() -> None:
        nonlocal calls
        calls += 1
        # a message of a conversation that does not exist: a foreign key, not a race
        session.execute(
            text(
                "INSERT INTO messages (team, conversation_id, seq, external_id, author, role,"
                " text, channel, labels, risk, redacted, metadata, created_at) VALUES ('nobody',"
                " 999, 1, 'm1', 'a', 'customer', 'hi', 'chat', '[]', 0, false, '{}',"
                " '2026-01-01')"
            )
        )
        session.flush()

    with pytest.raises(IntegrityError):
        retry.run(session, work, policy=FAST)
    assert calls == 1


@pytest.mark.postgres
def test_retry_a_postgres_deadlock_is_run_again_and_both_writers_finish(pg_database):
    pg_database.start()
    pg_database.empty()
    sessions = make_sessionmaker(pg_database.engine)
    with sessions() as s:
        keys.ensure_team(session=s, name="a")
        keys.ensure_team(session=s, name="b")
        s.commit()
    both_hold_one = threading.Barrier(2, timeout=10)
    attempts = {"a": 0, "b": 0}
    errors: list[BaseException] = []

    def writer(first: str, second: str) -> None:
        with sessions() as s:

            def work() -> None:
                attempts[first] += 1
                lock = select(Team).with_for_update()
                s.scalar(lock.where(Team.name == first)).threshold = 0.5
                if attempts[first] == 1:
                    both_hold_one.wait()  # each holds its first row: a deadlock for sure
                s.scalar(lock.where(Team.name == second)).threshold = 0.5

            try:
                retry.run(s, work, policy=FAST)
            except BaseException as exc:  # any failure fails the test below
                errors.append(exc)

    threads = [
        threading.Thread(target=writer, args=("a", "b")),
        threading.Thread(target=writer, args=("b", "a")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert sorted(attempts.values()) == [1, 2]  # PostgreSQL chose one victim; it ran again
    with sessions() as s:
        assert [t.threshold for t in s.scalars(select(Team).order_by(Team.name))] == [0.5, 0.5]


@pytest.fixture
def sqlite_locked_out(tmp_path) -> Iterator[tuple[Session, sqlite3.Connection]]:
    """A session that waits only 20 ms for SQLite's write lock, and a connection holding it."""
    url = f"sqlite:///{tmp_path}/busy.db"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()

    @event.listens_for(engine, "connect")
    def _impatient(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        dbapi_conn.execute("PRAGMA busy_timeout=20")

    holder = sqlite3.connect(
        f"{tmp_path}/busy.db", isolation_level=None, timeout=0, check_same_thread=False
    )
    holder.execute("BEGIN IMMEDIATE")
    with make_sessionmaker(engine)() as s:
        yield s, holder
    holder.close()
    engine.dispose()


def test_retry_a_locked_sqlite_database_is_tried_again_until_the_writer_is_done(
    sqlite_locked_out,
):
    session, holder = sqlite_locked_out
    threading.Timer(0.1, holder.rollback).start()
    patient = retry.RetryPolicy(attempts=8, base_delay=0.05, max_delay=0.1)
    made = retry.run(
        session, lambda: keys.ensure_team(session=session, name="x").name, policy=patient
    )
    assert made == "x"


def test_retry_gives_up_with_contention_when_every_attempt_is_locked_out(sqlite_locked_out):
    session, _holder = sqlite_locked_out
    with pytest.raises(retry.Contention) as raised:
        retry.run(session, lambda: keys.ensure_team(session=session, name="x"), policy=FAST)
    assert raised.value.attempts == 4 and raised.value.reason == "database is locked"
    assert raised.value.retry_after == FAST.retry_after
