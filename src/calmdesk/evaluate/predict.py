"""calmdesk's answer to each target of a dataset, read from an `Analysis` of the example.

The labelled message is the last one of `example.conversation()`, so every answer is read on the
last message (the forecaster's answer on the risk after it). How the answers are read:

- a calmdesk label: present at the pipeline's threshold (`PRESENT`, confidence >= 0.5);
- `sentiment`: the sentiment value cut at VADER's usual +-0.05 into negative / neutral / positive;
- `upset`: any negative emotion or escalation signal present (`NEGATIVE_EMOTIONS`,
  `ESCALATION_SIGNALS`): what a complaint is to calmdesk;
- `impolite`: the rule-side definition `impolite_by_rules` (below); when the pipeline has a
  learned `impolite` head, its confidence is combined with it as the heads combine with rules
  (`impolite_combined`);
- `derails`: by the learned forecaster (the default): its probability of derailing after the
  last message (`derail_probability`, weights fitted on CGA) reaches its own threshold
  (`derail_policy`, 0.5); by the desk's forecaster (the baseline): the escalation risk after the
  last message (hand-set weights) reaches the case threshold (`ThresholdPolicy`, 0.6).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from calmdesk.core.detect.base import PRESENT, MessageAnalysis
from calmdesk.core.forecast import ThresholdPolicy, derail_policy, derail_probability
from calmdesk.core.learned.combine import combine
from calmdesk.core.learned.heads import sentiment_class_of
from calmdesk.core.model import Label
from calmdesk.core.pipeline import Analysis
from calmdesk.core.taxonomy import ESCALATION_SIGNALS, NEGATIVE_EMOTIONS
from calmdesk.evaluate.metrics import SENTIMENT_CLASSES

_UPSET = frozenset(NEGATIVE_EMOTIONS) | frozenset(ESCALATION_SIGNALS)
#: Courtesy markers whose presence makes a request polite in the rule-side `impolite` view.
_COURTESY = ("gratitude", "apology")

Answer = bool | str


def sentiment_class(value: float) -> str:
    """negative / neutral / positive from a sentiment value in [-1, 1], at VADER's documented
    +-0.05 cut (the one the sentiment head's gates read, `sentiment_class_of`)."""
    return SENTIMENT_CLASSES[sentiment_class_of(value)]


def upset(ma: MessageAnalysis) -> bool:
    """The customer shows a negative emotion or an escalation signal."""
    return any(lab.name in _UPSET and lab.confidence >= PRESENT for lab in ma.labels)


def impolite_by_rules(ma: MessageAnalysis) -> bool:
    """Rude or curt by the rules: abuse toward the agent, or a request with no courtesy at all.

    Politeness is mostly what a request carries (thanks, apology, a warm tone), so a message
    with abuse, or with neither gratitude nor an apology and a tone that is not positive, counts
    as impolite. Chosen on the training part of stanford-politeness among a few plain readings
    (anger or abuse alone finds almost none of the impolite requests).
    """
    if ma.has("abuse_toward_agent"):
        return True
    if any(ma.has(name) for name in _COURTESY):
        return False
    return sentiment_class(ma.value("sentiment")) != "positive"


def impolite_combined(rule: bool, confidence: float, mode: str, policy: str) -> bool:
    """The rule-side answer and a learned head's confidence, combined by the heads' own rule
    (`core.learned.combine.combine`; "fast" and "encoder" combine like "both")."""
    rule_label = Label("impolite", 1.0) if rule else None
    # "rules" and "models" keep their meaning; every other mode combines by the policy
    combined = combine(
        "impolite", rule_label, confidence, mode if mode in ("rules", "models") else "both", policy
    )
    return combined is not None


def answer(
    analysis: Analysis,
    target: str,
    *,
    learned_forecaster: bool = True,
    impolite_head: tuple[float, str, str] | None = None,
) -> Answer:
    """calmdesk's answer for one target on the last message of an analysed example.

    `learned_forecaster`: answer `derails` with the learned forecaster, else with the desk's
    risk. `impolite_head`: (confidence, detector mode, combination policy) of a learned
    `impolite` head on the last message, when the pipeline has one.
    """
    ma = analysis.messages[-1]
    if target == "sentiment":
        return sentiment_class(ma.value("sentiment"))
    if target == "upset":
        return upset(ma)
    if target == "impolite":
        rule = impolite_by_rules(ma)
        if impolite_head is None:
            return rule
        return impolite_combined(rule, *impolite_head)
    if target == "derails":
        if learned_forecaster:
            return derail_probability(analysis.messages) >= derail_policy().threshold
        return ma.risk >= ThresholdPolicy().threshold
    return ma.has(target)


def answers(
    analysis: Analysis,
    targets: Iterable[str],
    *,
    learned_forecaster: bool = True,
    impolite_head: tuple[float, str, str] | None = None,
) -> dict[str, Answer]:
    """calmdesk's answer for every named target."""
    return {
        t: answer(analysis, t, learned_forecaster=learned_forecaster, impolite_head=impolite_head)
        for t in targets
    }


@cache
def _vader() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def vader_sentiment(text: str) -> str:
    """The sentiment baseline: vaderSentiment's own compound score, cut at +-0.05."""
    return sentiment_class(float(_vader().polarity_scores(text)["compound"]))
