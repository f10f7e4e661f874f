"""SQLite writers of one process take turns; however a transaction ends, the next one gets in."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import text

from calmdesk.store import keys
from calmdesk.store.db import make_engine, make_sessionmaker
from calmdesk.store.migrate import upgrade


@pytest.fixture
def engine(tmp_path):
    e = make_engine(f"sqlite:///{tmp_path}/calmdesk.db", pool_size=2)
    upgrade(e)
    yield e
    e.dispose()


def writes_within(engine, seconds: float) -> bool:
    """Whether another thread's write transaction gets in within `seconds`."""
    done = threading.Event()

    def write() -> None:
        with make_sessionmaker(engine)() as s:
            keys.ensure_team(session=s, name=f"team-{time.monotonic_ns()}")
            s.commit()
        done.set()

    threading.Thread(target=write, daemon=True).start()
    return done.wait(seconds)


def test_a_second_writer_waits_for_the_first_and_gets_in_when_it_commits(engine):
    with make_sessionmaker(engine)() as s:
        keys.ensure_team(session=s, name="first")
        assert not writes_within(engine, 0.3)  # the turn is taken
        s.commit()
    assert writes_within(engine, 2)


def test_the_turn_comes_back_after_a_rollback_an_error_or_a_closed_session(engine):
    with make_sessionmaker(engine)() as s:
        keys.ensure_team(session=s, name="rolled-back")
        s.rollback()
    assert writes_within(engine, 2)
    with pytest.raises(ZeroDivisionError), make_sessionmaker(engine)() as s:
        keys.ensure_team(session=s, name="failed")
        _ = 1 / 0
    assert writes_within(engine, 2)
    s = make_sessionmaker(engine)()
    keys.ensure_team(session=s, name="abandoned")
    s.close()  # never committed
    assert writes_within(engine, 2)


def test_the_turn_comes_back_when_the_connection_is_invalidated(engine):
    with engine.connect() as conn:
        conn.execute(text("DELETE FROM teams WHERE name = 'nobody'"))  # a write transaction
        conn.invalidate()  # e.g. the driver lost the connection
    assert writes_within(engine, 2)
