"""Benchmark: the escalation service's ingest over HTTP on loopback, SQLite and PostgreSQL.

For each database, uvicorn runs `calmdesk.service.app:create_app` in a subprocess on 127.0.0.1
and receives Chatwoot `message_created` webhooks: each request stores one message and analyses
it with its conversation's history (the real per-message cost), across 40 conversations.

- throughput: N requests from C concurrent clients, as fast as the server answers (messages/s);
- latency: requests sent at a fixed rate (R per second), p50 / p99 of the response time.

Usage: python bench/api.py [--requests 400] [--concurrency 8] [--rate 20] [--latency-requests 200]
       [--skip-postgres]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
from scratch import each_database, secrets_folder

from calmdesk.cli.app import example_dir
from calmdesk.store import keys
from calmdesk.store.db import make_engine, make_sessionmaker, utcnow
from calmdesk.store.migrate import upgrade

CONVERSATIONS = 40


def texts() -> list[tuple[str, str]]:
    """(role, text) turns from the bundled example conversations."""
    out = []
    for path in sorted(example_dir().glob("*.json")):
        for m in json.loads(path.read_text("utf-8"))["messages"]:
            out.append((m.get("role", "customer"), m["text"]))
    return out


def payload(n: int, turns: list[tuple[str, str]]) -> dict:
    role, text = turns[n % len(turns)]
    incoming = role == "customer"
    conv = n % CONVERSATIONS
    return {
        "event": "message_created",
        "id": n + 1,
        "content": text,
        "created_at": "2026-03-02T09:00:00Z",
        "message_type": "incoming" if incoming else "outgoing",
        "private": False,
        "sender": {"id": 1000 + conv, "name": "Customer", "type": "contact"}
        if incoming
        else {"id": 7, "name": "Agent", "email": "agent@shop.example", "type": "user"},
        "conversation": {
            "id": conv + 1,
            "channel": "Channel::WebWidget",
            "meta": {"sender": {"id": 1000 + conv, "email": None}},
        },
        "account": {"id": 1},
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def admin_token(url: str) -> str:
    engine = make_engine(url)
    upgrade(engine)
    with make_sessionmaker(engine)() as s:
        new = keys.create_key(session=s, team="bench", role="admin", name="bench", now=utcnow())
        s.commit()
    engine.dispose()
    return new.token


def start_server(url: str, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "CALMDESK_DATABASE_URL": url}
    cmd = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "calmdesk.service.app:create_app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    proc = subprocess.Popen(cmd, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("the server did not start within 30 s")


def throughput(base: str, token: str, n: int, start: int, concurrency: int, turns) -> float:
    client = httpx.Client(base_url=base, headers={"X-API-Key": token}, timeout=60)

    def send(i: int) -> None:
        r = client.post("/webhooks/chatwoot", json=payload(start + i, turns))
        r.raise_for_status()

    t0 = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(send, range(n)))
    elapsed = time.perf_counter() - t0
    client.close()
    return n / elapsed


def latency(base: str, token: str, n: int, start: int, rate: float, turns) -> list[float]:
    client = httpx.Client(base_url=base, headers={"X-API-Key": token}, timeout=60)
    times: list[float] = []
    lock = threading.Lock()

    def send(i: int) -> None:
        t = time.perf_counter()
        client.post("/webhooks/chatwoot", json=payload(start + i, turns)).raise_for_status()
        with lock:
            times.append(time.perf_counter() - t)

    threads = []
    t0 = time.perf_counter()
    for i in range(n):
        time.sleep(max(0.0, t0 + i / rate - time.perf_counter()))
        th = threading.Thread(target=send, args=(i,))
        th.start()
        threads.append(th)
    for th in threads:
        th.join()
    client.close()
    return times


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run(name: str, url: str, args: argparse.Namespace, turns) -> None:
    token = admin_token(url)
    port = free_port()
    proc = start_server(url, port)
    base = f"http://127.0.0.1:{port}"
    try:
        warm = 40
        throughput(base, token, warm, 0, 4, turns)
        tput = throughput(base, token, args.requests, warm, args.concurrency, turns)
        lat = latency(base, token, args.latency_requests, warm + args.requests, args.rate, turns)
    finally:
        proc.terminate()
        proc.wait(10)
    print(
        f"{name:10} {tput:8.1f} msg/s ({args.requests} requests, {args.concurrency} clients)   "
        f"at {args.rate:g}/s: p50 {1000 * statistics.median(lat):6.1f} ms  "
        f"p99 {1000 * pct(lat, 0.99):6.1f} ms  ({len(lat)} requests)"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=400)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--rate", type=float, default=20.0)
    ap.add_argument("--latency-requests", type=int, default=200)
    ap.add_argument("--skip-postgres", action="store_true")
    args = ap.parse_args()
    turns = texts()
    print(
        f"calmdesk service ingest benchmark · Python {platform.python_version()} · "
        f"{os.cpu_count()} CPUs · one uvicorn worker · Chatwoot webhooks, analysis included"
    )
    with secrets_folder():
        for backend, url in each_database(skip_postgres=args.skip_postgres):
            run(backend, url, args, turns)


if __name__ == "__main__":
    main()
