"""Alembic environment: runs on the connection `calmdesk.store.migrate.upgrade` hands over."""

from alembic import context

from calmdesk.store import models, models_case  # noqa: F401  (register the tables)
from calmdesk.store.db import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through calmdesk.store.migrate.upgrade(engine)")
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
