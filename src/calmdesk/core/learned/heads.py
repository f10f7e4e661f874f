"""Learned heads: per label a logistic regression on the static embedding, numpy-only.

Each head was fitted on the training part of every dataset that maps to its label (see
training/README.md) and Platt-calibrated on out-of-fold scores, so `probability` is a
calibrated probability. Its features are the message's embedding and one more: the confidence
the rule detector gave the same label (0 when it gave none), so a head learns how far to trust
the rule; the embedding part is scored for a whole conversation at once (`logits`), the rule
part when the rule has run (`HeadInfo.confidence`).

Each head also carries the decision threshold chosen by cross-validated F1 on the training
part; `confidence` maps the probability monotonically so that this threshold lands on the
pipeline's `PRESENT` (0.5), which lets every reader keep asking `has(label)` at 0.5 whatever
the head's base rate.

A head may be a *view* (`HeadInfo.view`, today only `impolite`): an answer to an evaluation
question that is not a taxonomy label. No detector assigns it, so the pipeline never emits it as
a label; it reads the embedding only (no rule confidence: the rule-side answer is a reading of
the finished analysis, `calmdesk.evaluate.predict.impolite_by_rules`, which does not exist yet
when the heads score), and `LearnedScorer.score` gives its confidence directly.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from safetensors.numpy import load_file

from calmdesk.core.detect.base import PRESENT

HEADS_FILE = "heads.safetensors"
META_FILE = "heads.json"
SIDES = ("customer", "agent")
#: How a head's answer combines with the rules' answer for the same label (combine.py).
POLICIES = ("or", "model", "and", "rules")


@dataclass(frozen=True, slots=True)
class HeadInfo:
    side: str
    label: str
    #: the calibrated probability from which the label is present
    threshold: float
    #: combination with the rules in "both" mode: "or", "model", "and" or "rules"
    policy: str
    datasets: tuple[str, ...]
    #: weight of the rule's confidence in the calibrated logit
    rule_weight: float = 0.0
    #: an evaluation view, not a taxonomy label: scored, never merged into the labels
    view: bool = False

    def probability(self, logit: float, rule_confidence: float) -> float:
        """Calibrated probability from the embedding's logit and the rule's confidence."""
        z = min(max(logit + self.rule_weight * rule_confidence, -30.0), 30.0)
        return 1.0 / (1.0 + math.exp(-z))

    def confidence(self, logit: float, rule_confidence: float) -> float:
        """The probability remapped so the threshold lands on `PRESENT` (see `to_confidence`)."""
        p, t = self.probability(logit, rule_confidence), self.threshold
        if p < t:
            return p * (PRESENT / t)
        return min(PRESENT + (p - t) * ((1.0 - PRESENT) / (1.0 - t)), 1.0)


@dataclass(frozen=True)
class SideHeads:
    """All binary heads of one side, stacked so one matrix product scores a whole batch."""

    infos: tuple[HeadInfo, ...]
    weights: NDArray[np.float32]  # (labels, dim)
    bias: NDArray[np.float32]  # (labels,)
    thresholds: NDArray[np.float32]  # (labels,)
    rule_weights: NDArray[np.float32]  # (labels,)

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(h.label for h in self.infos)

    @cached_property
    def views(self) -> tuple[tuple[int, HeadInfo], ...]:
        """(column, info) of the view heads among these labels."""
        return tuple((i, h) for i, h in enumerate(self.infos) if h.view)

    def logits(self, x: NDArray[np.float32]) -> NDArray[np.float32]:
        """The embedding's part of each head's calibrated logit (rows: messages)."""
        z: NDArray[np.float32] = x @ self.weights.T + self.bias
        return z

    def probability(
        self, x: NDArray[np.float32], rule_confidence: NDArray[np.float32] | None = None
    ) -> NDArray[np.float32]:
        """Calibrated probabilities, one row per embedded message, one column per label;
        `rule_confidence` (same shape) is what the rules gave each label (0 when absent)."""
        z = self.logits(x)
        if rule_confidence is not None:
            z = z + rule_confidence * self.rule_weights
        e: NDArray[np.float32] = np.exp(-np.clip(z, np.float32(-30.0), np.float32(30.0)))
        p: NDArray[np.float32] = np.float32(1.0) / (np.float32(1.0) + e)
        return p


def to_confidence(p: NDArray[np.float32], threshold: NDArray[np.float32]) -> NDArray[np.float32]:
    """Monotone map of [0, 1] onto itself taking `threshold` to `PRESENT` (0 and 1 stay put)."""
    low = p * (PRESENT / threshold)
    high = PRESENT + (p - threshold) * ((1.0 - PRESENT) / (1.0 - threshold))
    return np.clip(np.where(p < threshold, low, high), 0.0, 1.0).astype(np.float32)


#: VADER's usual cut between neutral and positive/negative.
VADER_CUT = 0.05
#: A gate no probability reaches.
NEVER = 1.01


def sentiment_class_of(value: float) -> int:
    """0 negative, 1 neutral, 2 positive, at VADER's usual cut."""
    return 2 if value >= VADER_CUT else 0 if value <= -VADER_CUT else 1


def class_value(cls: int, raw: float) -> float:
    """A value in class `cls` (as `sentiment_class_of` reads it) from P(pos) - P(neg): neutral
    is 0, the others keep `raw` but at least as far out as the cut."""
    if cls == 1:
        return 0.0
    return max(raw, VADER_CUT) if cls == 2 else min(raw, -VADER_CUT)


@dataclass(frozen=True)
class SentimentHead:
    """Three classes (negative, neutral, positive) from the embedding and VADER's compound
    score (as `vader_features`); the value is P(pos) - P(neg) shrunk by a dead zone, so a message
    the head calls neutral lands inside the usual +-0.05 neutral band.

    In "both" mode VADER's value stands unless the head overrules it (`override`): its most
    probable class differs from VADER's and reaches the gate set for VADER's class. A gate per
    class because VADER is wrong in different ways: it reads "thanks" in a complaint as positive,
    and its neutral misses sarcasm and politely worded anger."""

    weights: NDArray[np.float32]  # (3, dim)
    bias: NDArray[np.float32]  # (3,)
    vader_weights: NDArray[np.float32]  # (3, len(vader_features))
    dead_zone: float
    #: probability the head needs to overrule VADER, by VADER's class (negative, neutral,
    #: positive); above 1 = never
    gates: tuple[float, float, float] = (NEVER, NEVER, NEVER)

    def logits(self, x: NDArray[np.float32]) -> NDArray[np.float32]:
        """The embedding's part of the three class logits (rows: messages)."""
        z: NDArray[np.float32] = x @ self.weights.T + self.bias
        return z

    def probability(
        self, x: NDArray[np.float32], vader: NDArray[np.float32]
    ) -> NDArray[np.float32]:
        """Class probabilities for embedded messages and their VADER compound scores."""
        feats = np.array([vader_features(float(v)) for v in vader], dtype=np.float32)
        z = self.logits(x) + feats @ self.vader_weights.T
        e: NDArray[np.float32] = np.exp(z - z.max(axis=1, keepdims=True))
        p: NDArray[np.float32] = e / e.sum(axis=1, keepdims=True)
        return p

    @cached_property
    def _vader_rows(self) -> list[tuple[float, float, float]]:
        return [(float(a), float(b), float(d)) for a, b, d in self.vader_weights.tolist()]

    def probabilities(self, logits: Sequence[float], vader: float) -> tuple[float, float, float]:
        """P(negative), P(neutral), P(positive) for one message from its embedding logits."""
        c, pos, neg = vader_features(vader)
        z = [
            logit + a * c + b * pos + d * neg
            for logit, (a, b, d) in zip(logits, self._vader_rows, strict=True)
        ]
        top = max(z)
        e = [math.exp(v - top) for v in z]
        total = sum(e)
        return e[0] / total, e[1] / total, e[2] / total

    def value(self, logits: Sequence[float], vader: float) -> float:
        """The head's sentiment value for one message from its embedding logits and VADER."""
        return self._value(self.probabilities(logits, vader))

    def override(self, logits: Sequence[float], vader: float) -> float | None:
        """The value that replaces VADER's in "both" mode, or None when VADER's stands."""
        return self._override(self.probabilities(logits, vader), vader)

    def read(self, logits: Sequence[float], vader: float) -> tuple[float, float | None]:
        """`value` and `override` together, from one computation of the probabilities."""
        probs = self.probabilities(logits, vader)
        return self._value(probs), self._override(probs, vader)

    def _value(self, probs: tuple[float, float, float]) -> float:
        raw = probs[2] - probs[0]
        mag = max(abs(raw) - self.dead_zone, 0.0) / (1.0 - self.dead_zone)
        return math.copysign(mag, raw) if mag else 0.0

    def _override(self, probs: tuple[float, float, float], vader: float) -> float | None:
        best = max(range(3), key=probs.__getitem__)
        own = sentiment_class_of(vader)
        if best == own or probs[best] < self.gates[own]:
            return None
        return class_value(best, probs[2] - probs[0])


def vader_features(compound: float) -> tuple[float, float, float]:
    """VADER's compound score and its two usual cuts, as the sentiment head reads them."""
    return (compound, float(compound >= VADER_CUT), float(compound <= -VADER_CUT))


def sentiment_value(raw: NDArray[np.float32], dead_zone: float) -> NDArray[np.float32]:
    """P(pos) - P(neg) shrunk towards 0 by `dead_zone` (sign kept, range stays [-1, 1])."""
    mag = np.maximum(np.abs(raw) - dead_zone, 0.0) / (1.0 - dead_zone)
    return (np.sign(raw) * mag).astype(np.float32)


@dataclass(frozen=True)
class Heads:
    sides: Mapping[str, SideHeads]
    sentiment: SentimentHead
    meta: Mapping[str, Any]

    def only(self, sides: Sequence[str]) -> Heads:
        """The same heads, for the named sides only (the sentiment head is customer-side)."""
        return Heads({s: h for s, h in self.sides.items() if s in sides}, self.sentiment, self.meta)

    def info(self, side: str, label: str) -> HeadInfo | None:
        heads = self.sides.get(side)
        if heads is None:
            return None
        return next((h for h in heads.infos if h.label == label), None)


def package_dir() -> Path:
    """This package's folder (the shipped files are in its `model/`)."""
    return Path(__file__).resolve().parent


def load_heads(folder: Path | None = None) -> Heads:
    """Heads saved by training/train_detectors.py (`heads.safetensors` + `heads.json`)."""
    where = folder or package_dir() / "model"
    meta = json.loads((where / META_FILE).read_text(encoding="utf-8"))
    arrays = load_file(str(where / HEADS_FILE))
    sides: dict[str, SideHeads] = {}
    for side in SIDES:
        infos = tuple(_info(h) for h in meta["heads"] if h["side"] == side)
        if not infos:
            continue
        sides[side] = SideHeads(
            infos=infos,
            weights=arrays[f"{side}.weight"].astype(np.float32),
            bias=arrays[f"{side}.bias"].astype(np.float32),
            thresholds=np.array([h.threshold for h in infos], dtype=np.float32),
            rule_weights=np.array([h.rule_weight for h in infos], dtype=np.float32),
        )
    sent = meta["sentiment"]
    sentiment = SentimentHead(
        weights=arrays["sentiment.weight"].astype(np.float32),
        bias=arrays["sentiment.bias"].astype(np.float32),
        vader_weights=arrays["sentiment.vader_weight"].astype(np.float32),
        dead_zone=float(sent["dead_zone"]),
        gates=_gates(sent.get("gates")),
    )
    return Heads(sides=sides, sentiment=sentiment, meta=meta)


def _gates(raw: Any) -> tuple[float, float, float]:
    """The sentiment gates from heads.json (none saved: VADER always stands in "both")."""
    if raw is None:
        return (NEVER, NEVER, NEVER)
    a, b, c = (float(raw[k]) for k in ("negative", "neutral", "positive"))
    return (a, b, c)


def _info(h: Mapping[str, Any]) -> HeadInfo:
    return HeadInfo(
        side=str(h["side"]),
        label=str(h["label"]),
        threshold=float(h["threshold"]),
        policy=str(h["policy"]),
        datasets=tuple(str(d) for d in h.get("datasets", ())),
        rule_weight=float(h.get("rule_weight", 0.0)),
        view=bool(h.get("view", False)),
    )


@cache
def shipped_heads() -> Heads:
    """The package's heads, loaded once per process."""
    return load_heads()


def trained_files(heads: Heads | None = None) -> list[dict[str, Any]]:
    """The data files the shipped heads were trained on: dataset, split, sha256, rows used.

    `calmdesk eval` reads this to score only the validation part of files the models saw.
    """
    meta = (heads or shipped_heads()).meta
    return [dict(f) for f in meta.get("trained_files", ())]
