"""Service settings from the environment (CALMDESK_*), read when the app is built, not at import."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

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
    #: web pages: the secret that signs login cookies (random per process when unset, so a
    #: restart logs everyone out); demo mode loads the bundled examples and prints demo keys
    session_secret: str | None = field(default=None, repr=False)
    demo: bool = False
    #: the append-only file of signed audit checkpoints; `audit-checkpoints.jsonl` in the
    #: secrets folder when unset
    audit_checkpoints: str | None = None
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
            demo=env.get("CALMDESK_DEMO", "0") in ("1", "true", "yes"),
            audit_checkpoints=env.get("CALMDESK_AUDIT_CHECKPOINTS") or None,
        )
