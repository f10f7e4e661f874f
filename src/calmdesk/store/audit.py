"""The append-only, tamper-evident audit log: every change to a case, customer or message.

Each entry's hash covers the previous entry's hash and its own canonical body, so editing an
entry breaks its own hash and deleting one breaks the link (and the gap-free `seq`) after it.
Message text is never copied here, only its SHA-256: the log cannot be erased, personal data
must be erasable.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from calmdesk.store.models_case import AuditEntry

GENESIS = "0" * 64
#: an arbitrary constant: the PostgreSQL advisory lock that serialises appends to the chain
_PG_LOCK = 5_020_611


def canonical(data: dict[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def entry_hash(
    *,
    prev_hash: str,
    seq: int,
    team: str,
    at: str,
    actor: str,
    entity: str,
    entity_id: str,
    action: str,
    data: str,
) -> str:
    body = "\n".join([prev_hash, str(seq), team, at, actor, entity, entity_id, action, data])
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def text_digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def append(
    *,
    session: Session,
    team: str,
    actor: str,
    entity: str,
    entity_id: str | int,
    action: str,
    data: dict[str, Any] | None = None,
    at: datetime,
) -> AuditEntry:
    """Add the next entry of the chain to the session (the caller commits)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK})
    last = session.execute(
        select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
    ).first()
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    fields: dict[str, Any] = {
        "seq": seq,
        "team": team,
        "at": at.isoformat(),
        "actor": actor,
        "entity": entity,
        "entity_id": str(entity_id),
        "action": action,
        "data": canonical(data or {}),
    }
    entry = AuditEntry(**fields, prev_hash=prev, hash=entry_hash(prev_hash=prev, **fields))
    session.add(entry)
    session.flush()
    return entry


@dataclass(frozen=True, slots=True)
class Verdict:
    ok: bool
    entries: int
    #: the first entry that fails, and why
    broken_at: int | None = None
    problem: str | None = None
    #: the last entry's hash: record it elsewhere, and a rewritten chain no longer matches it
    head: str | None = None


def _walk(session: Session, batch: int = 1000) -> Iterator[AuditEntry]:
    after = 0
    while True:
        rows = session.scalars(
            select(AuditEntry).where(AuditEntry.seq > after).order_by(AuditEntry.seq).limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        after = rows[-1].seq


def verify(*, session: Session) -> Verdict:
    """Recompute the whole chain; report the first edited, missing or re-linked entry."""
    prev, expected, count = GENESIS, 1, 0
    for e in _walk(session):
        count += 1
        if e.seq != expected:
            return Verdict(False, count, expected, f"entry {expected} is missing")
        if e.prev_hash != prev:
            return Verdict(False, count, e.seq, "does not link to the previous entry's hash")
        fields: dict[str, Any] = {
            "seq": e.seq,
            "team": e.team,
            "at": e.at,
            "actor": e.actor,
            "entity": e.entity,
            "entity_id": e.entity_id,
            "action": e.action,
            "data": e.data,
        }
        if entry_hash(prev_hash=e.prev_hash, **fields) != e.hash:
            return Verdict(False, count, e.seq, "its content was changed after it was written")
        prev, expected = e.hash, expected + 1
    return Verdict(True, count, head=prev if count else None)


def entries(
    *,
    session: Session,
    team: str,
    entity: str | None = None,
    entity_id: str | None = None,
    limit: int = 100,
    after: int = 0,
) -> list[AuditEntry]:
    q = select(AuditEntry).where(AuditEntry.team == team, AuditEntry.seq > after)
    if entity:
        q = q.where(AuditEntry.entity == entity)
    if entity_id is not None:
        q = q.where(AuditEntry.entity_id == str(entity_id))
    return list(session.scalars(q.order_by(AuditEntry.seq).limit(limit)))


def as_dict(e: AuditEntry) -> dict[str, Any]:
    return {
        "seq": e.seq,
        "at": e.at,
        "actor": e.actor,
        "entity": e.entity,
        "entity_id": e.entity_id,
        "action": e.action,
        "data": json.loads(e.data),
        "hash": e.hash,
        "prev_hash": e.prev_hash,
    }
