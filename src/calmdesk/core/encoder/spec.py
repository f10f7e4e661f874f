"""Which taxonomy labels the encoder answers, per side (its output columns' order).

`sentiment` is a 3-class group of its own; `intensity` stays a measure the rules compute
(capitals, exclamations) and `accepts_solution` a context rule with no labelled data.
"""

from __future__ import annotations

from calmdesk.core.taxonomy import AGENT_LABELS, CUSTOMER_LABELS

#: Customer labels the rules keep: measures and context rules no dataset labels.
RULE_ONLY_CUSTOMER: frozenset[str] = frozenset({"sentiment", "intensity", "accepts_solution"})
CUSTOMER_COLUMNS: tuple[str, ...] = tuple(
    name for name in CUSTOMER_LABELS if name not in RULE_ONLY_CUSTOMER
)
AGENT_COLUMNS: tuple[str, ...] = tuple(AGENT_LABELS)
