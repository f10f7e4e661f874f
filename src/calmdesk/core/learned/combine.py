"""Rules and learned heads together: which label a message gets when both have an opinion.

The pipeline scores every message of a conversation in one batch before the walk
(`LearnedScorer.score`), then, right after each rule detector whose labels have a head, a merge
step replaces that detector's labels of those names by the combined answer. Merging there, and
not at the end, keeps the order the rules rely on: anti-patterns read the moves already given
to the same message (`Context.current`) and the walk's state (escalated, solution offered)
reads the labels, so both see the combined labels.

A head reads the message's embedding and the confidence the rule gave the same label (0 when
none), so its confidence already weighs the rule's opinion. The combination (mode "both"), per
label with a head, by the head's `policy`, which the training script picks per label by
cross-validated F1 on the training part:

- "or": present when the rule fires or the head's confidence reaches 0.5; confidence is the
  larger of the two;
- "model": present when the head's confidence reaches 0.5 (the rule alone is not enough);
- "and": present when both fire; confidence is the smaller;
- "rules": the rule's answer (the head did not help on this label in cross-validation).

Evidence spans always come from the rule. When the head fires and the rule does not, the label
has no span: a span claims "these words are why", which a sentence embedding cannot say, and
highlighting the whole message would teach a reader nothing. Mode "models" lets the heads decide
every label that has one (the rules still answer the labels no data covers); mode "rules" uses
no head. Sentiment: the head's value replaces VADER's ("models"); in "both" VADER's value
stands unless the head overrules it with enough confidence (`SentimentHead.override`, gates
chosen in cross-validation), and spans stay VADER's lexicon words either way.

View heads (`HeadInfo.view`: `impolite`) answer an evaluation question, not a taxonomy label:
no merge step is made for them, so no mode emits them; `LearnedScorer.score` gives their
confidence, and `calmdesk eval` combines it with its rule-side answer by the head's `policy`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from calmdesk.core.detect.base import PRESENT, Context, Detector
from calmdesk.core.learned.embed import StaticEmbedder, shipped_embedder
from calmdesk.core.learned.heads import Heads, shipped_heads
from calmdesk.core.model import Conversation, Label, Message

#: The static modes: rules only, learned heads only (rules for labels without data), both
#: combined, or "auto" (`--detectors fast`): both for the customer side, the rules for agent
#: messages. The agent heads learned counselling and peer-support data (ESConv, AnnoMI,
#: EPITOME): they beat the rules there but over-fire on support agents' messages (precision on
#: the bundled support conversations 0.85 with the rules, 0.70 with the agent heads), so "auto"
#: lets only the customer heads, whose data includes support tweets, join the rules.
MODES = ("rules", "models", "both", "auto")
#: Sides whose heads "auto" uses.
AUTO_SIDES = ("customer",)
#: `detector` field of labels the heads gave.
LEARNED = "learned"
SENTIMENT = "sentiment"
#: Keys of the sentiment head's three embedding logits in a message's scores (labels use their
#: own names).
SENTIMENT_KEYS = ("sentiment:negative", "sentiment:neutral", "sentiment:positive")


@dataclass(frozen=True)
class LearnedScorer:
    """Embeds a conversation's messages in one batch and scores every head on them."""

    embedder: StaticEmbedder
    heads: Heads

    def view_policy(self, view: str) -> str | None:
        info = self.heads.info("customer", view)
        return info.policy if info is not None and info.view else None

    def score(self, conversation: Conversation) -> list[dict[str, float]]:
        """Per message: the embedding's part of each label head's logit by label
        (`HeadInfo.confidence` adds the rule's part); for a view head (`HeadInfo.view`, e.g.
        `impolite`) its confidence itself (0.5 = present; it has no rule part); and for
        customer messages the sentiment head's three class logits under `SENTIMENT_KEYS`
        (`SentimentHead.value` adds VADER)."""
        msgs = conversation.messages
        out: list[dict[str, float]] = [{} for _ in msgs]
        sides = self.heads.sides
        # only the messages some head reads are embedded ("auto" skips agent messages)
        rows = {
            "customer": [i for i, m in enumerate(msgs) if m.is_customer],
            "agent": [i for i, m in enumerate(msgs) if m.is_company] if "agent" in sides else [],
        }
        order = rows["customer"] + rows["agent"]
        if not order:
            return out
        embedded = self.embedder.encode([msgs[i].text for i in order])
        start = 0
        for side in ("customer", "agent"):
            idx = rows[side]
            if not idx:
                continue
            xs = embedded[start : start + len(idx)]
            start += len(idx)
            heads = sides.get(side)
            if heads is not None:
                names = heads.labels
                for i, row in zip(idx, heads.logits(xs).tolist(), strict=True):
                    for col, info in heads.views:
                        row[col] = info.confidence(row[col], 0.0)
                    out[i].update(zip(names, row, strict=True))
            if side == "customer":
                for i, row in zip(idx, self.heads.sentiment.logits(xs).tolist(), strict=True):
                    out[i].update(zip(SENTIMENT_KEYS, row, strict=True))
        return out


def default_scorer() -> LearnedScorer:
    """The shipped embedder and heads (loaded once per process)."""
    return LearnedScorer(shipped_embedder(), shipped_heads())


def scorer_for(mode: str) -> LearnedScorer | None:
    """The scorer a detector mode needs (None for the rules alone)."""
    check_mode(mode)
    if mode == "rules":
        return None
    heads = shipped_heads()
    return LearnedScorer(shipped_embedder(), heads.only(AUTO_SIDES) if mode == "auto" else heads)


def check_mode(mode: str) -> None:
    if mode not in MODES:
        raise ValueError(f"unknown detector mode {mode!r}; choose one of {', '.join(MODES)}")


def combine(
    name: str,
    rule: Label | None,
    confidence: float | None,
    mode: str,
    policy: str,
    *,
    source: str = LEARNED,
) -> Label | None:
    """The label `name` gets from a rule label (or None) and a head confidence (or None);
    `source` names the model in the label's `detector` (the heads, or the encoder)."""
    if confidence is None or mode == "rules" or (policy == "rules" and mode == "both"):
        return rule
    model_on = confidence >= PRESENT
    rule_on = rule is not None and rule.confidence >= PRESENT
    if mode == "models" or policy == "model":
        if not model_on:
            return None
        return _label(name, confidence, rule if rule_on else None, source)
    if policy == "and":
        if not (model_on and rule_on) or rule is None:
            return None
        return _label(name, min(confidence, rule.confidence), rule, source)
    if rule_on and rule is not None:
        return _label(name, max(confidence, rule.confidence), rule, source, both=model_on)
    return _label(name, confidence, None, source) if model_on else rule


def _label(
    name: str, confidence: float, rule: Label | None, source: str, *, both: bool = True
) -> Label:
    if rule is None:
        value = 1.0 if name == "alternatives" else None  # at least one option was offered
        return Label(name, confidence, (), value, source)
    detector = f"{rule.detector}+{source}" if both else rule.detector
    return Label(name, confidence, rule.spans, rule.value, detector)


def combine_sentiment(
    rule: Label | None, value: float | None, mode: str, override: float | None = None
) -> Label | None:
    """Sentiment from VADER's label, the head's value and, in "both", the head's override
    (`SentimentHead.override`; None: VADER's value stands)."""
    if value is None or mode == "rules":
        return rule
    if mode == "models" or rule is None or rule.value is None:
        return Label(SENTIMENT, 0.5 + 0.5 * abs(value), (), value, LEARNED)
    if override is None:
        return rule
    return Label(SENTIMENT, rule.confidence, rule.spans, override, f"{rule.detector}+{LEARNED}")


def merge_step(rule_detector: Detector, heads: Heads, mode: str) -> Detector | None:
    """The step that follows `rule_detector`: its labels with a head, combined (or None when
    no label of it has a head)."""
    side = "customer" if rule_detector.side == "customer" else "agent"
    infos = {
        n: info
        for n in rule_detector.assigns
        if (info := heads.info(side, n)) is not None and not info.view
    }
    names = tuple(
        n for n in rule_detector.assigns if n in infos or (n == SENTIMENT and side == "customer")
    )
    if not names:
        return None
    wanted = frozenset(names)
    sentiment = heads.sentiment

    def merge(message: Message, ctx: Context) -> list[Label]:
        scores = ctx.learned
        rules = {lab.name: lab for lab in ctx.current if lab.name in wanted}
        out: list[Label] = []
        for n in names:
            rule = rules.get(n)
            info = infos.get(n)
            if info is None:
                logits = [scores[k] for k in SENTIMENT_KEYS if k in scores]
                vader = rule.value if rule is not None and rule.value is not None else 0.0
                value: float | None = None
                over: float | None = None
                if len(logits) == 3:
                    value, over = sentiment.read(logits, vader)
                got = combine_sentiment(rule, value, mode, over)
            else:
                logit = scores.get(n)
                conf = (
                    None
                    if logit is None
                    else info.confidence(logit, rule.confidence if rule is not None else 0.0)
                )
                got = combine(n, rule, conf, mode, info.policy)
            if got is not None:
                out.append(got)
        return out

    return Detector(
        f"{LEARNED}:{rule_detector.name}", rule_detector.side, names, merge, replaces=True
    )


def with_heads(
    detectors: Sequence[Detector], mode: str, heads: Heads | None = None
) -> tuple[Detector, ...]:
    """The detectors with a merge step after each rule detector whose labels have a head."""
    check_mode(mode)
    if mode == "rules":
        return tuple(detectors)
    heads = heads or shipped_heads()
    if mode == "auto":
        heads, mode = heads.only(AUTO_SIDES), "both"
    out: list[Detector] = []
    for det in detectors:
        out.append(det)
        step = merge_step(det, heads, mode)
        if step is not None:
            out.append(step)
    return tuple(out)
