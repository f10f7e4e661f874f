"""A burst against a real `calmdesk serve`: refused cleanly or stored once, never a 500.

Before the load limits, 100 simultaneous Chatwoot deliveries wedged the server (every answer a
500 or a time-out, /health silent). Here 60 arrive at once at a server with room for 4 in flight
and 16 waiting: each is stored (200) or refused with 503 + Retry-After, /health answers during the
burst, and re-sending the refused ones, as a helpdesk does, stores every message exactly once.
bench/burst.py measures the same at larger sizes.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import text

from calmdesk.store import keys
from calmdesk.store.db import make_engine, make_sessionmaker
from calmdesk.store.migrate import upgrade
from service.payloads import chatwoot_message
from store.dbsupport import BACKENDS, Clock, PgDatabase, database_url_for

DELIVERIES = 60
LIMITS = {"CALMDESK_THREADS": "4", "CALMDESK_MAX_QUEUED": "16", "CALMDESK_QUEUE_WAIT_SECONDS": "1"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(params=BACKENDS)
def server(request, tmp_path, pg_database: PgDatabase) -> Iterator[tuple[str, str, str]]:
    """(base URL, an agent's key, database URL) of a `calmdesk serve` subprocess."""
    url = database_url_for(request.param, tmp_path, pg_database)
    engine = make_engine(url)
    upgrade(engine)
    with make_sessionmaker(engine)() as s:
        token = keys.create_key(
            session=s, team="support", role="agent", name="chatwoot", now=Clock()()
        ).token
        s.commit()
    engine.dispose()
    port = free_port()
    serve = [sys.executable, "-c", "from calmdesk.cli import main; main()", "serve"]
    proc = subprocess.Popen(
        [*serve, "--port", str(port), "--database-url", url],
        env={**os.environ, **LIMITS},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        yield base, token, url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:  # a wedged server may not even stop
            proc.kill()
            proc.wait()


def delivery(n: int) -> dict:
    # 12 conversations of 5 messages each, so messages of one conversation race each other
    return chatwoot_message(1000 + n, f"Message {n}: where is my refund?", conversation=n % 12)


async def burst(base: str, token: str) -> tuple[dict[int, int], list[int]]:
    """Every delivery at once while /health is polled: (status by delivery, /health statuses)."""
    statuses: dict[int, int] = {}
    health: list[int] = []
    limits = httpx.Limits(max_connections=DELIVERIES + 2)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:

        async def send(n: int) -> None:
            try:
                r = await client.post(f"/webhooks/chatwoot?api_key={token}", json=delivery(n))
            except httpx.TimeoutException:
                statuses[n] = 0  # no answer within 30 s: the server wedged
                return
            statuses[n] = r.status_code

        async def watch() -> None:
            while len(statuses) < DELIVERIES:
                health.append((await client.get("/health", timeout=5)).status_code)
                await asyncio.sleep(0.1)

        await asyncio.gather(watch(), *(send(n) for n in range(DELIVERIES)))
    return statuses, health


def test_a_burst_is_stored_once_or_refused_with_retry_after_never_a_500(server):
    base, token, url = server
    statuses, health = asyncio.run(burst(base, token))
    assert set(statuses.values()) <= {200, 503}, sorted(statuses.values())
    assert health and set(health) == {200}
    refused = [n for n, code in statuses.items() if code == 503]
    deadline = time.monotonic() + 30
    with httpx.Client(base_url=base, timeout=30) as client:
        while refused:  # re-delivery, as a helpdesk retries a 503
            assert time.monotonic() < deadline, f"still refused: {refused}"
            r = client.post(f"/webhooks/chatwoot?api_key={token}", json=delivery(refused[0]))
            assert r.status_code in (200, 503), r.text
            if r.status_code == 200:
                refused.pop(0)
            else:
                time.sleep(float(r.headers["Retry-After"]) / 10)
    engine = make_engine(url)
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT external_id FROM messages")).scalars().all()
    engine.dispose()
    assert sorted(stored) == sorted(str(1000 + n) for n in range(DELIVERIES))
