"""Throw-away databases and secrets folders for the benches, so a run leaves nothing behind.

A bench that starts a desk (in process or as a `calmdesk serve` subprocess) would otherwise make
its session and audit keys in the user's real secrets folder, and a PostgreSQL bench needs a
database of its own that is dropped however the run ends.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from calmdesk.store.db import make_engine

PG_SERVER = os.environ.get("CALMDESK_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")


@contextmanager
def database(backend: str, pg_server: str = PG_SERVER) -> Iterator[str | None]:
    """A fresh database URL for `backend` ("sqlite" or "postgresql"), dropped afterwards; None
    (with the reason printed) when the PostgreSQL server cannot be reached."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{tmp}/bench.db"
        return
    name = f"calmdesk_bench_{secrets.token_hex(4)}"
    admin = make_engine(f"{pg_server}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except Exception as exc:
        print(f"postgresql skipped: {exc}")
        admin.dispose()
        yield None
        return
    try:
        yield f"{pg_server}/{name}"
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def each_database(*, skip_postgres: bool = False) -> Iterator[tuple[str, str]]:
    """(backend, URL) of a fresh SQLite and, unless skipped or unreachable, PostgreSQL
    database, each dropped once the loop moves on."""
    for backend in ("sqlite",) if skip_postgres else ("sqlite", "postgresql"):
        with database(backend) as url:
            if url is not None:
                yield backend, url


@contextmanager
def secrets_folder() -> Iterator[str]:
    """CALMDESK_SECRETS_DIR pointed at a temporary folder (servers started inside inherit it)."""
    before = os.environ.get("CALMDESK_SECRETS_DIR")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["CALMDESK_SECRETS_DIR"] = tmp
        try:
            yield tmp
        finally:
            if before is None:
                os.environ.pop("CALMDESK_SECRETS_DIR", None)
            else:
                os.environ["CALMDESK_SECRETS_DIR"] = before
