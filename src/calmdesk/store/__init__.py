"""Persistence: SQLAlchemy tables, repositories whose caller commits, and Alembic migrations.

Imports only the core; the service (and the CLI) build an engine with `make_engine` and own
every transaction.
"""
