"""A server killed with SIGKILL in the middle of concurrent ingest, restarted, and sent everything
again: every acknowledged message survived the kill, and after the re-delivery every message is
stored once, numbered 1..n in its conversation, with one audit entry each and a chain that
verifies. Runs `uvicorn` on the app factory as a real process, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import random
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

import calmdesk
from calmdesk.store import keys
from calmdesk.store.db import make_engine, make_sessionmaker, utcnow
from calmdesk.store.migrate import upgrade
from calmdesk.store.models import ConversationRow, MessageRow
from service.ingest_checks import check_stored, text_for
from store.dbsupport import BACKENDS, PgDatabase, database_url_for

CONVERSATIONS, PER_CONVERSATION, CLIENTS = 3, 16, 4
#: acknowledged deliveries before the kill: enough that others are in flight when it comes
KILL_AFTER = 16


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """`uvicorn --factory calmdesk.web.app:create_app` on a free port, this checkout's code."""

    def __init__(self, url: str, secrets_dir: Path, log: Path) -> None:
        self.log = log
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        src = str(Path(calmdesk.__file__).resolve().parents[1])
        self.env = {
            **os.environ,
            "CALMDESK_DATABASE_URL": url,
            "CALMDESK_SECRETS_DIR": str(secrets_dir),
            "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")]),
        }
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as log:  # the server keeps its own copy of the handle
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "--factory",
                    "calmdesk.web.app:create_app",
                    "--port",
                    str(self.port),
                    "--log-level",
                    "warning",
                ],
                env=self.env,
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                err = self.log.read_text(errors="replace")[-2000:]
                raise AssertionError(f"server exited on start: {err}")
            try:
                if httpx.get(f"{self.base}/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        raise AssertionError("server did not answer /health within 20 s")

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.kill()  # SIGKILL: no shutdown, no rollback by the server itself
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)


@pytest.fixture(params=BACKENDS)
def served(
    request: pytest.FixtureRequest, tmp_path: Path, pg_database: PgDatabase
) -> Iterator[tuple[Server, str, dict[str, str]]]:
    url = database_url_for(request.param, tmp_path, pg_database)
    engine = make_engine(url)
    upgrade(engine)
    with make_sessionmaker(engine)() as s:
        token = keys.create_key(session=s, team="support", role="agent", name="bot", now=utcnow())
        s.commit()
    engine.dispose()
    server = Server(url, tmp_path / "secrets", tmp_path / "server.log")
    yield server, url, {"X-API-Key": token.token}
    server.stop()


def _deliveries() -> list[dict[str, Any]]:
    docs = [
        {
            "id": f"conv-{c}",
            "customer_id": f"cust-{c}",
            "messages": [
                {"id": f"m{n}", "author": f"cust-{c}", "role": "customer", "text": text_for(n)}
            ],
        }
        for c in range(CONVERSATIONS)
        for n in range(PER_CONVERSATION)
    ]
    random.Random(7).shuffle(docs)
    return docs


def _deliver(
    base: str,
    headers: dict[str, str],
    docs: list[dict[str, Any]],
    stop: threading.Event,
    stop_after: int | None = None,
) -> list[tuple[str, str]]:
    """Send each doc from CLIENTS threads, setting `stop` after `stop_after` are acknowledged;
    the (conversation, message) pairs acknowledged."""
    acked: list[tuple[str, str]] = []
    lock = threading.Lock()

    def send(doc: dict[str, Any]) -> None:
        if stop.is_set():
            return
        try:
            r = httpx.post(f"{base}/ingest", json=doc, headers=headers, timeout=30)
        except httpx.TransportError:
            return  # the server was killed under this request
        assert r.status_code == 200, r.text
        with lock:
            acked.append((doc["id"], doc["messages"][0]["id"]))
            if stop_after is not None and len(acked) >= stop_after:
                stop.set()

    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(send, docs))
    return acked


def test_kill_mid_ingest_then_full_redelivery_stores_each_message_once(served):
    server, url, headers = served
    docs = _deliveries()
    server.start()
    killed = threading.Event()
    killer = threading.Thread(target=lambda: killed.wait(60) and server.kill())
    killer.start()
    acked = _deliver(server.base, headers, docs, killed, stop_after=KILL_AFTER)
    killer.join()
    assert len(acked) >= KILL_AFTER

    server.start()
    engine = make_engine(url)
    with make_sessionmaker(engine)() as s:
        stored = s.execute(
            select(ConversationRow.external_id, MessageRow.external_id).join(
                MessageRow, MessageRow.conversation_id == ConversationRow.id
            )
        )
        survived = {(conv, message) for conv, message in stored}
    assert set(acked) <= survived  # nothing acknowledged was lost with the process

    again = _deliver(server.base, headers, docs, threading.Event())
    assert len(again) == len(docs)
    server.stop()
    with make_sessionmaker(engine)() as s:
        check_stored(
            s,
            {f"conv-{c}": {f"m{n}" for n in range(PER_CONVERSATION)} for c in range(CONVERSATIONS)},
        )
    engine.dispose()
