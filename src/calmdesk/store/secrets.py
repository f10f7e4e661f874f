"""Secrets the server makes for itself and keeps in the database (today: the web session key).

Kept in the database, not in a file or in memory, so that a restart does not log every agent
out in the middle of an escalation and every worker behind a load balancer reads the same
cookies. The first process to need a secret creates it; a concurrent second one loses the
insert race on the primary key and reads the winner's.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from calmdesk.store.models import AppSecret

#: Bytes of randomness in a made secret.
SECRET_BYTES = 32


def get_or_create(session: Session, name: str, now: datetime) -> bytes:
    """The secret called `name`, made (and committed) on first use."""
    row = session.get(AppSecret, name)
    if row is None:
        session.add(AppSecret(name=name, value=secrets.token_hex(SECRET_BYTES), created_at=now))
        try:
            session.commit()
        except IntegrityError:  # another process made it first: use theirs
            session.rollback()
        row = session.get(AppSecret, name)
        assert row is not None
    return bytes.fromhex(row.value)
