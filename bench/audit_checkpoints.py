"""Benchmark: what signed audit checkpoints cost a commit, and how fast a team's audit verifies.

Commits of one audit entry each (the smallest change the desk makes), on a fresh SQLite file
or a PostgreSQL database, first with plain sessions, then with sessions whose commits sign the
head and append it to a checkpoint file, as the server's do. Then the team's report (chain,
checkpoints, rows) over all entries written.

Usage: python bench/audit_checkpoints.py [--commits 1000] [--database-url URL]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from calmdesk.service.audit_checkpoints import CheckpointFile
from calmdesk.store import audit, audit_checkpoint, audit_verify
from calmdesk.store.db import make_engine, make_sessionmaker
from calmdesk.store.migrate import upgrade


def _commits(factory: sessionmaker[Session], n: int) -> list[float]:
    took = []
    for i in range(n):
        t = time.perf_counter()
        with factory() as s:
            audit.append(
                session=s,
                team="bench",
                actor="agent:bench",
                entity="customer",
                entity_id=i,
                action="updated",
                data={"after": {"owner": f"agent-{i}"}},
                at=datetime.now(UTC),
            )
            s.commit()
        took.append(time.perf_counter() - t)
    return took


def _line(label: str, took: list[float]) -> str:
    ms = sorted(x * 1000 for x in took)
    p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
    return f"{label:<22} median {statistics.median(ms):6.2f} ms   p99 {p99:6.2f} ms"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--commits", type=int, default=1000)
    ap.add_argument("--database-url", default=None)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.db"
        engine = make_engine(url)
        upgrade(engine)
        plain = make_sessionmaker(engine)
        print(_line("commit, no checkpoint", _commits(plain, args.commits)))
        watched = make_sessionmaker(engine)
        file = CheckpointFile(Path(tmp) / "checkpoints.jsonl", b"b" * 32, lambda: datetime.now(UTC))
        file.watch(watched)
        print(_line("commit + checkpoint", _commits(watched, args.commits)))
        t = time.perf_counter()
        good, bad = audit_checkpoint.read(file.lines(), file.key)
        with plain() as s:
            report = audit_verify.check_team(s, "bench", good, bad)
        took = time.perf_counter() - t
        print(
            f"verify {report.chain.entries} entries, {len(good)} checkpoints: {took:.2f} s "
            f"({report.chain.entries / took:,.0f} entries/s); "
            f"problems: {len(report.problems)}"
        )
        engine.dispose()


if __name__ == "__main__":
    main()
