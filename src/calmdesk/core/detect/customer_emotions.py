"""Customer emotions: one detector for the family, cue tables plus a few cross-checks.

One detector, not nine: the labels share one lower-cased text and each other's evidence, and
nine calls per message cost more than the matching itself.

Confidence, per label (cue weights combine as 1 - prod(1 - w); see `customer_cues`):
- anger: its cues, plus loudness as evidence: 0.75 x intensity when the message is not positive
  (VADER compound <= 0.05), so "WHERE IS MY PARCEL!!!" reads as anger without an anger word.
- frustration, disappointment, anxiety, confusion: their cues alone.
- gratitude: its cues (sarcastic "thanks for nothing / for losing my parcel" blocked), x 0.6 in
  an angry message (anger >= 0.5), where thanks is mostly sarcasm.
- satisfaction: its cues x 0.3 when the same message is angry or frustrated (>= 0.5) or clearly
  negative (compound <= -0.4): "great, another delay" is not a happy customer.
- apology: its cues; a bare "sorry" (0.35) rises to 0.6 when the customer was upset earlier in
  the conversation, because that is when axiom 2's apology comes. A politeness formula ("sorry to
  bother you, but") stays at 0.15.
- polite_displeasure: sqrt(dissatisfied x courteous). dissatisfied = the strongest of complaint
  facts, disappointment, frustration and negative sentiment (-compound); courteous = courtesy
  cues. None when the message swears, is loud (intensity >= 0.4), angry or abusive: then the
  displeasure is no longer in the "inside voice" (P5).
"""

from __future__ import annotations

import math

from calmdesk.core.detect.base import Context, Detector
from calmdesk.core.detect.customer_courtesy_cues import (
    APOLOGY,
    COMPLAINT,
    COURTESY,
    GRATITUDE,
    SATISFACTION,
)
from calmdesk.core.detect.customer_cues import Adjust, LabelCues, combine, merge_spans, table_labels
from calmdesk.core.detect.customer_emotion_cues import (
    ANGER,
    ANXIETY,
    CONFUSION,
    DISAPPOINTMENT,
    FRUSTRATION,
)
from calmdesk.core.detect.customer_sentiment import compound, intensity, lexicon_spans
from calmdesk.core.detect.customer_threat_cues import ABUSE_TOWARD_AGENT
from calmdesk.core.model import Label, Message, Span

_LOUD = 0.4
_SHOUT_TO_ANGER = 0.75
_SARCASM_DAMP = 0.6


def anger_of(text: str) -> tuple[float, tuple[Span, ...]]:
    """Anger cues combined with loudness on a message that is not positive."""
    conf, spans = ANGER.match(text)
    loud, loud_spans, _ = intensity(text)
    if loud >= 0.3 and compound(text) <= 0.05:
        return combine(conf, _SHOUT_TO_ANGER * loud), merge_spans(spans, loud_spans)
    return conf, spans


def _anger(
    message: Message, context: Context, conf: float, spans: tuple[Span, ...]
) -> tuple[float, tuple[Span, ...]]:
    return anger_of(message.text)


def _satisfaction(
    message: Message, context: Context, conf: float, spans: tuple[Span, ...]
) -> tuple[float, tuple[Span, ...]]:
    if not conf:
        return conf, spans
    text = message.text
    upset = max(anger_of(text)[0], FRUSTRATION.match(text)[0])
    if upset >= 0.5 or compound(text) <= -0.4:
        conf *= 0.3
    return conf, spans


def _gratitude(
    message: Message, context: Context, conf: float, spans: tuple[Span, ...]
) -> tuple[float, tuple[Span, ...]]:
    if conf and anger_of(message.text)[0] >= 0.5:
        conf *= _SARCASM_DAMP  # "scammed again. Thanks!": thanks in an angry message is sarcasm
    return conf, spans


def _apology(
    message: Message, context: Context, conf: float, spans: tuple[Span, ...]
) -> tuple[float, tuple[Span, ...]]:
    if context.escalated and 0.3 <= conf < 0.5:
        conf = 0.6
    return conf, spans


def displeasure_of(text: str) -> tuple[float, tuple[Span, ...]]:
    """How dissatisfied a message is, from facts, emotions and sentiment, with the evidence."""
    best: float = 0.0
    best_spans: tuple[Span, ...] = ()
    for table in (COMPLAINT, DISAPPOINTMENT, FRUSTRATION):
        conf, spans = table.match(text)
        if conf > best:
            best, best_spans = conf, spans
    value = compound(text)
    if value < -0.05 and min(1.0, -value) > best:
        best, best_spans = min(1.0, -value), lexicon_spans(text, value)
    return best, best_spans


def polite_displeasure(text: str) -> Label | None:
    """Dissatisfied but courteous, not loud, not angry, not abusive (P5's inside voice)."""
    courteous, courtesy_spans = COURTESY.match(text)
    if not courteous:
        return None
    loud, _, profane = intensity(text)
    if profane or loud >= _LOUD or ABUSE_TOWARD_AGENT.match(text)[0] >= 0.5:
        return None
    if anger_of(text)[0] >= 0.5:
        return None
    dissatisfied, spans = displeasure_of(text)
    if not dissatisfied:
        return None
    conf = round(math.sqrt(dissatisfied * courteous), 4)
    return Label("polite_displeasure", conf, merge_spans(courtesy_spans, spans), detector=_NAME)


_RULES: tuple[tuple[LabelCues, Adjust | None], ...] = (
    (ANGER, _anger),
    (FRUSTRATION, None),
    (DISAPPOINTMENT, None),
    (ANXIETY, None),
    (CONFUSION, None),
    (GRATITUDE, _gratitude),
    (SATISFACTION, _satisfaction),
    (APOLOGY, _apology),
)
_NAME = "customer_emotions"


def _emotions(message: Message, context: Context) -> list[Label]:
    labels = table_labels(message, context, _RULES, detector=_NAME)
    polite = polite_displeasure(message.text)
    if polite is not None:
        labels.append(polite)
    return labels


DETECTORS: list[Detector] = [
    Detector(
        _NAME,
        "customer",
        (*(table.name for table, _ in _RULES), "polite_displeasure"),
        _emotions,
    )
]
