"""The case page's forms write as the API's case routes do: a form that keeps losing to another
transaction on the same case is answered 503 with Retry-After (never a server error), and the
same form succeeds once the other transaction is done."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event, select, text

from calmdesk.store.models_case import Case

ON_POSTGRES = [pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.mark.parametrize("web_any_db", ON_POSTGRES, indirect=True)
def test_a_case_form_waiting_on_a_locked_case_gets_503_then_succeeds(web_any_db):
    desk = web_any_db
    supervisor = desk.as_role("supervisor")
    with desk.app.state.sessions() as s:
        case_id = s.scalar(select(Case.id).where(Case.state != "closed").order_by(Case.id))
    engine = desk.app.state.engine

    @event.listens_for(engine, "connect")
    def _short_lock_wait(dbapi_conn: Any, _record: object) -> None:
        # what a database role with lock_timeout set does: waiting on a lock fails fast
        dbapi_conn.execute("SET lock_timeout = '50ms'")
        dbapi_conn.commit()

    engine.dispose()
    form = {"owner": "ana", "priority": "", "eta": ""}
    with engine.connect() as other:
        other.execute(text("SELECT id FROM cases WHERE id = :id FOR UPDATE"), {"id": case_id})
        busy = supervisor.post(f"/ui/cases/{case_id}/edit", form, follow_redirects=False)
    assert busy.status_code == 503 and busy.headers["Retry-After"] == "1"
    with desk.app.state.sessions() as s:
        assert s.get(Case, case_id).owner != "ana"
    done = supervisor.post(f"/ui/cases/{case_id}/edit", form, follow_redirects=False)
    assert done.status_code == 303
    with desk.app.state.sessions() as s:
        assert s.get(Case, case_id).owner == "ana"
