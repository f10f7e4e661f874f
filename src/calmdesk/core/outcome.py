"""How the conversation ended for the customer: the outcome the service axioms predict (P2).

Customers who are allowed to win usually recover and often apologise or thank; measuring that
shows whether de-escalation worked, independent of how the agent scored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from calmdesk.core.detect.base import MessageAnalysis

#: A rise of customer sentiment of at least this much counts as mood recovered.
RECOVERY = 0.3
#: Signals that mean the conversation escalated beyond the agent.
ESCALATED_BY = ("supervisor_request", "legal_threat", "public_threat", "churn_threat")
#: A last customer message with any of these has not recovered, whatever its sentiment says.
STILL_UPSET = ("anger", "frustration", "disappointment", *ESCALATED_BY, "abuse_toward_agent")
#: Signals that the customer's problem was settled.
RESOLVED_BY = ("accepts_solution", "satisfaction", "gratitude")


@dataclass(frozen=True, slots=True)
class Outcome:
    #: customer sentiment per customer message, in order
    trajectory: tuple[float, ...]
    first_sentiment: float | None
    last_sentiment: float | None
    mood_recovered: bool
    customer_apologised: bool
    customer_thanked: bool
    resolved: bool
    escalated: bool
    escalated_by: tuple[str, ...]

    @property
    def mood_change(self) -> float | None:
        if self.first_sentiment is None or self.last_sentiment is None:
            return None
        return round(self.last_sentiment - self.first_sentiment, 4)

    @property
    def deescalated(self) -> bool:
        """Mood recovered, or the customer apologised or thanked (DESIGN.md's de-escalation)."""
        return self.mood_recovered or self.customer_apologised or self.customer_thanked


def conversation_outcome(msgs: Sequence[MessageAnalysis]) -> Outcome:
    customer = [ma for ma in msgs if ma.message.is_customer]
    trajectory = tuple(round(ma.value("sentiment"), 4) for ma in customer)
    first = trajectory[0] if trajectory else None
    last = trajectory[-1] if trajectory else None
    still_upset = bool(customer) and any(customer[-1].has(s) for s in STILL_UPSET)
    recovered = (
        first is not None
        and last is not None
        and len(trajectory) > 1
        and first < 0
        and (last - first >= RECOVERY or last > 0)
        and not still_upset
    )
    # a thank-you that opens the first message is politeness, not the axiom's outcome
    later = customer[1:]
    reasons = tuple(s for s in ESCALATED_BY if any(ma.has(s) for ma in customer))
    tail = customer[-1:] if customer else []
    return Outcome(
        trajectory=trajectory,
        first_sentiment=first,
        last_sentiment=last,
        mood_recovered=recovered,
        customer_apologised=any(ma.has("apology") for ma in later),
        customer_thanked=any(ma.has("gratitude") for ma in later),
        resolved=any(ma.has(s) for ma in tail for s in RESOLVED_BY),
        escalated=bool(reasons),
        escalated_by=reasons,
    )
