"""POST /ingest: the documented JSON format, all-or-nothing per request, redaction."""

from __future__ import annotations


def _doc(cid: str, text: str = "Where is my parcel?") -> dict:
    return {
        "id": cid,
        "customer_id": "c-1",
        "messages": [{"id": "1", "author": "c-1", "role": "customer", "text": text}],
    }


def test_ingest_accepts_one_a_list_and_a_wrapper(desk):
    assert desk.post("/ingest", _doc("a")).status_code == 200
    assert len(desk.post("/ingest", [_doc("b"), _doc("c")]).json()["conversations"]) == 2
    assert desk.post("/ingest", {"conversations": [_doc("d")]}).status_code == 200


def test_ingest_one_bad_record_stores_nothing(desk):
    bad = _doc("b")
    bad["messages"][0]["timestmp"] = "x"
    r = desk.post("/ingest", [_doc("a"), bad])
    assert r.status_code == 422
    problem = r.json()["detail"]["problems"][0]
    assert problem["record"] == 1 and "timestmp" in problem["field"]
    assert desk.get("/conversations").json()["conversations"] == []


def test_ingest_not_a_conversation_is_a_clear_422(desk):
    for body in ([], "hello", 3, {"conversations": "x"}):
        r = desk.post("/ingest", body)
        assert r.status_code == 422, body


def test_ingest_redact_query_overrides_team_setting(desk):
    r = desk.post("/ingest", _doc("a", "My card is 4111 1111 1111 1111"), params={"redact": True})
    conv = desk.get(f"/conversations/{r.json()['conversations'][0]['conversation_id']}").json()
    assert conv["messages"][0]["text"] == "My card is [card]" and conv["messages"][0]["redacted"]


def test_ingest_team_redaction_setting_applies(desk):
    assert desk.client.put("/team", json={"redact": True}, headers=desk.h()).status_code == 200
    r = desk.post("/ingest", _doc("a", "call me on +1 415 555 0100"))
    conv = desk.get(f"/conversations/{r.json()['conversations'][0]['conversation_id']}").json()
    assert "[phone]" in conv["messages"][0]["text"]


def test_ingest_analyze_and_score_a_stored_conversation(desk):
    cid = desk.post("/ingest", _doc("a")).json()["conversations"][0]["conversation_id"]
    analysed = desk.post(f"/conversations/{cid}/analyze", role="agent").json()
    assert analysed["messages"][0]["labels"] is not None and "scorecard" in analysed
    card = desk.get(f"/conversations/{cid}/score", role="agent").json()["scorecard"]
    assert "criteria" in card


def test_ingest_team_threshold_setting_opens_cases_earlier(desk):
    desk.client.put("/team", json={"threshold": 0.01}, headers=desk.h())
    r = desk.post("/ingest", _doc("a")).json()["conversations"][0]
    assert r["case_opened"] and r["case"]["reasons"] == ["risk>=0.01"]


def test_ingest_suggest_drafts_a_checked_reply_with_the_stored_relationship(desk):
    doc = _doc(
        "s",
        "My order arrived broken and I need it by Friday for my daughter's birthday. "
        "I've been ordering from you for years and this is really disappointing.",
    )
    r = desk.post("/ingest", doc).json()["conversations"][0]
    cid, customer = r["conversation_id"], r["customer_id"]
    patch = {"tier": "gold", "value": 5200, "customer_since": "2017-01-15T00:00:00Z"}
    changed = desk.client.patch(f"/customers/{customer}", json=patch, headers=desk.h())
    assert changed.status_code == 200
    s = desk.post(f"/conversations/{cid}/suggest", role="agent").json()
    assert s["self_check"]["passed"], s["self_check"]
    assert s["engine"] == "template" and len(s["draft"]) > 100
    assert "9 years" in s["draft"]  # tenure read from the stored customer, not invented
    again = desk.post(f"/conversations/{cid}/suggest", role="agent").json()
    assert again["draft"] == s["draft"]  # same seed, same draft


def test_api_docs_are_served_from_the_package(desk):
    page = desk.client.get("/docs")
    assert page.status_code == 200
    assert "/docs-assets/swagger-ui-bundle.js" in page.text
    assert "cdn" not in page.text.lower()
    bundle = desk.client.get("/docs-assets/swagger-ui-bundle.js")
    assert bundle.status_code == 200 and "SwaggerUIBundle" in bundle.text
    assert desk.client.get("/redoc").status_code == 404
