"""The case record a customer can be given (P5: document everything): JSON and an HTML page.

It holds the customer's timeline across channels, the commitments made (ETA and action items)
and the actions taken (the case's audit entries). The audit log is a supervisor's: built with
`with_audit=False` (an agent's request) the record leaves the actions taken out and names them
under `withheld`, so no reader mistakes the gap for "nothing was done". Coaching labels stay
out: they describe the agent, not the customer's case. Redaction can be asked for on export and
is always applied when the team's policy redacts: the customer's name becomes "customer #<id>".
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy.orm import Session

from calmdesk.core.redact import Redactor
from calmdesk.service.views import action_view, customer_view, iso
from calmdesk.store import audit, conversations, customers
from calmdesk.store.models import Customer, Team
from calmdesk.store.models_case import AuditEntry, Case

#: what `withheld` says of the audit entries left out of an agent's record
AUDIT_WITHHELD = "the case's audit entries are shown to supervisors and admins only"


def build(
    *, session: Session, case: Case, now: datetime, redact: bool, with_audit: bool
) -> dict[str, Any]:
    customer = session.get(Customer, case.customer_id) if case.customer_id else None
    if customer is not None:
        msgs = customers.timeline(session=session, customer_id=customer.id)
    elif case.conversation_id is not None:
        msgs = conversations.messages_of(session=session, conversation_id=case.conversation_id)
    else:
        msgs = []
    team = session.get(Team, case.team)
    redactor = Redactor() if redact or (team is not None and team.redact) else None
    doc: dict[str, Any] = {
        "generated_at": now.isoformat(),
        "case": {
            "id": case.id,
            "title": case.title,
            "state": case.state,
            "priority": case.priority,
            "owner": case.owner,
            "opened_at": iso(case.opened_at),
            "resolved_at": iso(case.resolved_at),
            "closed_at": iso(case.closed_at),
        },
        "customer": _customer(customer, redactor is not None),
        "timeline": [
            {
                "at": iso(m.timestamp),
                "channel": m.channel,
                "role": m.role,
                "author": m.author if m.role != "customer" else "customer",
                "text": redactor.text(m.text) if redactor else m.text,
            }
            for m in msgs
        ],
        "commitments": {
            "eta": iso(case.eta),
            "action_items": [action_view(a) for a in case.actions],
        },
    }
    if with_audit:
        doc["actions_taken"] = _actions_taken(session, case)
    else:
        doc["withheld"] = {"actions_taken": AUDIT_WITHHELD}
    return doc


def _actions_taken(session: Session, case: Case) -> list[dict[str, Any]]:
    history = audit.entries(
        session=session, team=case.team, entity="case", entity_id=str(case.id), limit=1000
    )
    return [
        {"at": e.at, "by": e.actor, "action": e.action, "details": _details(e)} for e in history
    ]


def _details(e: AuditEntry) -> dict[str, Any]:
    """What the entry says was done; the case's audited columns after it (`result`, kept for
    the audit verification) are the record's "case" section already."""
    data: dict[str, Any] = audit.as_dict(e)["data"]
    return {k: v for k, v in data.items() if k != "result"}


def _customer(customer: Customer | None, redact: bool) -> dict[str, Any] | None:
    if customer is None:
        return None
    if redact:  # the name and identities are personal data; the id and tier are not
        return {
            "id": customer.id,
            "name": f"customer #{customer.id}",
            "tier": customer.tier,
            "redacted": True,
        }
    return customer_view(customer)


@cache
def _env() -> Environment:
    return Environment(
        loader=PackageLoader("calmdesk.service", "templates"),
        autoescape=select_autoescape(["html"]),
    )


def render_html(record: dict[str, Any]) -> str:
    return _env().get_template("case_record.html").render(r=record)
