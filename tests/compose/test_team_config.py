"""Team configuration: strict YAML loading, eligibility and relationship-sized goodwill."""

import random

import pytest

from calmdesk.core.compose.config import ComposeConfigError, GoodwillPolicy, Remedy, load_team
from calmdesk.core.compose.reading import Customer
from calmdesk.core.compose.remedies import choose_offers, eligible, goodwill_amount

POLICY = GoodwillPolicy(
    currency="£",
    budget_per_case=60,
    base=10,
    per_tenure_year=2,
    value_share=0.002,
    tier_multiplier={"premier": 2.0, "new": 1.0},
)


def test_goodwill_grows_with_the_relationship_within_the_budget():
    new = goodwill_amount(POLICY, Customer(tenure_years=0.5, tier="new", lifetime_value=100))
    loyal = goodwill_amount(POLICY, Customer(tenure_years=9, tier="premier", lifetime_value=4200))
    assert 0 < new < loyal <= 60
    assert loyal % 5 == 0 and new % 5 == 0


def test_goodwill_already_given_comes_off_and_repeat_cases_get_none():
    loyal = Customer(tenure_years=9, tier="premier", lifetime_value=4200)
    given = Customer(tenure_years=9, tier="premier", lifetime_value=4200, goodwill_given=40)
    assert goodwill_amount(POLICY, given) == goodwill_amount(POLICY, loyal) - 40
    frequent = Customer(tenure_years=9, tier="premier", lifetime_value=4200, past_cases=5)
    assert goodwill_amount(POLICY, frequent) == 0


def test_remedy_eligibility_by_tier_and_tenure():
    gold_only = Remedy(
        "r", "upgrade you", "why", "today", "upgrade", tiers=("gold",), min_tenure_years=2
    )
    assert eligible(gold_only, Customer(tier="gold", tenure_years=3))
    assert not eligible(gold_only, Customer(tier="standard", tenure_years=3))
    assert not eligible(gold_only, Customer(tier="gold", tenure_years=1))


def test_choose_offers_gives_two_or_more_distinct_options_for_every_issue_type():
    team = load_team()
    for issue in team.issue_types:
        options, _ = choose_offers(team, issue.id, Customer(), random.Random(0))
        assert len({o.remedy.id for o in options}) >= 2, issue.id


def test_load_team_names_file_entry_and_field_of_a_mistake(tmp_path):
    kb = tmp_path / "kb.yaml"
    kb.write_text("entries:\n  - id: x\n    cues: [a]\n")
    with pytest.raises(ComposeConfigError, match=r"kb\.yaml: entry 'x': field 'explanation'"):
        load_team(kb=kb)
    bad = tmp_path / "remedies.yaml"
    bad.write_text("remedies: [unclosed\n")
    with pytest.raises(ComposeConfigError, match=r"remedies\.yaml: not valid YAML"):
        load_team(remedies=bad)
