"""The eval results for people (Rich tables, a Markdown table for the README) and machines (JSON).

Every figure is printed with the part it was read on ("validation part: N of M rows" or "all M
rows"), and every published figure with the reminder that it was measured on other labels or
splits, so nobody mistakes one for the other.
"""

from __future__ import annotations

import os
import platform
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from calmdesk.evaluate.metrics import Counts, LabelScore
from calmdesk.evaluate.run import EvalRun, FileResult, baseline_of

NOT_COMPARABLE = "not directly comparable: other labels, split or protocol"


def machine() -> str:
    """Cores, memory and GPU of this machine, e.g. '2 cores, 24 GiB, no GPU (x86_64)'."""
    cores = os.cpu_count() or 1
    mem = ""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            kib = int(fh.readline().split()[1])
        mem = f", {round(kib / 2**20)} GiB"
    except (OSError, ValueError, IndexError):
        pass
    gpu = "a GPU" if shutil.which("nvidia-smi") else "no GPU"
    return f"{cores} cores{mem}, {gpu} ({platform.machine()})"


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.1f}"


def _delta(ours: float | None, theirs: float | None) -> str:
    if ours is None or theirs is None:
        return "—"
    return f"{100 * (ours - theirs):+.1f}"


def _rows(result: FileResult) -> Iterator[tuple[str, str, LabelScore, LabelScore]]:
    """(label text, support text, ours, baseline) for each label and sentiment class."""
    for ours, theirs in zip(result.scores, result.baseline, strict=True):
        if ours.classes is not None and theirs.classes is not None:
            yield ours.label, f"{ours.n}", ours, theirs
            for name, counts in ours.classes.items():
                yield (
                    f"  {name}",
                    f"{counts.support}/{counts.n}",
                    _as_score(name, counts, ours),
                    _as_score(name, theirs.classes[name], theirs),
                )
        else:
            yield ours.label, f"{ours.support}/{ours.n}", ours, theirs


def _as_score(name: str, counts: Counts, parent: LabelScore) -> LabelScore:
    return LabelScore(name, counts, accuracy=parent.accuracy)


def _f1(score: LabelScore) -> float | None:
    return score.f1 if score.defined else None


def file_table(result: FileResult, mode: str) -> Table:
    """One dataset file: per label support, P/R/F1 of `mode`, the baseline's F1 and the delta."""
    table = Table(
        title=Text.assemble((result.dataset, "bold"), f" · {result.split} · {result.part_note}"),
        title_justify="left",
        caption=Text(_caption(result)),  # plain text: paths and notes may hold brackets
        caption_justify="left",
    )
    table.add_column("label", no_wrap=True)
    table.add_column("support", justify="right", no_wrap=True)
    table.add_column("P", justify="right")
    table.add_column("R", justify="right")
    table.add_column(f"F1 {mode}", justify="right", style="bold")
    table.add_column("acc", justify="right")
    table.add_column("F1 base", justify="right")
    table.add_column("Δ F1", justify="right")
    for name, support, ours, theirs in _rows(result):
        sub = name.startswith("  ")
        table.add_row(
            name,
            support,
            _pct(ours.precision),
            _pct(ours.recall),
            _pct(_f1(ours)),
            "" if sub else _pct(ours.accuracy),
            _pct(_f1(theirs)),
            _delta(_f1(ours), _f1(theirs)),
            style="dim" if sub else None,
        )
    table.add_row(
        "macro-F1",
        "",
        "",
        "",
        _pct(result.macro_f1),
        "",
        _pct(result.baseline_macro_f1),
        _delta(result.macro_f1, result.baseline_macro_f1),
        style="bold",
        end_section=True,
    )
    return table


def _short_baseline(label: str) -> str:
    return {"sentiment": "VADER", "derails": "hand-set weights"}.get(label, "rules")


def _caption(result: FileResult) -> str:
    lines = ["baseline: " + baselines(result)]
    if any(s.classes is not None for s in result.scores):
        lines.append("sentiment: macro over negative/neutral/positive; R = macro-recall")
    if result.published:
        lines.append(f"published: {published_note(result.published)}")
    lines.append(f"{result.rows_scored} rows scored; {result.path}")
    return "\n".join(lines)


def baselines(result: FileResult) -> str:
    """What each label of a file is compared with, e.g. 'VADER (sentiment); rules (anger)'."""
    by_name: dict[str, list[str]] = {}
    for s in result.scores:
        by_name.setdefault(baseline_of(s.label), []).append(s.label)
    if len(by_name) == 1:
        return next(iter(by_name))
    return "; ".join(f"{name} ({', '.join(labels)})" for name, labels in by_name.items())


def published_note(text: str) -> str:
    """A published figure with the reminder that it is not measured on what calmdesk reads."""
    return text if "comparable" in text else f"{text} ({NOT_COMPARABLE})"


def render(run: EvalRun) -> Group:
    """Every table, the skipped files with their reason, and how long it took."""
    parts: list[Any] = [file_table(r, run.mode) for r in run.results]
    if run.skipped:
        skipped = Text("skipped:\n", style="yellow")
        for s in run.skipped:
            skipped.append(f"  {s.path}: {s.reason}\n")
        parts.append(skipped)
    rate = run.messages / run.seconds if run.seconds else 0.0
    limit = f", --limit {run.limit} per file" if run.limit is not None else ""
    parts.append(
        Text(
            f"detectors: {run.mode}; baselines: VADER for sentiment, rules-only for the rest, "
            f"the desk's hand-set forecaster for derails (main columns: the learned one); "
            f"{len(run.results)} file(s), "
            f"{run.messages} messages analysed in {run.seconds:.1f} s ({rate:.0f} messages/s)"
            f"{limit}",
            style="dim",
        )
    )
    return Group(*parts)


def _score_json(score: LabelScore, baseline: LabelScore) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "label": score.label,
        "support": score.support,
        "n": score.n,
        "precision": score.precision,
        "recall": score.recall,
        "f1": score.f1 if score.defined else None,
        "accuracy": score.accuracy,
        "two_class_macro_f1": None
        if score.classes is not None
        else score.counts.two_class_macro_f1,
        "baseline": {
            "name": baseline_of(score.label),
            "precision": baseline.precision,
            "recall": baseline.recall,
            "f1": baseline.f1 if baseline.defined else None,
            "accuracy": baseline.accuracy,
        },
    }
    if score.classes is not None and baseline.classes is not None:
        doc["macro_recall"] = score.recall
        doc["classes"] = {
            name: {
                "support": c.support,
                "precision": c.precision,
                "recall": c.recall,
                "f1": c.f1,
                "baseline_f1": baseline.classes[name].f1,
            }
            for name, c in score.classes.items()
        }
    return doc


def to_json(run: EvalRun) -> dict[str, Any]:
    """The whole run as plain data (what `--json OUT` writes)."""
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "detectors": run.mode,
        "limit": run.limit,
        "seconds": round(run.seconds, 2),
        "messages": run.messages,
        "files": [
            {
                "dataset": r.dataset,
                "split": r.split,
                "path": str(r.path),
                "part": r.part,
                "rows_total": r.rows_total,
                "rows_in_part": r.rows_in_part,
                "rows_scored": r.rows_scored,
                "published": r.published,
                "macro_f1": r.macro_f1,
                "baseline_macro_f1": r.baseline_macro_f1,
                "labels": [_score_json(s, b) for s, b in zip(r.scores, r.baseline, strict=True)],
            }
            for r in run.results
        ],
        "skipped": [{"path": str(s.path), "reason": s.reason} for s in run.skipped],
        "errors": list(run.errors),
    }


def markdown(run: EvalRun, *, date: str | None = None, host: str | None = None) -> str:
    """The README table: one row per label, a macro-F1 row per file, published figures below."""
    when = date or datetime.now(UTC).strftime("%Y-%m-%d")
    lines = [
        f"Measured {when} on {host or machine()}; detectors: `{run.mode}`; "
        f"{run.messages} messages in {run.seconds:.0f} s.",
        "",
        "| dataset (part read) | label | support | P | R | F1 | acc | baseline F1 | Δ F1 "
        "| baseline |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for r in run.results:
        where = f"{r.dataset}/{r.split} ({r.part_note})"
        for name, support, ours, theirs in _rows(r):
            sub = name.startswith("  ")
            label = f"· {name.strip()}" if sub else name
            lines.append(
                f"| {where} | {label} | {support} | {_pct(ours.precision)} | "
                f"{_pct(ours.recall)} | {_pct(_f1(ours))} | "
                f"{'' if sub else _pct(ours.accuracy)} | {_pct(_f1(theirs))} | "
                f"{_delta(_f1(ours), _f1(theirs))} | "
                f"{'' if sub else _short_baseline(ours.label)} |"
            )
            where = ""
        lines.append(
            f"| | **macro-F1** | | | | **{_pct(r.macro_f1)}** | | {_pct(r.baseline_macro_f1)} | "
            f"{_delta(r.macro_f1, r.baseline_macro_f1)} | |"
        )
    published = [r for r in run.results if r.published]
    if published:
        lines += ["", f"Published figures ({NOT_COMPARABLE}):", ""]
        lines += [f"- {r.dataset}: {published_note(r.published)}" for r in published]
    if run.skipped:
        lines += [
            "",
            "Skipped: "
            + "; ".join(f"{s.path.parent.name}/{s.path.name} ({s.reason})" for s in run.skipped)
            + ".",
        ]
    return "\n".join(lines) + "\n"
