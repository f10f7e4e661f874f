"""Web sessions live on the server: logout, key revocation and expiry end them for every copy
of the cookie, and the database alone holds nothing that can be replayed as a cookie."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from calmdesk.service.settings import Settings
from calmdesk.store import keys
from calmdesk.store.models import WebSession
from calmdesk.web.app import create_app
from calmdesk.web.session import COOKIE
from store.dbsupport import BACKENDS, Clock, database_url_for
from web.conftest import CSRF


@pytest.fixture(params=BACKENDS)
def desk(request, tmp_path, pg_database):
    clock = Clock()
    settings = Settings(
        database_url=database_url_for(request.param, tmp_path, pg_database),
        clock=clock,
        secrets_dir=tmp_path / "secrets",
        session_idle_minutes=30,
        session_hours=8,
    )
    app = create_app(settings)
    yield app, clock
    app.state.engine.dispose()


def _key(app, clock, role: str = "agent"):
    with app.state.sessions() as s:
        new = keys.create_key(session=s, team="support", role=role, name=f"sam-{role}", now=clock())
        s.commit()
    return new


def _logged_in(app, token: str) -> TestClient:
    client = TestClient(app)
    assert client.post("/ui/login", data={"key": token, "next": "/ui"}).status_code == 200
    return client


def _csrf(client: TestClient) -> str:
    return CSRF.search(client.get("/ui").text).group(1)


def _copy(app, client: TestClient) -> TestClient:
    """Another browser holding the same cookie (a stolen or backed-up copy)."""
    return TestClient(app, cookies={COOKIE: client.cookies[COOKIE]})


def test_web_sessions_a_logged_out_cookie_no_longer_works(desk):
    app, clock = desk
    agent = _logged_in(app, _key(app, clock).token)
    stolen = _copy(app, agent)
    assert stolen.get("/ui", follow_redirects=False).status_code == 200
    r = agent.post("/ui/logout", data={"csrf": _csrf(agent)}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/ui/login"
    assert stolen.get("/ui", follow_redirects=False).status_code == 303  # to the login page
    hx = stolen.get("/ui", headers={"HX-Request": "true"})
    assert hx.status_code == 401 and "log in again" in hx.json()["detail"]


def test_web_sessions_revoking_the_key_logs_its_pages_out(desk):
    app, clock = desk
    agent = _key(app, clock)
    admin = _key(app, clock, "admin")
    page = _logged_in(app, agent.token)
    other_browser = _logged_in(app, agent.token)
    r = TestClient(app).delete(f"/keys/{agent.key.id}", headers={"X-API-Key": admin.token})
    assert r.status_code == 200
    for client in (page, other_browser):
        assert client.get("/ui", follow_redirects=False).status_code == 303


def test_web_sessions_end_when_idle_and_after_their_lifetime(desk):
    app, clock = desk
    token = _key(app, clock).token
    idle = _logged_in(app, token)
    clock.advance(minutes=31)
    assert idle.get("/ui", follow_redirects=False).status_code == 303

    busy = _logged_in(app, token)
    for _ in range(16):  # 7 h 44 min of requests 29 minutes apart: never idle for 30
        clock.advance(minutes=29)
        assert busy.get("/ui", follow_redirects=False).status_code == 200
    clock.advance(minutes=29)  # 8 h 13 min after the login: past its lifetime of 8 h
    assert busy.get("/ui", follow_redirects=False).status_code == 303


def test_web_sessions_the_database_holds_no_usable_cookie(desk):
    app, clock = desk
    client = _logged_in(app, _key(app, clock).token)
    cookie = client.cookies[COOKIE]
    with app.state.sessions() as s:
        stored = s.scalars(select(WebSession.token_hash)).all()
    assert len(stored) == 1 and cookie not in stored[0] and stored[0] not in cookie
    forged = TestClient(app, cookies={COOKIE: stored[0]})  # the row replayed as a cookie
    assert forged.get("/ui", follow_redirects=False).status_code == 303


def test_web_sessions_logins_of_ended_sessions_are_cleared_away(desk):
    app, clock = desk
    token = _key(app, clock).token
    first = _logged_in(app, token)
    first.post("/ui/logout", data={"csrf": _csrf(first)})
    clock.advance(hours=9)
    _logged_in(app, token)
    with app.state.sessions() as s:
        assert len(s.scalars(select(WebSession)).all()) == 1


def test_web_sessions_logging_in_again_ends_the_browsers_last_session(desk):
    app, clock = desk
    token = _key(app, clock).token
    browser = _logged_in(app, token)
    before = _copy(app, browser)
    assert browser.post("/ui/login", data={"key": token, "next": "/ui"}).status_code == 200
    assert before.get("/ui", follow_redirects=False).status_code == 303
    assert browser.get("/ui", follow_redirects=False).status_code == 200
