"""Databases for store and service tests: a SQLite file per test, and one throw-away PostgreSQL
database per run (calmdesk_test_<random>, dropped at the end) emptied between tests."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, text

from calmdesk.store.db import Base, make_engine
from calmdesk.store.migrate import upgrade

PG_SERVER = os.environ.get("CALMDESK_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@dataclass
class Clock:
    """A clock the test moves by hand, so SLA timers can be exercised without waiting."""

    now: datetime = field(default_factory=lambda: datetime(2026, 3, 2, 9, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class PgDatabase:
    """Created on first use, migrated once, dropped when the run ends."""

    def __init__(self) -> None:
        self.name = f"calmdesk_test_{secrets.token_hex(4)}"
        self.url = f"{PG_SERVER}/{self.name}"
        self._admin: Engine | None = None
        self.engine: Engine | None = None

    def start(self) -> None:
        if self.engine is not None:
            return
        try:
            self._admin = make_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
            with self._admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{self.name}"'))
        except Exception as exc:
            pytest.skip(f"PostgreSQL at {PG_SERVER} not reachable: {exc}")
        self.engine = make_engine(self.url)
        upgrade(self.engine)

    def empty(self) -> None:
        assert self.engine is not None
        names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        with self.engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))

    def stop(self) -> None:
        if self.engine is not None:
            self.engine.dispose()
        if self._admin is not None:
            with self._admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
            self._admin.dispose()


def pg_session_fixture() -> Iterator[PgDatabase]:
    db = PgDatabase()
    yield db
    db.stop()


def database_url_for(backend: str, tmp_path: object, pg: PgDatabase) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path}/calmdesk.db"
    pg.start()
    pg.empty()
    return pg.url
