"""Schemathesis over the OpenAPI schema with an admin key: no input may cause a server error,
on SQLite and on PostgreSQL (whose types and constraints refuse other values than SQLite's).

Bounded for speed: a few valid and a few invalid examples per operation (about 400 requests per
database). The operations are driven directly with Hypothesis, one loop over the schema, because
the schemathesis pytest plugin does not support this pytest version yet.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from service.conftest import make_desk
from store.dbsupport import BACKENDS, PgDatabase, database_url_for

EXAMPLES = 6
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)


@pytest.mark.parametrize("backend", BACKENDS)
def test_openapi_no_input_causes_a_server_error(backend, tmp_path, pg_database: PgDatabase):
    desk = make_desk(database_url_for(backend, tmp_path, pg_database))
    desk.post(
        "/ingest",
        {
            "id": "x",
            "customer_id": "c",
            "messages": [
                {"id": "1", "author": "c", "role": "customer", "text": "I want your manager now."},
                {"id": "2", "author": "tom", "role": "agent", "text": "Sorry, I can help today."},
            ],
        },
    )
    schema = schemathesis.openapi.from_asgi("/openapi.json", desk.client.app)
    headers = desk.h("admin")
    failures: list[str] = []
    calls = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in MODES:

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def run(case) -> None:
                nonlocal calls
                calls += 1
                try:
                    case.call_and_validate(headers=headers, checks=[not_a_server_error])
                except Exception as exc:  # collect all, report together
                    failures.append(f"{case.operation.label}: {exc}"[:500])

            try:
                run()
            except Unsatisfiable:  # nothing invalid to send (e.g. no parameters at all)
                continue
    desk.client.app.state.engine.dispose()
    assert calls > 150
    assert not failures, "\n".join(failures[:10])
