"""The append-only, tamper-evident audit log: every change to a case, customer or message.

Each entry's hash covers the previous entry's hash and its own canonical body, so editing an
entry breaks its own hash and deleting one breaks the link (and the gap-free `seq`) after it.
Message text is never copied here, only its SHA-256: the log cannot be erased, personal data
must be erasable.

Every team has a chain of its own rather than one chain for the desk. A global chain links a
team's entries to other teams' hashes and numbers them among other teams' entries, so reading
or verifying it tells a team how much the others wrote and where their chain is broken; one
chain per team makes a team's verification complete on the team's own rows alone. It also lets
teams append in parallel: the PostgreSQL advisory lock is taken per team, not for the desk.

A chain kept only in the database cannot show that its newest entries were deleted, or that it
was rewritten with fresh hashes; `calmdesk.store.audit_checkpoint` anchors it outside. For that,
`append` notes in the session which entries it added (`appended`), and whoever owns the session
factory hears of them once they are committed (`on_commit`).
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import event, select, text
from sqlalchemy.orm import Session, sessionmaker

from calmdesk.store.models_case import AuditEntry

#: an arbitrary constant: with a number derived from the team, the PostgreSQL advisory lock
#: that serialises appends to that team's chain
_PG_LOCK = 5_020_611
#: where `append` keeps, in `Session.info`, the entries added since the last commit
_APPENDED = "calmdesk.audit.appended"
#: where a session made by a watched factory finds who to tell after a commit (`on_commit`)
_HEARD = "calmdesk.audit.heard"


def genesis(team: str) -> str:
    """What a team's first entry links to: a team's chain cannot be passed off as another's."""
    return hashlib.sha256(f"calmdesk audit genesis\n{team}".encode()).hexdigest()


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


@dataclass(frozen=True, slots=True)
class Head:
    """A team's chain after a transaction: it appended entries `first`..`seq`, ending in `hash`.

    `first` = `seq` + 1 says that nothing was appended: the head is only vouched for, as
    `calmdesk audit checkpoint` does for entries written before there were checkpoints."""

    team: str
    first: int
    seq: int
    hash: str


def _lock(session: Session, team: str) -> None:
    if session.get_bind().dialect.name == "postgresql":
        team_key = zlib.crc32(team.encode("utf-8")) - 2**31  # a signed 32-bit int, as PG wants
        session.execute(
            text("SELECT pg_advisory_xact_lock(:k, :t)"), {"k": _PG_LOCK, "t": team_key}
        )


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
    """Add the next entry of the team's chain to the session (the caller commits)."""
    _lock(session, team)
    last = session.execute(
        select(AuditEntry.seq, AuditEntry.hash)
        .where(AuditEntry.team == team)
        .order_by(AuditEntry.seq.desc())
        .limit(1)
    ).first()
    seq, prev = (last[0] + 1, last[1]) if last else (1, genesis(team))
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
    pending: dict[str, Head] = session.info.setdefault(_APPENDED, {})
    first = pending[team].first if team in pending else seq
    pending[team] = Head(team=team, first=first, seq=seq, hash=entry.hash)
    return entry


def appended(session: Session) -> list[Head]:
    """The heads this session's open transaction moved, and forget them (read once, at commit)."""
    pending: dict[str, Head] = session.info.pop(_APPENDED, {})
    return list(pending.values())


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(_APPENDED, None)  # those entries never happened


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    heads = appended(session)  # forgotten at every commit, heard or not
    heard: Callable[[list[Head]], None] | None = session.info.get(_HEARD)
    if heads and heard is not None:
        heard(heads)


def on_commit(factory: sessionmaker[Session], heard: Callable[[list[Head]], None]) -> None:
    """Call `heard` with the moved heads after each commit of a session from `factory`.

    It runs after the data is durable, so a checkpoint never vouches for an entry that a
    rollback then took back; the price is a short window (see audit_checkpoint)."""
    factory.configure(info={**factory.kw.get("info", {}), _HEARD: heard})


@dataclass(frozen=True, slots=True)
class Verdict:
    ok: bool
    entries: int
    #: the first entry that fails, and why
    broken_at: int | None = None
    problem: str | None = None
    #: the last entry's hash, what a checkpoint signs
    head: str | None = None
    #: the last entry's seq (0 for an empty chain)
    last: int = 0
    #: the stored hash of each entry asked for by `verify(want=...)` and present
    hashes: Mapping[int, str] = field(default_factory=dict)


def walk(session: Session, team: str, batch: int = 1000) -> Iterator[AuditEntry]:
    """The team's entries in chain order, read in batches (a chain can be long)."""
    after = 0
    while True:
        rows = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.team == team, AuditEntry.seq > after)
            .order_by(AuditEntry.seq)
            .limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        after = rows[-1].seq


def teams(session: Session) -> list[str]:
    """Every team with a chain."""
    return list(session.scalars(select(AuditEntry.team).distinct().order_by(AuditEntry.team)))


def _fault(e: AuditEntry, expected_seq: int, prev: str) -> tuple[int, str] | None:
    if e.seq != expected_seq:
        return expected_seq, f"entry {expected_seq} is missing"
    if e.prev_hash != prev:
        return e.seq, "does not link to the previous entry's hash"
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
        return e.seq, "its content was changed after it was written"
    return None


def verify(
    *,
    session: Session,
    team: str,
    want: Collection[int] = (),
    observe: Callable[[AuditEntry], None] | None = None,
) -> Verdict:
    """Recompute the team's chain; report the first edited, missing or re-linked entry.

    The walk goes on to the end after a fault, so that `observe` (the row check) sees every
    entry and the stored hashes of the `want`ed entries (the checkpoints' seqs) are known."""
    prev, expected, count = genesis(team), 1, 0
    fault: tuple[int, str] | None = None
    hashes: dict[int, str] = {}
    wanted = set(want)
    for e in walk(session, team):
        count += 1
        if fault is None:
            fault = _fault(e, expected, prev)
        if e.seq in wanted:
            hashes[e.seq] = e.hash
        if observe is not None:
            observe(e)
        prev, expected = e.hash, e.seq + 1
    last = expected - 1
    if fault is not None:
        return Verdict(False, count, fault[0], fault[1], prev, last, hashes)
    return Verdict(True, count, head=prev if count else None, last=last, hashes=hashes)


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
