"""The shipped migrations build exactly the tables, constraints and indexes the models declare,
on SQLite and PostgreSQL: a constraint added to a model without its migration fails here."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from calmdesk.store import models, models_case  # noqa: F401  (register the tables)
from calmdesk.store.db import Base, make_engine
from calmdesk.store.migrate import upgrade


def test_migrations_match_models(database_url):
    engine = make_engine(database_url)
    upgrade(engine)
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    engine.dispose()
