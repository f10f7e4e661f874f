"""Concurrent edits of one case on SQLite and PostgreSQL: people who press the same button at
the same moment take turns, so the workflow is followed and the audit shows each move once."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient
from sqlalchemy import select

from calmdesk.store.models_case import AuditEntry


def test_concurrent_acknowledgements_of_one_case_move_it_once(desk):
    case_id = desk.post("/cases", {"title": "Phone call"}, role="agent").json()["id"]
    local = threading.local()
    go = threading.Barrier(6)

    def acknowledge(_: int) -> int:
        if not hasattr(local, "client"):
            local.client = TestClient(desk.client.app, raise_server_exceptions=False)
        go.wait()
        return local.client.post(
            f"/cases/{case_id}/transition", json={"to": "acknowledged"}, headers=desk.h("agent")
        ).status_code

    with ThreadPoolExecutor(6) as pool:
        statuses = sorted(pool.map(acknowledge, range(6)))
    assert statuses == [200] + [409] * 5  # the first moves it; the others find it moved
    with desk.client.app.state.sessions() as s:
        moves = [
            {k: v for k, v in json.loads(e.data).items() if k in ("from", "to")}
            for e in s.scalars(
                select(AuditEntry).where(
                    AuditEntry.entity == "case", AuditEntry.action == "transition"
                )
            )
        ]
    assert moves == [{"from": "new", "to": "acknowledged"}]
