"""The case workflow and the transitions it allows.

P1 of the playbook: resolve first, fact-find later. `fact_finding` is reachable only from
`solution_accepted`, so a reality check can never come before the customer accepted a solution.
A declined solution returns the case to `acknowledged`; a resolved case can be reopened.
"""

from __future__ import annotations

STATES: tuple[str, ...] = (
    "new",
    "acknowledged",
    "solution_offered",
    "solution_accepted",
    "fact_finding",
    "resolved",
    "closed",
)

ALLOWED: dict[str, frozenset[str]] = {
    "new": frozenset({"acknowledged"}),
    "acknowledged": frozenset({"solution_offered"}),
    "solution_offered": frozenset({"solution_accepted", "acknowledged"}),
    "solution_accepted": frozenset({"fact_finding", "resolved"}),
    "fact_finding": frozenset({"resolved"}),
    "resolved": frozenset({"closed", "acknowledged"}),
    "closed": frozenset(),
}

OPEN_STATES: frozenset[str] = frozenset(STATES) - {"resolved", "closed"}


class TransitionError(ValueError):
    """A move the workflow forbids; the message names what is allowed instead."""


def check(current: str, target: str) -> None:
    if target not in ALLOWED:
        raise TransitionError(f"unknown state {target!r}; expected one of {', '.join(STATES)}")
    allowed = ALLOWED[current]
    if target not in allowed:
        nexts = ", ".join(sorted(allowed)) or "nothing (the case is closed)"
        why = (
            " (fact-finding only after a solution was accepted)" if target == "fact_finding" else ""
        )
        raise TransitionError(
            f"cannot move a case from {current} to {target}{why}; allowed: {nexts}"
        )
