"""The good agent moves: many phrasings of each, hard negatives beside them, and context rules."""

from __future__ import annotations

import pytest
from agent_reply import DETECTORS, analyse, present

from calmdesk.core.model import Label, Message


def spans_text(lab: Label) -> str:
    return " | ".join(s.text for s in lab.spans)


def check_spans(text: str, lab: Label) -> None:
    for s in lab.spans:
        assert text[s.start : s.end] == s.text


EMPATHY_POS = [
    "I can only imagine how stressful this has been for you.",
    "That must be really frustrating after waiting all week.",
    "I understand how upsetting it is to get a damaged gift.",
    "I'd be annoyed too if my parcel went missing twice.",
    "I'm so sorry to hear the delivery never turned up.",
    "That sounds incredibly stressful, especially before your trip.",
    "I hear you, and I know how important this order was.",
    "I can tell you're worried the booking will not be honoured.",
]
EMPATHY_NEG = [
    "I understand your frustration, but policy is policy and we can't refund it.",
    "Your order shipped on Monday and the tracking number is in your email.",
    "Can you imagine a better time to call?",
    "I don't understand what the courier did there.",
    "I'm sorry you feel that way.",
]


@pytest.mark.parametrize("text", EMPATHY_POS)
def test_agent_moves_empathy_phrasings(text: str) -> None:
    labels = analyse(text)
    assert present(labels, "empathy"), labels
    check_spans(text, labels["empathy"])


@pytest.mark.parametrize("text", EMPATHY_NEG)
def test_agent_moves_empathy_hard_negatives(text: str) -> None:
    assert not present(analyse(text), "empathy")


def test_agent_moves_empathy_span_points_at_cue() -> None:
    text = "Thanks for waiting. That must be so frustrating, I'm on it."
    lab = analyse(text)["empathy"]
    assert spans_text(lab) == "That must be so frustrating"


UNDERSTANDING_POS = [
    "So if I understand correctly, the refund never reached your card.",
    "It sounds like you've been bounced between three departments.",
    "What I'm hearing is that the app logs you out every time you pay.",
    "Just to make sure I understand: the box arrived but the lamp was missing?",
    "If I've got this right, you were charged twice for the same booking.",
    "So you're saying the technician never showed up on Tuesday.",
    "Thanks. So, you feel the second charge was never explained to you?",
    "I hear you saying that the replacement has the same fault.",
    "Just to ensure that I understand you correctly, the parcel came back to us?",
]
UNDERSTANDING_NEG = [
    "Thank you for your message, we will look into it.",
    "I understand.",
    "Your refund has been processed today.",
    "The courier has confirmed delivery to the front desk.",
    "I've emailed the label so you can send it back for free.",
    "Done! So you're all set for Friday.",
]


@pytest.mark.parametrize("text", UNDERSTANDING_POS)
def test_agent_moves_understanding_phrasings(text: str) -> None:
    labels = analyse(text)
    assert present(labels, "understanding"), labels
    check_spans(text, labels["understanding"])


@pytest.mark.parametrize("text", UNDERSTANDING_NEG)
def test_agent_moves_understanding_hard_negatives(text: str) -> None:
    assert not present(analyse(text), "understanding")


CUSTOMER_BILLING = (
    "I was charged twice for my annual subscription this month and nobody answers my emails."
)


def test_agent_moves_understanding_paraphrase_of_customer_words() -> None:
    text = (
        "Your annual subscription was billed two times this month and our emails went "
        "unanswered; that needs fixing."
    )
    labels = analyse(text, customer=CUSTOMER_BILLING)
    assert present(labels, "understanding")
    assert "subscription" in spans_text(labels["understanding"])


def test_agent_moves_understanding_verbatim_copy_is_not_understanding() -> None:
    text = f'You wrote: "{CUSTOMER_BILLING}"'
    assert "understanding" not in analyse(text, customer=CUSTOMER_BILLING)


def test_agent_moves_understanding_needs_substantial_overlap() -> None:
    text = "Your subscription is important to us."
    assert not present(analyse(text, customer=CUSTOMER_BILLING), "understanding")


VALIDATION_POS = [
    "Your frustration is completely understandable.",
    "You're absolutely right, that should never have happened.",
    "Anyone would be upset after waiting three weeks.",
    "It's completely natural to feel let down by this.",
    "You have every right to expect better from us.",
    "You shouldn't have to chase us for a refund.",
    "It's not your fault the code didn't work.",
]
VALIDATION_NEG = [
    "You're not right about the delivery date.",
    "That's not a fair comparison with our competitor.",
    "Please confirm the right address for the replacement.",
    "The warranty covers the first two years.",
]


@pytest.mark.parametrize("text", VALIDATION_POS)
def test_agent_moves_validation_phrasings(text: str) -> None:
    labels = analyse(text)
    assert present(labels, "validation"), labels
    check_spans(text, labels["validation"])


@pytest.mark.parametrize("text", VALIDATION_NEG)
def test_agent_moves_validation_hard_negatives(text: str) -> None:
    assert not present(analyse(text), "validation")


CLARIFYING_POS = [
    "Could you tell me which size you ordered?",
    "What exactly happened when you tried to check out?",
    "Do you remember roughly when the problem started?",
    "Which browser are you using when the page freezes?",
    "Tell me more about what the engineer said.",
    "Could you tell me when it arrived?",
]
CLARIFYING_NEG = [
    "Is there anything else I can help you with today?",
    "Would you like a refund or a replacement?",
    "Why didn't you read the instructions?",
    "I checked the order and it shipped yesterday.",
    "Are you sure you followed the steps?",
]


@pytest.mark.parametrize("text", CLARIFYING_POS)
def test_agent_moves_clarifying_question_phrasings(text: str) -> None:
    labels = analyse(text)
    assert present(labels, "clarifying_question"), labels
    check_spans(text, labels["clarifying_question"])


@pytest.mark.parametrize("text", CLARIFYING_NEG)
def test_agent_moves_clarifying_question_hard_negatives(text: str) -> None:
    assert not present(analyse(text), "clarifying_question")


def test_agent_moves_clarifying_question_span_is_the_question() -> None:
    text = "Thanks for the details. Which colour did you pick?"
    lab = analyse(text)["clarifying_question"]
    assert spans_text(lab) == "Which colour did you pick?"


APOLOGY_POS = [
    "I'm sorry we sent the wrong size.",
    "I apologise for the delay — that's on us.",
    "We're really sorry about the mix-up with your booking.",
    "Please accept our apologies for the missed appointment.",
    "That was our mistake and I'll put it right.",
    "Sorry about the wait, we got this wrong.",
]
APOLOGY_NEG = [
    "I'm sorry you feel that way.",
    "Sorry if you were upset by our email.",
    "We apologise for any inconvenience this may have caused.",
    "I'm sorry but there's nothing we can do about late returns.",
    "I'm sorry to hear that.",
]


@pytest.mark.parametrize("text", APOLOGY_POS)
def test_agent_moves_apology_phrasings(text: str) -> None:
    labels = analyse(text)
    assert present(labels, "apology"), labels
    check_spans(text, labels["apology"])


@pytest.mark.parametrize("text", APOLOGY_NEG)
def test_agent_moves_apology_hard_negatives(text: str) -> None:
    assert "apology" not in analyse(text)


EXPLANATION_POS = [
    "The delay happened because our warehouse flooded last week.",
    "The reason is a fault in the payment provider's system.",
    "We're currently experiencing a high volume of orders.",
    "There was a glitch in our booking system on Friday.",
    "Our policy allows a full refund within 30 days.",
    "Our policy doesn't allow refunds after 30 days, but I can offer store credit or an exchange.",
]
EXPLANATION_NEG = [
    "Per our policy we cannot refund opened items.",
    "This happened because you didn't enter the code.",
    "Please send us a photo of the damage.",
    "I'll call you tomorrow morning.",
]


@pytest.mark.parametrize("text", EXPLANATION_POS)
def test_agent_moves_explanation_phrasings(text: str) -> None:
    labels = analyse(text)
    assert present(labels, "explanation"), labels
    check_spans(text, labels["explanation"])


@pytest.mark.parametrize("text", EXPLANATION_NEG)
def test_agent_moves_explanation_hard_negatives(text: str) -> None:
    assert not present(analyse(text), "explanation")


GRATITUDE_POS = [
    "Thank you so much for your patience while we sorted this.",
    "Thanks for flagging this, it helps us a lot.",
    "I really appreciate you taking the time to explain.",
    "We're grateful you gave us another chance.",
    "Thanks again!",
]
GRATITUDE_NEG = [
    "Thank you for contacting us.",
    "Thanks to a system error, your order was cancelled.",
    "No thanks are needed.",
    "The thank-you card was missing from the hamper.",
]


@pytest.mark.parametrize("text", GRATITUDE_POS)
def test_agent_moves_gratitude_phrasings(text: str) -> None:
    labels = analyse(text)
    assert present(labels, "gratitude"), labels
    check_spans(text, labels["gratitude"])


@pytest.mark.parametrize("text", GRATITUDE_NEG)
def test_agent_moves_gratitude_hard_negatives(text: str) -> None:
    assert not present(analyse(text), "gratitude")


OWNERSHIP_POS = [
    "I'll personally make sure the replacement goes out today.",
    "Leave it with me, I'll chase the warehouse myself.",
    "I'm taking ownership of this case from now on.",
    "I will be your single point of contact until it's fixed.",
    "I'll make sure you get a call back before noon.",
]
OWNERSHIP_NEG = [
    "Someone from our team will look into it.",
    "You'll need to contact the courier directly.",
    "I can't make sure it arrives by Friday.",
    "I personally think the product works as described.",
]


@pytest.mark.parametrize("text", OWNERSHIP_POS)
def test_agent_moves_ownership_phrasings(text: str) -> None:
    labels = analyse(text)
    assert present(labels, "ownership"), labels
    check_spans(text, labels["ownership"])


@pytest.mark.parametrize("text", OWNERSHIP_NEG)
def test_agent_moves_ownership_hard_negatives(text: str) -> None:
    assert not present(analyse(text), "ownership")


SUPERVISOR_POS = [
    "I can escalate this to my supervisor right now.",
    "Let me get a manager for you.",
    "I'll transfer you to a specialist in our billing team.",
    "My team lead will call you back within the hour.",
    "Would you like to speak with a supervisor?",
    "I'll bring my supervisor in right now.",
]
SUPERVISOR_NEG = [
    "There's no manager available today.",
    "A supervisor will tell you the same thing.",
    "I can't transfer you to a manager.",
    "Escalating to a supervisor won't change the outcome.",
    "My manager approved the refund yesterday.",
]


@pytest.mark.parametrize("text", SUPERVISOR_POS)
def test_agent_moves_supervisor_offer_phrasings(text: str) -> None:
    labels = analyse(text)
    assert present(labels, "supervisor_offer"), labels
    check_spans(text, labels["supervisor_offer"])


@pytest.mark.parametrize("text", SUPERVISOR_NEG)
def test_agent_moves_supervisor_offer_hard_negatives(text: str) -> None:
    assert not present(analyse(text), "supervisor_offer")


def test_agent_moves_labels_carry_detector_names() -> None:
    labels = analyse("I'm sorry we sent the wrong size.")
    assert labels["apology"].detector == "agent_apology"
    assert 0.0 <= labels["apology"].confidence <= 1.0


def test_agent_moves_customer_messages_are_not_read() -> None:
    msg = Message("m1", "c", "customer", "I'm so sorry, that's on me.")
    assert not any(det.applies(msg) for det in DETECTORS)
