"""A write that keeps losing to another transaction is answered 503 with Retry-After, never 500,
and leaves nothing behind; once the other transaction is done, the same request succeeds."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event, text

ON_POSTGRES = [pytest.param("postgres", marks=pytest.mark.postgres)]


def _doc(mid: str) -> dict[str, Any]:
    return {
        "id": "conv-1",
        "customer_id": "cust-1",
        "messages": [{"id": mid, "author": "cust-1", "role": "customer", "text": "Hello?"}],
    }


@pytest.mark.parametrize("desk", ON_POSTGRES, indirect=True)
def test_ingest_waiting_on_a_locked_conversation_gets_503_with_retry_after(desk):
    assert desk.post("/ingest", _doc("m1")).status_code == 200
    engine = desk.client.app.state.engine

    @event.listens_for(engine, "connect")
    def _short_lock_wait(dbapi_conn: Any, _record: object) -> None:
        # what a database role with lock_timeout set does: waiting on a lock fails fast (55P03)
        dbapi_conn.execute("SET lock_timeout = '50ms'")
        dbapi_conn.commit()

    engine.dispose()
    with engine.connect() as other:
        other.execute(text("SELECT id FROM conversations WHERE external_id = 'conv-1' FOR UPDATE"))
        busy = desk.post("/ingest", _doc("m2"))
    assert busy.status_code == 503
    assert busy.headers["Retry-After"] == "1"
    assert "retry" in busy.json()["detail"]
    busy_free = desk.post("/ingest", _doc("m2"))
    assert busy_free.status_code == 200 and busy_free.json()["conversations"][0]["stored"] == 1
    conv_id = busy_free.json()["conversations"][0]["conversation_id"]
    stored = desk.get(f"/conversations/{conv_id}").json()["messages"]
    assert [m["external_id"] for m in stored] == ["m1", "m2"]


@pytest.mark.parametrize("desk", ON_POSTGRES, indirect=True)
def test_case_edit_waiting_on_a_locked_case_gets_503_with_retry_after(desk):
    opened = desk.post("/cases", {"title": "Phone call", "priority": "P3"}, role="supervisor")
    case_id = opened.json()["id"]
    engine = desk.client.app.state.engine

    @event.listens_for(engine, "connect")
    def _short_lock_wait(dbapi_conn: Any, _record: object) -> None:
        dbapi_conn.execute("SET lock_timeout = '50ms'")
        dbapi_conn.commit()

    engine.dispose()
    with engine.connect() as other:
        other.execute(text("SELECT id FROM cases WHERE id = :id FOR UPDATE"), {"id": case_id})
        busy = desk.patch(f"/cases/{case_id}", {"owner": "sam"}, role="supervisor")
    assert busy.status_code == 503 and busy.headers["Retry-After"] == "1"
    assert desk.get(f"/cases/{case_id}").json()["owner"] is None
    done = desk.patch(f"/cases/{case_id}", {"owner": "sam"}, role="supervisor")
    assert done.status_code == 200 and done.json()["owner"] == "sam"
