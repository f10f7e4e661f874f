"""The desk's audit checkpoint file and key: written after every commit, shown to the caller.

The key is `audit_checkpoint.key` in the secrets folder (`calmdesk.service.secret_files`), never
in the database. The file (`CALMDESK_AUDIT_CHECKPOINTS`, by default `audit-checkpoints.jsonl` in
the secrets folder) only grows: each line is written with one `write` on a descriptor opened
with O_APPEND, so the lines of several workers interleave whole and none overwrites another.
It is not fsynced: a power cut may lose its newest lines, which widens the window described in
`calmdesk.store.audit_checkpoint`, and the database has to survive that cut too. Ship the file
(or the `X-Calmdesk-Audit-Checkpoint` headers each change's response carries) somewhere the
database's writers cannot reach, and a rewrite can be shown even if this file goes with it.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from calmdesk.service import secret_files
from calmdesk.service.settings import Settings
from calmdesk.store import audit, audit_checkpoint

HEADER = "X-Calmdesk-Audit-Checkpoint"
KEY_NAME = "audit_checkpoint"
FILE_NAME = "audit-checkpoints.jsonl"

log = logging.getLogger(__name__)
#: the lines written while the current request runs, for its response header
_written: ContextVar[list[str] | None] = ContextVar("calmdesk_audit_checkpoints", default=None)


def default_path(secrets_dir: Path) -> Path:
    return secrets_dir / FILE_NAME


@dataclass(frozen=True, slots=True)
class CheckpointFile:
    path: Path
    key: bytes
    clock: Callable[[], datetime]

    @classmethod
    def for_settings(cls, settings: Settings) -> CheckpointFile:
        secrets_dir = settings.secrets_dir
        path = Path(settings.audit_checkpoints) if settings.audit_checkpoints else None
        return cls(
            path=(path or default_path(secrets_dir)).expanduser(),
            key=secret_files.load_or_create(secrets_dir, KEY_NAME),
            clock=settings.clock,
        )

    def write(self, heads: list[audit.Head]) -> list[str]:
        """Sign and append one line per head; the lines, for the caller's response."""
        lines = [audit_checkpoint.sign(self.key, h, self.clock()) for h in heads]
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            for line in lines:
                data = (line + "\n").encode("ascii")
                if os.write(fd, data) != len(data):
                    raise OSError(f"{self.path}: short write of a checkpoint line")
        finally:
            os.close(fd)
        return lines

    def heard(self, heads: list[audit.Head]) -> None:
        """After a commit: write the checkpoints; a failure is logged, the commit stands."""
        try:
            lines = self.write(heads)
        except OSError:
            log.exception("audit checkpoint not written to %s; heads %s", self.path, heads)
            return
        written = _written.get()
        if written is not None:
            written.extend(lines)

    def lines(self) -> list[str]:
        try:
            return self.path.read_text(encoding="utf-8", errors="replace").splitlines()
        except FileNotFoundError:
            return []

    def watch(self, factory: sessionmaker[Session]) -> None:
        audit.on_commit(factory, self.heard)


class CheckpointHeader:
    """ASGI middleware: a response to a request that committed audit entries carries the
    newest checkpoint line written for it, so the caller holds a copy outside the desk."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        written: list[str] = []
        token = _written.set(written)

        async def send_with_checkpoint(message: Message) -> None:
            if message["type"] == "http.response.start" and written:
                MutableHeaders(scope=message).append(HEADER, written[-1])
            await send(message)

        try:
            await self.app(scope, receive, send_with_checkpoint)
        finally:
            _written.reset(token)
