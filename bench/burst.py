"""Benchmark: a real `calmdesk serve` under a burst and under stepped load, SQLite and PostgreSQL.

For each database a `calmdesk serve` subprocess (uvicorn, one process) receives Chatwoot
`message_created` webhooks (bench/api.py's payloads: example turns over 40 conversations):

- burst: N deliveries sent at the same instant (default 100 and 200), while /health is polled;
- steps: an open-loop load of R requests/s for a few seconds per step (default 25, 50, 100, 150,
  200), then recovery: how long after the load stopped until /health and an authenticated
  GET /cases both answer 200 again.

The table gives the answers by status, time-outs, p50 / p99 of all answers (503s included), the
slowest /health during the load, and the recovery time. Usage:

  python bench/burst.py [--bursts 100,200] [--rates 25,50,100,150,200] [--step-seconds 3]
                        [--timeout 30] [--skip-postgres]

To measure another checkout (e.g. main's code before a change), run this file with that
checkout's src first on PYTHONPATH: the server subprocess inherits it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field

import httpx
from api import admin_token, free_port, payload, pct, texts
from scratch import each_database, secrets_folder

HEALTH_EVERY = 0.25


@dataclass
class Tally:
    """What one scenario's requests got back."""

    statuses: Counter[str] = field(default_factory=Counter)
    times: list[float] = field(default_factory=list)
    health_worst: float = 0.0
    health_failed: int = 0
    recovery: float | None = None

    def row(self, name: str) -> str:
        s = self.statuses
        total = sum(s.values())
        main = ("2xx", "503", "500", "timeout")
        other = ",".join(f"{k}×{v}" for k, v in sorted(s.items()) if k not in main) or "0"
        p50 = f"{1000 * statistics.median(self.times):7.0f}" if self.times else "      -"
        p99 = f"{1000 * pct(self.times, 0.99):7.0f}" if self.times else "      -"
        failed = f" ({self.health_failed}✘)" if self.health_failed else ""
        health = f"{self.health_worst:5.1f}s{failed}"
        recovery = "" if self.recovery is None else f"{self.recovery:6.1f}s"
        return (
            f"{name:22} {total:5} {s['2xx']:5} {s['503']:5} {s['500']:5} {s['timeout']:5} "
            f"{other:>9} {p50} {p99}  {health:12} {recovery}"
        )


HEADER = (
    f"{'scenario':22} {'sent':>5} {'2xx':>5} {'503':>5} {'500':>5} {'t/o':>5} {'other':>9} "
    f"{'p50 ms':>7} {'p99 ms':>7}  {'/health max':12} recovery"
)


def start_server(url: str, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "CALMDESK_DATABASE_URL": url}
    cmd = [sys.executable, "-c", "from calmdesk.cli import main; main()", "serve"]
    proc = subprocess.Popen(
        [*cmd, "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited: {proc.stderr.read().decode()[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("the server did not start within 60 s")


async def send(client: httpx.AsyncClient, body: dict, tally: Tally) -> None:
    t = time.perf_counter()
    try:
        r = await client.post("/webhooks/chatwoot", json=body)
    except httpx.TimeoutException:
        tally.statuses["timeout"] += 1
        return
    except httpx.HTTPError as exc:  # e.g. the connection refused or reset
        tally.statuses[type(exc).__name__] += 1
        return
    tally.times.append(time.perf_counter() - t)
    code = r.status_code
    tally.statuses["2xx" if 200 <= code < 300 else str(code)] += 1


async def watch_health(base: str, tally: Tally, stop: asyncio.Event) -> None:
    """Poll /health while the load runs; remember the slowest answer and the failures."""
    async with httpx.AsyncClient(base_url=base, timeout=10) as client:
        while not stop.is_set():
            t = time.perf_counter()
            try:
                ok = (await client.get("/health")).status_code == 200
            except httpx.HTTPError:
                ok = False
            tally.health_worst = max(tally.health_worst, time.perf_counter() - t)
            tally.health_failed += not ok
            await asyncio.sleep(HEALTH_EVERY)


async def burst(base: str, token: str, n: int, start: int, turns, timeout: float) -> Tally:
    tally, stop = Tally(), asyncio.Event()
    limits = httpx.Limits(max_connections=n + 1, max_keepalive_connections=n + 1)
    headers = {"X-API-Key": token}
    async with httpx.AsyncClient(
        base_url=base, headers=headers, timeout=timeout, limits=limits
    ) as client:
        health = asyncio.create_task(watch_health(base, tally, stop))
        await asyncio.gather(*(send(client, payload(start + i, turns), tally) for i in range(n)))
        stop.set()
        await health
    return tally


async def steps(
    base: str, token: str, rates: list[int], seconds: float, start: int, turns, args
) -> tuple[list[Tally], float | None, int]:
    """Each rate for `seconds`, open loop (a request is sent on time whatever the answers)."""
    tallies: list[Tally] = []
    limits = httpx.Limits(max_connections=2000, max_keepalive_connections=200)
    headers = {"X-API-Key": token}
    pending: list[asyncio.Task[None]] = []
    n = start
    async with httpx.AsyncClient(
        base_url=base, headers=headers, timeout=args.timeout, limits=limits
    ) as client:
        for rate in rates:
            tally, stop = Tally(), asyncio.Event()
            health = asyncio.create_task(watch_health(base, tally, stop))
            t0 = time.perf_counter()
            count = int(rate * seconds)
            for i in range(count):
                await asyncio.sleep(max(0.0, t0 + i / rate - time.perf_counter()))
                pending.append(asyncio.create_task(send(client, payload(n, turns), tally)))
                n += 1
            stop.set()
            await health
            tallies.append(tally)
        recovery = await recover(base, token, args.recovery_limit)
        await asyncio.gather(*pending)
    return tallies, recovery, n


async def recover(base: str, token: str, limit: float) -> float | None:
    """Seconds until /health and an authenticated read both answer 200 within a second."""
    t0 = time.perf_counter()
    async with httpx.AsyncClient(base_url=base, timeout=1) as client:
        while time.perf_counter() - t0 < limit:
            try:
                health = await client.get("/health")
                cases = await client.get("/cases", headers={"X-API-Key": token})
                if health.status_code == 200 and cases.status_code == 200:
                    return time.perf_counter() - t0
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.25)
    return None


def run(name: str, url: str, args: argparse.Namespace, turns) -> None:
    token = admin_token(url)
    port = free_port()
    proc = start_server(url, port)
    base = f"http://127.0.0.1:{port}"
    n = 0
    try:
        for size in args.bursts:
            tally = asyncio.run(burst(base, token, size, n, turns, args.timeout))
            n += size
            print(tally.row(f"{name} burst {size}"), flush=True)
            asyncio.run(recover(base, token, args.recovery_limit))  # let it settle
        if args.rates:
            tallies, recovery, n = asyncio.run(
                steps(base, token, args.rates, args.step_seconds, n, turns, args)
            )
            tallies[-1].recovery = recovery
            for rate, tally in zip(args.rates, tallies, strict=True):
                print(tally.row(f"{name} {rate}/s"), flush=True)
            if recovery is None:
                print(f"{name}: not recovered {args.recovery_limit:g} s after the load stopped")
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bursts", default="100,200", help="simultaneous deliveries per burst")
    ap.add_argument("--rates", default="25,50,100,150,200", help="requests/s per step")
    ap.add_argument("--step-seconds", type=float, default=3.0)
    ap.add_argument("--timeout", type=float, default=30.0, help="client time-out per request")
    ap.add_argument("--recovery-limit", type=float, default=60.0)
    ap.add_argument("--skip-postgres", action="store_true")
    args = ap.parse_args()
    args.bursts = [int(x) for x in args.bursts.split(",") if x]
    args.rates = [int(x) for x in args.rates.split(",") if x]
    turns = texts()
    print(
        f"calmdesk burst and stepped load · Python {platform.python_version()} · "
        f"{os.cpu_count()} CPUs · `calmdesk serve` (one uvicorn process) · Chatwoot webhooks"
    )
    print(HEADER)
    with secrets_folder():
        for backend, url in each_database(skip_postgres=args.skip_postgres):
            run(backend, url, args, turns)


if __name__ == "__main__":
    main()
