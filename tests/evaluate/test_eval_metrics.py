"""Scores computed by hand on tiny confusion matrices."""

import pytest

from calmdesk.evaluate.metrics import Counts, binary_score, class_score, macro_f1


def test_eval_metrics_binary_by_hand():
    # gold  T T T F F F ; pred T T F T F F -> tp 2, fn 1, fp 1, tn 2
    s = binary_score("anger", [1, 1, 1, 0, 0, 0], [1, 1, 0, 1, 0, 0])
    assert (s.counts.tp, s.counts.fp, s.counts.fn, s.counts.tn) == (2, 1, 1, 2)
    assert s.support == 3 and s.n == 6
    assert s.precision == pytest.approx(2 / 3)
    assert s.recall == pytest.approx(2 / 3)
    assert s.f1 == pytest.approx(2 / 3)
    assert s.accuracy == pytest.approx(4 / 6)
    # "not anger": tp 2 (the two tn), fp 1, fn 1 -> F1 2/3 as well
    assert s.counts.two_class_macro_f1 == pytest.approx(2 / 3)


def test_eval_metrics_uneven_precision_and_recall():
    # tp 1, fp 3, fn 0 -> P 0.25, R 1, F1 = 2*0.25/(1.25) = 0.4
    s = binary_score("x", [True, False, False, False], [True, True, True, True])
    assert (s.precision, s.recall) == (0.25, 1.0)
    assert s.f1 == pytest.approx(0.4)
    # the absent class is never predicted: its F1 is 0, so the two-class mean is 0.2
    assert s.counts.two_class_macro_f1 == pytest.approx(0.2)


def test_eval_metrics_zero_division_is_zero_and_no_positive_is_undefined():
    nothing_predicted = binary_score("x", [True, False], [False, False])
    assert (nothing_predicted.precision, nothing_predicted.f1) == (0.0, 0.0)
    assert nothing_predicted.defined
    no_gold = binary_score("y", [False, False], [True, False])
    assert (no_gold.recall, no_gold.f1) == (0.0, 0.0)
    assert not no_gold.defined
    # a label without gold positives is shown but left out of the macro average
    assert macro_f1([nothing_predicted, no_gold, binary_score("z", [True], [True])]) == 0.5
    assert macro_f1([no_gold]) is None


def test_eval_metrics_sentiment_three_classes_by_hand():
    gold = ["positive", "positive", "neutral", "neutral", "negative", "negative"]
    pred = ["positive", "positive", "positive", "neutral", "negative", "negative"]
    s = class_score("sentiment", gold, pred)
    assert s.classes is not None
    pos, neu, neg = s.classes["positive"], s.classes["neutral"], s.classes["negative"]
    assert (pos.precision, pos.recall) == (pytest.approx(2 / 3), 1.0)
    assert pos.f1 == pytest.approx(0.8)
    assert (neu.precision, neu.recall) == (1.0, 0.5)
    assert neu.f1 == pytest.approx(2 / 3)
    assert neg.f1 == 1.0
    assert s.f1 == pytest.approx((0.8 + 2 / 3 + 1) / 3)
    # macro-recall: TweetEval's official sentiment metric
    assert s.recall == pytest.approx((1 + 0.5 + 1) / 3)
    assert s.accuracy == pytest.approx(5 / 6)
    assert s.support == 6


def test_eval_metrics_counts_of_pairs():
    c = Counts.of([(True, True), (False, True), (True, False), (False, False), (False, False)])
    assert (c.tp, c.fp, c.fn, c.tn, c.n, c.predicted) == (1, 1, 1, 2, 5, 2)
