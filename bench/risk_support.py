"""Benchmark: does the live escalation risk see escalations coming on real support threads?

The twcs-*-taxonomy sets hold real Twitter support threads with every message labelled. A
thread *escalates after message k* when a later customer message carries a threat, a
supervisor request, abuse or anger (gold labels). After every message k that has a later
customer message, the desk's risk is read and compared with that outcome: ROC-AUC (does a
higher risk mean an escalation is more likely?) and, at the case threshold (0.6), precision and
recall of "open a case now".

Rows: the threads of the validation part (`calmdesk.evaluate.datasets.part_of`, never trained
on). Each detector mode is read with both sets of forecaster weights (hand-set: the desk's
default; learned: fitted on CGA Wikipedia / Reddit derailment); "gold labels" feeds the
forecaster the annotators' labels instead of the detectors', the ceiling a better judge could
reach with the same forecaster.

Usage: python bench/risk_support.py [--data ../shared/data] [--modes encoder,fast,rules]
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from calmdesk.core.detect.base import MessageAnalysis
from calmdesk.core.forecast import RiskWeights, ThresholdPolicy, risk_series
from calmdesk.core.model import Label, Message
from calmdesk.core.pipeline import make_pipeline
from calmdesk.evaluate.datasets import Example, SplitFile, part_of, read_split, side_of

SETS = ("twcs-airlines-taxonomy", "twcs-multibrand-taxonomy")
ESCALATION = (
    "supervisor_request",
    "churn_threat",
    "legal_threat",
    "public_threat",
    "abuse_toward_agent",
    "anger",
)
SENTIMENT_VALUE = {"negative": -0.6, "neutral": 0.0, "positive": 0.6}


def threads(path: Path) -> list[list[Example]]:
    """Each validation-part thread as its rows in order (a row is one labelled message)."""
    sf = SplitFile(path.parent.name, path.stem, path)
    by_conv: dict[str, list[Example]] = defaultdict(list)
    for ex in read_split(path):
        by_conv[ex.id.rsplit("-", 1)[0]].append(ex)
    out = []
    for rows in by_conv.values():
        rows.sort(key=lambda e: len(e.context))
        if len(rows[-1].context) != len(rows) - 1:
            continue  # a message of the thread is missing: the outcome would be wrong
        if part_of(rows[-1], sf) == "validation":
            out.append(rows)
    return out


def escalates_after(rows: Sequence[Example]) -> list[bool | None]:
    """Per message: does a later customer message escalate? None when no customer speaks later."""
    out: list[bool | None] = []
    for k in range(len(rows)):
        later = [r for r in rows[k + 1 :] if side_of(r.role) == "customer"]
        if not later:
            out.append(None)
        else:
            out.append(any(r.labels.get(n) == 1 for r in later for n in ESCALATION))
    return out


def gold_messages(rows: Sequence[Example]) -> list[MessageAnalysis]:
    out = []
    for i, r in enumerate(rows):
        role = side_of(r.role)
        labs = [Label(n, 0.9) for n, v in r.labels.items() if v == 1 and n != "sentiment"]
        if role == "customer":
            value = SENTIMENT_VALUE.get(str(r.labels.get("sentiment")), 0.0)
            labs.append(Label("sentiment", 0.9, value=value))
        msg = Message(id=f"m{i}", author=role, role=role, text=r.text)
        out.append(MessageAnalysis(msg, tuple(labs)))
    return out


def auc(scores: list[float], gold: list[bool]) -> float:
    pos = [s for s, g in zip(scores, gold, strict=True) if g]
    neg = [s for s, g in zip(scores, gold, strict=True) if not g]
    if not pos or not neg:
        return float("nan")
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def at_threshold(scores: list[float], gold: list[bool], t: float) -> tuple[float, float]:
    tp = sum(1 for s, g in zip(scores, gold, strict=True) if s >= t and g)
    fp = sum(1 for s, g in zip(scores, gold, strict=True) if s >= t and not g)
    fn = sum(1 for s, g in zip(scores, gold, strict=True) if s < t and g)
    return tp / max(1, tp + fp), tp / max(1, tp + fn)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument(
        "--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data"
    )
    ap.add_argument("--modes", default="encoder,fast,rules")
    args = ap.parse_args()
    weights = {"hand-set": RiskWeights.hand_set(), "learned (CGA)": RiskWeights.learned()}
    cut = ThresholdPolicy().threshold
    print(
        f"{'set':<26} {'labels':<12} {'weights':<14} {'points':>6} {'pos':>5} "
        f"{'ROC-AUC':>7} {'P@0.6':>6} {'R@0.6':>6} {'s':>5}"
    )
    for name in SETS:
        path = args.data / name / "dev.jsonl"
        if not path.exists():
            print(f"(no {path}: skipped)")
            continue
        ts = threads(path)
        outcome = [escalates_after(rows) for rows in ts]
        sources: list[tuple[str, object]] = [("gold labels", None)]
        sources += [(m, make_pipeline(mode=m)) for m in args.modes.split(",")]
        for label, pipe in sources:
            t0 = time.perf_counter()
            if pipe is None:
                analysed = [gold_messages(rows) for rows in ts]
            else:
                analysed = []
                for rows in ts:
                    conv = rows[-1].conversation()
                    analysed.append(list(pipe.analyze(conv).messages))  # type: ignore[attr-defined]
            secs = time.perf_counter() - t0
            for wname, w in weights.items():
                scores: list[float] = []
                gold: list[bool] = []
                for msgs, ys in zip(analysed, outcome, strict=True):
                    for r, y in zip(risk_series(msgs, w), ys, strict=True):
                        if y is not None:
                            scores.append(r)
                            gold.append(y)
                p, rec = at_threshold(scores, gold, cut)
                print(
                    f"{name:<26} {label:<12} {wname:<14} {len(gold):>6} {sum(gold):>5} "
                    f"{auc(scores, gold):>7.3f} {p:>6.2f} {rec:>6.2f} {secs:>5.0f}"
                )


if __name__ == "__main__":
    main()
