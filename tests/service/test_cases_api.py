"""Cases over HTTP: the scripted session, workflow rules, SLA breach, hand-off, actions, record."""

from __future__ import annotations

from service.payloads import zendesk_comment

MANAGER = "This is the third time I'm writing. I want to speak to your manager."


def _open(desk) -> dict:
    r = desk.post("/webhooks/zendesk", zendesk_comment(1, MANAGER), role="agent")
    assert r.status_code == 200 and r.json()["case_opened"], r.text
    return desk.get(f"/cases/{r.json()['case']['id']}").json()


def test_cases_scripted_session_webhook_to_verified_audit(desk):
    case = _open(desk)
    assert case["priority"] in ("P1", "P2", "P3", "P4") and case["eta"] and case["action_items"]
    for step in (
        "acknowledged",
        "solution_offered",
        "solution_accepted",
        "fact_finding",
        "resolved",
        "closed",
    ):
        r = desk.post(f"/cases/{case['id']}/transition", {"to": step}, role="agent")
        assert r.status_code == 200 and r.json()["state"] == step
    verdict = desk.get("/audit/verify").json()
    assert verdict["ok"] and verdict["entries"] > 6
    actions = [
        e["action"]
        for e in desk.get("/audit", params={"entity": "case"}, role="supervisor").json()["entries"]
    ]
    assert actions.count("transition") == 6


def test_cases_fact_finding_before_acceptance_is_409(desk):
    case = _open(desk)
    desk.post(f"/cases/{case['id']}/transition", {"to": "acknowledged"})
    r = desk.post(f"/cases/{case['id']}/transition", {"to": "fact_finding"})
    assert r.status_code == 409 and "after a solution was accepted" in r.json()["detail"]


def test_cases_sla_breach_flag_and_filter(desk):
    case = _open(desk)
    assert not desk.get(f"/cases/{case['id']}").json()["sla"]["breached"]["acknowledge"]
    assert desk.get("/cases", params={"breached": True}).json()["cases"] == []
    desk.clock.advance(days=30)
    late = desk.get(f"/cases/{case['id']}").json()
    assert late["sla"]["breached"] == {"acknowledge": True, "resolve": True}
    assert [c["id"] for c in desk.get("/cases", params={"breached": True}).json()["cases"]] == [
        case["id"]
    ]


def test_cases_filter_by_state_priority_owner(desk):
    case = _open(desk)
    assert desk.get("/cases", params={"state": "new"}).json()["cases"]
    assert desk.get("/cases", params={"state": "closed"}).json()["cases"] == []
    assert desk.get("/cases", params={"priority": case["priority"]}).json()["cases"]
    desk.patch(f"/cases/{case['id']}", {"owner": "dana"}, role="supervisor")
    assert [c["id"] for c in desk.get("/cases", params={"owner": "dana"}).json()["cases"]] == [
        case["id"]
    ]


def test_cases_handoff_makes_the_supervisor_owner(desk):
    case = _open(desk)
    r = desk.post(
        f"/cases/{case['id']}/handoff",
        {"supervisor": "support-supervisor", "note": "abusive"},
        role="agent",
    )
    assert r.json()["owner"] == r.json()["supervisor"] == "support-supervisor"


def test_cases_action_items_are_added_and_completed(desk):
    case = _open(desk)
    item = desk.post(
        f"/cases/{case['id']}/actions",
        {"text": "Call back with refund status", "owner": "tom", "due": "2026-03-03T09:00:00"},
        role="agent",
    ).json()
    assert item["due"].startswith("2026-03-03T09:00:00") and item["status"] == "open"
    done = desk.patch(
        f"/cases/{case['id']}/actions/{item['id']}", {"status": "done"}, role="agent"
    ).json()
    assert done["status"] == "done" and done["done_at"]


def test_cases_manual_case_has_deadlines_of_its_priority(desk):
    r = desk.post(
        "/cases",
        {"title": "Angry phone call", "priority": "P1", "owner": "support-agent"},
        role="agent",
    )
    assert r.status_code == 201
    assert r.json()["sla"]["acknowledge_due"] == "2026-03-02T09:15:00+00:00"


def test_cases_record_json_and_html(desk):
    case = _open(desk)
    doc = desk.get(f"/cases/{case['id']}/record").json()
    assert doc["timeline"][0]["text"] == MANAGER
    assert doc["commitments"]["eta"] == case["eta"]
    assert [a["action"] for a in doc["actions_taken"]][:1] == ["opened"]
    page = desk.get(f"/cases/{case['id']}/record.html")
    assert page.headers["content-type"].startswith("text/html")
    assert (
        "your manager" in page.text
        and "<style>" in page.text
        and "http" not in page.text.split("<body>")[0].replace("http-equiv", "")
    )


def test_cases_record_can_be_redacted(desk):
    r = desk.post(
        "/webhooks/zendesk", zendesk_comment(1, "Email me at sam@example.com, I want your manager!")
    ).json()
    doc = desk.get(f"/cases/{r['case']['id']}/record", params={"redact": True}).json()
    assert "sam@example.com" not in str(doc) and "[email]" in doc["timeline"][0]["text"]


def test_cases_of_another_team_are_invisible(desk):
    case = _open(desk)
    assert desk.get(f"/cases/{case['id']}", team="billing").status_code == 404
    assert desk.get("/cases", team="billing").json()["cases"] == []
    r = desk.post(f"/cases/{case['id']}/transition", {"to": "acknowledged"}, team="billing")
    assert r.status_code == 404
    assert desk.get(f"/customers/{case['customer_id']}", team="billing").status_code == 404
    assert desk.get("/conversations", team="billing").json()["conversations"] == []


def test_cases_a_patch_that_changes_nothing_leaves_no_audit_entry(desk):
    case = _open(desk)

    def updates():
        entries = desk.get(
            "/audit", params={"entity": "case", "entity_id": str(case["id"])}
        ).json()["entries"]
        return [e for e in entries if e["action"] == "updated"]

    desk.patch(f"/cases/{case['id']}", {"owner": "dana"}, role="supervisor")
    [first] = updates()
    assert first["data"]["before"] == {"owner": case["owner"]}
    assert first["data"]["after"] == {"owner": "dana"}
    desk.clock.advance(minutes=5)
    again = desk.patch(
        f"/cases/{case['id']}", {"owner": "dana", "priority": "P1"}, role="supervisor"
    ).json()
    assert again["priority"] == "P1"
    last = updates()[-1]
    assert last["data"]["after"] == {"priority": "P1"}  # the unchanged owner is not repeated
    before = len(updates())
    desk.patch(f"/cases/{case['id']}", {"owner": "dana", "priority": "P1"}, role="supervisor")
    assert len(updates()) == before
