"""The role matrix: every endpoint's least role, proven for no key, each role and a revoked key.

Adding an endpoint without adding it here fails `test_roles_matrix_covers_every_endpoint`.
"""

from __future__ import annotations

import pytest
from fastapi.routing import APIRoute

from calmdesk.store import keys
from calmdesk.web.app import ROUTERS
from calmdesk.web.session import COOKIE, csrf_token

ROLES = ("agent", "supervisor", "admin")
MATRIX: dict[tuple[str, str], str] = {
    ("POST", "/ingest"): "agent",
    ("POST", "/webhooks/chatwoot"): "agent",
    ("POST", "/webhooks/zendesk"): "agent",
    ("GET", "/customers"): "agent",
    ("GET", "/customers/{customer_id}"): "agent",
    ("GET", "/customers/{customer_id}/timeline"): "agent",
    ("PATCH", "/customers/{customer_id}"): "supervisor",
    ("POST", "/customers/{customer_id}/identities"): "agent",
    ("POST", "/customers/{customer_id}/goodwill"): "agent",
    ("GET", "/conversations"): "agent",
    ("GET", "/conversations/{conversation_id}"): "agent",
    ("POST", "/conversations/{conversation_id}/analyze"): "agent",
    ("GET", "/conversations/{conversation_id}/score"): "agent",
    ("POST", "/conversations/{conversation_id}/suggest"): "agent",
    ("GET", "/cases"): "agent",
    ("POST", "/cases"): "agent",
    ("GET", "/cases/{case_id}"): "agent",
    ("PATCH", "/cases/{case_id}"): "supervisor",
    ("POST", "/cases/{case_id}/transition"): "agent",
    ("POST", "/cases/{case_id}/handoff"): "agent",
    ("POST", "/cases/{case_id}/actions"): "agent",
    ("PATCH", "/cases/{case_id}/actions/{action_id}"): "agent",
    ("GET", "/cases/{case_id}/record"): "agent",
    ("GET", "/cases/{case_id}/record.html"): "agent",
    ("GET", "/metrics"): "supervisor",
    ("GET", "/audit"): "supervisor",
    ("GET", "/audit/verify"): "admin",
    ("GET", "/keys"): "admin",
    ("POST", "/keys"): "admin",
    ("DELETE", "/keys/{key_id}"): "admin",
    ("GET", "/team"): "agent",
    ("PUT", "/team"): "admin",
}
PUBLIC = {("GET", "/health")}
#: the web pages (logged in with a session cookie, not a key header); same roles as the API
PAGES: dict[tuple[str, str], str] = {
    ("POST", "/ui/logout"): "agent",
    ("GET", "/ui"): "agent",
    ("GET", "/ui/conversations/{conversation_id}"): "agent",
    ("GET", "/ui/conversations/{conversation_id}/live"): "agent",
    ("POST", "/ui/conversations/{conversation_id}/draft"): "agent",
    ("POST", "/ui/conversations/{conversation_id}/rewrite"): "agent",
    ("POST", "/ui/conversations/{conversation_id}/suggest"): "agent",
    ("POST", "/ui/conversations/{conversation_id}/send"): "agent",
    ("GET", "/ui/cases/{case_id}"): "agent",
    ("POST", "/ui/cases/{case_id}/transition"): "agent",
    ("POST", "/ui/cases/{case_id}/handoff"): "agent",
    ("POST", "/ui/cases/{case_id}/edit"): "supervisor",
    ("POST", "/ui/cases/{case_id}/actions"): "agent",
    ("POST", "/ui/cases/{case_id}/actions/{action_id}"): "agent",
    ("GET", "/ui/cases/{case_id}/record"): "agent",
    ("GET", "/ui/dashboard"): "supervisor",
    ("GET", "/ui/dashboard/drill"): "supervisor",
}
PUBLIC_PAGES = {("GET", "/"), ("GET", "/ui/login"), ("POST", "/ui/login")}


def _has_security_headers(r) -> bool:
    """Every answer, allowed or refused, carries the policy (calmdesk.service.security_headers)."""
    csp = r.headers.get("content-security-policy", "")
    return (
        "frame-ancestors 'none'" in csp
        and "script-src 'self';" in csp
        and r.headers.get("x-content-type-options") == "nosniff"
        and r.headers.get("x-frame-options") == "DENY"
        and r.headers.get("referrer-policy") == "no-referrer"
    )


def _routes(app) -> set[tuple[str, str]]:
    """Every operation the app publishes (read from its OpenAPI schema)."""
    paths = app.openapi()["paths"]
    return {(method.upper(), path) for path, ops in paths.items() for method in ops}


def _url(path: str) -> str:
    return (
        path.replace("{customer_id}", "1")
        .replace("{conversation_id}", "1")
        .replace("{case_id}", "1")
        .replace("{action_id}", "1")
        .replace("{key_id}", "999")
    )


def _pages() -> set[tuple[str, str]]:
    """Every route of the web layer's routers: the pages and the login."""
    return {
        (method, route.path)
        for router in ROUTERS
        for route in router.routes
        if isinstance(route, APIRoute)
        for method in route.methods
    }


def test_roles_matrix_covers_every_endpoint(sqlite_desk):
    assert _routes(sqlite_desk.client.app) - PUBLIC == set(MATRIX)
    assert _pages() - PUBLIC_PAGES == set(PAGES)
    assert not _routes(sqlite_desk.client.app) & _pages(), "pages stay out of the API schema"


def _log_in(desk, role: str) -> dict[str, str]:
    """Log in through the login form like a person; the form token goes in the HTMX header."""
    client = desk.client
    client.cookies.clear()
    r = client.post("/ui/login", data={"key": desk.h(role)["X-API-Key"]}, follow_redirects=False)
    assert r.status_code == 303, r.text
    cookie = client.cookies[COOKIE]
    return {"X-CSRF-Token": csrf_token(client.app.state.session_secret, cookie)}


@pytest.mark.parametrize(("method", "path"), sorted(PAGES))
def test_roles_each_page_enforces_its_least_role(sqlite_desk, method, path):
    desk = sqlite_desk
    desk.post(
        "/ingest",
        {
            "id": "x",
            "customer_id": "c",
            "messages": [
                {"id": "1", "author": "c", "role": "customer", "text": "I want your manager now."}
            ],
        },
    )
    need = PAGES[(method, path)]
    url = _url(path) + ("?metric=agent&agent=nobody" if path.endswith("/drill") else "")
    desk.client.cookies.clear()
    anonymous = desk.client.request(method, url, follow_redirects=False)
    assert anonymous.status_code == (303 if method == "GET" else 401)
    assert _has_security_headers(anonymous)
    for role in ROLES:
        headers = _log_in(desk, role)
        r = desk.client.request(method, url, headers=headers, follow_redirects=False)
        assert _has_security_headers(r), (role, dict(r.headers))
        if keys.role_rank(role) >= keys.role_rank(need):
            assert r.status_code not in (401, 403, 500), (role, r.status_code, r.text)
        else:
            assert r.status_code == 403, (role, r.status_code)


@pytest.mark.parametrize(("method", "path"), sorted(MATRIX))
def test_roles_each_endpoint_enforces_its_least_role(sqlite_desk, method, path):
    desk = sqlite_desk
    desk.post(
        "/ingest",
        {
            "id": "x",
            "customer_id": "c",
            "messages": [
                {"id": "1", "author": "c", "role": "customer", "text": "I want your manager now."}
            ],
        },
    )
    need = MATRIX[(method, path)]
    url = _url(path)
    anonymous = desk.client.request(method, url, json={})
    assert anonymous.status_code == 401 and _has_security_headers(anonymous)
    for role in ROLES:
        r = desk.client.request(method, url, json={}, headers=desk.h(role))
        assert _has_security_headers(r), (role, dict(r.headers))
        allowed = keys.role_rank(role) >= keys.role_rank(need)
        if allowed:
            assert r.status_code not in (401, 403, 500), (role, r.status_code, r.text)
        else:
            assert r.status_code == 403, (role, r.status_code)


def test_roles_revoked_and_unknown_keys_are_401(sqlite_desk):
    desk = sqlite_desk
    listed = desk.get("/keys").json()["keys"]
    agent = next(k for k in listed if k["role"] == "agent")
    assert desk.client.delete(f"/keys/{agent['id']}", headers=desk.h()).status_code == 200
    assert desk.get("/cases", role="agent").status_code == 401
    assert desk.client.get("/cases", headers={"X-API-Key": "cdk_nope"}).status_code == 401


def test_roles_bearer_header_works_like_x_api_key(sqlite_desk):
    token = sqlite_desk.h("agent")["X-API-Key"]
    r = sqlite_desk.client.get("/cases", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200


def test_roles_keys_are_created_and_listed_only_for_the_admins_team(sqlite_desk):
    desk = sqlite_desk
    new = desk.post("/keys", {"name": "ana", "role": "supervisor"}).json()
    assert new["team"] == "support" and new["token"].startswith("cdk_")
    assert {k["team"] for k in desk.get("/keys", team="billing").json()["keys"]} == {"billing"}
    assert (
        desk.client.delete(f"/keys/{new['id']}", headers=desk.h(team="billing")).status_code == 404
    )
    assert "token" not in str(desk.get("/keys").json())


def _case(desk) -> int:
    desk.post(
        "/ingest",
        {
            "id": "x",
            "customer_id": "c",
            "messages": [
                {"id": "1", "author": "c", "role": "customer", "text": "I want your manager now."}
            ],
        },
    )
    return desk.get("/cases").json()["cases"][0]["id"]


def test_roles_an_agent_hands_a_case_only_to_a_supervisor_of_the_team(desk):
    """Owner changes are a supervisor's: an agent's hand-off names a supervisor key or fails."""
    case_id = _case(desk)
    for name in ("mallory", "support-agent", "billing-supervisor"):
        r = desk.post(f"/cases/{case_id}/handoff", {"supervisor": name}, role="agent")
        assert r.status_code == 403 and "support-supervisor" in r.json()["detail"], r.text
    assert desk.get(f"/cases/{case_id}", role="agent").json()["owner"] != "mallory"
    r = desk.post(f"/cases/{case_id}/handoff", {"supervisor": "support-admin"}, role="agent")
    assert r.status_code == 200 and r.json()["owner"] == "support-admin"
    r = desk.post(f"/cases/{case_id}/handoff", {"supervisor": "dana"}, role="supervisor")
    assert r.status_code == 200 and r.json()["owner"] == "dana"
    opened = desk.post("/cases", {"title": "Call", "priority": "P3", "owner": "x"}, role="agent")
    assert opened.status_code == 403 and "owner" in opened.json()["detail"]
    mine = desk.post(
        "/cases", {"title": "Call", "priority": "P3", "owner": "support-agent"}, role="agent"
    )
    assert mine.status_code == 201


def test_roles_the_case_page_hands_off_only_to_a_supervisor(sqlite_desk):
    desk = sqlite_desk
    case_id = _case(desk)
    headers = _log_in(desk, "agent")
    r = desk.client.post(
        f"/ui/cases/{case_id}/handoff", data={"supervisor": "mallory"}, headers=headers
    )
    assert r.status_code == 403 and "not a supervisor of team support" in r.text
    assert desk.get(f"/cases/{case_id}").json()["owner"] != "mallory"
    page = desk.client.get(f"/ui/cases/{case_id}").text
    assert '<select id="ho-sup"' in page and "<option>support-supervisor</option>" in page
    ok = desk.client.post(
        f"/ui/cases/{case_id}/handoff",
        data={"supervisor": "support-supervisor"},
        headers=headers,
        follow_redirects=False,
    )
    assert ok.status_code == 303
    assert desk.get(f"/cases/{case_id}").json()["owner"] == "support-supervisor"


def test_roles_the_audit_part_of_the_record_is_a_supervisors(desk):
    """Agents get the record without the actions taken (the audit log) and are told so."""
    case_id = _case(desk)
    agent = desk.get(f"/cases/{case_id}/record", role="agent").json()
    assert "actions_taken" not in agent and agent["timeline"]
    assert "supervisors and admins" in agent["withheld"]["actions_taken"]
    page = desk.get(f"/cases/{case_id}/record.html", role="agent").text
    assert "Not in this copy" in page and "opened" not in page.split("Actions taken")[1]
    for role in ("supervisor", "admin"):
        doc = desk.get(f"/cases/{case_id}/record", role=role).json()
        assert doc["actions_taken"][0]["action"] == "opened" and "withheld" not in doc


def test_roles_the_case_pages_show_the_audit_trail_to_supervisors_only(sqlite_desk):
    desk = sqlite_desk
    case_id = _case(desk)
    _log_in(desk, "agent")
    assert "Audit trail" not in desk.client.get(f"/ui/cases/{case_id}").text
    download = desk.client.get(f"/ui/cases/{case_id}/record?format=json").json()
    assert "actions_taken" not in download and download["withheld"]
    _log_in(desk, "supervisor")
    assert "Audit trail" in desk.client.get(f"/ui/cases/{case_id}").text
    download = desk.client.get(f"/ui/cases/{case_id}/record?format=json").json()
    assert download["actions_taken"]
