from handmade import said

from calmdesk.core.forecast import ThresholdPolicy, risk_series


def test_forecast_angry_customer_with_threats_is_high_risk():
    risks = risk_series(
        [said("customer", "c1", "anger", "supervisor_request", "public_threat", sentiment=-0.9)]
    )
    assert risks[0] >= 0.8


def test_forecast_calm_question_is_low_risk():
    assert risk_series([said("customer", "c1", sentiment=0.3)])[0] < 0.2


def test_forecast_good_reply_lowers_risk_and_acceptance_lowers_it_more():
    risks = risk_series(
        [
            said("customer", "c1", "anger", "frustration", sentiment=-0.8),
            said("agent", "a1", "empathy", "apology", ("alternatives", 2), "expectation"),
            said("customer", "c2", "accepts_solution", "gratitude", sentiment=0.6),
        ]
    )
    assert risks[0] > risks[1] > risks[2]
    assert risks[2] < 0.1


def test_forecast_antipattern_reply_raises_risk():
    start = said("customer", "c1", "frustration", sentiment=-0.5)
    calm = risk_series([start, said("agent", "a1", "empathy")])[-1]
    provoked = risk_series([start, said("agent", "a1", "dismissive", "blame")])[-1]
    assert provoked > calm


def test_forecast_policy_reports_first_crossing():
    policy = ThresholdPolicy(threshold=0.6)
    assert policy.first_crossing([0.1, 0.4, 0.65, 0.9]) == 2
    assert policy.first_crossing([0.1, 0.2]) is None
