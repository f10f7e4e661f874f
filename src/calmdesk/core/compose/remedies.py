"""Choose the options to offer: eligible remedies for the issue, sized to the relationship.

P3 asks for several viable options so the customer chooses; P1 and P4a ask that a long-standing
or valuable customer with an occasional problem gets the benefit of the doubt. Goodwill is
therefore offered only inside the team's budget, reduced by what this customer has already been
given, and its amount comes from the catalogue's formula, never from thin air.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass

from calmdesk.core.compose.config import GoodwillPolicy, Remedy, TeamConfig
from calmdesk.core.compose.reading import Customer


@dataclass(frozen=True, slots=True)
class Offer:
    """A remedy made concrete for this customer (the goodwill amount filled in)."""

    remedy: Remedy
    offer: str
    why: str


def eligible(remedy: Remedy, customer: Customer) -> bool:
    if remedy.tiers and customer.tier not in remedy.tiers:
        return False
    return customer.tenure_years >= remedy.min_tenure_years


def goodwill_amount(policy: GoodwillPolicy, customer: Customer) -> int:
    """What this relationship earns, within budget, minus goodwill already given (0 = none)."""
    if customer.past_cases > policy.occasional_max_past_cases:
        return 0  # not an occasional problem: the catalogue's remedies, no extra gesture
    raw = (
        policy.base
        + policy.per_tenure_year * customer.tenure_years
        + policy.value_share * customer.lifetime_value
    ) * policy.tier_multiplier.get(customer.tier, 1.0)
    room = min(raw, policy.budget_per_case) - customer.goodwill_given
    return int(math.floor(room / 5.0) * 5) if room >= 5 else 0


def _fits(remedy: Remedy, text: str) -> bool:
    return not remedy.requires or any(
        re.search(rf"\b{re.escape(w)}(?:s|es)?\b", text) for w in remedy.requires
    )


def choose_offers(
    team: TeamConfig,
    issue_id: str,
    customer: Customer,
    rng: random.Random,
    *,
    text: str = "",
    most: int = 3,
) -> tuple[tuple[Offer, ...], Offer | None]:
    """Two or more distinct options (specific remedies first), and a goodwill gesture if earned.

    The gesture is given on top of whichever option the customer picks: it recognises the
    relationship, it is not a choice they have to trade against a fix.
    """
    low = text.lower()
    fitting = [
        r for r in team.remedies if not r.goodwill and eligible(r, customer) and _fits(r, low)
    ]
    specific = [r for r in fitting if issue_id in r.issue_types]
    general = [r for r in fitting if not r.issue_types]
    rng.shuffle(specific)
    picked = (specific[:most] + general)[: max(2, min(most, len(specific)))]
    options = tuple(Offer(r, r.offer, r.why) for r in picked)
    amount = goodwill_amount(team.goodwill, customer)
    gesture = next((r for r in team.remedies if r.goodwill and eligible(r, customer)), None)
    if gesture is None or amount <= 0:
        return options, None
    money = f"{team.goodwill.currency}{amount}"
    return options, Offer(gesture, gesture.offer.replace("{amount}", money), gesture.why)
