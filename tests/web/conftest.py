"""Web tests: the demo app on a SQLite file with a fixed clock, and logged-in clients.

`Browser` sessions log in exactly as a person does: POST the key to the login form, keep the
cookie, and read the form token from the page they were served.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from calmdesk.service.settings import Settings
from calmdesk.store import keys
from calmdesk.web.app import create_app
from store.dbsupport import BACKENDS, Clock, PgDatabase, database_url_for, pg_session_fixture

CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')


@dataclass
class Session:
    client: TestClient
    csrf: str

    def get(self, url: str, **kw):
        return self.client.get(url, **kw)

    def post(self, url: str, data: dict[str, str] | None = None, **kw):
        return self.client.post(url, data={**(data or {}), "csrf": self.csrf}, **kw)


@dataclass
class WebDesk:
    app: FastAPI
    clock: Clock

    def token(self, role: str) -> str:
        return next(t for r, _, t in self.app.state.demo_keys if r == role)

    def login(self, token: str) -> Session:
        client = TestClient(self.app)
        r = client.post("/ui/login", data={"key": token, "next": "/ui"})
        assert r.status_code == 200, r.text
        found = CSRF.search(client.get("/ui").text)
        assert found, "a logged-in page carries the form token"
        return Session(client, found.group(1))

    def as_role(self, role: str) -> Session:
        return self.login(self.token(role))

    def other_team_agent(self) -> Session:
        with self.app.state.sessions() as s:
            new = keys.create_key(
                session=s, team="billing", role="agent", name="bill", now=self.clock()
            )
            s.commit()
        return self.login(new.token)


def make_web_desk(url: str, clock: Clock) -> WebDesk:
    return WebDesk(create_app(Settings(database_url=url, clock=clock, demo=True)), clock)


pg_database = pytest.fixture(scope="session")(pg_session_fixture)


@pytest.fixture
def web(tmp_path) -> Iterator[WebDesk]:
    """The demo on SQLite: what a new user runs."""
    desk = make_web_desk(f"sqlite:///{tmp_path}/web.db", Clock())
    yield desk
    desk.app.state.engine.dispose()


@pytest.fixture(params=BACKENDS)
def web_any_db(
    request: pytest.FixtureRequest, tmp_path, pg_database: PgDatabase
) -> Iterator[WebDesk]:
    """The demo on SQLite and on the real PostgreSQL server."""
    desk = make_web_desk(database_url_for(request.param, tmp_path, pg_database), Clock())
    yield desk
    desk.app.state.engine.dispose()
