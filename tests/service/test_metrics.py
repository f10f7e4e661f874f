"""Team metrics: rates, medians and anti-pattern counts per agent."""

from __future__ import annotations


def test_metrics_rates_medians_and_agents(desk):
    calm = {
        "id": "calm",
        "messages": [
            {"id": "1", "author": "c-1", "role": "customer", "text": "When does my parcel arrive?"}
        ],
    }
    hot = {
        "id": "hot",
        "customer_id": "c-2",
        "messages": [
            {
                "id": "1",
                "author": "c-2",
                "role": "customer",
                "text": "Third time writing. I want to speak to your manager.",
            },
            {
                "id": "2",
                "author": "tom",
                "role": "agent",
                "text": "Calm down. As I already said, that is our policy.",
            },
        ],
    }
    r = desk.post("/ingest", [calm, hot]).json()["conversations"]
    case_id = r[1]["case"]["id"]
    desk.clock.advance(minutes=10)
    desk.post(f"/cases/{case_id}/transition", {"to": "acknowledged"})
    m = desk.get("/metrics", role="supervisor").json()
    assert m["conversations"] == 2 and m["escalation_rate"] == 0.5
    assert m["median_minutes_to_acknowledge"] == 10.0
    assert m["median_minutes_to_resolve"] is None
    assert m["deescalation_rate"] in (0.0, 1.0)
    stored = desk.get(f"/conversations/{r[1]['conversation_id']}").json()["messages"][1]["labels"]
    bad = {lab["name"] for lab in stored if lab["confidence"] >= 0.5} & {
        "dismissive",
        "correcting",
        "policy_hiding",
        "defensive",
    }
    assert m["agents"]["tom"]["messages"] == 1 and m["agents"]["tom"]["total"] == len(bad)
