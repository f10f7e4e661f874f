"""Customer escalation signals and acceptance: phrasings, hard negatives, spans on the cue."""

from __future__ import annotations

from dataclasses import replace

import pytest

from calmdesk.core.detect.base import PRESENT, Context, empty_context
from calmdesk.core.detect.customer_signals import DETECTORS
from calmdesk.core.model import Label, Message


def _labels(text: str, context: Context | None = None) -> dict[str, Label]:
    msg = Message(id="m1", author="c", role="customer", text=text)
    ctx = context or empty_context(msg)
    return {lab.name: lab for det in DETECTORS for lab in det(msg, ctx)}


def _check(name: str, text: str, cue: str | None) -> None:
    """`cue` None: the label must be absent (or below PRESENT); else present, with the cue."""
    lab = _labels(text).get(name)
    if cue is None:
        assert lab is None or lab.confidence < PRESENT, (name, text, lab)
        return
    assert lab is not None and lab.confidence >= PRESENT, (name, text, lab)
    for span in lab.spans:
        assert text[span.start : span.end] == span.text
    assert any(cue.lower() in s.text.lower() for s in lab.spans), (cue, lab.spans)


SUPERVISOR = [
    ("I want to speak to a manager", "speak to a manager"),
    ("Can I talk to your supervisor please?", "talk to your supervisor"),
    ("Put me through to someone more senior", "someone more senior"),
    ("Please escalate this complaint", "escalate this complaint"),
    ("I need a real person, not a bot", "need a real person"),
    ("Who is your manager?", "Who is your manager"),
]
NOT_SUPERVISOR = [
    "My manager asked me to chase this invoice",
    "I don't need to speak to a manager, just fix the address",
    "The store manager was lovely",
    "I'm a supervisor at a school and need the order by Monday",
    "Please don't escalate, it's sorted",
]


@pytest.mark.parametrize(("text", "cue"), SUPERVISOR)
def test_customer_signals_supervisor_request_found(text: str, cue: str) -> None:
    _check("supervisor_request", text, cue)


@pytest.mark.parametrize("text", NOT_SUPERVISOR)
def test_customer_signals_supervisor_request_near_misses(text: str) -> None:
    _check("supervisor_request", text, None)


CHURN = [
    ("I'm going to cancel my subscription", "cancel my subscription"),
    ("Close my account, I'm done", "Close my account"),
    ("I'll take my business elsewhere", "take my business elsewhere"),
    ("I will never order from you again", "never order from you again"),
    ("Thinking of switching to another provider after this", "switching"),
    ("You've lost a loyal customer", "lost a loyal customer"),
]
NOT_CHURN = [
    "I'm not going to cancel, I just want it fixed",
    "Can I cancel my order and reorder in blue?",
    "I don't want to close my account, just update the card",
    "The last time I called, the agent was very helpful",
    "I switched to paperless billing",
]


@pytest.mark.parametrize(("text", "cue"), CHURN)
def test_customer_signals_churn_threat_found(text: str, cue: str) -> None:
    _check("churn_threat", text, cue)


@pytest.mark.parametrize("text", NOT_CHURN)
def test_customer_signals_churn_threat_near_misses(text: str) -> None:
    _check("churn_threat", text, None)


LEGAL = [
    ("I've spoken to my lawyer about this", "lawyer"),
    ("I will take you to small claims court", "small claims"),
    ("I'm reporting this to Trading Standards", "Trading Standards"),
    ("I'll do a chargeback with my bank", "chargeback"),
    ("Expect to hear from my solicitor", "solicitor"),
    ("I'm going to sue you for the damage", "sue you"),
    ("It's completely illegal to charge me twice", "It's completely illegal"),
]
NOT_LEGAL = [
    "I don't want to get lawyers involved, just refund me",
    "The food court at the airport was closed",
    "My friend Sue ordered the same model",
    "Is there a legal requirement to show prices with VAT?",
    "My bank says the payment went through",
    "Drugs are illegal in most states, so the argument fails",
]


@pytest.mark.parametrize(("text", "cue"), LEGAL)
def test_customer_signals_legal_threat_found(text: str, cue: str) -> None:
    _check("legal_threat", text, cue)


@pytest.mark.parametrize("text", NOT_LEGAL)
def test_customer_signals_legal_threat_near_misses(text: str) -> None:
    _check("legal_threat", text, None)


PUBLIC = [
    ("I'll leave a one-star review on Trustpilot", "one-star review"),
    ("I'm going to post this on Facebook so everyone sees", "Facebook"),
    ("Everyone should know how you treat customers", "Everyone should know"),
    ("I'll tell all my friends to avoid you", "tell all my friends"),
    ("I'm contacting the press about this", "the press"),
    ("Maybe this will go viral", "go viral"),
]
NOT_PUBLIC = [
    "I saw the offer on Facebook, is it still valid?",
    "I'm not going to leave a bad review, I just want it fixed",
    "Can you review my claim again?",
    "@Yelp how do I claim my business page?",
    "Please share the tracking link",
]


@pytest.mark.parametrize(("text", "cue"), PUBLIC)
def test_customer_signals_public_threat_found(text: str, cue: str) -> None:
    _check("public_threat", text, cue)


@pytest.mark.parametrize("text", NOT_PUBLIC)
def test_customer_signals_public_threat_near_misses(text: str) -> None:
    _check("public_threat", text, None)


REPEAT = [
    ("This is the third time I'm contacting you about this", "third time"),
    ("I already called twice last week", "already called"),
    ("Still waiting for a reply to my email from Monday", "Still waiting"),
    ("I've contacted you before about the same fault", "contacted you before"),
    ("Ticket #48213 from last week is still open", "Ticket #48213"),
    ("I have emailed you 4 times", "emailed you 4 times"),
    ("Sorry to bother you, but this is the third time", "third time"),
]
NOT_REPEAT = [
    "I haven't contacted you before, this is my first message",
    "Never again will I use this service",
    "The app said to try again later",
    "My first order arrived fine",
    "Could you send it again?",
]


@pytest.mark.parametrize(("text", "cue"), REPEAT)
def test_customer_signals_repeat_contact_found(text: str, cue: str) -> None:
    _check("repeat_contact", text, cue)


@pytest.mark.parametrize("text", NOT_REPEAT)
def test_customer_signals_repeat_contact_near_misses(text: str) -> None:
    _check("repeat_contact", text, None)


TIME = [
    ("I need this fixed by Friday", "by Friday"),
    ("My flight is tomorrow morning and the booking vanished", "flight"),
    ("The dress is for my wedding on Saturday", "for my wedding"),
    ("This is urgent, please call me back", "urgent"),
    ("Please deliver it asap, the deadline is Monday", "asap"),
    ("I'm leaving in two hours and still have no ticket", "in two hours"),
]
NOT_TIME = [
    "It's not urgent, whenever you get a chance",
    "No rush at all",
    "My wedding ring was delivered last year and I love it",
    "I ordered on Monday",
    "There's no deadline for this",
]


@pytest.mark.parametrize(("text", "cue"), TIME)
def test_customer_signals_time_pressure_found(text: str, cue: str) -> None:
    _check("time_pressure", text, cue)


@pytest.mark.parametrize("text", NOT_TIME)
def test_customer_signals_time_pressure_near_misses(text: str) -> None:
    _check("time_pressure", text, None)


COMPENSATION = [
    ("I want a full refund", "want a full refund"),
    ("I expect compensation for the ruined weekend", "compensation"),
    ("Please give me my money back", "money back"),
    ("Where is my refund?", "Where is my refund"),
    ("Can you waive the late fee?", "waive the late fee"),
    ("I'd like a credit to my account for the outage", "credit"),
]
NOT_COMPENSATION = [
    "I got my refund yesterday, thank you",
    "I don't want a refund, I want the parcel",
    "What is your refund policy for sale items?",
    "The refund works for me",
    "My refund has been processed, all good",
]


@pytest.mark.parametrize(("text", "cue"), COMPENSATION)
def test_customer_signals_compensation_demand_found(text: str, cue: str) -> None:
    _check("compensation_demand", text, cue)


@pytest.mark.parametrize("text", NOT_COMPENSATION)
def test_customer_signals_compensation_demand_near_misses(text: str) -> None:
    _check("compensation_demand", text, None)


DOCUMENTING = [
    ("I have screenshots of every chat", "screenshots"),
    ("I'm keeping a record of every call", "keeping a record"),
    ("I've documented everything since March", "documented"),
    ("Please put that in writing", "in writing"),
    ("Photos of the damage attached", "Photos of the damage"),
    ("I have recorded this call", "recorded this call"),
]
NOT_DOCUMENTING = [
    "I didn't keep the receipt, sorry",
    "Can you screen my calls?",
    "Where's the documentation for the router?",
    "The record player arrived broken",
]


@pytest.mark.parametrize(("text", "cue"), DOCUMENTING)
def test_customer_signals_documenting_found(text: str, cue: str) -> None:
    _check("documenting", text, cue)


@pytest.mark.parametrize("text", NOT_DOCUMENTING)
def test_customer_signals_documenting_near_misses(text: str) -> None:
    _check("documenting", text, None)


ABUSE = [
    ("You idiot, I told you the address twice", "You idiot"),
    ("You're useless, all of you", "You're useless"),
    ("Incompetent morons, the lot of you", "Incompetent morons"),
    ("Bunch of clowns running this company", "Bunch of clowns"),
    ("Fuck you and your delivery slots", "Fuck you"),
    ("I'll find you and make you pay for this", "I'll find you"),
]
NOT_ABUSE = [
    "This damn parcel is late again",
    "The app is useless on my old phone",
    "I feel like an idiot for missing the email",
    "You're not useless, the system is",
    "What the hell happened to my order?",
]


@pytest.mark.parametrize(("text", "cue"), ABUSE)
def test_customer_signals_abuse_toward_agent_found(text: str, cue: str) -> None:
    _check("abuse_toward_agent", text, cue)


@pytest.mark.parametrize("text", NOT_ABUSE)
def test_customer_signals_abuse_toward_agent_near_misses(text: str) -> None:
    _check("abuse_toward_agent", text, None)


ACCEPTS = [
    ("Yes please, go with the replacement", "Yes please"),
    ("The refund works for me", "The refund works for me"),
    ("Let's do the replacement", "Let's do the"),
    ("Ok, go ahead", "go ahead"),
    ("That would be great, thank you", "That would be great"),
    ("I'll take the voucher", "I'll take the"),
]
NOT_ACCEPTS = [
    "No, that doesn't work for me",
    "This is ridiculous, I've waited three weeks. ok",
    "That would not work, I'm away that week",
    "Go ahead and cancel my account then",
    "I'm not happy with that offer",
]


@pytest.mark.parametrize(("text", "cue"), ACCEPTS)
def test_customer_signals_accepts_solution_found(text: str, cue: str) -> None:
    _check("accepts_solution", text, cue)


@pytest.mark.parametrize("text", NOT_ACCEPTS)
def test_customer_signals_accepts_solution_near_misses(text: str) -> None:
    _check("accepts_solution", text, None)


def test_customer_signals_acceptance_is_surer_after_an_offer() -> None:
    msg = Message(id="m1", author="c", role="customer", text="Sounds good to me")
    cold = _labels(msg.text)["accepts_solution"].confidence
    offered = replace(empty_context(msg), solution_offered=True)
    assert _labels(msg.text, offered)["accepts_solution"].confidence > cold


def test_customer_signals_conditional_threat_is_not_negated_by_the_condition():
    from calmdesk.core.detect.base import empty_context
    from calmdesk.core.detect.registry import REGISTRY
    from calmdesk.core.model import Message

    msg = Message(
        id="m1",
        author="c",
        role="customer",
        text="If this isn't sorted today I'm leaving a review on Trustpilot.",
    )
    labels = {lab.name for lab in REGISTRY["customer_signals"](msg, empty_context(msg))}
    assert "public_threat" in labels
