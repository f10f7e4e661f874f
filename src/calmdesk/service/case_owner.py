"""Who may set a case's owner: owner changes are a supervisor's (agent < supervisor < admin).

A supervisor or admin sets any owner (the API's PATCH, the case page's edit form) and may hand
a case to anyone. An agent may still
- hand a case off to a supervisor of their own team, i.e. to the name of an active supervisor
  or admin key (P5: let a supervisor take over); the supervisor becomes the owner;
- open a case by hand for themselves or for nobody (a supervisor assigns it later).
Anything else an agent sends for the owner is refused with 403 and the names they may use.
The API and the pages both ask here, so they cannot drift apart.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from calmdesk.service.deps import Principal
from calmdesk.store import keys


class OwnerChangeRefused(Exception):
    """The message names the field and what the caller may send instead."""


def supervisors(*, session: Session, team: str) -> list[str]:
    """The names an agent may hand off to: the team's active supervisor and admin keys."""
    names = [
        k.name
        for k in keys.list_keys(session=session, team=team)
        if k.revoked_at is None and keys.role_rank(k.role) >= keys.role_rank("supervisor")
    ]
    return list(dict.fromkeys(names))


def check_handoff(*, session: Session, principal: Principal, to: str) -> None:
    if principal.at_least("supervisor"):
        return
    allowed = supervisors(session=session, team=principal.team)
    if to not in allowed:
        offer = ", ".join(allowed) if allowed else "none: ask an admin to create a supervisor key"
        raise OwnerChangeRefused(
            f"supervisor: {to!r} is not a supervisor of team {principal.team}; an agent hands a "
            f"case off to one of its supervisors ({offer})"
        )


def check_new_owner(*, principal: Principal, owner: str | None) -> None:
    if principal.at_least("supervisor") or owner in (None, principal.name):
        return
    raise OwnerChangeRefused(
        f"owner: an agent opens a case for themselves ({principal.name!r}) or for nobody; "
        "a supervisor assigns it to someone else"
    )
