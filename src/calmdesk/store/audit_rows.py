"""The audited rows held against the audit: does each message and case still say what was logged?

A valid chain proves only that the log was not changed; a message's text or a case's state
edited in its own table leaves the log intact. So while the chain is walked, `Expected` folds
each message's and case's entries into the values they must have now (a later entry wins), and
`compare` reads the team's rows and names every row that differs, every audited row that is
gone, and every row no entry knows.

Erasing personal data stays possible: an entry of action "erased" on a message records the
SHA-256 of what the row holds afterwards (and "deleted" that the row is gone on purpose), so an
audited erasure is the newest fact about the row, not a difference. Entries written before the
case entries carried their `result` still count for the fields they name (the state of a
transition, the `after` of an edit, ...).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from calmdesk.store.audit import text_digest
from calmdesk.store.models import MessageRow
from calmdesk.store.models_case import AuditEntry, Case

#: what a message's "created" (or "erased") entry records, and how to read it off the row
MESSAGE_FIELDS = ("conversation", "external_id", "role", "text_sha256", "author_sha256", "redacted")
#: the case columns every case entry records, as they are after the change (`result`)
CASE_FIELDS = (
    "state",
    "priority",
    "owner",
    "supervisor",
    "needs_supervisor",
    "title",
    "reasons",
    "eta",
    "ack_due",
    "resolve_due",
    "acknowledged_at",
    "solution_accepted_at",
    "resolved_at",
    "closed_at",
)
_TIMES = {
    "eta",
    "ack_due",
    "resolve_due",
    "acknowledged_at",
    "solution_accepted_at",
    "resolved_at",
    "closed_at",
}
#: the action of an entry that records a row's deletion on purpose
GONE = "deleted"


def plain(value: Any) -> Any:
    """A column value as the audit records it: datetimes as UTC ISO text."""
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.astimezone(UTC).isoformat()
    return value


def case_result(case: Case) -> dict[str, Any]:
    """The audited columns of a case as they are now: what a case entry's `result` records."""
    return {f: plain(getattr(case, f)) for f in CASE_FIELDS}


def message_facts(row: MessageRow) -> dict[str, Any]:
    """The audited columns of a message: what its "created" or "erased" entry records."""
    return {
        "conversation": row.conversation_id,
        "external_id": row.external_id,
        "role": row.role,
        "text_sha256": text_digest(row.text),
        "author_sha256": text_digest(row.author),
        "redacted": row.redacted,
    }


def _case_facts(action: str, data: dict[str, Any]) -> dict[str, Any]:
    """What a case entry says about the case's columns, for entries with or without `result`."""
    facts: dict[str, Any] = {}
    if action == "opened":
        facts = {"state": "new", "priority": data.get("priority"), "owner": data.get("owner")}
    elif action == "transition":
        facts = {"state": data.get("to")}
    elif action == "updated" and isinstance(data.get("after"), dict):
        facts = {k: v for k, v in data["after"].items() if k in CASE_FIELDS}
    elif action == "handed_off":
        facts = {"owner": data.get("to"), "supervisor": data.get("to"), "needs_supervisor": False}
    elif action == "escalated" and isinstance(data.get("priority"), list):
        facts = {"priority": data["priority"][-1]}
    if isinstance(data.get("result"), dict):
        facts |= {k: v for k, v in data["result"].items() if k in CASE_FIELDS}
    return facts


@dataclass(slots=True)
class Expected:
    """The values the team's messages and cases must have, folded from the chain in order."""

    messages: dict[int, dict[str, Any] | None]
    cases: dict[int, dict[str, Any] | None]

    @classmethod
    def empty(cls) -> Expected:
        return cls({}, {})

    def see(self, e: AuditEntry) -> None:
        if e.entity not in ("message", "case") or not e.entity_id.isdigit():
            return
        try:
            data = json.loads(e.data)
        except ValueError:
            return  # the chain check reports the edited entry
        if not isinstance(data, dict):
            return
        book = self.messages if e.entity == "message" else self.cases
        key = int(e.entity_id)
        if e.action == GONE:
            book[key] = None
            return
        if e.entity == "message":
            facts = {k: v for k, v in data.items() if k in MESSAGE_FIELDS}
        else:
            facts = _case_facts(e.action, data)
        book[key] = (book.get(key) or {}) | facts


@dataclass(frozen=True, slots=True)
class RowProblem:
    entity: str
    id: int
    problem: str

    def __str__(self) -> str:
        return f"{self.entity} {self.id}: {self.problem}"


def _differences(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    changed = []
    for name, want in expected.items():
        have = actual[name]
        if name in _TIMES and want is not None and have is not None:
            try:
                same = datetime.fromisoformat(want) == datetime.fromisoformat(have)
            except (TypeError, ValueError):
                same = False
        else:
            same = want == have
        if not same:
            changed.append(name)
    return changed


def _rows(session: Session, model: type[Any], team: str, batch: int = 500) -> Iterator[Any]:
    q = select(model).where(model.team == team).order_by(model.id)
    yield from session.scalars(q.execution_options(yield_per=batch))


def compare(session: Session, team: str, expected: Expected) -> tuple[int, list[RowProblem]]:
    """(rows checked, problems): every team row against what the audit says it must hold."""
    problems: list[RowProblem] = []
    checked = 0
    seen_messages: set[int] = set()
    for m in _rows(session, MessageRow, team):
        checked += 1
        seen_messages.add(m.id)
        problems += _row("message", m.id, expected.messages, message_facts(m))
    seen_cases: set[int] = set()
    for c in _rows(session, Case, team):
        checked += 1
        seen_cases.add(c.id)
        problems += _row("case", c.id, expected.cases, case_result(c))
    for entity, book, seen in (
        ("message", expected.messages, seen_messages),
        ("case", expected.cases, seen_cases),
    ):
        for key in sorted(set(book) - seen):
            if book[key] is not None:
                problems.append(RowProblem(entity, key, "its row was deleted without an entry"))
    return checked, problems


def _row(
    entity: str, key: int, book: dict[int, dict[str, Any] | None], actual: dict[str, Any]
) -> list[RowProblem]:
    if key not in book:
        return [RowProblem(entity, key, "no audit entry records this row")]
    want = book[key]
    if want is None:
        return [RowProblem(entity, key, "the audit records it as deleted, yet the row exists")]
    changed = _differences(want, actual)
    if not changed:
        return []
    return [RowProblem(entity, key, f"differs from the audit in {', '.join(changed)}")]
