"""Customer escalation signals and solution acceptance: one detector for the family.

Confidence (cue weights combine as 1 - prod(1 - w); negation, blockers: see `customer_cues`):
- supervisor_request, churn_threat, legal_threat, public_threat, repeat_contact, time_pressure,
  compensation_demand, documenting, abuse_toward_agent: their cues alone. Verb + object cues
  ("speak to a manager", "cancel my subscription") weigh 0.7-0.9; bare nouns ("court",
  "again", "today", "voucher") weigh under 0.5, so they need a second cue to count.
- accepts_solution: its cues; + 0.4 evidence when a company message already offered a solution
  (`Context.solution_offered`), and x 0.4 when the message opens with a refusal ("no, ...") or is
  angry / strongly negative, since "ok, go ahead and cancel everything then" is not acceptance.
"""

from __future__ import annotations

import re

from calmdesk.core.detect.base import Context, Detector
from calmdesk.core.detect.customer_case_cues import (
    ACCEPTS_SOLUTION,
    COMPENSATION_DEMAND,
    DOCUMENTING,
    REPEAT_CONTACT,
    TIME_PRESSURE,
)
from calmdesk.core.detect.customer_cues import Adjust, LabelCues, combine, table_labels
from calmdesk.core.detect.customer_emotions import anger_of
from calmdesk.core.detect.customer_sentiment import compound
from calmdesk.core.detect.customer_threat_cues import (
    ABUSE_TOWARD_AGENT,
    CHURN_THREAT,
    LEGAL_THREAT,
    PUBLIC_THREAT,
    SUPERVISOR_REQUEST,
)
from calmdesk.core.model import Label, Message, Span

_REFUSAL = re.compile(r"\s*(?:no|nope|nah|not)\b", re.IGNORECASE)
_OFFERED_BOOST = 0.4
_REFUSAL_DAMP = 0.4


def _accepts(
    message: Message, context: Context, conf: float, spans: tuple[Span, ...]
) -> tuple[float, tuple[Span, ...]]:
    if not conf:
        return conf, spans
    if context.solution_offered:
        conf = combine(conf, _OFFERED_BOOST)
    text = message.text
    if _REFUSAL.match(text) or anger_of(text)[0] >= 0.5 or compound(text) <= -0.5:
        conf *= _REFUSAL_DAMP
    return conf, spans


_RULES: tuple[tuple[LabelCues, Adjust | None], ...] = (
    (SUPERVISOR_REQUEST, None),
    (CHURN_THREAT, None),
    (LEGAL_THREAT, None),
    (PUBLIC_THREAT, None),
    (REPEAT_CONTACT, None),
    (TIME_PRESSURE, None),
    (COMPENSATION_DEMAND, None),
    (DOCUMENTING, None),
    (ABUSE_TOWARD_AGENT, None),
    (ACCEPTS_SOLUTION, _accepts),
)
_NAME = "customer_signals"


def _signals(message: Message, context: Context) -> list[Label]:
    return table_labels(message, context, _RULES, detector=_NAME)


DETECTORS: list[Detector] = [
    Detector(_NAME, "customer", tuple(table.name for table, _ in _RULES), _signals)
]
