"""Engines and sessions for SQLite (the zero-set-up default) and PostgreSQL.

Nothing is created at import: `make_engine(url)` is called by whoever owns the process (the
app factory, a CLI command, a test). SQLite transactions start with BEGIN IMMEDIATE so writers
queue instead of failing half-way, and the audit chain cannot fork under concurrent requests.

Sessions that only read (`make_read_sessionmaker`) must not queue behind writers: on SQLite they
begin DEFERRED, which in WAL mode takes no lock a writer waits for, and refuse writes
(`PRAGMA query_only`); on PostgreSQL they run READ ONLY. Both kinds share one connection pool.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Engine, create_engine, event
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from calmdesk.store.sqlite_turns import WriteTurns

DEFAULT_URL = "sqlite:///./calmdesk.db"
#: the execution option that marks an engine (and its connections) as read-only
READ_ONLY = "calmdesk_read_only"


class Base(DeclarativeBase):
    pass


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime stored portably (SQLite has no time zones): naive UTC on disk."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def is_memory(url: str) -> bool:
    return url.startswith("sqlite") and (":memory:" in url or url.rstrip("/") == "sqlite:")


def make_engine(url: str = DEFAULT_URL, *, pool_size: int | None = None, **kwargs: Any) -> Engine:
    """An engine for `url`; SQLite gets foreign keys, WAL, a busy timeout and IMMEDIATE begins.

    `pool_size` connections are kept, and as many again may be opened at a peak, so a pool sized
    to the server's threads never makes a request wait for a connection another one holds.
    An in-memory SQLite database lives in its one connection and keeps SQLAlchemy's own pool.
    """
    if pool_size is not None and not is_memory(url):
        kwargs = {"pool_size": pool_size, "max_overflow": pool_size, **kwargs}
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT}, **kwargs
        )
        _sqlite_pragmas(engine, memory=is_memory(url))
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def read_only(engine: Engine) -> Engine:
    """The same database and pool, for work that only reads (see the module's docstring)."""
    if engine.dialect.name == "postgresql":
        return engine.execution_options(**{READ_ONLY: True}, postgresql_readonly=True)
    return engine.execution_options(**{READ_ONLY: True})


#: seconds a SQLite writer waits for the lock before the request fails
BUSY_TIMEOUT = 30


def _sqlite_pragmas(engine: Engine, *, memory: bool) -> None:
    # an in-memory database has a single connection: there is no one to take turns with
    turns = None if memory else WriteTurns(engine, timeout=BUSY_TIMEOUT)

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        # let SQLAlchemy, not the driver, decide when a transaction begins (see _begin)
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT * 1000}")
        if not memory:
            cur.execute("PRAGMA journal_mode=WAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        # set on every begin, as a pooled connection serves readers and writers in turn
        if conn.get_execution_options().get(READ_ONLY):
            conn.exec_driver_sql("PRAGMA query_only=ON")
            conn.exec_driver_sql("BEGIN DEFERRED")
            return
        conn.exec_driver_sql("PRAGMA query_only=OFF")
        if turns is not None:
            turns.take(conn)
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            if turns is not None:
                turns.give_back(conn.info)
            raise


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


def make_read_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Sessions that read without waiting for a writer, and fail loudly if asked to write."""
    return sessionmaker(bind=read_only(engine), expire_on_commit=False)
