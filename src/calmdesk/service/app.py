"""The app factory: `create_app(settings)` builds engine, migrations, pipeline and routes.

Nothing happens at import; `calmdesk serve` and the tests call the factory, so each gets its own
database and clock.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError

from calmdesk.core.compose.config import load_team
from calmdesk.core.pipeline import make_pipeline
from calmdesk.service import ratelimit
from calmdesk.service.docs_page import mount_docs
from calmdesk.service.routers import (
    audit,
    cases,
    conversations,
    customers,
    ingest,
    keys,
    metrics,
    team,
    webhooks,
)
from calmdesk.service.security_headers import SecurityHeaders
from calmdesk.service.settings import Settings
from calmdesk.store.db import make_engine, make_sessionmaker
from calmdesk.store.migrate import upgrade

DESCRIPTION = """Escalation desk and de-escalation coach.

Every endpoint needs an API key (`X-API-Key: <key>` or `Authorization: Bearer <key>`; webhooks
also accept `?api_key=`). Keys have a role (agent < supervisor < admin) and a team; a key only
ever sees its own team's data. Create the first key with `calmdesk keys create --role admin
--team <team>`.
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    engine = make_engine(settings.database_url)
    if settings.migrate:
        upgrade(engine)
    app = FastAPI(
        title="calmdesk", version="0.1.0", description=DESCRIPTION, docs_url=None, redoc_url=None
    )
    app.add_middleware(SecurityHeaders)  # on the API and on the pages the web app adds
    mount_docs(app)
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = make_sessionmaker(engine)
    app.state.clock = settings.clock
    app.state.auth_limiter = ratelimit.Limiter(
        ratelimit.Backoff(
            free=settings.login_max_failures,
            base_seconds=settings.login_backoff_seconds,
            max_seconds=settings.login_backoff_max_seconds,
        ),
        clock=lambda: settings.clock().timestamp(),
    )
    app.state.pipeline = make_pipeline()
    app.state.team_config = load_team(
        Path(settings.knowledge_base) if settings.knowledge_base else None,
        Path(settings.remedies) if settings.remedies else None,
    )
    for module in (ingest, webhooks, customers, conversations, cases, metrics, audit, keys, team):
        app.include_router(module.router)

    @app.exception_handler(DataError)
    def _data_error(request: Request, exc: DataError) -> JSONResponse:
        # the database refused a value (a NUL byte, an out-of-range number): the caller's input
        return JSONResponse({"detail": f"a value cannot be stored: {exc.orig}"}, status_code=422)

    @app.get("/health", tags=["health"])
    def health() -> dict[str, Any]:
        """Liveness without a key: the process answers and the database is reachable."""
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
        return {"ok": True}

    return app
