"""Keys are stored hashed; migrations apply on an empty database and again without harm."""

from __future__ import annotations

from sqlalchemy import inspect, select

from calmdesk.store import keys
from calmdesk.store.db import make_engine
from calmdesk.store.migrate import upgrade
from calmdesk.store.models import ApiKey


def test_keys_token_is_not_stored_only_its_hash(session, clock):
    new = keys.create_key(session=session, team="support", role="agent", name="tom", now=clock())
    session.commit()
    row = session.scalar(select(ApiKey))
    assert new.token not in (row.token_hash, row.prefix) and row.token_hash == keys.hash_token(
        new.token
    )
    assert keys.find_active(session=session, token=new.token).id == row.id


def test_keys_revoked_key_no_longer_authenticates(session, clock):
    new = keys.create_key(session=session, team="support", role="agent", name="tom", now=clock())
    keys.revoke(session=session, key_id=new.key.id, team="support", now=clock())
    session.commit()
    assert keys.find_active(session=session, token=new.token) is None


def test_migrations_apply_twice_and_create_every_table(database_url):
    engine = make_engine(database_url)
    upgrade(engine)
    upgrade(engine)
    tables = set(inspect(engine).get_table_names())
    assert {"cases", "messages", "audit_log", "identities", "api_keys", "alembic_version"} <= tables
    engine.dispose()
