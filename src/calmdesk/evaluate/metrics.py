"""Scores of predictions against gold answers: per label and per dataset.

Conventions (the same as scikit-learn's default `zero_division=0`, written out so nobody has to
guess): precision is 0 when nothing was predicted, recall is 0 when there is no gold positive,
F1 is 0 when both are 0. A binary label without a single gold positive in the part read has no
meaningful F1, so it is shown but left out of the dataset's macro-F1.

Sentiment is scored as three classes (negative / neutral / positive): P/R/F1 per class, their
macro-F1, accuracy, and macro-recall (TweetEval's official sentiment metric), and takes part in
the dataset's macro-F1 with its own macro-F1.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

SENTIMENT_CLASSES: tuple[str, ...] = ("negative", "neutral", "positive")


def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


def _f1(precision: float, recall: float) -> float:
    total = precision + recall
    return 2 * precision * recall / total if total else 0.0


@dataclass(frozen=True, slots=True)
class Counts:
    """A confusion matrix of one binary decision."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    @classmethod
    def of(cls, pairs: Iterable[tuple[bool, bool]]) -> Counts:
        """Counts from (gold, predicted) pairs."""
        tp = fp = fn = tn = 0
        for gold, pred in pairs:
            if gold and pred:
                tp += 1
            elif pred:
                fp += 1
            elif gold:
                fn += 1
            else:
                tn += 1
        return cls(tp, fp, fn, tn)

    @property
    def n(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    @property
    def support(self) -> int:
        """Gold positives."""
        return self.tp + self.fn

    @property
    def predicted(self) -> int:
        return self.tp + self.fp

    @property
    def precision(self) -> float:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        return _f1(self.precision, self.recall)

    @property
    def accuracy(self) -> float:
        return _ratio(self.tp + self.tn, self.n)

    @property
    def flipped(self) -> Counts:
        """The same decisions read for the negative class ("not the label")."""
        return Counts(tp=self.tn, fp=self.fn, fn=self.fp, tn=self.tp)

    @property
    def two_class_macro_f1(self) -> float:
        """Mean F1 of the label and of its absence: what papers mean by the macro-F1 of a
        binary task (offensive vs not, complaint vs not)."""
        return (self.f1 + self.flipped.f1) / 2


@dataclass(frozen=True, slots=True)
class LabelScore:
    """How one target was answered on one part of a dataset.

    For a binary label, `classes` is None and `f1` is the label's F1. For sentiment, `classes`
    holds one binary score per class (one-vs-rest), `f1` is their macro-F1, and `counts` only
    tallies right answers (as tp) and wrong ones (as fn).
    """

    label: str
    counts: Counts
    classes: Mapping[str, Counts] | None = None
    #: share of rows answered exactly (for sentiment: the right class)
    accuracy: float = 0.0

    @property
    def n(self) -> int:
        return self.counts.n

    @property
    def support(self) -> int:
        """Gold positives of a binary label; every scored row for sentiment."""
        return self.n if self.classes is not None else self.counts.support

    @property
    def precision(self) -> float:
        if self.classes is None:
            return self.counts.precision
        return _mean([c.precision for c in self.classes.values()])

    @property
    def recall(self) -> float:
        """Recall; for sentiment the macro-recall (TweetEval's official sentiment metric)."""
        if self.classes is None:
            return self.counts.recall
        return _mean([c.recall for c in self.classes.values()])

    @property
    def f1(self) -> float:
        if self.classes is None:
            return self.counts.f1
        return _mean([c.f1 for c in self.classes.values()])

    @property
    def defined(self) -> bool:
        """Whether the F1 means something: a gold positive (a scored row, for sentiment)."""
        return self.support > 0


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def binary_score(label: str, gold: Sequence[bool], pred: Sequence[bool]) -> LabelScore:
    """Precision, recall and F1 of one yes/no label."""
    counts = Counts.of(zip(gold, pred, strict=True))
    return LabelScore(label, counts, accuracy=counts.accuracy)


def class_score(
    label: str,
    gold: Sequence[str],
    pred: Sequence[str],
    classes: Sequence[str] = SENTIMENT_CLASSES,
) -> LabelScore:
    """Per-class (one-vs-rest) P/R/F1 and their macro average over the named classes."""
    pairs = list(zip(gold, pred, strict=True))
    per = {c: Counts.of((g == c, p == c) for g, p in pairs) for c in classes}
    right = sum(1 for g, p in pairs if g == p)
    overall = Counts(tp=right, fn=len(pairs) - right)
    return LabelScore(label, overall, classes=per, accuracy=_ratio(right, len(pairs)))


def macro_f1(scores: Iterable[LabelScore]) -> float | None:
    """Mean F1 over the labels that have gold positives; None when none has."""
    kept = [s.f1 for s in scores if s.defined]
    return _mean(kept) if kept else None
