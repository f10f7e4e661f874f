from handmade import said

from calmdesk.core.outcome import conversation_outcome


def test_outcome_customer_who_was_allowed_to_win_apologises_and_recovers():
    outcome = conversation_outcome(
        [
            said("customer", "c1", "anger", sentiment=-0.8),
            said("agent", "a1", "empathy"),
            said("customer", "c2", "apology", "gratitude", "accepts_solution", sentiment=0.5),
        ]
    )
    assert outcome.mood_recovered
    assert outcome.customer_apologised and outcome.customer_thanked
    assert outcome.deescalated and outcome.resolved
    assert outcome.mood_change == 1.3


def test_outcome_supervisor_request_counts_as_escalated():
    outcome = conversation_outcome(
        [said("customer", "c1", "supervisor_request", sentiment=-0.4), said("agent", "a1")]
    )
    assert outcome.escalated and outcome.escalated_by == ("supervisor_request",)
    assert not outcome.mood_recovered


def test_outcome_opening_thank_you_is_politeness_not_recovery():
    outcome = conversation_outcome([said("customer", "c1", "gratitude", sentiment=0.2)])
    assert not outcome.customer_thanked


def test_outcome_neutral_words_with_a_churn_threat_are_not_a_recovery():
    outcome = conversation_outcome(
        [
            said("customer", "c1", "anger", sentiment=-0.6),
            said("agent", "a1", "dismissive"),
            said("customer", "c2", "churn_threat", sentiment=0.0),
        ]
    )
    assert not outcome.mood_recovered and outcome.escalated
