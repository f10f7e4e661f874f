"""Running a write transaction again when it lost a race with another one.

PostgreSQL aborts one of two transactions that deadlock (SQLSTATE 40P01) or cannot be
serialised (40001), and when two transactions insert the same key the second fails on the
unique index (23505) once the first commits; SQLite reports SQLITE_BUSY when a writer did not
get the lock. In each case the request itself was fine: rolled back and run again it finds the
database as the winner left it (a first delivery raced by a second one becomes a re-delivery).
So `run` retries a few times after a short jittered pause, and when the attempts are used up it
raises `Contention`, which the service answers with 503 and Retry-After, never 500.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)
T = TypeVar("T")

#: PostgreSQL SQLSTATE codes of a transaction that lost a race (errcodes-appendix)
PG_TRANSIENT = {
    "40P01": "deadlock",
    "40001": "serialization failure",
    "23505": "unique key taken by a concurrent transaction",
    "55P03": "lock not available",
}
#: SQLite extended result codes (sqlite.org/rescode.html): the primary code is the low byte
SQLITE_BUSY, SQLITE_LOCKED = 5, 6
SQLITE_CONSTRAINT_PRIMARYKEY, SQLITE_CONSTRAINT_UNIQUE = 1555, 2067


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how patiently; the pause before attempt n+1 is uniform in
    [0, min(max_delay, base_delay * 2**(n-1))] ("full jitter"), so racing requests spread out."""

    attempts: int = 5
    base_delay: float = 0.02
    max_delay: float = 0.5
    #: seconds the caller is told to wait when every attempt lost
    retry_after: int = 1

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError(f"attempts must be at least 1, got {self.attempts}")

    def delay(self, attempt: int, rng: random.Random) -> float:
        return rng.uniform(0.0, min(self.max_delay, self.base_delay * 2 ** (attempt - 1)))


DEFAULT_POLICY = RetryPolicy()


class Contention(Exception):
    """Every attempt lost a race: the work is sound, the database too busy for it right now."""

    def __init__(self, reason: str, attempts: int, retry_after: int) -> None:
        super().__init__(f"{reason}; gave up after {attempts} attempts")
        self.reason = reason
        self.attempts = attempts
        self.retry_after = retry_after


def transient(exc: BaseException) -> str | None:
    """Why `exc` is a lost race worth retrying, or None when retrying cannot help."""
    if not isinstance(exc, DBAPIError):
        return None
    orig = exc.orig
    sqlstate = getattr(orig, "sqlstate", None)
    if isinstance(sqlstate, str):
        return PG_TRANSIENT.get(sqlstate)
    code = getattr(orig, "sqlite_errorcode", None)
    if not isinstance(code, int):
        return None
    if code & 0xFF in (SQLITE_BUSY, SQLITE_LOCKED):
        return "database is locked"
    if code in (SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_PRIMARYKEY):
        return "unique key taken by a concurrent transaction"
    return None


def run(
    session: Session,
    work: Callable[[], T],
    *,
    policy: RetryPolicy = DEFAULT_POLICY,
    sleep: Callable[[float], None] = time.sleep,
    rng: random.Random | None = None,
) -> T:
    """Run `work` in a transaction of `session` and commit it, again while it loses races.

    `work` must load what it changes itself (a retry starts from a rolled-back session, every
    object expired) and must not commit: `run` owns the transaction.
    """
    rng = rng or random.Random()
    for attempt in range(1, policy.attempts + 1):
        try:
            result = work()
            session.commit()
            return result
        except DBAPIError as exc:
            session.rollback()
            reason = transient(exc)
            if reason is None:
                raise
            if attempt == policy.attempts:
                log.warning("write gave up after %d attempts: %s", attempt, reason)
                raise Contention(reason, attempt, policy.retry_after) from exc
            log.info("write attempt %d lost a race (%s); retrying", attempt, reason)
            sleep(policy.delay(attempt, rng))
        except BaseException:
            session.rollback()
            raise
    raise AssertionError("unreachable: the last attempt returns or raises")
