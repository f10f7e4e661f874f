"""Concurrent deliveries, on SQLite and PostgreSQL: the same conversations in opposite order,
and many messages of one conversation at once. No request fails with a server error, and
what is stored is what one delivery after another would have stored."""

from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from fastapi.testclient import TestClient

from service.ingest_checks import check_stored, text_for
from service.payloads import chatwoot_message


def _doc(cid: str, mid: str, text: str) -> dict[str, Any]:
    return {
        "id": cid,
        "customer_id": f"cust-{cid}",
        "messages": [{"id": mid, "author": f"cust-{cid}", "role": "customer", "text": text}],
    }


def _send_all(desk, requests: list[tuple[str, Any]], workers: int) -> list[int]:
    """POST each (path, body) from `workers` threads, each with its own client; the statuses."""
    local = threading.local()

    def send(request: tuple[str, Any]) -> int:
        if not hasattr(local, "client"):
            local.client = TestClient(desk.client.app, raise_server_exceptions=False)
        path, body = request
        return local.client.post(path, json=body, headers=desk.h("agent")).status_code

    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(send, requests))


def _check(desk, delivered: dict[str, set[str]]) -> None:
    with desk.client.app.state.sessions() as session:
        check_stored(session, delivered)


def test_concurrent_ingest_of_the_same_conversations_in_opposite_order(desk):
    convs = [f"conv-{i}" for i in range(6)]
    rounds = 20
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def deliver(order: list[str], r: int) -> None:
        body = [_doc(c, f"m{r}", text_for(r)) for c in order]
        client = TestClient(desk.client.app, raise_server_exceptions=False)
        barrier.wait()
        statuses.append(client.post("/ingest", json=body, headers=desk.h("agent")).status_code)

    for r in range(rounds):
        pair = [
            threading.Thread(target=deliver, args=(convs, r)),
            threading.Thread(target=deliver, args=(convs[::-1], r)),
        ]
        for t in pair:
            t.start()
        for t in pair:
            t.join()
    assert statuses == [200] * 2 * rounds
    _check(desk, {c: {f"m{r}" for r in range(rounds)} for c in convs})


WebhookBody = Callable[[int, int], tuple[str, Any]]


def _api(conv: int, n: int) -> tuple[str, Any]:
    return "/ingest", _doc(f"conv-{conv}", f"m{n}", text_for(n))


def _chatwoot(conv: int, n: int) -> tuple[str, Any]:
    return "/webhooks/chatwoot", chatwoot_message(
        conv * 1000 + n, text_for(n), conversation=conv, contact=100 + conv, email=None
    )


def test_concurrent_messages_of_one_conversation_get_dense_order_and_own_audit(desk):
    per_conv, convs = 24, 3
    requests = [_api(c, n) for c in range(convs) for n in range(per_conv)]
    random.Random(13).shuffle(requests)
    assert set(_send_all(desk, requests, workers=6)) == {200}
    _check(desk, {f"conv-{c}": {f"m{n}" for n in range(per_conv)} for c in range(convs)})


def test_concurrent_chatwoot_deliveries_with_repeats_store_each_message_once(desk):
    per_conv, convs = 16, 3
    requests = [_chatwoot(c, n) for c in range(convs) for n in range(per_conv)]
    requests = requests + requests[: len(requests) // 2]  # a helpdesk re-delivers some
    random.Random(9).shuffle(requests)
    assert set(_send_all(desk, requests, workers=6)) == {200}
    _check(desk, {str(c): {str(c * 1000 + n) for n in range(per_conv)} for c in range(convs)})


def test_concurrent_first_deliveries_of_one_customer_make_one_customer(desk):
    def doc(i: int) -> dict[str, Any]:
        body = _doc(f"conv-{i}", "m0", text_for(0))
        body["metadata"] = {"customer": {"email": "Jane@Shop.example", "phone": "+1 415 555 0100"}}
        return body

    requests = [("/ingest", doc(i)) for i in range(8)]
    assert set(_send_all(desk, requests, workers=8)) == {200}
    people = desk.get("/customers").json()["customers"]
    assert len(people) == 1
    kinds = Counter(i["kind"] for i in people[0]["identities"])
    assert (kinds["email"], kinds["phone"], kinds["external"]) == (1, 1, 8)
    timeline = desk.get(f"/customers/{people[0]['id']}/timeline").json()["messages"]
    assert len(timeline) == 8
    _check(desk, {f"conv-{i}": {"m0"} for i in range(8)})
