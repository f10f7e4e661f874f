"""Service settings from the environment (CALMDESK_*), read when the app is built, not at import."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from calmdesk.service import secret_files
from calmdesk.store.db import DEFAULT_URL, utcnow


@dataclass(frozen=True)
class Settings:
    #: sqlite:///./calmdesk.db (default) or postgresql+psycopg://user@host/db
    database_url: str = DEFAULT_URL
    host: str = "127.0.0.1"
    port: int = 8000
    #: apply the shipped migrations when the app is built
    migrate: bool = True
    #: the team's knowledge base and remedy catalogue (YAML) for reply drafts; bundled examples
    #: when unset
    knowledge_base: str | None = None
    remedies: str | None = None
    #: web pages: the key that seals login sessions and form tokens; when unset, the one in
    #: `secrets_dir` (made on first start), so it never lives in the database
    session_secret: str | None = field(default=None, repr=False)
    #: the folder of key files outside the database (calmdesk.service.secret_files)
    secrets_dir: Path = field(default_factory=secret_files.default_dir)
    #: a web session ends after this long without a request, and in any case this long after
    #: its login
    session_idle_minutes: int = 120
    session_hours: int = 12
    #: failed logins and API keys: this many per client address or key prefix are answered
    #: normally, then each further one waits twice as long (from `backoff_seconds`, at most
    #: `backoff_max_seconds`) before the next try is heard (calmdesk.service.ratelimit)
    login_max_failures: int = 5
    login_backoff_seconds: float = 1.0
    login_backoff_max_seconds: float = 900.0
    #: demo mode loads the bundled examples and prints demo keys
    demo: bool = False
    #: the append-only file of signed audit checkpoints; `audit-checkpoints.jsonl` in the
    #: secrets folder when unset
    audit_checkpoints: str | None = None
    #: load limits (service/limits.py): threads for the routes, and as many requests in flight;
    #: up to `max_queued` more wait at most `queue_wait_seconds` for a slot, the rest get 503
    threads: int = 16
    max_queued: int = 64
    queue_wait_seconds: float = 5.0
    #: the largest request body (bytes) and message text (characters) accepted; larger is 413
    max_request_bytes: int = 2 * 1024 * 1024
    max_message_chars: int = 64 * 1024
    #: how long a verified API key is trusted without a database query (service/key_cache.py);
    #: a revocation by another process takes effect after at most this long, 0 checks every time
    key_cache_seconds: float = 5.0
    #: the time source; tests pass a fixed clock to exercise SLA timers
    clock: Callable[[], datetime] = field(default=utcnow, compare=False)

    @staticmethod
    def from_env(env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        return Settings(
            database_url=env.get("CALMDESK_DATABASE_URL", DEFAULT_URL),
            host=env.get("CALMDESK_HOST", "127.0.0.1"),
            port=int(env.get("CALMDESK_PORT", "8000")),
            migrate=env.get("CALMDESK_MIGRATE", "1") not in ("0", "false", "no"),
            knowledge_base=env.get("CALMDESK_KNOWLEDGE_BASE") or None,
            remedies=env.get("CALMDESK_REMEDIES") or None,
            session_secret=env.get("CALMDESK_SESSION_SECRET") or None,
            secrets_dir=secret_files.default_dir(env),
            session_idle_minutes=int(_number(env, "CALMDESK_SESSION_IDLE_MINUTES", 120, least=1)),
            session_hours=int(_number(env, "CALMDESK_SESSION_HOURS", 12, least=1)),
            login_max_failures=int(_number(env, "CALMDESK_LOGIN_MAX_FAILURES", 5, least=1)),
            login_backoff_seconds=_number(env, "CALMDESK_LOGIN_BACKOFF_SECONDS", 1.0, above=0),
            login_backoff_max_seconds=_number(
                env, "CALMDESK_LOGIN_BACKOFF_MAX_SECONDS", 900.0, above=0
            ),
            demo=env.get("CALMDESK_DEMO", "0") in ("1", "true", "yes"),
            audit_checkpoints=env.get("CALMDESK_AUDIT_CHECKPOINTS") or None,
            threads=int(_number(env, "CALMDESK_THREADS", 16, least=1)),
            max_queued=int(_number(env, "CALMDESK_MAX_QUEUED", 64)),
            queue_wait_seconds=_number(env, "CALMDESK_QUEUE_WAIT_SECONDS", 5.0),
            max_request_bytes=int(_number(env, "CALMDESK_MAX_REQUEST_BYTES", 2 * 1024 * 1024)),
            max_message_chars=int(_number(env, "CALMDESK_MAX_MESSAGE_CHARS", 64 * 1024)),
            key_cache_seconds=_number(env, "CALMDESK_KEY_CACHE_SECONDS", 5.0),
        )


def _number(
    env: Mapping[str, str],
    name: str,
    default: float,
    *,
    least: float = 0,
    above: float | None = None,
) -> float:
    """A number from the environment (whole when `default` is), at least `least` or more than
    `above`; a bad value names its variable."""
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    whole = isinstance(default, int)
    try:
        value = int(raw) if whole else float(raw)
    except ValueError:
        raise ValueError(f"{name}={raw!r}: expected a {'whole ' if whole else ''}number") from None
    if above is not None and not value > above:
        raise ValueError(f"{name}={raw!r}: expected more than {above:g}")
    if value < least:
        raise ValueError(f"{name}={raw!r}: expected at least {least:g}")
    return value
