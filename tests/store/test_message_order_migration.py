"""Migration 0004 on a database written before it: duplicate and missing message order numbers
are renumbered 1..n per conversation, in stored order, and then cannot come back."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError

from calmdesk.store.db import make_engine
from calmdesk.store.migrate import upgrade
from store.dbsupport import PG_SERVER

#: (conversation, message id, seq as an old server left them): 'b' and 'c' share 2, 4 is missing
OLD_ROWS = [
    (1, "a", 1),
    (1, "b", 2),
    (1, "c", 2),
    (1, "d", 5),
    (2, "x", 1),
    (2, "y", 1),
    (2, "z", 3),
]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def blank_engine(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:
    """An empty database of its own: the shared test database is already at the newest revision."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path}/old.db")
        yield engine
        engine.dispose()
        return
    name = f"calmdesk_mig_{secrets.token_hex(4)}"
    admin = make_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        pytest.skip(f"PostgreSQL at {PG_SERVER} not reachable: {exc}")
    engine = make_engine(f"{PG_SERVER}/{name}")
    yield engine
    engine.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _write_old_rows(engine: Engine) -> None:
    """Rows as revision 0002 stored them, in plain SQL so later model changes do not matter."""
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO teams (name, threshold, redact, priority_config, created_at)"
                " VALUES ('support', 0.6, false, '{}', '2026-01-01')"
            )
        )
        for cid in (1, 2):
            conn.execute(
                text(
                    "INSERT INTO conversations (id, team, source, external_id, channel, risk,"
                    " peak_risk, outcome, metadata, created_at, updated_at) VALUES (:id,"
                    " 'support', 'api', :ext, 'chat', 0, 0, '{}', '{}', '2026-01-01',"
                    " '2026-01-01')"
                ),
                {"id": cid, "ext": f"conv-{cid}"},
            )
        for n, (cid, mid, seq) in enumerate(OLD_ROWS, start=1):
            conn.execute(
                text(
                    "INSERT INTO messages (id, team, conversation_id, seq, external_id, author,"
                    " role, text, channel, labels, risk, redacted, metadata, created_at) VALUES"
                    " (:id, 'support', :cid, :seq, :mid, 'c', 'customer', 'hi', 'chat', '[]', 0,"
                    " false, '{}', '2026-01-01')"
                ),
                {"id": n, "cid": cid, "seq": seq, "mid": mid},
            )


def _order(engine: Engine) -> list[tuple[int, str, int]]:
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT conversation_id, external_id, seq FROM messages ORDER BY id")
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]


def test_migration_0004_renumbers_each_conversation_densely_in_stored_order(blank_engine):
    upgrade(blank_engine, "0002")
    _write_old_rows(blank_engine)
    upgrade(blank_engine)
    assert _order(blank_engine) == [
        (1, "a", 1),
        (1, "b", 2),
        (1, "c", 3),
        (1, "d", 4),
        (2, "x", 1),
        (2, "y", 2),
        (2, "z", 3),
    ]


def test_migration_0004_refuses_a_second_message_with_the_same_order_number(blank_engine):
    upgrade(blank_engine)
    with pytest.raises(IntegrityError, match="seq"):
        _write_old_rows(blank_engine)  # 'b' and 'c' both numbered 2
