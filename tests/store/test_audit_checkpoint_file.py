"""The checkpoint file with several writers at once: whole lines, one per commit, all signed."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from calmdesk.service.audit_checkpoints import CheckpointFile
from calmdesk.store import audit, audit_checkpoint, audit_verify
from calmdesk.store.db import make_engine, make_sessionmaker
from calmdesk.store.migrate import upgrade

WORKERS, COMMITS = 6, 15


def test_audit_checkpoints_of_concurrent_commits_are_whole_lines_and_cover_every_entry(
    database_url, tmp_path
):
    engine = make_engine(database_url, pool_size=WORKERS)
    upgrade(engine)
    sessions = make_sessionmaker(engine)
    file = CheckpointFile(tmp_path / "checkpoints.jsonl", b"w" * 32, lambda: datetime.now(UTC))
    file.watch(sessions)

    def worker(n: int) -> None:
        for i in range(COMMITS):
            with sessions() as s:
                for team in ("support", "billing"):  # two chains in one transaction
                    audit.append(
                        session=s,
                        team=team,
                        actor=f"agent:w{n}",
                        entity="customer",
                        entity_id=i,
                        action="goodwill",
                        data={"amount": i},
                        at=datetime.now(UTC),
                    )
                s.commit()

    with ThreadPoolExecutor(WORKERS) as pool:
        list(pool.map(worker, range(WORKERS)))
    lines = file.lines()
    assert len(lines) == 2 * WORKERS * COMMITS
    assert all(json.loads(x)["v"] == 1 for x in lines)
    good, bad = audit_checkpoint.read(lines, file.key)
    assert bad == []
    with sessions() as s:
        for team in ("support", "billing"):
            report = audit_verify.check_team(s, team, good, bad)
            assert report.ok, report.problems
            assert report.chain.entries == WORKERS * COMMITS
    engine.dispose()
