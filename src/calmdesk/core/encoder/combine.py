"""The encoder and the rules together (detector mode "encoder", the default).

The encoder scores every message of a conversation in one batched pass before the walk
(`Judge.score`). Right after each rule detector whose labels the encoder answers, a
merge step replaces that detector's labels by the combined answer, per label by the policy
training chose on the selection part (training/training_fit.py): "model" (the encoder
decides), "or", "and", or "rules" (the rule decides: the context rules of the playbook, such
as fact-finding before a solution was accepted, where the walk's state knows more than one
message pair). Merging there, not at the end, keeps what the rules rely on: anti-patterns read
the moves already given to the same message, and the walk's state reads the labels.

Evidence: a label keeps the rule's spans when the rule fired; where the encoder fires alone,
the span is the clause whose removal lowers the label's logit most (`Judge.evidence`), so no
label reaches the console without the words behind it.

Sentiment: the encoder's 3-class probabilities give the class (argmax) and the value
P(positive) - P(negative), moved inside that class's band (VADER's +-0.05 cut) when the two
disagree; VADER's lexicon words stay the spans when VADER reads the same class.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from calmdesk.core.detect.base import PRESENT, Context, Detector
from calmdesk.core.encoder.judge import SENTIMENT_KEYS, Judge
from calmdesk.core.learned.combine import combine
from calmdesk.core.model import Label, Message

#: `detector` field of labels the encoder gave.
ENCODER = "encoder"
SENTIMENT = "sentiment"
#: VADER's neutral band, the cut every reader of `sentiment` uses (evaluate/predict.py).
NEUTRAL_BAND = 0.05


def sentiment_value(probs: Sequence[float]) -> tuple[int, float]:
    """The class (0 negative, 1 neutral, 2 positive) and a value in [-1, 1] inside its band."""
    neg, _, pos = probs
    cls = max(range(3), key=lambda i: probs[i])
    value = pos - neg
    if cls == 0:
        value = min(value, -NEUTRAL_BAND - 1e-3)
    elif cls == 2:
        value = max(value, NEUTRAL_BAND + 1e-3)
    else:
        value = max(-NEUTRAL_BAND + 1e-3, min(NEUTRAL_BAND - 1e-3, value))
    return cls, max(-1.0, min(1.0, value))


def _class_of(value: float) -> int:
    return 0 if value < -NEUTRAL_BAND else 2 if value > NEUTRAL_BAND else 1


def combine_sentiment(rule: Label | None, scores: Mapping[str, float]) -> Label | None:
    probs = [scores[k] for k in SENTIMENT_KEYS if k in scores]
    if len(probs) != 3:
        return rule
    cls, value = sentiment_value(probs)
    agree = rule is not None and rule.value is not None and _class_of(rule.value) == cls
    spans = rule.spans if agree and rule is not None else ()
    detector = f"{rule.detector}+{ENCODER}" if agree and rule is not None else ENCODER
    return Label(SENTIMENT, max(probs), spans, value, detector)


def merge_step(rule_detector: Detector, judge: Judge) -> Detector | None:
    """The step that follows `rule_detector`: its labels the encoder answers, combined."""
    side = "customer" if rule_detector.side == "customer" else "agent"
    readings = judge.readings[side]
    names = tuple(
        n for n in rule_detector.assigns if n in readings or (n == SENTIMENT and side == "customer")
    )
    if not names:
        return None
    return _step(f"{ENCODER}:{rule_detector.name}", rule_detector.side, names, judge)


def _step(name: str, side: str, names: tuple[str, ...], judge: Judge) -> Detector:
    wanted = frozenset(names)
    readings = judge.readings["customer" if side == "customer" else "agent"]

    def merge(message: Message, ctx: Context) -> list[Label]:
        scores = ctx.learned
        rules = {lab.name: lab for lab in ctx.current if lab.name in wanted}
        out: list[Label] = []
        for n in names:
            rule = rules.get(n)
            if n == SENTIMENT:
                got = combine_sentiment(rule, scores)
            else:
                got = combine(n, rule, scores.get(n), "both", readings[n].policy, source=ENCODER)
            if got is not None:
                out.append(got)
        bare = [lab.name for lab in out if not lab.spans and lab.confidence >= PRESENT]
        bare = [n for n in bare if n != SENTIMENT]
        if bare:
            found = judge.evidence(ctx.conversation, ctx.index, bare)
            out = [
                replace(lab, spans=(found[lab.name],)) if lab.name in found else lab for lab in out
            ]
        return out

    return Detector(name, side, names, merge, replaces=True)


def with_encoder(detectors: Sequence[Detector], judge: Judge) -> tuple[Detector, ...]:
    """The rule detectors with a merge step after each one whose labels the encoder answers,
    and a last step per side for encoder labels no rule detector assigns."""
    out: list[Detector] = []
    covered: dict[str, set[str]] = {"customer": set(), "company": set()}
    for det in detectors:
        out.append(det)
        step = merge_step(det, judge)
        if step is not None:
            out.append(step)
            covered[det.side].update(step.assigns)
    for side, key in (("customer", "customer"), ("company", "agent")):
        rest = tuple(
            n
            for n, r in judge.readings[key].items()
            if n not in covered[side] and r.policy != "rules"
        )
        if rest:
            out.append(_step(f"{ENCODER}:{key}-only", side, rest, judge))
    return tuple(out)
