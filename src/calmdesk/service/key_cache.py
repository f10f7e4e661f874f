"""A short in-process memory of verified API keys, so a burst does not check every key in the
database.

Under a burst every request of a helpdesk carries the same key; looking it up each time puts one
more query in front of the real work of each request. A key that was verified in the last few
seconds (`CALMDESK_KEY_CACHE_SECONDS`, default 5) is trusted without a query. Revoking a key
through this process forgets it at once; another process (a second worker, `calmdesk keys
revoke`) is seen after at most that many seconds. Unknown keys are never remembered, so a key
created a moment ago works on its first request.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from calmdesk.store.keys import ActiveKey

#: enough for every key of a large desk; the oldest entry goes when a new one would exceed it
MAX_ENTRIES = 4096


class KeyCache:
    def __init__(
        self,
        ttl_seconds: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_entries: int = MAX_ENTRIES,
    ) -> None:
        self.ttl = ttl_seconds
        self._clock = clock
        self._max = max_entries
        self._lock = threading.Lock()
        #: token hash -> (key, when it expires)
        self._entries: OrderedDict[str, tuple[ActiveKey, float]] = OrderedDict()

    def get(self, token_hash: str) -> ActiveKey | None:
        with self._lock:
            found = self._entries.get(token_hash)
            if found is None:
                return None
            key, expires = found
            if self._clock() >= expires:
                del self._entries[token_hash]
                return None
            return key

    def put(self, token_hash: str, key: ActiveKey) -> None:
        if self.ttl <= 0:
            return
        with self._lock:
            self._entries[token_hash] = (key, self._clock() + self.ttl)
            self._entries.move_to_end(token_hash)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)

    def forget(self, key_id: int) -> None:
        """Drop a key (it was revoked here): its next request is checked in the database."""
        with self._lock:
            for token_hash in [h for h, (k, _) in self._entries.items() if k.id == key_id]:
                del self._entries[token_hash]
