"""Service tests: the app on SQLite and on PostgreSQL, keys for two teams and three roles."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from calmdesk.service.settings import Settings
from calmdesk.store import keys
from calmdesk.web.app import create_app  # the API with the pages mounted
from store.dbsupport import BACKENDS, Clock, PgDatabase, database_url_for, pg_session_fixture

pg_database = pytest.fixture(scope="session")(pg_session_fixture)


@dataclass
class Desk:
    client: TestClient
    clock: Clock
    #: (team, role) -> headers with that key
    keys: dict[tuple[str, str], dict[str, str]]

    def h(self, role: str = "admin", team: str = "support") -> dict[str, str]:
        return self.keys[(team, role)]

    def get(self, path: str, role: str = "admin", team: str = "support", **kw):
        return self.client.get(path, headers=self.h(role, team), **kw)

    def post(self, path: str, json=None, role: str = "admin", team: str = "support", **kw):
        return self.client.post(path, json=json, headers=self.h(role, team), **kw)

    def patch(self, path: str, json=None, role: str = "admin", team: str = "support", **kw):
        return self.client.patch(path, json=json, headers=self.h(role, team), **kw)


def make_desk(url: str) -> Desk:
    clock = Clock()
    app = create_app(Settings(database_url=url, clock=clock))
    made: dict[tuple[str, str], dict[str, str]] = {}
    with app.state.sessions() as s:
        for team in ("support", "billing"):
            for role in keys.ROLES:
                new = keys.create_key(
                    session=s, team=team, role=role, name=f"{team}-{role}", now=clock()
                )
                made[(team, role)] = {"X-API-Key": new.token}
        s.commit()
    return Desk(TestClient(app), clock, made)


@pytest.fixture(params=BACKENDS)
def desk(request: pytest.FixtureRequest, tmp_path, pg_database: PgDatabase) -> Iterator[Desk]:
    url = database_url_for(request.param, tmp_path, pg_database)
    d = make_desk(url)
    yield d
    d.client.app.state.engine.dispose()


@pytest.fixture
def sqlite_desk(tmp_path) -> Iterator[Desk]:
    """For tests about HTTP behaviour alone, where the database makes no difference."""
    d = make_desk(f"sqlite:///{tmp_path}/calmdesk.db")
    yield d
    d.client.app.state.engine.dispose()
