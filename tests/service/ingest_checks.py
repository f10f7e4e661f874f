"""What must hold after any mix of concurrent, killed and repeated deliveries: every delivered
message stored once, order numbers 1..n per conversation, each message's labels and its one
audit "created" entry on its own row, and an audit chain that verifies."""

from __future__ import annotations

import json
from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from calmdesk.store import audit, audit_verify
from calmdesk.store.models import ConversationRow, MessageRow
from calmdesk.store.models_case import AuditEntry, Case

#: message texts whose labels say which text a row was analysed as
TEXTS = (
    ("I want to speak to a manager right now.", "supervisor_request"),
    ("Thanks, my order number is 12345.", "gratitude"),
    ("Where is my parcel?", None),
)


def text_for(n: int) -> str:
    return TEXTS[n % len(TEXTS)][0]


def check_stored(session: Session, delivered: dict[str, set[str]]) -> None:
    """`delivered`: conversation external id -> ids of the messages sent to it (once or more)."""
    convs = {c.external_id: c for c in session.scalars(select(ConversationRow))}
    assert set(convs) == set(delivered)
    created = Counter[str]()
    entries: dict[str, dict[str, object]] = {}
    for e in session.scalars(
        select(AuditEntry).where(AuditEntry.entity == "message", AuditEntry.action == "created")
    ):
        created[e.entity_id] += 1
        entries[e.entity_id] = json.loads(e.data)
    for cid, ids in delivered.items():
        rows = list(
            session.scalars(
                select(MessageRow)
                .where(MessageRow.conversation_id == convs[cid].id)
                .order_by(MessageRow.seq)
            )
        )
        assert sorted(r.external_id for r in rows) == sorted(ids), cid
        assert [r.seq for r in rows] == list(range(1, len(ids) + 1)), cid
        for r in rows:
            times = created[str(r.id)]
            assert times == 1, f"message {r.external_id} of {cid} audited {times} times"
            data = entries[str(r.id)]
            assert data["external_id"] == r.external_id
            assert data["text_sha256"] == audit.text_digest(r.text)
            names = {lab["name"] for lab in r.labels}
            assert set(data["labels"]) <= names  # type: ignore[call-overload]
            for text, label in TEXTS:
                if label is not None:
                    assert (label in names) == (r.text == text), (cid, r.external_id, r.text)
    assert sum(created.values()) == sum(len(ids) for ids in delivered.values())
    # every conversation got a supervisor request: one case each, however many arrived at once
    opened = Counter(session.scalars(select(Case.conversation_id)))
    assert opened == Counter({convs[cid].id: 1 for cid in delivered}), opened
    # the chain, and every stored message and case against what the audit recorded of it
    reports = audit_verify.check_desk(session)
    assert all(r.ok for r in reports), [r.problems for r in reports]
