"""The reply box keeps to the desk's message limit, with a 413 that names it."""

from __future__ import annotations

from calmdesk.service.settings import Settings
from calmdesk.web.app import create_app
from store.dbsupport import Clock
from web.conftest import WebDesk


def test_reply_box_refuses_a_draft_over_the_message_limit_and_names_it(tmp_path):
    clock = Clock()
    url = f"sqlite:///{tmp_path}/web.db"
    desk = WebDesk(create_app(Settings(url, clock=clock, demo=True, max_message_chars=100)), clock)
    agent = desk.as_role("agent")
    listed = agent.get("/conversations", headers={"X-API-Key": desk.token("agent")}).json()
    draft_url = f"/ui/conversations/{listed['conversations'][0]['id']}/draft"
    long = agent.post(draft_url, {"draft": "I am so sorry. " * 10})
    short = agent.post(draft_url, {"draft": "I am so sorry."})
    desk.app.state.engine.dispose()
    assert long.status_code == 413
    assert "150 characters; the limit is 100" in long.text
    assert short.status_code == 200
