"""Message order numbers unique per conversation: renumber duplicates, then constrain.

Before this revision two deliveries to one conversation could both read the same max(seq) and
number their messages alike (issue 13, fault 9), leaving duplicate and missing order numbers.
Each conversation's messages are renumbered 1..n in their stored order (seq, then id: the row
inserted first keeps its place among equal numbers), and a unique constraint on
(conversation_id, seq) keeps it so.

Revision ID: 0004
Revises: 0002
Create Date: 2026-12-04
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: UPDATE ... FROM reads the same on PostgreSQL and SQLite (3.33 or later)
RENUMBER = """
UPDATE messages SET seq = dense.n
FROM (
    SELECT id, row_number() OVER (PARTITION BY conversation_id ORDER BY seq, id) AS n
    FROM messages
) AS dense
WHERE messages.id = dense.id AND messages.seq <> dense.n
"""


def upgrade() -> None:
    op.execute(RENUMBER)
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.create_unique_constraint("uq_message_seq", ["conversation_id", "seq"])


def downgrade() -> None:
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_constraint("uq_message_seq", type_="unique")
