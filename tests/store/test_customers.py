"""One customer across channels: identities resolve, link and merge (P3)."""

from __future__ import annotations

from calmdesk.store import audit, customers, keys


def _resolve(session, clock, *idents, name=None):
    c = customers.resolve(
        session=session, team="support", identities=idents, name=name, actor="t", now=clock()
    )
    session.commit()
    return c


def test_customers_same_identity_is_the_same_customer(session, clock):
    keys.ensure_team(session=session, name="support")
    a = _resolve(session, clock, ("email", "Jane@Shop.example"))
    b = _resolve(session, clock, ("email", "jane@shop.example"))
    assert a.id == b.id


def test_customers_new_identity_attaches_to_the_known_customer(session, clock):
    keys.ensure_team(session=session, name="support")
    a = _resolve(session, clock, ("email", "jane@shop.example"))
    b = _resolve(session, clock, ("email", "jane@shop.example"), ("twitter", "@JaneD"))
    assert a.id == b.id
    assert {(i.kind, i.value) for i in b.identities} == {
        ("email", "jane@shop.example"),
        ("twitter", "janed"),
    }


def test_customers_two_known_identities_merge_two_customers(session, clock):
    keys.ensure_team(session=session, name="support")
    email = _resolve(session, clock, ("email", "jane@shop.example"))
    handle = _resolve(session, clock, ("twitter", "janed"))
    assert email.id != handle.id
    merged = _resolve(session, clock, ("twitter", "janed"), ("email", "jane@shop.example"))
    assert merged.id in (email.id, handle.id)
    listed = customers.list_customers(session=session, team="support")
    assert [c.id for c in listed] == [merged.id]
    assert any(e.action == "merged" for e in audit.entries(session=session, team="support"))


def test_customers_are_separate_per_team(session, clock):
    keys.ensure_team(session=session, name="support")
    keys.ensure_team(session=session, name="billing")
    a = _resolve(session, clock, ("email", "jane@shop.example"))
    b = customers.resolve(
        session=session,
        team="billing",
        identities=[("email", "jane@shop.example")],
        name=None,
        actor="t",
        now=clock(),
    )
    session.commit()
    assert a.id != b.id
    assert customers.get(session=session, team="billing", customer_id=a.id) is None


def test_the_audit_log_keeps_no_customer_name_or_identity_in_clear(session, clock):
    """The log can never be erased, so it holds digests of personal data, never the data."""
    keys.ensure_team(session=session, name="support")
    c = _resolve(session, clock, ("email", "jane@shop.example"), name="Jane Doe")
    customers.update_fields(
        session=session,
        customer=c,
        changes={"name": "Jane Smith", "tier": "gold"},
        actor="t",
        now=clock(),
    )
    session.commit()
    logged = [e.data for e in audit.entries(session=session, team="support", entity="customer")]
    assert logged, "creating and editing a customer is audited"
    for text in ("Jane Doe", "Jane Smith", "jane@shop.example"):
        assert not any(text in data for data in logged), text
    assert any(audit.text_digest("Jane Smith") in data for data in logged)
    assert any('"gold"' in data for data in logged)  # what is not personal stays readable
