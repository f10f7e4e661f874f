from handmade import said, states

from calmdesk.core.rubric import load_rubric
from calmdesk.core.scorecard import score_conversation

RUBRIC = load_rubric()


def card(msgs):
    return score_conversation(msgs, states(msgs), RUBRIC)


def five_step_reply(mid="a1"):
    return said(
        "agent",
        mid,
        "empathy",
        "understanding",
        "validation",
        "explanation",
        ("alternatives", 2),
        "expectation",
        "apology",
        "gratitude",
        "ownership",
    )


def test_scorecard_full_five_step_reply_scores_100():
    msgs = [said("customer", "c1", "anger", sentiment=-0.8), five_step_reply()]
    sc = card(msgs)
    assert sc.score == 100
    assert not sc.failed


def test_scorecard_single_option_fails_alternatives_with_a_note():
    reply = said("agent", "a1", "empathy", ("alternatives", 1), "expectation")
    sc = card([said("customer", "c1", "frustration", sentiment=-0.6), reply])
    result = sc.result("alternatives")
    assert result.verdict == "fail"
    assert "1 < 2" in result.note


def test_scorecard_calm_question_makes_escalation_criteria_not_applicable():
    msgs = [said("customer", "c1", sentiment=0.2), said("agent", "a1", "gratitude")]
    sc = card(msgs)
    assert sc.result("empathy").verdict == "n/a"
    assert sc.result("gratitude").verdict == "pass"
    assert sc.score == 100


def test_scorecard_explanation_before_empathy_fails_ordering():
    msgs = [
        said("customer", "c1", "anger", sentiment=-0.7),
        said("agent", "a1", "explanation"),
        said("agent", "a2", "empathy"),
    ]
    result = card(msgs).result("empathy_before_explanation")
    assert result.verdict == "fail"
    assert result.evidence[0].message_id == "a1"


def test_scorecard_fact_finding_before_acceptance_fails_p1():
    msgs = [
        said("customer", "c1", "anger", sentiment=-0.7),
        said("agent", "a1", "suspicion"),
    ]
    sc = card(msgs)
    assert sc.result("no_fact_finding_before_solution").verdict == "fail"
    assert [h.label for h in sc.antipatterns] == ["suspicion"]


def test_scorecard_supervisor_offer_must_follow_the_request():
    offer_first = [
        said("customer", "c1", "anger", sentiment=-0.7),
        said("agent", "a1", "supervisor_offer"),
        said("customer", "c2", "supervisor_request", sentiment=-0.5),
        said("agent", "a2", "empathy"),
    ]
    assert card(offer_first).result("supervisor_offer").verdict == "fail"
    honoured = [*offer_first, said("supervisor", "s1", "empathy")]
    assert card(honoured).result("supervisor_offer").verdict == "pass"


def test_scorecard_antipatterns_cost_points_up_to_the_cap():
    good = card([said("customer", "c1", "anger", sentiment=-0.8), five_step_reply()])
    bad = card(
        [
            said("customer", "c1", "anger", sentiment=-0.8),
            five_step_reply("a1"),
            said(
                "agent",
                "a2",
                "dismissive",
                "blame",
                "defensive",
                "patronizing",
                "tone_matching",
                "correcting",
            ),
        ]
    )
    assert good.score == 100
    assert bad.score == 100 - RUBRIC.penalty_cap


def test_scorecard_without_agent_reply_has_no_score():
    assert card([said("customer", "c1", "anger", sentiment=-0.8)]).score is None
