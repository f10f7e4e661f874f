"""The write transaction of a request: retried when it lost a race, 503 when it kept losing.

Every route that writes hands its work to `commit_retrying` instead of committing itself, so a
deadlock or a concurrent first delivery never reaches the caller as a server error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from fastapi import HTTPException
from sqlalchemy.orm import Session

from calmdesk.store import retry

T = TypeVar("T")


def commit_retrying(session: Session, work: Callable[[], T]) -> T:
    """Run `work` and commit (see `calmdesk.store.retry.run`); 503 with Retry-After if it
    lost every attempt."""
    try:
        return retry.run(session, work)
    except retry.Contention as exc:
        raise HTTPException(
            503,
            f"the database is busy with concurrent writes ({exc.reason}); nothing was stored, "
            "retry the request",
            headers={"Retry-After": str(exc.retry_after)},
        ) from exc
