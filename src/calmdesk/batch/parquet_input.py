"""Parquet input: a table of messages, one row each, grouped into conversations by
`conversation_id` (the layout warehouses and helpdesk exports use, and the one batch writes).

Columns: conversation_id, role, text (required); message_id, author, timestamp, channel,
customer_id (optional); any other column goes into the message's metadata (a "team" column is
what the report groups teams by). A piece is a run of row groups; rows of one conversation are
expected to be adjacent, as in any export sorted by conversation, so a conversation cut by a
row-group boundary belongs to the piece where it starts and that piece reads on to its end.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from calmdesk.batch.plan import Piece, open_input
from calmdesk.core.ingest import IngestError, IngestOptions, ReadResult
from calmdesk.core.ingest.assemble import first_customer, frozen, participants_for
from calmdesk.core.ingest.roles import EXPECTED_ROLES, role_from_value
from calmdesk.core.ingest.timestamps import ISO_EXPECTED, parse_iso
from calmdesk.core.model import Conversation, Message

REQUIRED = ("conversation_id", "role", "text")
KNOWN = (*REQUIRED, "message_id", "author", "timestamp", "channel", "customer_id")


def read_parquet_piece(piece: Piece, options: IngestOptions) -> ReadResult:
    with open_input(piece.url) as handle:
        pf = pq.ParquetFile(handle)
        missing = [c for c in REQUIRED if c not in pf.schema_arrow.names]
        if missing:
            have = ", ".join(pf.schema_arrow.names)
            return ReadResult(
                errors=(IngestError(piece.url, None, missing[0], f"no column (columns: {have})"),)
            )
        first, last = piece.start or 0, piece.stop or pf.metadata.num_row_groups
        table, row0 = _rows(pf, first, last)
    columns = {name: _python(table.column(name)) for name in table.column_names}
    return _conversations(columns, row0, piece.url, options)


def _rows(pf: pq.ParquetFile, first: int, last: int) -> tuple[pa.Table, int]:
    """The rows this piece owns, and the file row number of the first of them."""
    meta = pf.metadata
    row0 = sum(meta.row_group(i).num_rows for i in range(first))
    table = pf.read_row_groups(range(first, last)) if last > first else None
    if table is None or table.num_rows == 0:
        return pf.schema_arrow.empty_table(), row0
    ids = table.column("conversation_id")
    if first > 0:  # skip the tail of a conversation that started in the previous piece
        before = pf.read_row_group(first - 1, columns=["conversation_id"]).column(0)
        carried = _leading(ids, before[len(before) - 1].as_py())
        table, row0 = table.slice(carried), row0 + carried
    if table.num_rows == 0:
        return table, row0
    tail_id = table.column("conversation_id")[table.num_rows - 1].as_py()
    extra: list[pa.Table] = []
    for index in range(last, meta.num_row_groups):  # read on to the end of the last one
        group = pf.read_row_group(index)
        taken = _leading(group.column("conversation_id"), tail_id)
        extra.append(group.slice(0, taken))
        if taken < group.num_rows:
            break
    if extra:
        table = pa.concat_tables([table, *extra], promote_options="permissive")
    return table, row0


def _python(column: pa.ChunkedArray) -> list[Any]:
    """Column values as Python objects; zoned timestamps via naive UTC, which is several times
    faster than building a zoneinfo datetime per row (`_timestamp` adds UTC back)."""
    if pa.types.is_timestamp(column.type) and column.type.tz is not None:
        column = column.cast(pa.timestamp(column.type.unit))
    values: list[Any] = column.to_pylist()
    return values


def _leading(ids: pa.ChunkedArray, value: Any) -> int:
    """How many leading entries of `ids` equal `value`."""
    count = 0
    for item in ids.to_pylist():
        if item != value:
            break
        count += 1
    return count


def _conversations(
    cols: dict[str, list[Any]], row0: int, url: str, options: IngestOptions
) -> ReadResult:
    groups: dict[str, list[int]] = {}
    for i, conv_id in enumerate(cols["conversation_id"]):
        groups.setdefault("" if conv_id is None else str(conv_id), []).append(i)
    extra = [name for name in cols if name not in KNOWN]
    conversations: list[Conversation] = []
    errors: list[IngestError] = []
    for conv_id, rows in groups.items():
        built = _conversation(conv_id, rows, cols, extra, row0, url, options)
        if isinstance(built, Conversation):
            conversations.append(built)
        else:
            errors.extend(built)
    return ReadResult(tuple(conversations), tuple(errors))


def _conversation(
    conv_id: str,
    rows: Sequence[int],
    cols: dict[str, list[Any]],
    extra: Sequence[str],
    row0: int,
    url: str,
    options: IngestOptions,
) -> Conversation | list[IngestError]:
    """All-or-nothing, like every reader: one bad row rejects its conversation."""
    messages: list[Message] = []
    errors: list[IngestError] = []

    def get(name: str, i: int) -> Any:
        column = cols.get(name)
        return None if column is None else column[i]

    for number, i in enumerate(rows, start=1):
        where = f"row {row0 + i + 1}"
        if not conv_id:
            errors.append(IngestError(url, where, "conversation_id", "empty; every row needs one"))
            continue
        raw_role = get("role", i)
        role = role_from_value(str(raw_role)) if raw_role is not None else None
        text = get("text", i)
        stamp = _timestamp(get("timestamp", i))
        if role is None:
            errors.append(
                IngestError(
                    url, where, "role", f"expected one of {EXPECTED_ROLES}, got {raw_role!r}"
                )
            )
        if not isinstance(text, str):
            errors.append(IngestError(url, where, "text", f"expected a string, got {text!r}"))
        if stamp is False:
            errors.append(IngestError(url, where, "timestamp", ISO_EXPECTED))
        if role is None or not isinstance(text, str) or stamp is False:
            continue
        messages.append(
            Message(
                id=str(get("message_id", i) or f"m{number}"),
                author=str(get("author", i) or role),
                role=role,
                text=text,
                timestamp=stamp if isinstance(stamp, datetime) else None,
                channel=options.channel or str(get("channel", i) or "chat"),
                metadata=frozen({n: v for n in extra if (v := cols[n][i]) is not None}),
            )
        )
    if errors:
        return errors
    customer = next((str(c) for i in rows if (c := get("customer_id", i)) is not None), None)
    team = next((m.metadata["team"] for m in messages if "team" in m.metadata), None)
    return Conversation(
        id=conv_id,
        messages=tuple(messages),
        participants=participants_for(messages),
        customer_id=customer or first_customer(messages),
        channel=options.channel or messages[0].channel,
        metadata=frozen({"team": team} if team is not None else None),
    )


def _timestamp(value: Any) -> datetime | bool | None:
    """An aware datetime, None when absent, False when present but unreadable."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    parsed = parse_iso(str(value))
    return False if parsed is None else parsed
