"""Store tests run on SQLite and on PostgreSQL (marked `postgres`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session

from calmdesk.core.pipeline import Pipeline, make_pipeline
from calmdesk.store.db import make_engine, make_sessionmaker
from calmdesk.store.migrate import upgrade
from store.dbsupport import BACKENDS, Clock, PgDatabase, database_url_for, pg_session_fixture

pg_database = pytest.fixture(scope="session")(pg_session_fixture)


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path, pg_database: PgDatabase) -> str:
    return database_url_for(request.param, tmp_path, pg_database)


@pytest.fixture
def session(database_url: str) -> Iterator[Session]:
    engine = make_engine(database_url)
    upgrade(engine)
    with make_sessionmaker(engine)() as s:
        yield s
    engine.dispose()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    return make_pipeline()
