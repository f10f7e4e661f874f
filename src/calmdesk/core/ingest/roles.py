"""Role words people actually write, mapped onto the four model roles.

Two tables, because the two inputs differ: a CSV role column names a kind of sender ("assistant"
is the answering side of a helpdesk export), a transcript names a speaker ("Assistant" is a bot).
"""

from __future__ import annotations

import re

from calmdesk.core.model import ROLES, Role

_ROLE_VALUES: dict[str, Role] = {
    **dict.fromkeys(
        ["customer", "client", "user", "requester", "end-user", "end user", "enduser"], "customer"
    ),
    **dict.fromkeys(["agent", "staff", "support", "rep", "operator", "assistant"], "agent"),
    **dict.fromkeys(["bot", "system", "automated"], "bot"),
    **dict.fromkeys(["supervisor", "manager", "lead"], "supervisor"),
}

_SPEAKER_NAMES: dict[str, Role] = {
    **dict.fromkeys(["customer", "client", "caller", "user"], "customer"),
    **dict.fromkeys(["agent", "rep", "support", "advisor", "adviser"], "agent"),
    **dict.fromkeys(["supervisor", "manager"], "supervisor"),
    **dict.fromkeys(["bot", "assistant"], "bot"),
}

#: "Agent 2", "Customer (Dana)", "agent #1": the role word is what decides.
_SPEAKER_DECORATION = re.compile(r"\s*(\(.*\)|#?\d+)$")

EXPECTED_ROLES = ", ".join(ROLES)


def role_from_value(value: str) -> Role | None:
    """The role a CSV cell names, case-insensitively, or None if it names none."""
    return _ROLE_VALUES.get(value.strip().lower())


def as_role(value: str) -> Role | None:
    """`value` if it is exactly one of the model roles (user-given option values)."""
    lowered = value.strip().lower()
    return next((role for role in ROLES if role == lowered), None)


def role_from_speaker(name: str, speakers: dict[str, Role]) -> Role | None:
    """The role of a transcript speaker: the caller's names first, then the built-in words."""
    key = name.strip().lower()
    if key in speakers:
        return speakers[key]
    return _SPEAKER_NAMES.get(_SPEAKER_DECORATION.sub("", key))


def is_generic_speaker(name: str) -> bool:
    """True for role words ("Customer", "Agent 2"): such a name identifies nobody."""
    return _SPEAKER_DECORATION.sub("", name.strip().lower()) in _SPEAKER_NAMES
