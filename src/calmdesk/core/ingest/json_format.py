"""The documented calmdesk format: JSON (one conversation, a list, or {"conversations": [...]})
and JSONL (one conversation a line), checked against the shipped JSON Schema.

The schema is the contract other tools write to, so it is what decides; the code adds only the
checks a schema cannot express (a role known from the participant list, unique message ids).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from calmdesk.core.ingest import budget
from calmdesk.core.ingest.assemble import (
    duplicate_ids,
    first_customer,
    frozen,
    participants_for,
    role_of,
)
from calmdesk.core.ingest.errors import IngestError, ReadResult, file_error
from calmdesk.core.ingest.json_limits import (
    MAX_DEPTH,
    array_items,
    parse_int,
    too_deep_at,
    value_problem,
)
from calmdesk.core.ingest.options import IngestOptions
from calmdesk.core.ingest.source import decode_text, quoted
from calmdesk.core.ingest.timestamps import ISO_EXPECTED, parse_iso
from calmdesk.core.model import Conversation, Message, Participant, Role

SCHEMA_FILE = "conversation.schema.json"

#: (field, message) pairs: what is wrong with one record, before the file and place are known.
Problems = list[tuple[str | None, str]]


@cache
def schema() -> dict[str, Any]:
    """The shipped JSON Schema, read on first use (nothing is loaded at import)."""
    text = resources.files(__package__).joinpath(SCHEMA_FILE).read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@cache
def _validator() -> Any:
    # Imported here, not at the top: most runs read no JSON, and the CLI should start fast.
    from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

    return Draft202012Validator(schema())


def read_json(path: Path, data: bytes, options: IngestOptions) -> ReadResult:
    text = decode_text(path, data)
    if isinstance(text, IngestError):
        return ReadResult(errors=(text,))
    document = _loads(text)
    if isinstance(document, _Unreadable):
        items = array_items(text) if document.too_deep else None
        if items is None:
            return file_error(str(path), document.message, location=document.location)
        document = items
    records = _records(document)
    if records is None:
        return file_error(
            str(path),
            'expected a conversation object, a list of them, or {"conversations": [...]}',
        )
    if not records:
        return file_error(str(path), "no conversations in the file")
    single = isinstance(document, dict) and "conversations" not in document
    results: list[tuple[str | None, ReadResult]] = []
    for index, record in enumerate(records, start=1):
        location = None if single else f"record {index}"
        budget.check(location or "the record")
        results.append((location, _read_record(record, str(path), location, options)))
    return _unique_ids(results, str(path))


def read_jsonl(path: Path, data: bytes, options: IngestOptions) -> ReadResult:
    text = decode_text(path, data)
    if isinstance(text, IngestError):
        return ReadResult(errors=(text,))
    results: list[tuple[str | None, ReadResult]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        location = f"line {number}"
        budget.check(location)
        record = _loads(line)
        if isinstance(record, _Unreadable):
            message = (
                f"{record.message} (column {record.column})" if record.column else record.message
            )
            results.append((location, file_error(str(path), message, location=location)))
            continue
        results.append((location, _read_record(record, str(path), location, options)))
    return _unique_ids(results, str(path))


def _unique_ids(results: list[tuple[str | None, ReadResult]], path: str) -> ReadResult:
    """Merge per-record results, rejecting a conversation whose id an earlier record used."""
    first: dict[str, str] = {}
    merged: list[ReadResult] = []
    for location, result in results:
        for conversation in result.conversations:
            if conversation.id in first:
                earlier = first[conversation.id]
                message = f"duplicate conversation id {conversation.id!r} (first in {earlier})"
                result = ReadResult(errors=(IngestError(path, location, "id", message),))
            else:
                first[conversation.id] = location or "this file"
        merged.append(result)
    return ReadResult.merge(merged)


@dataclass(frozen=True, slots=True)
class _Unreadable:
    """Why a JSON text could not be parsed, and where (line and column, where known)."""

    message: str
    line: int | None = None
    column: int | None = None
    #: the parser's stack overflowed (a list may still be read record by record)
    too_deep: bool = False

    @property
    def location(self) -> str | None:
        return None if self.line is None else f"line {self.line}, column {self.column}"


def _loads(text: str) -> Any:
    """The parsed JSON value, or _Unreadable. Over-long integers come back as HugeInteger
    markers, reported later on their record and field (json_limits says why)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        return _Unreadable(f"not valid JSON: {exc.msg}", exc.lineno, exc.colno)
    except RecursionError:
        line, column = too_deep_at(text) or (None, None)
        message = f"not read: nested deeper than {MAX_DEPTH} levels"
        return _Unreadable(message, line, column, too_deep=True)
    except ValueError:  # an integer over the digit limit: parse again, marking it
        return json.loads(text, parse_int=parse_int)


def _records(document: object) -> list[Any] | None:
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        if "conversations" in document:
            inner = document["conversations"]
            return inner if isinstance(inner, list) else None
        return [document]
    return None


def _read_record(
    record: object, path: str, location: str | None, options: IngestOptions
) -> ReadResult:
    problems = schema_problems(record)
    if not problems and isinstance(record, dict):
        built = conversation_from_record(record, options)
        if isinstance(built, Conversation):
            return ReadResult(conversations=(built,))
        problems = built
    return ReadResult(
        errors=tuple(IngestError(path, location, field, message) for field, message in problems)
    )


@cache
def _fast_check() -> Callable[[object], object]:
    """The schema compiled to Python by fastjsonschema: about 40x faster on valid records.

    Formats are not asserted, as jsonschema does not assert them either; on any failure the
    record goes to jsonschema, whose errors name the field (and which has the last word).
    """
    import fastjsonschema

    check: Callable[[object], object] = fastjsonschema.compile(schema(), use_formats=False)
    return check


def schema_problems(record: object) -> Problems:
    """Every schema violation in `record`, phrased as field + what was expected; first of all,
    a value no schema check should walk into (json_limits)."""
    beyond = value_problem(record)
    if beyond is not None:
        return [beyond]
    try:
        _fast_check()(record)
    except Exception:
        pass
    else:
        return []
    errors = sorted(
        _validator().iter_errors(record), key=lambda e: [str(p) for p in e.absolute_path]
    )
    return [_explain(error) for error in errors]


def _explain(error: Any) -> tuple[str | None, str]:
    path = _field_path(error.absolute_path)
    kind, expected, instance = error.validator, error.validator_value, error.instance
    if kind == "required" and isinstance(instance, dict):
        missing = [name for name in expected if name not in instance]
        return _join(path, missing[0] if missing else ""), "missing; it is required"
    if kind == "additionalProperties" and isinstance(instance, dict):
        known = error.schema.get("properties", {})
        extra = [name for name in instance if name not in known]
        fields = ", ".join(known)
        return (
            _join(path, str(extra[0]) if extra else ""),
            f"unknown field; expected one of {fields} (put anything else in metadata)",
        )
    if kind == "enum":
        return (
            path or None,
            f"expected one of {', '.join(map(str, expected))}, got {quoted(instance)}",
        )
    if kind == "type":
        wanted = " or ".join(expected) if isinstance(expected, list) else str(expected)
        return path or None, f"expected {wanted}, got {_json_type(instance)} {quoted(instance)}"
    if kind == "minItems":
        return path or None, f"expected at least {expected} item(s), got none"
    if kind == "minLength":
        return path or None, "expected a non-empty string"
    return path or None, str(error.message)


def _field_path(parts: Any) -> str:
    text = ""
    for part in parts:
        text = f"{text}[{part}]" if isinstance(part, int) else _join(text, str(part))
    return text


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _json_type(value: object) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}
    return names.get(type(value), "number")


def conversation_from_record(
    record: Mapping[str, Any], options: IngestOptions
) -> Conversation | Problems:
    """Build a conversation from a schema-valid record, or say what else is wrong with it."""
    problems: Problems = []
    listed = tuple(
        Participant(str(p["id"]), role_of(p["role"]), p.get("name"))
        for p in record.get("participants", [])
    )
    roles: dict[str, Role] = {}
    for index, participant in enumerate(listed):
        if participant.id in roles:
            problems.append(
                (f"participants[{index}].id", f"duplicate participant id {participant.id!r}")
            )
        roles[participant.id] = participant.role
    channel = options.channel or record.get("channel") or "chat"
    messages: list[Message] = []
    for index, raw in enumerate(record["messages"]):
        built = _message(raw, f"messages[{index}]", roles, channel, options)
        if isinstance(built, Message):
            messages.append(built)
        else:
            problems.extend(built)
    if not problems:
        for index, dup in duplicate_ids(m.id for m in messages):
            problems.append((f"messages[{index}].id", f"duplicate message id {dup!r}"))
    if problems:
        return problems
    customer = record.get("customer_id")
    return Conversation(
        id=str(record["id"]),
        messages=tuple(messages),
        participants=participants_for(messages, listed),
        customer_id=str(customer) if customer is not None else first_customer(messages),
        channel=channel,
        metadata=frozen(record.get("metadata")),
    )


def _message(
    raw: Mapping[str, Any],
    where: str,
    roles: Mapping[str, Role],
    channel: str,
    options: IngestOptions,
) -> Message | Problems:
    author = str(raw["author"])
    listed_role = roles.get(author)
    role: Role | None = role_of(raw["role"]) if "role" in raw else listed_role
    if role is None:
        return [(f"{where}.role", f"missing, and author {author!r} is not a listed participant")]
    if listed_role is not None and role != listed_role:
        return [
            (
                f"{where}.role",
                f"{role!r} contradicts participant {author!r}, listed as {listed_role!r}",
            )
        ]
    timestamp = None
    if raw.get("timestamp") is not None:
        timestamp = parse_iso(raw["timestamp"])
        if timestamp is None:
            return [(f"{where}.timestamp", f"{ISO_EXPECTED}, got {quoted(raw['timestamp'])}")]
    return Message(
        id=str(raw["id"]),
        author=author,
        role=role,
        text=raw["text"],
        timestamp=timestamp,
        channel=options.channel or raw.get("channel") or channel,
        metadata=frozen(raw.get("metadata")),
    )
