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
            session_idle_minutes=_int(env, "CALMDESK_SESSION_IDLE_MINUTES", 120, least=1),
            session_hours=_int(env, "CALMDESK_SESSION_HOURS", 12, least=1),
            login_max_failures=_int(env, "CALMDESK_LOGIN_MAX_FAILURES", 5, least=1),
            login_backoff_seconds=_float(env, "CALMDESK_LOGIN_BACKOFF_SECONDS", 1.0),
            login_backoff_max_seconds=_float(env, "CALMDESK_LOGIN_BACKOFF_MAX_SECONDS", 900.0),
            demo=env.get("CALMDESK_DEMO", "0") in ("1", "true", "yes"),
        )


def _int(env: Mapping[str, str], name: str, default: int, *, least: int) -> int:
    raw = env.get(name)
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name}={raw!r}: expected a whole number") from None
    if value < least:
        raise ValueError(f"{name}={raw!r}: expected at least {least}")
    return value


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{name}={raw!r}: expected a number of seconds") from None
    if not value > 0:
        raise ValueError(f"{name}={raw!r}: expected more than 0 seconds")
    return value
