"""Load limits: requests in flight (503 + Retry-After, /health exempt) and sizes (413)."""

from __future__ import annotations

import threading

import anyio
import httpx
import pytest
from fastapi.testclient import TestClient
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from calmdesk.service.limits import LoadLimits
from calmdesk.service.settings import Settings
from calmdesk.store import keys
from calmdesk.web.app import create_app
from service.payloads import chatwoot_message, zendesk_comment
from store.dbsupport import Clock


def held_app(release: anyio.Event, **limits: float) -> LoadLimits:
    """An app whose /slow requests wait for `release`, behind the load limits."""

    async def slow(request: Request) -> PlainTextResponse:
        await release.wait()
        return PlainTextResponse("done")

    async def health(request: Request) -> PlainTextResponse:
        return PlainTextResponse("ok")

    app = Starlette(routes=[Route("/slow", slow), Route("/health", health)])
    settings = {"in_flight": 2, "queued": 0, "queue_wait": 0.0, "max_body": 1000, **limits}
    return LoadLimits(app, **settings)  # type: ignore[arg-type]


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_requests_over_the_limit_get_503_at_once_and_health_still_answers(anyio_backend):
    release = anyio.Event()
    transport = httpx.ASGITransport(app=held_app(release))
    async with httpx.AsyncClient(transport=transport, base_url="http://desk") as client:
        answers: list[httpx.Response] = []

        async def get(path: str) -> None:
            answers.append(await client.get(path))

        async with anyio.create_task_group() as tg:
            tg.start_soon(get, "/slow")
            tg.start_soon(get, "/slow")
            await anyio.sleep(0.05)  # both admitted and waiting
            with anyio.fail_after(1):
                refused = await client.get("/slow")
                health = await client.get("/health")
            release.set()
    assert refused.status_code == 503 and refused.headers["Retry-After"] == "2"
    assert "in flight" in refused.json()["detail"]
    assert health.status_code == 200
    assert [a.status_code for a in answers] == [200, 200]


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_a_browser_over_the_limit_gets_a_page_saying_to_retry(anyio_backend):
    release = anyio.Event()
    transport = httpx.ASGITransport(app=held_app(release, in_flight=1))
    async with (
        httpx.AsyncClient(transport=transport, base_url="http://desk") as client,
        anyio.create_task_group() as tg,
    ):
        tg.start_soon(client.get, "/slow")
        await anyio.sleep(0.05)
        page = await client.get("/slow", headers={"Accept": "text/html,*/*;q=0.8"})
        release.set()
    assert page.status_code == 503 and page.headers["Retry-After"] == "2"
    assert page.headers["content-type"].startswith("text/html")
    assert "calmdesk is busy" in page.text and "Nothing you sent was lost" in page.text
    assert "<script" not in page.text  # the pages' policy allows no inline script


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_a_queued_request_runs_when_a_slot_frees_within_the_wait(anyio_backend):
    release = anyio.Event()
    app = held_app(release, in_flight=1, queued=1, queue_wait=5.0)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://desk") as client:
        answers: list[int] = []

        async def get() -> None:
            answers.append((await client.get("/slow")).status_code)

        async with anyio.create_task_group() as tg:
            tg.start_soon(get)  # runs
            tg.start_soon(get)  # waits in the queue
            await anyio.sleep(0.05)
            third = await client.get("/slow")  # the queue is full
            release.set()
    assert third.status_code == 503
    assert answers == [200, 200]


@pytest.fixture
def small(tmp_path):
    """A desk with small limits: 1,000-byte bodies, 100-character messages."""
    clock = Clock()
    app = create_app(
        Settings(
            database_url=f"sqlite:///{tmp_path}/calmdesk.db",
            clock=clock,
            max_request_bytes=1000,
            max_message_chars=100,
        )
    )
    with app.state.sessions() as s:
        new = keys.create_key(session=s, team="support", role="agent", name="tom", now=clock())
        s.commit()
    client = TestClient(app, headers={"X-API-Key": new.token})
    yield client
    app.state.engine.dispose()


def conversation(text: str) -> dict:
    return {
        "id": "c1",
        "customer_id": "jane",
        "messages": [
            {"id": "1", "author": "jane", "role": "customer", "text": "Where is my order?"},
            {"id": "2", "author": "jane", "role": "customer", "text": text},
        ],
    }


def stored_conversations(client: TestClient) -> list:
    return client.get("/conversations").json()["conversations"]


def test_a_body_over_the_limit_is_refused_by_its_length_with_the_limit_named(small):
    r = small.post("/ingest", json=conversation("x" * 2000))
    assert r.status_code == 413
    assert (
        "1,000 bytes" in r.json()["detail"] and "CALMDESK_MAX_REQUEST_BYTES" in r.json()["detail"]
    )
    assert stored_conversations(small) == []


def test_a_streamed_body_without_a_length_is_refused_once_it_passes_the_limit(small):
    def chunks():
        yield b'{"id": "c1", "messages": [{"id": "1", "text": "'
        for _ in range(20):
            yield b"x" * 100
        yield b'"}]}'

    r = small.post("/ingest", content=chunks(), headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and "1,000 bytes" in r.json()["detail"]


def test_ingest_refuses_a_message_over_the_limit_naming_it_and_stores_nothing(small):
    r = small.post("/ingest", json=conversation("I am waiting. " * 10))
    assert r.status_code == 413
    detail = r.json()["detail"]
    assert "100 characters" in detail["message"]
    assert detail["problems"] == [
        {
            "record": 0,
            "field": "messages[1].text",
            "message_id": "2",
            "problem": "140 characters; the limit is 100",
        }
    ]
    assert stored_conversations(small) == []
    assert small.post("/ingest", json=conversation("Still waiting.")).status_code == 200


def test_webhooks_refuse_a_message_over_the_limit_naming_the_payload_field(small):
    long = "Where is my order? " * 6
    chatwoot = small.post("/webhooks/chatwoot", json=chatwoot_message(1, long))
    zendesk = small.post("/webhooks/zendesk", json=zendesk_comment(2, long))
    assert (chatwoot.status_code, zendesk.status_code) == (413, 413)
    assert chatwoot.json()["detail"]["problems"][0]["field"] == "content"
    assert zendesk.json()["detail"]["problems"][0]["field"] == "event.comment.body"
    assert stored_conversations(small) == []


def test_limits_come_from_the_environment_and_a_bad_value_names_its_variable():
    s = Settings.from_env({"CALMDESK_THREADS": "4", "CALMDESK_MAX_MESSAGE_CHARS": "1000"})
    assert (s.threads, s.max_message_chars, s.max_request_bytes) == (4, 1000, 2 * 1024 * 1024)
    with pytest.raises(ValueError, match="CALMDESK_MAX_REQUEST_BYTES='2MB'"):
        Settings.from_env({"CALMDESK_MAX_REQUEST_BYTES": "2MB"})
    with pytest.raises(ValueError, match="CALMDESK_THREADS='0': expected at least 1"):
        Settings.from_env({"CALMDESK_THREADS": "0"})


def test_health_answers_while_every_pooled_connection_is_taken(tmp_path):
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path}/calmdesk.db", threads=1))
    held = [app.state.engine.connect() for _ in range(2)]  # the pool: 1 kept + 1 at a peak
    answers: list[int] = []
    probe = threading.Thread(
        target=lambda: answers.append(TestClient(app).get("/health").status_code)
    )
    probe.start()
    probe.join(5)  # sharing the pool, it would wait the pool's 30 s time-out
    finished = not probe.is_alive()
    for conn in held:
        conn.close()
    probe.join()
    app.state.engine.dispose()
    assert finished and answers == [200]
