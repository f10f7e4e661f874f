"""CSV exports, one row a message, with a column mapping: every helpdesk names its columns
differently, so the caller says which column holds which calmdesk field.

Rows are grouped by conversation id in file order; a conversation with one bad row is rejected
whole and every problem in it is reported. A row whose quoting cannot be read is reported on the
line it starts on, rejects its conversation, and the rows after it are read on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from calmdesk.core.ingest.assemble import duplicate_ids, first_customer, frozen, participants_for
from calmdesk.core.ingest.errors import IngestError, ReadResult, sorted_by_line
from calmdesk.core.ingest.options import IngestOptions
from calmdesk.core.ingest.roles import EXPECTED_ROLES, role_from_value
from calmdesk.core.ingest.source import decode_text, quoted
from calmdesk.core.ingest.table import Table
from calmdesk.core.ingest.timestamps import ISO_EXPECTED, parse_iso
from calmdesk.core.model import Conversation, Message

FIELDS: tuple[str, ...] = (
    "conversation_id",
    "message_id",
    "author",
    "role",
    "text",
    "timestamp",
    "channel",
    "customer_id",
)
REQUIRED: tuple[str, ...] = ("role", "text")
ROLE_EXPECTED = (
    f"expected one of {EXPECTED_ROLES} (or a synonym such as client, staff, system, manager)"
)


@dataclass
class _Draft:
    """A conversation while its rows are collected."""

    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)


def read_csv(path: Path, data: bytes, options: IngestOptions) -> ReadResult:
    text = decode_text(path, data)
    if isinstance(text, IngestError):
        return ReadResult(errors=(text,))
    source = str(path)
    table = Table(text, delimiter="\t" if path.suffix.lower() == ".tsv" else None)
    columns = _columns(table, options.column_map, source)
    if isinstance(columns, list):
        return ReadResult(errors=sorted_by_line([*table.problems(source), *columns]))
    drafts: dict[str, _Draft] = {}
    loose: list[IngestError] = []
    conv_col = columns.get("conversation_id")
    for line, row in table.rows():
        conv_id = path.stem if conv_col is None else _cell(row, conv_col).strip()
        if not conv_id:
            loose.append(
                IngestError(source, f"line {line}", "conversation_id", "empty; every row needs one")
            )
            continue
        draft = drafts.setdefault(conv_id, _Draft())
        if len(row) != len(table.header):
            message = f"expected {len(table.header)} columns, got {len(row)} (check the quoting)"
            draft.errors.append(IngestError(source, f"line {line}", None, message))
        draft.rows.append((line, row))
    for (_, _, cells), error in zip(table.errors, table.problems(source), strict=True):
        # A row lost to bad quoting rejects its conversation, as any other bad row does.
        conv_id = path.stem if conv_col is None else _cell(cells, conv_col).strip()
        if conv_id in drafts:
            drafts[conv_id].errors.append(error)
        else:
            loose.append(error)
    if not drafts and not loose:
        loose.append(IngestError(source, None, None, "no rows after the header"))
    result = ReadResult.merge(
        _conversation(conv_id, draft, table, columns, source, options)
        for conv_id, draft in drafts.items()
    )
    return ReadResult(result.conversations, sorted_by_line((*loose, *result.errors)))


def _columns(
    table: Table, column_map: Mapping[str, str], source: str
) -> dict[str, int] | list[IngestError]:
    """calmdesk field -> column index, or the errors that stop the whole file."""
    errors = [
        IngestError(
            source,
            None,
            "column_map",
            f"unknown field {key!r}; expected one of {', '.join(FIELDS)}",
        )
        for key in column_map
        if key not in FIELDS
    ]
    if not table.header:
        return [*errors, IngestError(source, "line 1", None, "no header row")]
    columns: dict[str, int] = {}
    for name in FIELDS:
        column = column_map.get(name, name)
        index = table.column(column)
        if table.duplicated(column):
            errors.append(
                IngestError(
                    source, "line 1", name, f"column {column!r} appears twice in the header"
                )
            )
        elif index is not None:
            columns[name] = index
        elif name in column_map or name in REQUIRED:
            have = ", ".join(table.header)
            hint = "" if name in column_map else f"; map one with --map {name}=<column>"
            errors.append(
                IngestError(source, "line 1", name, f"no column {column!r} (columns: {have}){hint}")
            )
    return errors or columns


def _cell(row: list[str], index: int | None) -> str:
    return row[index] if index is not None and index < len(row) else ""


def _conversation(
    conv_id: str,
    draft: _Draft,
    table: Table,
    columns: dict[str, int],
    source: str,
    options: IngestOptions,
) -> ReadResult:
    errors = list(draft.errors)
    messages: list[Message] = []
    lines: list[int] = []
    used = set(columns.values())
    for number, (line, row) in enumerate(draft.rows, start=1):
        problems: list[IngestError] = []
        where = f"line {line}"
        raw_role = _cell(row, columns["role"])
        role = role_from_value(raw_role)
        if role is None:
            problems.append(
                IngestError(source, where, "role", f"{ROLE_EXPECTED}, got {quoted(raw_role)}")
            )
        raw_time = _cell(row, columns.get("timestamp")).strip()
        timestamp = parse_iso(raw_time) if raw_time else None
        if raw_time and timestamp is None:
            problems.append(
                IngestError(source, where, "timestamp", f"{ISO_EXPECTED}, got {quoted(raw_time)}")
            )
        errors.extend(problems)
        if problems or role is None:
            continue
        extra = {
            name: _cell(row, index)
            for index, name in enumerate(table.header)
            if index not in used and _cell(row, index)
        }
        messages.append(
            Message(
                id=_cell(row, columns.get("message_id")).strip() or f"m{number}",
                author=_cell(row, columns.get("author")).strip() or role,
                role=role,
                text=_cell(row, columns["text"]),
                timestamp=timestamp,
                channel=options.channel or _cell(row, columns.get("channel")).strip() or "chat",
                metadata=frozen(extra),
            )
        )
        lines.append(line)
    if not errors:
        for index, dup in duplicate_ids(m.id for m in messages):
            message = f"duplicate message id {dup!r} in conversation {conv_id!r}"
            errors.append(IngestError(source, f"line {lines[index]}", "message_id", message))
    if errors:
        return ReadResult(errors=tuple(errors))
    customer = next(
        (c for _, row in draft.rows if (c := _cell(row, columns.get("customer_id")).strip())), None
    )
    if customer is None and "author" in columns:
        customer = first_customer(messages)
    conversation = Conversation(
        id=conv_id,
        messages=tuple(messages),
        participants=participants_for(messages),
        customer_id=customer,
        channel=options.channel or messages[0].channel,
    )
    return ReadResult(conversations=(conversation,))
