"""One audit chain per team: `seq` counts per team, each team's chain starts at its own genesis.

The one chain of the desk numbered and linked a team's entries among the other teams' entries,
so a team's log and its verification told it about the others. Existing entries keep their
content, time and order; they are renumbered and re-linked per team, which needs new hashes.
Re-hashing would also launder an entry someone had edited, so the old chain is verified first
and each team's new chain ends in an entry (action "rechained") that records how many entries
it took over and whether the old chain was intact at that moment.

The rows are read into memory: an audit log of a few million entries fits, and the table is
recreated because SQLite cannot change a primary key in place.

Revision ID: 0005
Revises: 0002
Create Date: 2026-12-04
"""

import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BODY = ("team", "at", "actor", "entity", "entity_id", "action", "data")


def _hash(prev: str, seq: int, row: dict[str, Any]) -> str:
    body = "\n".join([prev, str(seq), *(str(row[k]) for k in _BODY)])
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _genesis(team: str) -> str:
    return hashlib.sha256(f"calmdesk audit genesis\n{team}".encode()).hexdigest()


def _legacy_intact(rows: list[dict[str, Any]]) -> bool:
    prev = "0" * 64
    for expected, row in enumerate(rows, start=1):
        if row["seq"] != expected or row["prev_hash"] != prev:
            return False
        if _hash(prev, row["seq"], row) != row["hash"]:
            return False
        prev = row["hash"]
    return True


def _body_columns() -> list[sa.schema.SchemaItem]:
    return [
        sa.Column("team", sa.String(length=64), nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.Column("actor", sa.String(length=256), nullable=False),
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.UniqueConstraint("hash"),
        sa.UniqueConstraint("prev_hash"),
    ]


def _indexes() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_entity_id"), ["entity_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_team"), ["team"], unique=False)


def _new_table() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        *_body_columns(),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team", "seq", name="uq_audit_team_seq"),
    )
    _indexes()


def upgrade() -> None:
    bind = op.get_bind()
    old = sa.table(
        "audit_log",
        *(sa.column(c) for c in ("seq", "prev_hash", "hash", *_BODY)),
    )
    rows = [dict(r._mapping) for r in bind.execute(sa.select(old).order_by(old.c.seq))]
    intact = _legacy_intact(rows)
    op.drop_table("audit_log")
    _new_table()
    if not rows:
        return
    now = datetime.now(UTC).isoformat()
    chained: list[dict[str, Any]] = []
    heads: dict[str, tuple[int, str]] = {}
    counts: dict[str, int] = {}

    def add(row: dict[str, Any]) -> None:
        seq, prev = heads.get(row["team"], (0, _genesis(row["team"])))
        new = {k: row[k] for k in _BODY} | {"seq": seq + 1, "prev_hash": prev}
        new["hash"] = _hash(prev, seq + 1, new)
        heads[new["team"]] = (seq + 1, new["hash"])
        chained.append(new)

    for row in rows:
        add(row)
        counts[row["team"]] = counts.get(row["team"], 0) + 1
    for team, taken in counts.items():
        data = {"legacy_entries": taken, "legacy_chain_intact": intact}
        add(
            {
                "team": team,
                "at": now,
                "actor": "migration:0005",
                "entity": "audit",
                "entity_id": team[:64],
                "action": "rechained",
                "data": json.dumps(data, sort_keys=True, separators=(",", ":")),
            }
        )
    new_table = sa.table("audit_log", *(sa.column(c) for c in ("seq", "prev_hash", "hash", *_BODY)))
    bind.execute(sa.insert(new_table), chained)


def downgrade() -> None:
    """Back to one chain for the desk, re-linked in the order the entries were written."""
    bind = op.get_bind()
    cur = sa.table("audit_log", *(sa.column(c) for c in ("id", *_BODY)))
    rows = [dict(r._mapping) for r in bind.execute(sa.select(cur).order_by(cur.c.id))]
    op.drop_table("audit_log")
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        *_body_columns(),
        sa.PrimaryKeyConstraint("seq"),
    )
    _indexes()
    prev, chained = "0" * 64, []
    for seq, row in enumerate(rows, start=1):
        new = {k: row[k] for k in _BODY} | {"seq": seq, "prev_hash": prev}
        new["hash"] = prev = _hash(prev, seq, new)
        chained.append(new)
    if chained:
        old = sa.table("audit_log", *(sa.column(c) for c in ("seq", "prev_hash", "hash", *_BODY)))
        bind.execute(sa.insert(old), chained)
