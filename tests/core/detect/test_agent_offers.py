"""`alternatives` (how many options) and `expectation` (ETA, next steps, prevention)."""

from __future__ import annotations

import pytest

from calmdesk.core.detect import agent_offers
from calmdesk.core.detect.base import PRESENT, empty_context
from calmdesk.core.model import Label, Message


def labels_of(text: str) -> dict[str, Label]:
    msg = Message("m1", "a", "agent", text)
    ctx = empty_context(msg)
    return {lab.name: lab for det in agent_offers.DETECTORS for lab in det(msg, ctx)}


@pytest.mark.parametrize(
    ("text", "options"),
    [
        ("I can either refund you or send a replacement.", 2),
        ("Option 1: a full refund. Option 2: a replacement. Option 3: store credit.", 3),
        ("I can send a new one today. Alternatively, I can refund you in full.", 2),
        ("I can offer a refund, a replacement, or store credit.", 3),
        ("We can rebook you on the 6pm flight or, if you prefer, refund the ticket.", 2),
        ("Would you like a replacement or a refund? Another option is store credit.", 3),
    ],
)
def test_agent_offers_alternatives_counts_options(text: str, options: int) -> None:
    lab = labels_of(text)["alternatives"]
    assert lab.value == options
    assert lab.confidence >= PRESENT
    for s in lab.spans:
        assert text[s.start : s.end] == s.text


@pytest.mark.parametrize(
    "text",
    [
        "I'll send a replacement.",
        "I can refund you in full.",
        "Would you like a replacement?",
        "We can reship it in 3 or 4 days.",
    ],
)
def test_agent_offers_single_offer_is_value_one_below_present(text: str) -> None:
    lab = labels_of(text)["alternatives"]
    assert lab.value == 1
    assert lab.confidence < PRESENT


@pytest.mark.parametrize(
    "text",
    [
        "I can't offer a refund or a replacement after 30 days.",
        "We are unable to refund or exchange opened items.",
        "Your order is in transit.",
        "Please call or email us if anything changes.",
        "There is no other option, I'm afraid.",
    ],
)
def test_agent_offers_alternatives_hard_negatives(text: str) -> None:
    lab = labels_of(text).get("alternatives")
    assert lab is None or lab.confidence < PRESENT


def test_agent_offers_alternatives_span_starts_at_the_offer() -> None:
    text = "Sorry about that. I can either refund you or send a replacement."
    lab = labels_of(text)["alternatives"]
    assert lab.spans[0].text == "I can either refund you or send a replacement."


EXPECTATION_POS = [
    "You'll receive the refund within 24 hours.",
    "The replacement will be with you by Friday.",
    "Refunds take 3-5 business days to show on your card.",
    "Here's what happens next: I'll email you the label, then you drop the parcel off.",
    "We've fixed the checkout bug so this won't happen again.",
    "Next steps: our engineer visits on Monday and I'll call you after.",
    "It should arrive in 2 days.",
]
EXPECTATION_NEG = [
    "I don't know when it will arrive.",
    "By the way, your account is fine.",
    "That is within our policy.",
    "The parcel was sent in 2019.",
]


@pytest.mark.parametrize("text", EXPECTATION_POS)
def test_agent_offers_expectation_phrasings(text: str) -> None:
    lab = labels_of(text)["expectation"]
    assert lab.confidence >= PRESENT
    for s in lab.spans:
        assert text[s.start : s.end] == s.text


@pytest.mark.parametrize("text", EXPECTATION_NEG)
def test_agent_offers_expectation_hard_negatives(text: str) -> None:
    lab = labels_of(text).get("expectation")
    assert lab is None or lab.confidence < PRESENT


def test_agent_offers_expectation_span_is_the_timeline() -> None:
    text = "Thanks for bearing with us; the refund lands within 24 hours."
    assert labels_of(text)["expectation"].spans[0].text == "within 24 hours"
