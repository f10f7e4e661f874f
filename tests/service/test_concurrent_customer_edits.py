"""Concurrent edits of one customer on SQLite and PostgreSQL: no gesture of goodwill is lost
when several agents record one at the same moment."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient


def test_concurrent_goodwill_for_one_customer_adds_up(desk):
    first = desk.post(
        "/ingest",
        {
            "id": "conv-1",
            "customer_id": "cust-1",
            "messages": [{"id": "m1", "author": "cust-1", "role": "customer", "text": "Hi"}],
        },
    )
    customer = first.json()["conversations"][0]["customer_id"]
    local = threading.local()

    def give(n: int) -> int:
        if not hasattr(local, "client"):
            local.client = TestClient(desk.client.app, raise_server_exceptions=False)
        body = {"amount": 10.0, "reason": f"voucher {n}"}
        r = local.client.post(f"/customers/{customer}/goodwill", json=body, headers=desk.h("agent"))
        return r.status_code

    with ThreadPoolExecutor(6) as pool:
        statuses = list(pool.map(give, range(30)))
    assert set(statuses) == {200}
    assert desk.get(f"/customers/{customer}").json()["goodwill_given"] == 300.0
    entries = desk.get("/audit", params={"entity": "customer", "limit": 500}).json()
    gestures = [e for e in entries.get("entries", entries) if e["action"] == "goodwill"]
    assert len(gestures) == 30
