"""Back-off for failed logins and API keys, per client address and per key prefix.

A key carries 256 random bits, so guessing one is hopeless; what a flood of wrong keys does
achieve is load on the key check and noise that hides a real attack. After `free` failures a
subject (a client address, or the first 10 characters of a `cdk_` token) must wait before its
next try is heard, twice as long after each further failure, up to `max_seconds`; a try made
while waiting is answered 429 with Retry-After and not looked up at all. A subject whose last
failure lies `max_seconds` past its wait is forgotten, and at most `max_tracked` subjects are
kept (the oldest go first), so a flood of addresses cannot grow the memory.

A right key is answered at once and never counted; only while its address or prefix waits
is it refused too, or guessing would go on unhindered until it hit. Each failure is logged to
`calmdesk.security` with the address and, for `cdk_` tokens only, the key prefix that
`calmdesk keys list` shows anyway; nothing else of what was sent is logged.

The counts live in the process: each worker of a desk counts for itself.
"""

from __future__ import annotations

import logging
import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from fastapi import HTTPException, Request

from calmdesk.store.keys import TOKEN_PREFIX

log = logging.getLogger("calmdesk.security")

T = TypeVar("T")

#: How much of a token names its key: the prefix stored with every key (store.keys.create_key).
PREFIX_CHARS = 10


@dataclass(frozen=True, slots=True)
class Backoff:
    #: failures answered normally before the first wait
    free: int = 5
    base_seconds: float = 1.0
    max_seconds: float = 900.0
    max_tracked: int = 10_000

    def wait_after(self, failures: int) -> float:
        """Seconds a subject must wait after its `failures`-th failure."""
        if failures < self.free:
            return 0.0
        return min(self.base_seconds * 2.0 ** (failures - self.free), self.max_seconds)


@dataclass(slots=True)
class _Record:
    failures: int
    last: float


def subjects(address: str | None, token: str | None) -> tuple[str, ...]:
    """What a try is counted against: its client address and, for a calmdesk token, its key."""
    found: list[str] = []
    if address:
        found.append(f"address {address}")
    if token and token.startswith(TOKEN_PREFIX) and len(token) >= PREFIX_CHARS:
        found.append(f"key {token[:PREFIX_CHARS]}")
    return tuple(found)


class Limiter:
    """Failure counts of recent subjects; thread-safe (sync routes run in a thread pool)."""

    def __init__(self, backoff: Backoff, clock: Callable[[], float]) -> None:
        self.backoff = backoff
        self._clock = clock
        self._records: OrderedDict[str, _Record] = OrderedDict()
        self._lock = threading.Lock()

    def retry_after(self, names: Iterable[str]) -> int:
        """Whole seconds until every one of `names` may try again; 0 when they may now."""
        now = self._clock()
        wait = 0.0
        with self._lock:
            for name in names:
                rec = self._records.get(name)
                if rec is not None:
                    wait = max(wait, rec.last + self.backoff.wait_after(rec.failures) - now)
        return math.ceil(wait) if wait > 0 else 0

    def failed(self, names: Iterable[str], what: str) -> None:
        """Count one failure of `what` ("web login", "API key") against each of `names`."""
        now = self._clock()
        counts: list[str] = []
        longest = 0.0
        with self._lock:
            self._forget(now)
            for name in names:
                rec = self._records.pop(name, None)
                if rec is None:
                    rec = _Record(failures=0, last=now)
                    while len(self._records) >= self.backoff.max_tracked:
                        self._records.popitem(last=False)
                rec.failures += 1
                rec.last = now
                self._records[name] = rec  # newest last: the oldest are forgotten first
                longest = max(longest, self.backoff.wait_after(rec.failures))
                counts.append(f"{name} (failure {rec.failures})")
        log.warning(
            "failed %s from %s; next try heard in %d s", what, ", ".join(counts), math.ceil(longest)
        )

    def refused(self, names: Iterable[str], what: str, retry_after: int) -> None:
        """Log a try that came too early (it was not checked, so it is not a failure)."""
        log.info("%s from %s refused for %d s more", what, ", ".join(names), retry_after)

    def tracked(self) -> int:
        with self._lock:
            return len(self._records)

    def _forget(self, now: float) -> None:
        while self._records:
            name, rec = next(iter(self._records.items()))
            if rec.last + self.backoff.wait_after(rec.failures) + self.backoff.max_seconds > now:
                return
            del self._records[name]


def of(request: Request) -> Limiter:
    """The app's limiter (one per app, made by `calmdesk.service.app.create_app`)."""
    limiter: Limiter = request.app.state.auth_limiter
    return limiter


def client_address(request: Request) -> str | None:
    return request.client.host if request.client else None


def too_early(retry_after: int) -> HTTPException:
    return HTTPException(
        429,
        f"too many failed tries from this address or for this key: try again in {retry_after} s",
        headers={"Retry-After": str(retry_after)},
    )


@dataclass(frozen=True, slots=True)
class Attempt:
    """One login or key check, as the limiter sees it: who tries, and with what."""

    limiter: Limiter
    names: tuple[str, ...]
    what: str

    def too_early(self) -> int:
        """Seconds this try must still wait (the try is then refused unheard), else 0."""
        wait = self.limiter.retry_after(self.names)
        if wait:
            self.limiter.refused(self.names, self.what, wait)
        return wait

    def failed(self) -> None:
        if self.names:
            self.limiter.failed(self.names, self.what)


def attempt(request: Request, token: str | None, what: str) -> Attempt:
    """The try `request` makes with `token`; `what` names it in the log ("web login"). A try
    without any key is no guess: it is neither limited nor counted."""
    names = subjects(client_address(request), token) if token else ()
    return Attempt(of(request), names, what)


def check_key(request: Request, token: str | None, check: Callable[[], T]) -> T:
    """Run the API-key `check` unless its subjects must still wait; count a 401 it raises."""
    tried = attempt(request, token, "API key")
    wait = tried.too_early()
    if wait:
        raise too_early(wait)
    try:
        return check()
    except HTTPException as exc:
        if exc.status_code == 401:
            tried.failed()
        raise
