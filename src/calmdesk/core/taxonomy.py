"""The label vocabulary of DESIGN.md section 2, with a one-line meaning for each label.

Detectors may only emit names listed here; tests, docs and the CLI read this table, so the
taxonomy is written down once.
"""

from __future__ import annotations

CUSTOMER_LABELS: dict[str, str] = {
    "sentiment": "overall tone of the message, value in [-1, 1]",
    "intensity": "how loud the message is: capitals, exclamations, profanity, intensifiers",
    "anger": "the customer is angry or furious",
    "frustration": "the customer is fed up: repeated failure, wasted time, nothing works",
    "disappointment": "the customer expected better and is let down",
    "anxiety": "the customer is worried or afraid of a consequence",
    "confusion": "the customer does not understand what happened or what to do",
    "gratitude": "the customer thanks the agent",
    "satisfaction": "the customer is happy with the outcome",
    "apology": "the customer apologises (axiom 2's predicted outcome)",
    "polite_displeasure": "dissatisfied but courteous: the P5 'inside voice'",
    "supervisor_request": "asks for a supervisor, manager or someone else",
    "churn_threat": "threatens to cancel, leave or switch to a competitor",
    "legal_threat": "mentions a lawyer, lawsuit, regulator or chargeback",
    "public_threat": "threatens a review, a social-media post or the press",
    "repeat_contact": "has contacted about this before",
    "time_pressure": "a deadline or event makes the issue urgent",
    "compensation_demand": "asks for a refund, credit or compensation",
    "documenting": "keeps records or screenshots of the case",
    "abuse_toward_agent": "insults or threatens the agent personally",
    "accepts_solution": "accepts an offered solution (opens the door to fact-finding, P1)",
}

AGENT_MOVES: dict[str, str] = {
    "empathy": "acknowledges the customer's feelings without judgement",
    "understanding": "restates the customer's issue in the agent's own words",
    "validation": "says the customer's experience or reaction is legitimate",
    "clarifying_question": "asks to understand the customer's need better",
    "apology": "a sincere apology that owns the problem",
    "explanation": "gives the company's perspective or context, not excuses",
    "alternatives": "offers options for the customer to choose; value = number of options",
    "expectation": "sets realistic expectations: an ETA, next steps, action items, prevention",
    "gratitude": "thanks the customer",
    "ownership": "takes personal responsibility for the next step",
    "supervisor_offer": "offers or arranges a supervisor or specialist",
}

AGENT_ANTIPATTERNS: dict[str, str] = {
    "defensive": "defends the company or argues with the customer",
    "correcting": "passive-aggressive correction ('as I already said')",
    "blame": "puts the fault on the customer",
    "suspicion": "doubts the customer's account, or fact-finding before a solution (P1, P4c)",
    "policy_hiding": "uses a policy or system as the answer without an alternative (P4b)",
    "non_apology": "an apology that is not one ('sorry you feel that way')",
    "dismissive": "tells the customer to calm down or minimises the problem",
    "patronizing": "talks down to the customer",
    "tone_matching": "answers an angry customer with capitals or exclamations",
    "transactional": "boilerplate that ignores the customer's words and history (P4a)",
}

AGENT_LABELS: dict[str, str] = {**AGENT_MOVES, **AGENT_ANTIPATTERNS}

#: Labels whose `value` is a measure rather than a presence.
MEASURED_LABELS: frozenset[str] = frozenset({"sentiment", "intensity", "alternatives"})

#: Customer labels that signal an escalation in progress or about to happen.
ESCALATION_SIGNALS: tuple[str, ...] = (
    "supervisor_request",
    "churn_threat",
    "legal_threat",
    "public_threat",
    "repeat_contact",
    "time_pressure",
    "compensation_demand",
    "documenting",
    "abuse_toward_agent",
)

NEGATIVE_EMOTIONS: tuple[str, ...] = (
    "anger",
    "frustration",
    "disappointment",
    "anxiety",
    "confusion",
    "polite_displeasure",
)


def describe(name: str, *, side: str) -> str:
    """The meaning of a label on one side ('customer' or 'agent')."""
    table = CUSTOMER_LABELS if side == "customer" else AGENT_LABELS
    return table[name]
