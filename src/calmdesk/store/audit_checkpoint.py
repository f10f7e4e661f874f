"""Signed checkpoints of each team's audit chain, kept outside the database, and their check.

A chain that lives only in the database is rewritten, cut short or extended by whoever can
write to the database, and still verifies. After every commit that appended entries, the
service signs the team's new head (HMAC-SHA256 with a key kept outside the database) and
appends it as one JSON line to a checkpoint file, and hands it to the caller. A line says
"this team's chain had entries `first`..`seq` appended by calmdesk and then ended in `head`".

Against those lines `compare` finds: a chain that ends before a signed seq (truncation), a
signed entry whose hash changed (a rewrite, however carefully re-hashed), and entries that no
checkpoint covers although later ones are covered (written past calmdesk, e.g. a forged
append). What it cannot find: changes made after the newest checkpoint a verifier still has,
and before the next one (entries committed a moment ago whose line is not yet written, or a
process killed between commit and write); so the newest entries with no checkpoint are
reported as not anchored, never as proven. Nor does it help if the file and the key are both
in the attacker's hands: keep a copy of the lines (the response header, a log shipper) where
the database's writers cannot reach.

Only pure functions here; the key and the file belong to the service
(`calmdesk.service.audit_checkpoints`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from calmdesk.store.audit import Head, Verdict

VERSION = 1
_FIELDS = ("v", "team", "first", "seq", "head", "at", "key")


def fingerprint(key: bytes) -> str:
    """A short public name of a key: tells "another desk's key" from "a forged signature"."""
    return hashlib.sha256(b"calmdesk audit checkpoint key\n" + key).hexdigest()[:16]


def _mac(key: bytes, body: dict[str, Any]) -> str:
    payload = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hmac.new(key, payload.encode("utf-8"), hashlib.sha256).hexdigest()


def sign(key: bytes, head: Head, at: datetime) -> str:
    """The checkpoint line (ASCII JSON, no newline) for a head that was just committed."""
    body: dict[str, Any] = {
        "v": VERSION,
        "team": head.team,
        "first": head.first,
        "seq": head.seq,
        "head": head.hash,
        "at": at.isoformat(),
        "key": fingerprint(key),
    }
    return json.dumps(body | {"sig": _mac(key, body)}, sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True, slots=True)
class Checkpoint:
    team: str
    first: int
    seq: int
    head: str
    at: str
    #: where it was read from (1-based line number)
    line: int


@dataclass(frozen=True, slots=True)
class LineFault:
    line: int
    #: the team the line claims, when it can be read at all
    team: str | None
    problem: str


def _fields(raw: str) -> dict[str, Any] | str:
    try:
        doc = json.loads(raw)
    except json.JSONDecodeError as exc:
        return f"not JSON ({exc.msg})"
    if not isinstance(doc, dict):
        return "not a JSON object"
    missing = [k for k in (*_FIELDS, "sig") if k not in doc]
    if missing:
        return f"missing {', '.join(missing)}"
    ints = ("v", "first", "seq")
    if any(type(doc[k]) is not int for k in ints) or not all(
        isinstance(doc[k], str) for k in ("team", "head", "at", "key", "sig")
    ):
        return "a field has the wrong type"
    return doc


def read(lines: Iterable[str], key: bytes) -> tuple[list[Checkpoint], list[LineFault]]:
    """The lines signed with `key`, and every other line with what is wrong with it."""
    ours = fingerprint(key)
    good: list[Checkpoint] = []
    bad: list[LineFault] = []
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        doc = _fields(raw)
        if isinstance(doc, str):
            bad.append(LineFault(number, None, f"not a checkpoint: {doc}"))
            continue
        team = doc["team"]
        if doc["v"] != VERSION:
            bad.append(LineFault(number, team, f"of version {doc['v']}, not known here"))
        elif doc["key"] != ours:
            bad.append(
                LineFault(
                    number,
                    team,
                    f"signed with another key ({doc['key']}; this desk's is {ours}): "
                    "another desk's checkpoint, or a forged one",
                )
            )
        elif not hmac.compare_digest(_mac(key, {k: doc[k] for k in _FIELDS}), doc["sig"]):
            bad.append(LineFault(number, team, "not matched by its signature: edited or forged"))
        else:
            good.append(Checkpoint(team, doc["first"], doc["seq"], doc["head"], doc["at"], number))
    return good, bad


@dataclass(frozen=True, slots=True)
class Comparison:
    """One team's chain held against its checkpoints."""

    checkpoints: int
    #: the newest checkpoint (highest seq), if any
    newest: Checkpoint | None
    problems: tuple[str, ...]
    #: runs of entries (first, last) that no checkpoint covers: written past calmdesk, or too
    #: recently (or by a process killed before its write) to be anchored yet
    unanchored: tuple[tuple[int, int], ...]


def compare(chain: Verdict, checkpoints: Sequence[Checkpoint]) -> Comparison:
    """Hold the team's verified chain (`verify(want=` the checkpoints' seqs `)`) to them."""
    cps = sorted(checkpoints, key=lambda c: (c.seq, c.line))
    if not cps:
        span = ((1, chain.last),) if chain.last else ()
        why = (f"no checkpoint covers any of its {chain.last} entries",) if chain.last else ()
        return Comparison(0, None, why, span)
    problems: list[str] = []
    newest = cps[-1]
    if newest.seq > chain.last:
        problems.append(
            f"the chain ends at entry {chain.last} but the checkpoint of {newest.at} signed "
            f"entry {newest.seq}: entries {chain.last + 1}–{newest.seq} were deleted"
        )
    last_good = 0
    for cp in cps:
        if cp.seq > chain.last:
            break
        if chain.hashes.get(cp.seq) != cp.head:
            problems.append(
                f"entry {cp.seq} is not the one its checkpoint of {cp.at} signed: the chain "
                f"was rewritten after entry {last_good} and at or before entry {cp.seq}"
            )
            break
        last_good = cp.seq
    return Comparison(len(cps), newest, tuple(problems), _unanchored(cps, chain.last))


def _unanchored(cps: Sequence[Checkpoint], last: int) -> tuple[tuple[int, int], ...]:
    """Runs of seqs from the first checkpointed entry to `last` that no checkpoint covers.

    Entries before the first checkpoint predate checkpoints (an upgraded desk): the hash chain
    pins their content to the first checkpoint, but nothing says who wrote them."""
    gaps: list[tuple[int, int]] = []
    covered_to = min(c.first for c in cps) - 1
    for cp in sorted(cps, key=lambda c: c.first):
        if cp.first > covered_to + 1 and covered_to < last:
            gaps.append((covered_to + 1, min(cp.first - 1, last)))
        covered_to = max(covered_to, cp.seq)
    if covered_to < last:
        gaps.append((covered_to + 1, last))
    return tuple(gaps)
