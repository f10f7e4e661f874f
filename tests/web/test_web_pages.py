"""The pages through FastAPI's test client: login, roles and teams, the console's coaching, the
composer, sending, the case workflow, the dashboard and the demo data."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from calmdesk.core.pipeline import make_pipeline
from calmdesk.service.settings import Settings
from calmdesk.store import audit, conversations, keys
from calmdesk.store.db import make_engine, make_sessionmaker
from calmdesk.store.migrate import upgrade
from calmdesk.store.models import ConversationRow, MessageRow
from calmdesk.store.models_case import Case
from calmdesk.web import demo
from calmdesk.web.app import create_app
from calmdesk.web.coaching import risk_level
from store.dbsupport import BACKENDS, Clock, database_url_for

DEFENSIVE = "As I already said, that is our policy."


def conv_id(web, external_id: str) -> int:
    with web.app.state.sessions() as s:
        return s.scalar(
            select(ConversationRow.id).where(
                ConversationRow.external_id == external_id,
                ConversationRow.source == demo.LIVE_SOURCE,
            )
        )


def text_of(page: str) -> str:
    """What a person reads: the page without tags, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_web_pages_redirect_to_login_and_back(web):
    cid = conv_id(web, "demo-10-roaming-abuse")
    anonymous = TestClient(web.app)
    r = anonymous.get(f"/ui/conversations/{cid}", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == f"/ui/login?next=/ui/conversations/{cid}"
    r = anonymous.post(
        "/ui/login",
        data={"key": web.token("agent"), "next": f"/ui/conversations/{cid}"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == f"/ui/conversations/{cid}"
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert web.token("agent") not in r.headers["set-cookie"]


def test_web_login_refuses_an_unknown_key_and_an_outside_next(web):
    client = TestClient(web.app)
    r = client.post("/ui/login", data={"key": "cdk_nope"})
    assert r.status_code == 401 and "unknown or revoked" in text_of(r.text)
    r = client.post(
        "/ui/login",
        data={"key": web.token("agent"), "next": "//evil.example/x"},
        follow_redirects=False,
    )
    assert r.headers["location"] == "/ui"


def test_web_agent_cannot_open_the_dashboard(web):
    agent = web.as_role("agent")
    r = agent.get("/ui/dashboard")
    assert r.status_code == 403
    assert "needs a supervisor key" in text_of(r.text)
    assert "Dashboard" not in text_of(agent.get("/ui").text)


def test_web_another_teams_agent_sees_nothing_of_this_team(web):
    cid = conv_id(web, "demo-01-stroller-fact-finding")
    outsider = web.other_team_agent()
    assert outsider.get(f"/ui/conversations/{cid}").status_code == 404
    assert outsider.post(f"/ui/conversations/{cid}/send", {"draft": "hi"}).status_code == 404
    assert "demo-01" not in outsider.get("/ui").text
    with web.app.state.sessions() as s:
        case_id = s.scalar(select(Case.id).where(Case.team == "support").limit(1))
    assert outsider.get(f"/ui/cases/{case_id}").status_code == 404


def test_web_a_post_without_the_form_token_is_refused(web):
    agent = web.as_role("agent")
    cid = conv_id(web, "demo-01-stroller-fact-finding")
    r = agent.client.post(f"/ui/conversations/{cid}/send", data={"draft": "Hello"})
    assert r.status_code == 403 and "form token is missing" in text_of(r.text)
    hx = agent.client.post(
        f"/ui/conversations/{cid}/send", data={"draft": "Hello"}, headers={"HX-Request": "true"}
    )
    assert hx.status_code == 403 and "form token" in hx.json()["detail"]
    odd = agent.client.post(f"/ui/conversations/{cid}/send", data={"draft": "x", "csrf": "é☃"})
    assert odd.status_code == 403


def test_web_logout_and_a_revoked_key_end_the_session(web):
    agent = web.as_role("agent")
    agent.post("/ui/logout")
    assert agent.get("/ui", follow_redirects=False).status_code == 303
    supervisor = web.as_role("supervisor")
    with web.app.state.sessions() as s:
        demo.demo_keys(s, web.clock())  # a restart of the demo revokes the previous keys
    assert supervisor.get("/ui/dashboard", follow_redirects=False).status_code == 303


def test_web_inbox_lists_the_live_queue_first_and_history_after(web):
    page = web.as_role("agent").get("/ui").text
    rows = re.findall(r"<tr>(.*?)</tr>", page, re.S)[1:]
    live = [r for r in rows if "demo-" in r]
    assert len(live) == 16 and all("waiting for reply" in r for r in live)
    assert all("demo-" in r for r in rows[:16]), "the live queue comes first"
    assert not any("waiting for reply" in r for r in rows[16:]), "history waits for nobody"


def test_web_console_shows_risk_signals_with_their_words_and_the_checklist(web):
    agent = web.as_role("agent")
    page = text_of(agent.get(f"/ui/conversations/{conv_id(web, 'demo-10-roaming-abuse')}").text)
    percent, level = re.search(r"Escalation risk (\d+)% · (\w+)", page).groups()
    assert level == risk_level(int(percent) / 100)
    assert re.search(r"Abuse toward the agent: detected — \S", page), "with the words"
    assert "Supervisor request: not seen" in page
    assert (
        len(
            re.findall(
                r"(?:done|not yet): (?:Empathetic|Explanation|Two or|Expectations|Apology)", page
            )
        )
        == 5
    )
    assert "not yet: Two or more alternatives" in page, "nobody offered options yet"
    assert "Darren Pike" in page and "Tenure" in page and "Past cases" in page
    assert re.search(
        r"(very upset|upset|neutral|positive) · [▲▼▶] (improving|worsening|steady)", page
    )


def test_web_console_asks_to_honour_a_pending_supervisor_request(web):
    agent = web.as_role("agent")
    cid = conv_id(web, "demo-10-roaming-abuse")
    page = f"/ui/conversations/{cid}"
    assert "asked for a supervisor" not in text_of(agent.get(page).text)
    agent.client.post(
        "/ingest",
        json={
            "id": "demo-10-roaming-abuse",
            "customer_id": "cust-darren-pike",
            "messages": [
                {
                    "id": "later",
                    "author": "darren",
                    "role": "customer",
                    "text": "I want to speak to your manager.",
                }
            ],
        },
        headers={"X-API-Key": web.token("agent")},
    )
    assert "asked for a supervisor: offer one now" in text_of(agent.get(page).text)
    agent.post(f"{page}/send", {"draft": "I am transferring you to my supervisor now."})
    assert "asked for a supervisor" not in text_of(agent.get(page).text)


def test_web_console_marks_anti_patterns_in_the_agents_replies(web):
    agent = web.as_role("agent")
    page = text_of(
        agent.get(f"/ui/conversations/{conv_id(web, 'demo-01-stroller-fact-finding')}").text
    )
    assert "[suspicion]" in page
    assert "✘ suspicion" in page


def test_web_draft_check_marks_a_defensive_draft_and_offers_a_rewrite(web):
    agent = web.as_role("agent")
    cid = conv_id(web, "demo-01-stroller-fact-finding")
    r = agent.post(f"/ui/conversations/{cid}/draft", {"draft": DEFENSIVE})
    assert r.status_code == 200
    assert "<mark" in r.text
    page = text_of(r.text)
    assert "As I already said [correcting]" in page
    assert "that is our policy [policy hiding]" in page
    assert "Rewrite with calmdesk" in page
    clean = text_of(agent.post(f"/ui/conversations/{cid}/draft", {"draft": "Thank you!"}).text)
    assert "No anti-pattern in this draft" in clean


def test_web_rewrite_fills_the_composer_with_a_clean_reply(web):
    agent = web.as_role("agent")
    cid = conv_id(web, "demo-01-stroller-fact-finding")
    r = agent.post(f"/ui/conversations/{cid}/rewrite", {"draft": DEFENSIVE})
    draft = html.unescape(re.search(r"<textarea[^>]*>(.*?)</textarea>", r.text, re.S).group(1))
    assert draft and "As I already said" not in draft
    assert "No anti-pattern in this draft" in text_of(r.text)


def test_web_suggest_fills_the_composer_with_a_five_step_draft(web):
    agent = web.as_role("agent")
    cid = conv_id(web, "demo-14-wedding-suit")
    r = agent.post(f"/ui/conversations/{cid}/suggest", {"draft": ""})
    draft = html.unescape(re.search(r"<textarea[^>]*>(.*?)</textarea>", r.text, re.S).group(1))
    assert len(draft) > 200
    assert "No anti-pattern in this draft" in text_of(r.text)


def test_web_send_stores_the_reply_through_ingest_with_audit_and_case_update(web):
    agent = web.as_role("agent")
    cid = conv_id(web, "demo-10-roaming-abuse")
    reply = "I'm sorry, Darren. I will reverse the £240 today and confirm by email by 5pm."
    r = agent.post(f"/ui/conversations/{cid}/send", {"draft": reply})
    assert r.status_code == 200 and r.headers["HX-Trigger"] == "calmdesk-sent"
    assert "Sent." in text_of(r.text)
    with web.app.state.sessions() as s:
        last = conversations.messages_of(session=s, conversation_id=cid)[-1]
        assert (last.text, last.author, last.role) == (reply, "sam", "agent")
        assert last.labels, "the reply was analysed on arrival"
        entries = audit.entries(session=s, team="support", entity="message", limit=100_000)
        assert entries[-1].entity_id == str(last.id) and entries[-1].actor == "agent:sam"
    live = text_of(agent.get(f"/ui/conversations/{cid}/live").text)
    assert "reverse the £240 today" in live
    assert "The customer is waiting for a reply" not in live


def test_web_live_panel_answers_204_while_nothing_changes(web):
    agent = web.as_role("agent")
    cid = conv_id(web, "demo-10-roaming-abuse")
    page = agent.get(f"/ui/conversations/{cid}").text
    version = re.search(r"/live\?v=([0-9a-f]+)", page).group(1)
    assert agent.get(f"/ui/conversations/{cid}/live?v={version}").status_code == 204
    agent.post(f"/ui/conversations/{cid}/send", {"draft": "Thank you for waiting."})
    assert agent.get(f"/ui/conversations/{cid}/live?v={version}").status_code == 200


def test_web_case_moves_through_its_workflow_with_buttons(web):
    agent = web.as_role("agent")
    with web.app.state.sessions() as s:
        case_id = s.scalar(select(Case.id).where(Case.state == "new").order_by(Case.id))
    page = text_of(agent.get(f"/ui/cases/{case_id}").text)
    assert "State: new" in page and "Move to acknowledged" in page
    assert "Move to fact finding" not in page
    for state in ("acknowledged", "solution_offered", "solution_accepted", "fact_finding"):
        r = agent.post(f"/ui/cases/{case_id}/transition", {"to": state})
        assert r.status_code == 200, r.text
        assert f"State: {state.replace('_', ' ')}" in text_of(r.text)
    page = text_of(agent.get(f"/ui/cases/{case_id}").text)
    assert "Audit trail" not in page  # the audit log is a supervisor's
    supervisor = text_of(web.as_role("supervisor").get(f"/ui/cases/{case_id}").text)
    assert "transition by agent:sam: solution accepted → fact finding" in supervisor
    refused = agent.post(f"/ui/cases/{case_id}/transition", {"to": "new"})
    assert refused.status_code == 409 and "allowed: resolved" in text_of(refused.text)


def test_web_action_items_are_added_assigned_and_ticked(web):
    agent = web.as_role("agent")
    with web.app.state.sessions() as s:
        case_id = s.scalar(select(Case.id).where(Case.state == "new").order_by(Case.id))
    page = agent.post(
        f"/ui/cases/{case_id}/actions", {"text": "Call Priya back at 4pm", "owner": "sam"}
    ).text
    assert "Call Priya back at 4pm" in text_of(page)
    with web.app.state.sessions() as s:
        item = s.get(Case, case_id).actions[-1]
    agent.post(f"/ui/cases/{case_id}/actions/{item.id}", {"owner": "elena"})
    page = text_of(agent.post(f"/ui/cases/{case_id}/actions/{item.id}", {"status": "done"}).text)
    assert "Call Priya back at 4pm · done · owner elena" in page
    empty = agent.post(f"/ui/cases/{case_id}/actions", {"text": ""})
    assert empty.status_code == 409 and "text" in text_of(empty.text)


def test_web_case_record_exports_as_page_and_json(web):
    agent = web.as_role("agent")
    with web.app.state.sessions() as s:
        case_id = s.scalar(select(Case.id).order_by(Case.id))
    r = agent.get(f"/ui/cases/{case_id}/record?format=json")
    assert r.headers["content-disposition"] == f'attachment; filename="case-{case_id}.json"'
    assert r.json()["case"]["id"] == case_id and r.json()["timeline"]
    assert agent.get(f"/ui/cases/{case_id}/record").text.lstrip().lower().startswith("<!doctype")


def test_web_dashboard_shows_queue_charts_and_drills_down(web):
    supervisor = web.as_role("supervisor")
    r = supervisor.get("/ui/dashboard")
    assert r.status_code == 200
    assert r.text.count('<svg viewBox="0 0') == 4
    page = text_of(r.text)
    assert "Escalation queue" in page and "Anti-patterns per agent" in page
    link = html.unescape(re.search(r'href="(/ui/dashboard/drill\?metric=agent[^"]*)"', r.text)[1])
    drill = supervisor.get(link)
    assert drill.status_code == 200
    assert "✔ yes" in text_of(drill.text) and "/ui/conversations/" in drill.text
    filtered = supervisor.get("/ui/dashboard?priority=P1&state=closed")
    assert "No case matches." in text_of(filtered.text) or " P1 " in text_of(filtered.text)


def test_web_pages_load_every_asset_from_this_server(web):
    agent = web.as_role("agent")
    page = agent.get(f"/ui/conversations/{conv_id(web, 'demo-01-stroller-fact-finding')}").text
    assets = re.findall(r'(?:src|href)="([^"#]+)"', page)
    assert assets and all(a.startswith("/") for a in assets), assets
    assert agent.get("/ui/static/htmx.min.js").status_code == 200


def test_web_demo_keys_appear_only_in_demo_mode(web, tmp_path):
    assert "Demo keys" in web.as_role("agent").client.get("/ui/login").text
    plain = create_app(Settings(database_url=f"sqlite:///{tmp_path}/plain.db"))
    client = TestClient(plain)
    assert "Demo keys" not in client.get("/ui/login").text
    plain.state.engine.dispose()


def _dump(url: str, clock: Clock):
    engine = make_engine(url)
    upgrade(engine)
    with make_sessionmaker(engine)() as s:
        first = demo.load(s, make_pipeline(), clock())
        again = demo.load(s, make_pipeline(), clock())
        rows = s.execute(
            select(
                ConversationRow.external_id,
                MessageRow.author,
                MessageRow.text,
                MessageRow.timestamp,
            )
            .join(MessageRow, MessageRow.conversation_id == ConversationRow.id)
            .order_by(ConversationRow.external_id, MessageRow.seq)
        ).all()
        n_cases = s.scalar(select(func.count(Case.id)))
        states = sorted(s.scalars(select(Case.state)))
    engine.dispose()
    return first, again, rows, n_cases, states


def test_web_demo_loader_is_deterministic_and_idempotent(tmp_path):
    a = _dump(f"sqlite:///{tmp_path}/a.db", Clock())
    b = _dump(f"sqlite:///{tmp_path}/b.db", Clock())
    assert a == b
    first, again, _rows, n_cases, states = a
    assert first == again and first.live == 16 and first.history > 40
    assert n_cases > 20 and {"new", "closed"} <= set(states)
    assert "generated" in first.note


def test_web_every_page_renders_on_each_database(web_any_db):
    web = web_any_db
    agent, supervisor = web.as_role("agent"), web.as_role("supervisor")
    cid = conv_id(web, "demo-12-ci-outage-sla")
    assert "Five-step reply" in agent.get(f"/ui/conversations/{cid}").text
    assert agent.post(f"/ui/conversations/{cid}/send", {"draft": "Thank you."}).status_code == 200
    with web.app.state.sessions() as s:
        case_id = s.scalar(select(Case.id).where(Case.state == "new").order_by(Case.id))
    assert agent.post(f"/ui/cases/{case_id}/transition", {"to": "acknowledged"}).status_code == 200
    dashboard = supervisor.get("/ui/dashboard")
    assert dashboard.status_code == 200 and dashboard.text.count("<svg") == 4
    link = html.unescape(re.search(r'href="(/ui/dashboard/drill\?[^"]*)"', dashboard.text)[1])
    assert supervisor.get(link).status_code == 200


@pytest.mark.parametrize("backend", BACKENDS)
def test_web_a_restart_keeps_everyone_logged_in(backend, tmp_path, pg_database):
    """Without CALMDESK_SESSION_SECRET the desk makes a key file once in its secrets folder,
    so a restart (or a second worker) still reads its sessions; the database alone is not
    enough: the same database with another secrets folder knows no one."""
    url = database_url_for(backend, tmp_path, pg_database)
    clock = Clock()
    folder = tmp_path / "secrets"
    first = create_app(Settings(database_url=url, clock=clock, secrets_dir=folder))
    with first.state.sessions() as s:
        new = keys.create_key(session=s, team="support", role="agent", name="sam", now=clock())
        s.commit()
    agent = TestClient(first)
    assert agent.post("/ui/login", data={"key": new.token, "next": "/ui"}).status_code == 200
    cookies = dict(agent.cookies)
    restarted = create_app(Settings(database_url=url, clock=clock, secrets_dir=folder))
    assert restarted.state.session_secret == first.state.session_secret
    again = TestClient(restarted, cookies=cookies)
    assert again.get("/ui", follow_redirects=False).status_code == 200
    elsewhere = create_app(Settings(database_url=url, clock=clock, secrets_dir=tmp_path / "b"))
    unknown = TestClient(elsewhere, cookies=cookies)
    assert unknown.get("/ui", follow_redirects=False).status_code == 303
    configured = create_app(
        Settings(database_url=url, clock=clock, secrets_dir=folder, session_secret="ours")
    )
    assert configured.state.session_secret == b"ours"
    stale = TestClient(configured, cookies=cookies)
    assert stale.get("/ui", follow_redirects=False).status_code == 303  # other secret: log in
    for app in (first, restarted, elsewhere, configured):
        app.state.engine.dispose()
