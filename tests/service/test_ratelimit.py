"""Wrong keys back off: per client address and per key prefix, 429 with Retry-After, logged
without secrets; right keys are never slowed. The clock is the test's, so no test waits."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

from calmdesk.service.ratelimit import Backoff, Limiter, subjects
from calmdesk.service.settings import Settings
from calmdesk.store import keys
from calmdesk.web.app import create_app
from store.dbsupport import Clock

WRONG = "cdk_wrongwrongwrongwrongwrongwrongwrongwrong"


class Ticks:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_ratelimit_waits_double_after_the_free_failures_up_to_the_ceiling():
    backoff = Backoff(free=3, base_seconds=2, max_seconds=60)
    assert [backoff.wait_after(n) for n in range(1, 10)] == [0, 0, 2, 4, 8, 16, 32, 60, 60]


def test_ratelimit_a_subject_waits_then_may_try_again_then_is_forgotten():
    ticks = Ticks()
    limiter = Limiter(Backoff(free=2, base_seconds=10, max_seconds=100), clock=ticks)
    who = subjects("10.0.0.1", WRONG)
    assert who == ("address 10.0.0.1", "key cdk_wrongw")
    limiter.failed(who, "API key")
    assert limiter.retry_after(who) == 0
    limiter.failed(who, "API key")
    assert limiter.retry_after(who) == 10
    assert limiter.retry_after(subjects("10.0.0.2", None)) == 0  # other addresses are heard
    assert limiter.retry_after(subjects("10.0.0.2", WRONG)) == 10  # but not for that key
    ticks.now += 10
    assert limiter.retry_after(who) == 0
    ticks.now += 101  # past the wait and a further max_seconds: forgotten at the next failure
    limiter.failed(subjects("10.0.0.3", None), "API key")
    assert limiter.tracked() == 1


def test_ratelimit_memory_is_capped_however_many_addresses_fail():
    limiter = Limiter(Backoff(max_tracked=100), clock=Ticks())
    for n in range(5000):
        limiter.failed(subjects(f"10.{n // 256}.{n % 256}.1", None), "web login")
    assert limiter.tracked() == 100


def test_ratelimit_only_calmdesk_tokens_count_against_a_key():
    assert subjects("1.2.3.4", "hunter2-my-password") == ("address 1.2.3.4",)
    assert subjects(None, "cdk_") == ()


def _desk(tmp_path, **kw):
    clock = Clock()
    app = create_app(
        Settings(
            database_url=f"sqlite:///{tmp_path}/calmdesk.db",
            clock=clock,
            secrets_dir=tmp_path / "secrets",
            login_max_failures=3,
            login_backoff_seconds=5,
            **kw,
        )
    )
    with app.state.sessions() as s:
        token = keys.create_key(
            session=s, team="support", role="agent", name="sam", now=clock()
        ).token
        s.commit()
    return app, clock, token


@pytest.fixture
def desk(tmp_path):
    app, clock, token = _desk(tmp_path)
    yield app, clock, token
    app.state.engine.dispose()


def test_ratelimit_wrong_api_keys_get_429_with_retry_after(desk, caplog):
    app, clock, token = desk
    client = TestClient(app, client=("192.0.2.7", 4000))
    caplog.set_level(logging.INFO, "calmdesk.security")
    answers = [client.get("/cases", headers={"X-API-Key": WRONG}).status_code for _ in range(5)]
    assert answers == [401, 401, 401, 429, 429]
    r = client.get("/cases", headers={"X-API-Key": WRONG})
    assert r.status_code == 429 and r.headers["Retry-After"] == "5"
    assert "try again in 5 s" in r.json()["detail"]
    webhook = client.post(f"/webhooks/chatwoot?api_key={WRONG}", json={})
    assert webhook.status_code == 429
    failures = [rec for rec in caplog.records if rec.levelno == logging.WARNING]
    assert len(failures) == 3 and "address 192.0.2.7" in failures[0].getMessage()
    assert "key cdk_wrongw" in failures[0].getMessage()
    assert WRONG not in caplog.text and token not in caplog.text
    clock.advance(seconds=5)
    assert client.get("/cases", headers={"X-API-Key": WRONG}).status_code == 401
    assert client.get("/cases", headers={"X-API-Key": WRONG}).status_code == 429  # now 10 s


def test_ratelimit_a_key_prefix_is_limited_from_every_address(desk):
    app, _, _ = desk
    for n in range(3):
        wrong = TestClient(app, client=(f"198.51.100.{n}", 4000))
        assert wrong.get("/cases", headers={"X-API-Key": WRONG}).status_code == 401
    fresh = TestClient(app, client=("203.0.113.9", 4000))
    assert fresh.get("/cases", headers={"X-API-Key": WRONG}).status_code == 429
    other = WRONG.replace("cdk_wrong", "cdk_other")
    assert fresh.get("/cases", headers={"X-API-Key": other}).status_code == 401


def test_ratelimit_right_keys_are_never_counted_or_slowed(desk):
    app, _, token = desk
    client = TestClient(app, client=("192.0.2.8", 4000))
    assert all(
        client.get("/cases", headers={"X-API-Key": token}).status_code == 200 for _ in range(50)
    )
    assert client.get("/cases").status_code == 401  # no key at all is not a guess
    assert app.state.auth_limiter.tracked() == 0


def test_ratelimit_wrong_web_logins_back_off_too(desk):
    app, clock, token = desk
    browser = TestClient(app, client=("192.0.2.9", 4000))
    codes = [browser.post("/ui/login", data={"key": WRONG}).status_code for _ in range(4)]
    assert codes == [401, 401, 401, 429]
    r = browser.post("/ui/login", data={"key": token})  # even the right key waits its turn
    assert r.status_code == 429 and r.headers["Retry-After"] == "5"
    assert "try again in 5 s" in r.text
    clock.advance(seconds=5)
    assert browser.post("/ui/login", data={"key": token}).status_code == 200
