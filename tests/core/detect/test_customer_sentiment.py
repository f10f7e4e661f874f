"""Customer sentiment (VADER) and intensity: values in range, spans on the words that count."""

from __future__ import annotations

import subprocess
import sys

import pytest

from calmdesk.core.detect.base import PRESENT, empty_context
from calmdesk.core.detect.customer_sentiment import DETECTORS
from calmdesk.core.model import Label, Message


def _labels(text: str) -> dict[str, Label]:
    msg = Message(id="m1", author="c", role="customer", text=text)
    return {lab.name: lab for det in DETECTORS for lab in det(msg, empty_context(msg))}


def _spans_hold(text: str, lab: Label) -> None:
    for span in lab.spans:
        assert text[span.start : span.end] == span.text


NEGATIVE = [
    ("This is the worst service I have ever had", "worst"),
    ("Terrible experience, the parcel arrived broken", "Terrible"),
    ("I'm furious and disgusted with how I was treated", "disgusted"),
    ("Awful. Nobody answers and the app is useless", "Awful"),
    ("I hate this company, you ruined my holiday", "hate"),
]
POSITIVE = [
    ("Thank you so much, you were brilliant", "brilliant"),
    ("Great service, really happy with the refund", "happy"),
    ("The engineer was excellent and very kind", "excellent"),
    ("Love the new app, works perfectly", "Love"),
    ("Perfect, that's exactly what I needed, thanks!", "Perfect"),
]
NEUTRAL = [
    "My order number is 1234, it was placed on Monday",
    "Can you tell me when the store opens?",
    "I moved house last month and need to update my address",
    "The parcel is at the depot according to the tracking page",
]


@pytest.mark.parametrize(("text", "word"), NEGATIVE)
def test_customer_sentiment_negative_messages_score_below_zero(text: str, word: str) -> None:
    lab = _labels(text)["sentiment"]
    assert lab.value is not None and lab.value <= -0.3
    assert PRESENT <= lab.confidence <= 1.0
    _spans_hold(text, lab)
    assert any(s.text.lower() == word.lower() for s in lab.spans)


@pytest.mark.parametrize(("text", "word"), POSITIVE)
def test_customer_sentiment_positive_messages_score_above_zero(text: str, word: str) -> None:
    lab = _labels(text)["sentiment"]
    assert lab.value is not None and lab.value >= 0.3
    _spans_hold(text, lab)
    assert any(s.text.lower() == word.lower() for s in lab.spans)


@pytest.mark.parametrize("text", NEUTRAL)
def test_customer_sentiment_plain_requests_are_near_neutral(text: str) -> None:
    lab = _labels(text)["sentiment"]
    assert lab.value is not None and abs(lab.value) < 0.3
    assert lab.confidence < 0.7


def test_customer_sentiment_negated_praise_points_at_the_praise() -> None:
    text = "I am NOT happy about this"
    lab = _labels(text)["sentiment"]
    assert lab.value is not None and lab.value < 0
    assert [s.text for s in lab.spans] == ["happy"]


def test_customer_sentiment_analyzer_is_not_built_at_import() -> None:
    code = (
        "import calmdesk.core.detect.registry\n"
        "from calmdesk.core.detect import customer_sentiment as cs\n"
        "assert cs.analyzer.cache_info().currsize == 0\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


LOUD = [
    ("WHY IS MY ORDER STILL NOT HERE!!!", "WHY"),
    ("This is a fucking joke, where is my parcel", "fucking"),
    ("Absolutely ridiculous!!! Third time this week!!!", "!!!"),
    ("pleeeease just answer the phone, I have called sooo many times", "pleeeease"),
    ("NOBODY HAS CALLED ME BACK. NOBODY.", "NOBODY"),
    ("What the shit is this?! Refund me now!!", "shit"),
]
CALM = [
    "Thanks, that works for me",
    "I ordered it from the UK via DHL and UPS",
    "Please check order ABC123 when you can",
    "Could you confirm the delivery date? Thank you",
    "See www.example.com for the invoice",
]


@pytest.mark.parametrize(("text", "cue"), LOUD)
def test_customer_sentiment_intensity_finds_loud_messages(text: str, cue: str) -> None:
    lab = _labels(text)["intensity"]
    assert lab.value is not None and lab.value >= 0.4
    assert 0.0 <= lab.value <= 1.0 and 0.0 <= lab.confidence <= 1.0
    _spans_hold(text, lab)
    assert any(cue.lower() in s.text.lower() for s in lab.spans)


@pytest.mark.parametrize("text", CALM)
def test_customer_sentiment_intensity_stays_low_on_calm_messages(text: str) -> None:
    lab = _labels(text)["intensity"]
    assert lab.value is not None and lab.value < 0.2


def test_customer_sentiment_intensity_grows_with_loudness() -> None:
    calm = _labels("Where is my parcel?")["intensity"].value
    loud = _labels("Where is my parcel?!")["intensity"].value
    louder = _labels("WHERE IS MY PARCEL?!!!")["intensity"].value
    assert calm is not None and loud is not None and louder is not None
    assert calm < loud < louder


# -- the fast VADER against the reference ---------------------------------------------------------

_SUBJECTS = ["The service", "Your app", "this parcel", "The AGENT", "my refund", "it"]
_MODIFIERS = ["", "very ", "VERY ", "kind of ", "sort of ", "not ", "never so ", "hardly ", "no "]
_WORDS = ["good", "GREAT", "bad", "terrible", "helpful", "awful", "the shit", "bad ass", "fine"]
_TAILS = [
    "",
    "!",
    "!!!!!",
    "??",
    "???!",
    " but the staff were lovely.",
    " but I am NOT happy",
    " :)",
    " 😁",
    " at least it is not horrible",
    " without a doubt",
    ", no or nor sad",
    " yeah right",
]


def _generated() -> list[str]:
    """Every rule VADER has (boosters, negation, caps, but, least, idioms, emojis, punctuation)."""
    out = []
    for i, subject in enumerate(_SUBJECTS):
        for j, mod in enumerate(_MODIFIERS):
            for k, word in enumerate(_WORDS):
                tail = _TAILS[(i + j + k) % len(_TAILS)]
                out.append(f"{subject} is {mod}{word}{tail}")
    out += [
        "I was kind of happy, but the least helpful reply ever. Never this bad!",
        "Good good good but bad bad bad but fine",
        "great, but great, but great",
        "NO NO NO this is not ok",
        "💘 love it 💋 🙂🙂",
        "",
        "   ",
        ":( :-( :D",
        "Not bad at all",
        "no problem, no worries, no good",
        "The least I expected was an answer",
        "at least very least not least",
    ]
    return out


def test_customer_sentiment_fast_vader_equals_the_reference() -> None:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from calmdesk.core.detect.sentiment_vader_fast import compound

    reference = SentimentIntensityAnalyzer()
    texts = _generated()
    assert len(texts) > 400
    for text in texts:
        assert compound(text) == pytest.approx(
            reference.polarity_scores(text)["compound"], abs=1e-9
        ), text


def test_customer_sentiment_fast_vader_constants_match_the_package() -> None:
    from vaderSentiment import vaderSentiment as vs

    from calmdesk.core.detect import sentiment_vader_fast as fast

    assert (fast._N_SCALAR, fast._C_INCR) == (vs.N_SCALAR, vs.C_INCR)
