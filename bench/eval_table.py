"""The README's "How good is it" table, regenerated in one command from a full `calmdesk eval`.

Prints the Markdown (the per-label table of the default detectors, issue 3's targets each marked
met or not met from the figures just measured, and macro-F1 per file for every detector mode);
with --write README.md it replaces the text between the `<!-- eval-table:start -->` and
`<!-- eval-table:end -->` markers instead.

Usage: python bench/eval_table.py [--data ../shared/data] [--detectors rules] [--write README.md]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from calmdesk.evaluate.datasets import discover
from calmdesk.evaluate.mapping import load_mapping
from calmdesk.evaluate.metrics import LabelScore
from calmdesk.evaluate.report import _pct, machine, markdown
from calmdesk.evaluate.run import DEFAULT_MODE, MODES, EvalRun, FileResult, evaluate

START, END = "<!-- eval-table:start -->", "<!-- eval-table:end -->"
NATIVE_FILE = Path(__file__).resolve().parents[1] / "training" / "native_figures.json"


@dataclass(frozen=True)
class Target:
    """A published figure from a dataset's README and calmdesk's nearest measure of it."""

    dataset: str
    what: str
    published: float
    measure: Callable[[FileResult], float | None]
    caveat: str
    #: set when calmdesk's measure is over other labels than the published one: the same
    #: figure on the native labels decides instead, read from training/native_figures.json
    #: (written by training/train_detectors.py, validation part) by the start of its `figure`
    native: str | None = None


@cache
def _native_figures(path: Path) -> tuple[dict[str, Any], ...]:
    """training/native_figures.json, read once (empty when training has not written it)."""
    if not path.exists():
        return ()
    return tuple(json.loads(path.read_text(encoding="utf-8")))


def native_figure(dataset: str, figure: str, path: Path = NATIVE_FILE) -> float | None:
    """The training script's native-label figure for `dataset` whose name starts with `figure`,
    in percent (an "accuracy / macro-F1" pair gives its first number)."""
    for entry in _native_figures(path):
        if entry["dataset"] == dataset and str(entry["figure"]).startswith(figure):
            value = float(str(entry["ours"]).split("/")[0])
            return 100 * value if value <= 1 else value
    return None


def _label(name: str) -> Callable[[FileResult], LabelScore | None]:
    def get(r: FileResult) -> LabelScore | None:
        return next((s for s in r.scores if s.label == name), None)

    return get


def _acc(name: str) -> Callable[[FileResult], float | None]:
    def f(r: FileResult) -> float | None:
        s = _label(name)(r)
        return None if s is None else s.accuracy

    return f


def _two_class(name: str) -> Callable[[FileResult], float | None]:
    def f(r: FileResult) -> float | None:
        s = _label(name)(r)
        return None if s is None else s.counts.two_class_macro_f1

    return f


def _macro_recall(r: FileResult) -> float | None:
    s = _label("sentiment")(r)
    return None if s is None else s.recall


TARGETS = (
    Target(
        "goemotions",
        "macro-F1",
        46.0,
        lambda r: r.macro_f1,
        "published over the 28 native labels, ours over the 9 mapped targets",
        native="macro-F1, 28 native labels",
    ),
    Target(
        "tweeteval-emotion",
        "macro-F1",
        76.1,
        lambda r: r.macro_f1,
        "published over 4 classes, ours over the 3 mapped ones (optimism has no calmdesk label)",
        native="macro-F1, 4 classes",
    ),
    Target(
        "epitome-empathy",
        "emotional reactions (empathy) accuracy",
        82.1,
        _acc("empathy"),
        "published over three levels, ours present vs absent",
        native="emotional_reactions",
    ),
    Target(
        "epitome-empathy",
        "interpretations (understanding) accuracy",
        83.9,
        _acc("understanding"),
        "published over three levels, ours present vs absent",
        native="interpretations",
    ),
    Target(
        "epitome-empathy",
        "explorations (clarifying_question) accuracy",
        91.4,
        _acc("clarifying_question"),
        "published over three levels, ours present vs absent",
        native="explorations",
    ),
    Target(
        "stanford-politeness",
        "impolite vs polite accuracy",
        83.8,
        _acc("impolite"),
        "published on Wikipedia alone with leave-one-out, ours on Wikipedia + Stack Exchange",
    ),
    Target(
        "tweeteval-sentiment",
        "macro-recall",
        71.3,
        _macro_recall,
        "published on the official test split",
    ),
    Target(
        "tweeteval-offensive",
        "offensive vs not macro-F1",
        79.5,
        _two_class("abuse_toward_agent"),
        "published on the official test split; offensive tweets are wider than abuse of an agent",
    ),
    Target(
        "twitter-complaints",
        "complaint vs not macro-F1",
        79.0,
        _two_class("upset"),
        "published with 10-fold cross-validation",
    ),
)


def _behind(run: EvalRun) -> list[str]:
    """Labels (with gold positives) whose F1 is not above the baseline's."""
    return [
        f"{r.dataset}/{s.label}"
        for r in run.results
        for s, b in zip(r.scores, r.baseline, strict=True)
        if s.defined and s.f1 <= b.f1
    ]


def _covered(run: EvalRun) -> int:
    return len([s for r in run.results for s in r.scores if s.defined])


def modes_markdown(runs: dict[str, EvalRun]) -> str:
    """Macro-F1 per dataset for every detector mode, beside the baseline's."""
    modes = list(runs)
    first = runs[modes[0]]
    head = "| dataset | baseline | " + " | ".join(f"`{m}`" for m in modes) + " |"
    lines = [head, "|---|--:|" + "--:|" * len(modes)]
    for i, r in enumerate(first.results):
        cells = [runs[m].results[i].macro_f1 for m in modes]
        lines.append(
            f"| {r.dataset}/{r.split} | {_pct(r.baseline_macro_f1)} | "
            + " | ".join(_pct(c) for c in cells)
            + " |"
        )
    above = [f"{_covered(runs[m]) - len(_behind(runs[m]))} of {_covered(runs[m])}" for m in modes]
    lines.append("| labels above the baseline's F1 | | " + " | ".join(above) + " |")
    return "\n".join(lines) + "\n"


def targets_markdown(run: EvalRun) -> str:
    """Each target met or not, from this run's figures; and any label not beating its baseline."""
    lines = ["| target | published | calmdesk | met? | caveat |", "|---|--:|--:|---|---|"]
    results = {r.dataset: r for r in run.results}
    for t in TARGETS:
        r = results.get(t.dataset)
        value = None if r is None else t.measure(r)
        ours = "—" if value is None else f"{100 * value:.1f}"
        native = None if t.native is None else native_figure(t.dataset, t.native)
        if t.native is not None and native is None:
            met = "not measured (no training/native_figures.json entry)"
        elif native is not None:
            verdict = "met" if native >= t.published else "not met"
            met = f"{verdict} on the native labels ({native:.1f}, training/native_figures.json)"
        elif value is None:
            met = "not measured"
        else:
            met = "met" if 100 * value >= t.published else "not met"
        lines.append(f"| {t.dataset}: {t.what} | {t.published:.1f} | {ours} | {met} | {t.caveat} |")
    behind = _behind(run)
    beaten = _covered(run) - len(behind)
    lines.append("")
    if run.mode == "rules":
        lines.append(
            "Detectors `rules` are the baseline themselves (VADER aside), so no label beats it "
            "here; the learned detectors are compared with `--detectors both`."
        )
    elif behind:
        lines.append(
            f"Beat the baseline (F1 above it) on {beaten} labels; not on {len(behind)}: "
            + ", ".join(behind)
            + "."
        )
    else:
        lines.append("Every covered label beats its baseline.")
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--detectors", default=DEFAULT_MODE)
    ap.add_argument("--date", help="the date to print (default: today, UTC)")
    ap.add_argument("--write", type=Path, help="replace the marked section of this file")
    args = ap.parse_args()
    files, mappings = discover(args.data), load_mapping()
    run = evaluate(files, mappings, mode=args.detectors)
    runs = {m: run if m == args.detectors else evaluate(files, mappings, mode=m) for m in MODES}
    host = machine()
    table = markdown(run, date=args.date, host=host)
    text = (
        f"{table}\nIssue 3's targets, from the run above (detectors `{run.mode}`):\n\n"
        f"{targets_markdown(run)}\nMacro-F1 per file by detector mode (`--detectors`; same rows, "
        f"same baseline):\n\n{modes_markdown(runs)}"
    )
    if args.write is None:
        sys.stdout.write(text)
        return
    doc = args.write.read_text(encoding="utf-8")
    if START not in doc or END not in doc:
        sys.exit(f"{args.write}: no {START} ... {END} markers")
    head, rest = doc.split(START, 1)
    _, tail = rest.split(END, 1)
    args.write.write_text(f"{head}{START}\n{text}{END}{tail}", encoding="utf-8")
    print(f"{args.write}: eval table replaced ({run.messages} messages, {run.seconds:.0f} s)")


if __name__ == "__main__":
    main()
