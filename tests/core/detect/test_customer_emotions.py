"""Customer emotions: many phrasings per label, hard negatives beside them, spans on the cue."""

from __future__ import annotations

from dataclasses import replace

import pytest

from calmdesk.core.detect.base import PRESENT, Context, empty_context
from calmdesk.core.detect.customer_emotions import DETECTORS
from calmdesk.core.model import Label, Message


def _labels(text: str, context: Context | None = None) -> dict[str, Label]:
    msg = Message(id="m1", author="c", role="customer", text=text)
    ctx = context or empty_context(msg)
    return {lab.name: lab for det in DETECTORS for lab in det(msg, ctx)}


def _assert_present(text: str, name: str, cue: str) -> None:
    lab = _labels(text).get(name)
    assert lab is not None and lab.confidence >= PRESENT, (name, text, lab)
    for span in lab.spans:
        assert text[span.start : span.end] == span.text
    assert any(cue.lower() in s.text.lower() for s in lab.spans), (cue, lab.spans)


def _assert_absent(text: str, name: str) -> None:
    lab = _labels(text).get(name)
    assert lab is None or lab.confidence < PRESENT, (name, text, lab)


ANGER = [
    ("I am absolutely furious that my order was cancelled without warning", "furious"),
    ("This is outrageous, you charged my card three times", "outrageous"),
    ("How dare you cut off my internet while I was paying on time", "How dare"),
    ("I'm so angry right now, the engineer never showed up", "angry"),
    ("WHERE IS MY REFUND??? THIS IS THE THIRD WEEK!!!", "WHERE"),
    ("Honestly disgusted by how your staff treated my mother", "disgusted"),
    ("Thanks for nothing, I'll sort it out myself", "Thanks for nothing"),
]
NOT_ANGER = [
    "I'm not angry, just confused about the bill",
    "Not mad at all, these things happen",
    "Could you tell me if this email is a scam? It asks for my card number",
    "I hate to bother you but could you check my order status",
    "THANK YOU SO MUCH!!! The replacement arrived today",
]


@pytest.mark.parametrize(("text", "cue"), ANGER)
def test_customer_emotions_anger_found(text: str, cue: str) -> None:
    _assert_present(text, "anger", cue)


@pytest.mark.parametrize("text", NOT_ANGER)
def test_customer_emotions_anger_near_misses(text: str) -> None:
    _assert_absent(text, "anger")


FRUSTRATION = [
    ("I've been on hold for 45 minutes and nobody picks up", "on hold for"),
    ("I'm fed up with this, the app keeps crashing", "fed up"),
    ("This is so frustrating, nothing works", "frustrating"),
    ("How many times do I have to explain the same problem?", "How many times"),
    ("Wasted my whole afternoon on this chat", "Wasted my whole afternoon"),
    ("I'm sick and tired of waiting for a callback", "sick and tired of"),
]
NOT_FRUSTRATION = [
    "Not a problem, I can wait until Monday",
    "I'm not frustrated, I just want to understand the charge",
    "Thanks, that's no trouble at all",
    "The app works fine now, it was my phone",
    "Could you send me the invoice again?",
]


@pytest.mark.parametrize(("text", "cue"), FRUSTRATION)
def test_customer_emotions_frustration_found(text: str, cue: str) -> None:
    _assert_present(text, "frustration", cue)


@pytest.mark.parametrize("text", NOT_FRUSTRATION)
def test_customer_emotions_frustration_near_misses(text: str) -> None:
    _assert_absent(text, "frustration")


DISAPPOINTMENT = [
    ("Really disappointed with the quality of this jacket", "disappointed"),
    ("I expected better from a company I've used for ten years", "expected better"),
    ("Not happy with how this was handled", "Not happy"),
    ("You've really let me down this time", "let me down"),
    ("Such a shame, your service used to be great", "Such a shame"),
]
NOT_DISAPPOINTMENT = [
    "I'm not disappointed at all, the refund came through quickly",
    "I'm happy with the replacement, thanks",
    "Let me know when the parcel is down at the depot",
    "I was hoping you could check the delivery date for me",
]


@pytest.mark.parametrize(("text", "cue"), DISAPPOINTMENT)
def test_customer_emotions_disappointment_found(text: str, cue: str) -> None:
    _assert_present(text, "disappointment", cue)


@pytest.mark.parametrize("text", NOT_DISAPPOINTMENT)
def test_customer_emotions_disappointment_near_misses(text: str) -> None:
    _assert_absent(text, "disappointment")


ANXIETY = [
    ("I'm really worried someone has used my card", "worried"),
    ("I'm scared I'll lose all my photos if I reset the phone", "scared"),
    ("What if the package is left outside in the rain?", "What if"),
    ("Is my account safe? I got a strange login alert", "account safe"),
    ("I'm so stressed, the rent payment bounced", "stressed"),
    ("I am concerned about the charges on my statement", "concerned"),
]
NOT_ANXIETY = [
    "No worries, take your time",
    "Don't worry about it, I found the receipt",
    "I'm not worried, just curious when it ships",
    "As far as I'm concerned the matter is closed",
    "I'm afraid the parcel still hasn't arrived",
    "Who can I contact concerning a return?",
]


@pytest.mark.parametrize(("text", "cue"), ANXIETY)
def test_customer_emotions_anxiety_found(text: str, cue: str) -> None:
    _assert_present(text, "anxiety", cue)


@pytest.mark.parametrize("text", NOT_ANXIETY)
def test_customer_emotions_anxiety_near_misses(text: str) -> None:
    _assert_absent(text, "anxiety")


CONFUSION = [
    ("I'm not angry, just confused", "confused"),
    ("I'm confused about why I was charged twice", "confused"),
    ("I don't understand what this fee is for", "don't understand"),
    ("Your email makes no sense, which account is it about?", "makes no sense"),
    ("I'm not sure what I'm supposed to do next", "not sure what"),
    ("What does 'pending authorisation' even mean?", "even mean"),
    ("I got conflicting answers from two agents", "conflicting"),
]
NOT_CONFUSION = [
    "I understand, thanks for explaining",
    "That makes sense now, thank you",
    "I'm not confused, I'm annoyed that it happened again",
    "They didn't get it fixed in time",
    "The window is clear now",
]


@pytest.mark.parametrize(("text", "cue"), CONFUSION)
def test_customer_emotions_confusion_found(text: str, cue: str) -> None:
    _assert_present(text, "confusion", cue)


@pytest.mark.parametrize("text", NOT_CONFUSION)
def test_customer_emotions_confusion_near_misses(text: str) -> None:
    _assert_absent(text, "confusion")


GRATITUDE = [
    ("Thank you so much for sorting this out", "Thank you so much"),
    ("Thanks, that's really helpful", "Thanks"),
    ("I really appreciate your help today", "appreciate"),
    ("Can't thank you enough, the flight is rebooked", "Can't thank you enough"),
    ("Cheers, much appreciated", "appreciated"),
    ("thx for the quick reply", "thx"),
]
NOT_GRATITUDE = [
    "Thanks for nothing",
    "Thanks for losing my parcel again",
    "No thanks, I don't want the extended warranty",
    "Thank god I kept the receipt",
    "I would appreciate a call back today",
    "Scammed again by your sellers. Thanks!",
]


@pytest.mark.parametrize(("text", "cue"), GRATITUDE)
def test_customer_emotions_gratitude_found(text: str, cue: str) -> None:
    _assert_present(text, "gratitude", cue)


@pytest.mark.parametrize("text", NOT_GRATITUDE)
def test_customer_emotions_gratitude_near_misses(text: str) -> None:
    _assert_absent(text, "gratitude")


SATISFACTION = [
    ("It works now, thank you!", "works now"),
    ("Great service, the engineer was brilliant", "Great service"),
    ("I'm very happy with the replacement", "very happy"),
    ("Problem solved, the app syncs again", "Problem solved"),
    ("The parcel arrived safely this morning", "arrived safely"),
    ("You're a lifesaver, the booking is back", "lifesaver"),
]
NOT_SATISFACTION = [
    "I'm not happy with the replacement",
    "Great, another delay. Perfect.",
    "I would be happy if someone actually called me back",
    "It's still not working after the update",
    "Happy to wait if you can confirm the date",
    "I love how you keep cancelling my orders",
]


@pytest.mark.parametrize(("text", "cue"), SATISFACTION)
def test_customer_emotions_satisfaction_found(text: str, cue: str) -> None:
    _assert_present(text, "satisfaction", cue)


@pytest.mark.parametrize("text", NOT_SATISFACTION)
def test_customer_emotions_satisfaction_near_misses(text: str) -> None:
    _assert_absent(text, "satisfaction")


APOLOGY = [
    ("I apologise for my tone earlier", "apologise"),
    ("Sorry for shouting yesterday, it was a long day", "Sorry for shouting"),
    ("My apologies, I gave you the wrong order number", "My apologies"),
    ("I was rude earlier and I'm sorry about that", "I was rude"),
    ("My mistake, the parcel was with my neighbour", "My mistake"),
    ("Sorry, I forgot to attach the receipt", "Sorry, I forgot"),
]
NOT_APOLOGY = [
    "Sorry to bother you, but this is the third time I'm writing",
    "I want an apology from your manager",
    "You'll be sorry when I post this online",
    "Sorry but this is unacceptable",
    "It's not my fault the courier lost it",
    "What a sorry excuse for customer service",
]


@pytest.mark.parametrize(("text", "cue"), APOLOGY)
def test_customer_emotions_apology_found(text: str, cue: str) -> None:
    _assert_present(text, "apology", cue)


@pytest.mark.parametrize("text", NOT_APOLOGY)
def test_customer_emotions_apology_near_misses(text: str) -> None:
    _assert_absent(text, "apology")


def test_customer_emotions_bare_sorry_counts_after_an_escalation() -> None:
    msg = Message(id="m1", author="c", role="customer", text="Sorry about that.")
    calm = _labels(msg.text)["apology"]
    after_upset = _labels(msg.text, replace(empty_context(msg), escalated=True))["apology"]
    assert calm.confidence < PRESENT <= after_upset.confidence


POLITE_DISPLEASURE = [
    ("Sorry to bother you, but this is the third time I've written about the refund", "third time"),
    ("Hi, my order still hasn't arrived. Could you please check? Thanks", "please"),
    ("I understand these things happen, but I'm a bit disappointed with the delay", "disappointed"),
    ("Kindly note I was charged twice for the same order", "charged twice"),
    ("Thank you for the reply, however the wrong item was sent again", "wrong item"),
]
NOT_POLITE_DISPLEASURE = [
    "Thank you so much, everything arrived in perfect condition",
    "Please send me the invoice for March",
    "Please fix this fucking mess now!!!",
    "THIS IS THE THIRD TIME, PLEASE FIX IT!!!",
    "Thanks for nothing",
    "You idiots, please just refund me",
]


@pytest.mark.parametrize(("text", "cue"), POLITE_DISPLEASURE)
def test_customer_emotions_polite_displeasure_found(text: str, cue: str) -> None:
    _assert_present(text, "polite_displeasure", cue)


@pytest.mark.parametrize("text", NOT_POLITE_DISPLEASURE)
def test_customer_emotions_polite_displeasure_near_misses(text: str) -> None:
    _assert_absent(text, "polite_displeasure")


def test_customer_emotions_confidences_are_probabilities() -> None:
    for text, _ in ANGER + GRATITUDE + POLITE_DISPLEASURE:
        for lab in _labels(text).values():
            assert 0.0 <= lab.confidence <= 1.0
            assert lab.detector == "customer_emotions"
