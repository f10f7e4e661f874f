"""The app factory: `create_app(settings)` builds engine, migrations, pipeline and routes.

Nothing happens at import; `calmdesk serve` and the tests call the factory, so each gets its own
database and clock. The load limits (service/limits.py) wrap every route but /health, which
checks the database through a connection of its own and its own thread, so it answers under
any load.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import Engine
from sqlalchemy.exc import DataError

from calmdesk.core.compose.config import load_team
from calmdesk.core.pipeline import make_pipeline
from calmdesk.core.storable import storable_tree
from calmdesk.service import ratelimit
from calmdesk.service.audit_checkpoints import CheckpointFile, CheckpointHeader
from calmdesk.service.docs_page import mount_docs
from calmdesk.service.key_cache import KeyCache
from calmdesk.service.limits import LoadLimits
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
from calmdesk.store.db import (
    is_memory,
    make_engine,
    make_read_sessionmaker,
    make_sessionmaker,
    read_only,
)
from calmdesk.store.migrate import upgrade

DESCRIPTION = """Escalation desk and de-escalation coach.

Every endpoint needs an API key (`X-API-Key: <key>` or `Authorization: Bearer <key>`; webhooks
also accept `?api_key=`). Keys have a role (agent < supervisor < admin) and a team; a key only
ever sees its own team's data. Create the first key with `calmdesk keys create --role admin
--team <team>`.
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    # a connection for every thread, so no admitted request waits for one
    engine = make_engine(settings.database_url, pool_size=settings.threads)
    if settings.migrate:
        upgrade(engine)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # the threads sync routes run on: one per request admitted (the limits' in_flight)
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.threads
        yield

    app = FastAPI(
        title="calmdesk",
        version="0.1.0",
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.add_middleware(
        LoadLimits,
        in_flight=settings.threads,
        queued=settings.max_queued,
        queue_wait=settings.queue_wait_seconds,
        max_body=settings.max_request_bytes,
    )
    app.add_middleware(SecurityHeaders)  # on the API and on the pages the web app adds
    mount_docs(app)
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = make_sessionmaker(engine)
    app.state.read_sessions = make_read_sessionmaker(engine)
    app.state.key_cache = KeyCache(settings.key_cache_seconds)
    app.state.clock = settings.clock
    app.state.audit_checkpoints = CheckpointFile.for_settings(settings)
    app.state.audit_checkpoints.watch(app.state.sessions)
    app.add_middleware(CheckpointHeader)
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

    @app.exception_handler(RequestValidationError)
    def _invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        # FastAPI's own handler echoes the input, and a lone surrogate in it cannot be encoded
        # as UTF-8 (a 500); the same 422, with such code points replaced by U+FFFD
        return JSONResponse({"detail": storable_tree(jsonable_encoder(exc.errors()))}, 422)

    @app.exception_handler(DataError)
    def _data_error(request: Request, exc: DataError) -> JSONResponse:
        # the database refused a value (a NUL byte, an out-of-range number): the caller's input
        return JSONResponse({"detail": f"a value cannot be stored: {exc.orig}"}, status_code=422)

    probe = _probe_engine(settings.database_url, engine)
    probe_threads = anyio.CapacityLimiter(2)

    def ping() -> None:
        with probe.connect() as conn:
            conn.exec_driver_sql("SELECT 1")

    @app.get("/health", tags=["health"])
    async def health() -> dict[str, Any]:
        """Liveness without a key: the process answers and the database is reachable."""
        await anyio.to_thread.run_sync(ping, limiter=probe_threads)
        return {"ok": True}

    return app


def _probe_engine(url: str, engine: Engine) -> Engine:
    """/health's own small read-only pool: busy request connections never make it wait.

    (An in-memory SQLite database exists only in the app's own connection, so it shares that.)"""
    if is_memory(url):
        return read_only(engine)
    return read_only(make_engine(url, pool_size=1, pool_timeout=5))
