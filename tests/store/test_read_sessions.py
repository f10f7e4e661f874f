"""Read-only sessions: they never wait for a writer on SQLite, and they refuse to write."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError

from calmdesk.store import keys
from calmdesk.store.db import make_engine, make_read_sessionmaker, make_sessionmaker
from calmdesk.store.migrate import upgrade
from calmdesk.store.models import ApiKey, Team


def test_read_session_answers_while_another_process_holds_the_sqlite_write_lock(tmp_path, clock):
    path = tmp_path / "calmdesk.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with make_sessionmaker(engine)() as s:
        keys.create_key(session=s, team="support", role="agent", name="a", now=clock())
        s.commit()
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # a writer in the middle of its transaction
    counted: list[int] = []

    def read() -> None:
        with make_read_sessionmaker(engine)() as s:
            counted.append(s.scalar(select(func.count()).select_from(ApiKey)) or 0)

    reader = threading.Thread(target=read)
    reader.start()
    reader.join(5)  # a session that began IMMEDIATE would wait up to the 30 s busy timeout
    finished = not reader.is_alive()
    writer.rollback()
    writer.close()
    reader.join()
    engine.dispose()
    assert finished, "the read waited for the writer's lock"
    assert counted == [1]


def test_read_session_refuses_to_write_and_its_connection_writes_again_afterwards(database_url):
    engine = make_engine(database_url, pool_size=1)  # one connection, used by both in turn
    upgrade(engine)
    with make_read_sessionmaker(engine)() as s:
        s.add(Team(name="support", threshold=0.6, redact=False, priority_config={}))
        with pytest.raises(DBAPIError):
            s.flush()
    with make_sessionmaker(engine)() as s:
        keys.ensure_team(session=s, name="support")
        s.commit()
    with make_read_sessionmaker(engine)() as s:
        assert s.scalars(select(Team.name)).all() == ["support"]
    engine.dispose()
