"""The API-key check under load: it never waits for a writer, and a revocation here is at once.

Under a burst every thread used to wait inside the key check for SQLite's write lock, held by
requests that had passed it and were waiting for a thread: the server wedged.
"""

from __future__ import annotations

import sqlite3
import threading

from fastapi.testclient import TestClient

from calmdesk.service.key_cache import KeyCache
from calmdesk.service.settings import Settings
from calmdesk.store import keys
from calmdesk.store.keys import ActiveKey
from calmdesk.web.app import create_app
from service.conftest import make_desk
from store.dbsupport import Clock


def test_key_check_and_reads_answer_while_a_writer_holds_the_sqlite_lock(tmp_path):
    desk = make_desk(f"sqlite:///{tmp_path}/calmdesk.db")
    writer = sqlite3.connect(tmp_path / "calmdesk.db", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # e.g. a long ingest in another worker process
    answers: list[int] = []
    reader = threading.Thread(target=lambda: answers.append(desk.get("/cases").status_code))
    reader.start()
    reader.join(5)  # before: the key check waited up to SQLite's 30 s busy timeout, then 500
    finished = not reader.is_alive()
    writer.rollback()
    writer.close()
    reader.join()
    desk.client.app.state.engine.dispose()
    assert finished, "GET /cases waited for the writer's lock"
    assert answers == [200]


def test_a_key_revoked_through_the_api_stops_working_at_once(desk):
    assert desk.get("/cases", role="agent").status_code == 200  # now in the cache
    listed = desk.get("/keys").json()["keys"]
    agent = next(k for k in listed if k["role"] == "agent")
    assert desk.client.delete(f"/keys/{agent['id']}", headers=desk.h()).status_code == 200
    r = desk.get("/cases", role="agent")
    assert r.status_code == 401 and "revoked" in r.json()["detail"]


def test_without_the_cache_a_key_revoked_by_another_process_stops_at_once(tmp_path):
    clock = Clock()
    app = create_app(
        Settings(database_url=f"sqlite:///{tmp_path}/calmdesk.db", key_cache_seconds=0)
    )
    with app.state.sessions() as s:
        new = keys.create_key(session=s, team="support", role="agent", name="a", now=clock())
        s.commit()
    client = TestClient(app)
    headers = {"X-API-Key": new.token}
    assert client.get("/cases", headers=headers).status_code == 200
    with app.state.sessions() as s:  # what `calmdesk keys revoke` does in its own process
        keys.revoke(session=s, key_id=new.key.id, team=None, now=clock())
        s.commit()
    assert client.get("/cases", headers=headers).status_code == 401
    app.state.engine.dispose()


class Ticks:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


KEY = ActiveKey(id=7, name="tom", role="agent", team="support")


def test_key_cache_trusts_a_verified_key_for_its_ttl_only():
    ticks = Ticks()
    cache = KeyCache(5, clock=ticks)
    cache.put("hash-of-tom", KEY)
    ticks.now += 4.9
    assert cache.get("hash-of-tom") == KEY
    ticks.now += 0.1
    assert cache.get("hash-of-tom") is None


def test_key_cache_forgets_a_revoked_key_and_keeps_the_others():
    cache = KeyCache(5, clock=Ticks())
    other = ActiveKey(id=8, name="ann", role="admin", team="support")
    cache.put("hash-of-tom", KEY)
    cache.put("hash-of-ann", other)
    cache.forget(7)
    assert cache.get("hash-of-tom") is None and cache.get("hash-of-ann") == other


def test_key_cache_with_ttl_zero_remembers_nothing_and_stays_bounded():
    off = KeyCache(0, clock=Ticks())
    off.put("hash-of-tom", KEY)
    assert off.get("hash-of-tom") is None
    small = KeyCache(5, clock=Ticks(), max_entries=2)
    for i in range(3):
        small.put(f"hash-{i}", KEY)
    assert [small.get(f"hash-{i}") for i in range(3)] == [None, KEY, KEY]
