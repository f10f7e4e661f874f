"""The agent anti-patterns: phrasings, hard negatives, and the context rules of the playbook."""

from __future__ import annotations

import pytest
from agent_reply import ANGRY, CALM, DETECTORS, analyse, present

from calmdesk.core.detect.base import PRESENT, Context
from calmdesk.core.model import Conversation, Label, Message


def assert_spans(text: str, lab: Label) -> None:
    assert lab.spans
    for s in lab.spans:
        assert text[s.start : s.end] == s.text


CASES: dict[str, tuple[list[str], list[str]]] = {
    "defensive": (
        [
            "That's not our fault, the parcel left us in perfect condition.",
            "We did nothing wrong here.",
            "The courier is responsible, not us.",
            "We followed the procedure exactly.",
            "It's not our problem if the bank delays the transfer.",
        ],
        [
            "It's not your fault at all.",
            "That's our fault and I'm sorry.",
            "The courier handles delivery, so I've contacted them for you.",
            "We followed up with the warehouse this morning.",
        ],
    ),
    "correcting": (
        [
            "As I already said, the refund was issued on Monday.",
            "As previously mentioned, the store closes at six.",
            "As stated in my last email, we need the receipt.",
            "Like I said, the app only works on Android 10 and up.",
            "Actually, you ordered the blue one.",
            "To be clear, the warranty ended in March.",
        ],
        [
            "As you mentioned, the box was crushed on arrival.",
            "Like you said, the tracking hasn't moved since Friday.",
            "As promised, here is your refund confirmation.",
            "I said I'd call you back today, and here I am.",
        ],
    ),
    "blame": (
        [
            "You should have read the instructions before installing it.",
            "You failed to update your address in time.",
            "It arrived late because you didn't choose express shipping.",
            "It's your responsibility to check the size chart.",
            "This looks like user error.",
        ],
        [
            "You should have received an email by now.",
            "It's not your fault the link expired.",
            "You didn't do anything wrong.",
            "You should have the replacement by Friday.",
        ],
    ),
    "suspicion": (
        [
            "Are you sure you ordered the large?",
            "Our records show you received the package on the 3rd.",
            "It seems you didn't enter the discount code.",
            "We have no record of that call.",
            "That's impossible, our system never double-charges.",
            "Did you actually try restarting it?",
        ],
        [
            "Are you sure you want to cancel your subscription?",
            "I'm sure we can sort this out today.",
            "Our records show your refund was issued on May 3.",
            "It's not impossible to change the date; let me do it now.",
        ],
    ),
    "policy_hiding": (
        [
            "Per our policy we cannot refund opened items.",
            "The system doesn't allow me to change the address.",
            "It's company policy.",
            "There's nothing I can do.",
            "My hands are tied on this one.",
        ],
        [
            "Our policy allows a full refund.",
            "Per our policy, you are entitled to a full refund.",
            "Our policy doesn't allow refunds after 30 days, but I can offer store credit or an "
            "exchange.",
            "There's nothing I can do about the weather, but I can refund the delivery fee.",
        ],
    ),
    "non_apology": (
        [
            "I'm sorry you feel that way.",
            "Sorry if you were upset by our email.",
            "We apologise for any inconvenience this may have caused.",
            "I'm sorry but you should have checked the size chart.",
            "We regret that you feel our service was lacking.",
        ],
        [
            "I'm sorry we sent the wrong size.",
            "I apologise for the delay, that's on us.",
            "I'm so sorry to hear about your dog.",
            "Sorry about the wait, we got this wrong.",
        ],
    ),
    "dismissive": (
        [
            "Please calm down, it's just a delay.",
            "Relax, it will turn up.",
            "It's not a big deal, really.",
            "It's only a few days late.",
            "You're overreacting a bit here.",
        ],
        [
            "Once things calm down in the warehouse we'll ship it.",
            "Sit back and relax, we'll handle everything.",
            "It's no big deal for us to send another one.",
            "It's only available in the UK for now.",
        ],
    ),
    "patronizing": (
        [
            "As you should know, passwords are case-sensitive.",
            "It's very simple, just click the button.",
            "Let me explain this slowly.",
            "Obviously the charger goes in the port on the left.",
            "Don't worry honey, we'll get there.",
        ],
        [
            "Dear Ms Lopez, thank you for your email.",
            "The fix on our side was simple and is already live.",
            "Obviously our mistake, and I'm sorry.",
            "I'll walk you through each step if that helps.",
        ],
    ),
}

POSITIVES = [(name, text) for name, (pos, _) in CASES.items() for text in pos]
NEGATIVES = [(name, text) for name, (_, neg) in CASES.items() for text in neg]


@pytest.mark.parametrize(("name", "text"), POSITIVES)
def test_agent_antipatterns_phrasings(name: str, text: str) -> None:
    labels = analyse(text)
    assert present(labels, name), labels
    assert_spans(text, labels[name])


@pytest.mark.parametrize(("name", "text"), NEGATIVES)
def test_agent_antipatterns_hard_negatives(name: str, text: str) -> None:
    assert not present(analyse(text), name)


# -- P1: premature fact-finding -------------------------------------------------------------------

QUESTION = "Could you tell me when it arrived?"


def test_agent_antipatterns_fact_finding_while_escalated_is_suspicion() -> None:
    labels = analyse(QUESTION, customer_labels=ANGRY, escalated=True)
    assert present(labels, "suspicion")
    assert labels["suspicion"].spans[0].text == QUESTION
    assert "clarifying_question" not in labels


def test_agent_antipatterns_fact_finding_after_solution_accepted_is_fine() -> None:
    labels = analyse(QUESTION, customer_labels=ANGRY, escalated=True, accepted=True)
    assert "suspicion" not in labels
    assert present(labels, "clarifying_question")


def test_agent_antipatterns_fact_finding_in_calm_conversation_is_fine() -> None:
    labels = analyse(QUESTION)
    assert "suspicion" not in labels
    assert present(labels, "clarifying_question")


@pytest.mark.parametrize(
    "text",
    [
        "Can you confirm the order number?",
        "Did you check your spam folder?",
        "When exactly did you place the order?",
        "Can you send a photo of the damage?",
        "Please send us a photo of the receipt.",
    ],
)
def test_agent_antipatterns_premature_fact_finding_phrasings(text: str) -> None:
    assert present(analyse(text, customer_labels=ANGRY, escalated=True), "suspicion")
    assert "suspicion" not in analyse(text, escalated=True, accepted=True)


def test_agent_antipatterns_fact_finding_span_is_the_question_only() -> None:
    text = "I'm so sorry about this. Can you send a photo of the damage?"
    lab = analyse(text, escalated=True)["suspicion"]
    assert [s.text for s in lab.spans] == ["Can you send a photo of the damage?"]


def test_agent_antipatterns_explicit_doubt_is_suspicion_after_acceptance_too() -> None:
    text = "Are you sure you plugged it in?"
    assert present(analyse(text, escalated=True, accepted=True), "suspicion")


# -- P2: tone matching ----------------------------------------------------------------------------

SHOUT = "We CANNOT refund this!! Read the terms!"


def test_agent_antipatterns_tone_matching_after_angry_customer() -> None:
    labels = analyse(SHOUT, customer="WHERE IS MY REFUND?!", customer_labels=ANGRY)
    assert present(labels, "tone_matching")
    assert [s.text for s in labels["tone_matching"].spans] == ["CANNOT", "!!"]


def test_agent_antipatterns_same_capitals_after_calm_customer_is_not_tone_matching() -> None:
    assert "tone_matching" not in analyse(SHOUT, customer_labels=CALM)


@pytest.mark.parametrize(
    "text",
    [
        "Your UPS tracking ID and the ETA are in the FAQ.",
        "Please enter the PIN sent by SMS.",
        "Thanks!",
        "I'm on it.",
    ],
)
def test_agent_antipatterns_acronyms_are_not_shouting(text: str) -> None:
    assert "tone_matching" not in analyse(text, customer_labels=ANGRY)


@pytest.mark.parametrize(
    "text",
    [
        "I TOLD you it ships on Monday.",
        "That is NOT what our policy says.",
        "Stop!! We heard you!!",
        "Fine! Refunded! Done!",
        "YOU need to read the email.",
    ],
)
def test_agent_antipatterns_tone_matching_phrasings(text: str) -> None:
    assert present(analyse(text, customer_labels=ANGRY), "tone_matching")


# -- P4b: policy hiding needs the absence of an alternative ---------------------------------------


def test_agent_antipatterns_policy_without_alternative_is_policy_hiding() -> None:
    text = "Our policy doesn't allow refunds after 30 days."
    labels = analyse(text)
    assert present(labels, "policy_hiding")
    assert "policy doesn't allow" in labels["policy_hiding"].spans[0].text


def test_agent_antipatterns_policy_with_alternative_is_explanation_not_hiding() -> None:
    text = (
        "Our policy doesn't allow refunds after 30 days, but I can offer store credit or an "
        "exchange."
    )
    labels = analyse(text)
    assert "policy_hiding" not in labels
    assert present(labels, "explanation")


def test_agent_antipatterns_non_apology_is_never_an_apology() -> None:
    labels = analyse("We apologise for any inconvenience this may have caused.")
    assert present(labels, "non_apology")
    assert "apology" not in labels


# -- P4a: transactional ---------------------------------------------------------------------------

LOYAL = (
    "I've been a customer for 10 years and this is the third time my coffee machine order "
    "arrived broken. I'm really disappointed."
)


@pytest.mark.parametrize(
    "text",
    [
        "Thank you for contacting us. Your ticket has been received.",
        "Please refer to our FAQ for more information.",
        "We value your business. Have a nice day.",
        "Your request has been logged and a representative will contact you.",
        "Your call is important to us. We will get back to you shortly.",
    ],
)
def test_agent_antipatterns_transactional_phrasings(text: str) -> None:
    labels = analyse(text, customer=LOYAL, escalated=True)
    assert present(labels, "transactional")
    assert_spans(text, labels["transactional"])


@pytest.mark.parametrize(
    "text",
    [
        "Ten years with us and a third broken coffee machine: I'm so sorry. I'll send a new "
        "machine today by express.",
        "I'm sorry your coffee machine arrived broken again. Is there anything else I can help "
        "with?",
        "Thank you for your patience. Your replacement coffee machine ships today.",
        "After ten years with us you deserve better. We value your business and I'm sending a "
        "new machine today.",
    ],
)
def test_agent_antipatterns_transactional_hard_negatives(text: str) -> None:
    assert not present(analyse(text, customer=LOYAL, escalated=True), "transactional")


def test_agent_antipatterns_transactional_stronger_when_history_ignored() -> None:
    reply = "Thank you for contacting us. We will get back to you shortly."
    plain = "My coffee machine order arrived broken and I'm disappointed."
    with_history = analyse(reply, customer=LOYAL)["transactional"].confidence
    without = analyse(reply, customer=plain)["transactional"].confidence
    assert with_history > without


def test_agent_antipatterns_transactional_needs_a_customer_to_ignore() -> None:
    cust = Message(
        "m1", "a", "agent", "Thank you for contacting us. Your ticket has been received."
    )
    ctx = Context(conversation=Conversation("t", (cust,)), index=0)
    labels = [lab for det in DETECTORS for lab in det(cust, ctx) if lab.name == "transactional"]
    assert labels and labels[0].confidence < PRESENT


# -- P5: never block a supervisor request ---------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "There's no manager available.",
        "A supervisor will tell you the same.",
        "I can't transfer you to a manager.",
        "Escalating this won't change anything.",
    ],
)
def test_agent_antipatterns_refusing_requested_supervisor_is_defensive(text: str) -> None:
    assert present(analyse(text, supervisor=True, escalated=True), "defensive")


def test_agent_antipatterns_supervisor_refusal_weaker_without_request() -> None:
    text = "A supervisor will tell you the same."
    requested = analyse(text, supervisor=True)["defensive"].confidence
    unrequested = analyse(text)["defensive"].confidence
    assert requested > unrequested


def test_agent_antipatterns_offering_supervisor_is_not_defensive() -> None:
    labels = analyse("Of course, let me get a manager for you.", supervisor=True)
    assert "defensive" not in labels
    assert present(labels, "supervisor_offer")
