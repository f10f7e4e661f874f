"""Evaluate split files: read, map, predict with the chosen detectors and the baseline, score.

Which rows are read (honesty about the carve): a file the shipped models were trained on is
scored on its validation part only (`datasets.part_of`), and the result says "validation part:
N of M rows"; any other file (a team's own data, an official test split) is scored on every
row. The baseline is VADER alone for sentiment, the rules-only pipeline for the other labels,
and the desk's hand-set forecaster on the rules' labels for `derails` (the main columns answer
`derails` with the learned forecaster); it is read on the same rows.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Protocol

from calmdesk.core import modes
from calmdesk.core.encoder.judge import trained_files as encoder_trained_files
from calmdesk.core.forecast import RiskWeights, learned_report
from calmdesk.core.learned.heads import trained_files
from calmdesk.core.pipeline import Pipeline, make_pipeline
from calmdesk.evaluate.datasets import DatasetError, Example, SplitFile, part_of, read_split
from calmdesk.evaluate.mapping import DatasetMapping, mappings_for
from calmdesk.evaluate.metrics import LabelScore, binary_score, class_score, macro_f1
from calmdesk.evaluate.predict import Answer, answers, vader_sentiment

#: Detector modes of `--detectors` and the default (the pipeline's own, core/modes.py).
MODES: tuple[str, ...] = modes.MODES
DEFAULT_MODE: str = modes.DEFAULT_MODE
#: What each target is compared with.
BASELINES: dict[str, str] = {
    "sentiment": "VADER compound, +-0.05",
    "derails": "rules, hand-set forecaster weights",
}
RULES_BASELINE = "rules-only detectors"


class ModeUnavailable(ValueError):
    """A detector mode this installation cannot run (unknown, or no learned detectors)."""


def pipeline_for(mode: str) -> Pipeline:
    """The pipeline of a detector mode, as `calmdesk analyze` would build it."""
    if mode not in MODES:
        raise ModeUnavailable(f"unknown detector mode {mode!r}; choose one of {', '.join(MODES)}")
    try:
        return make_pipeline(mode=mode)
    except Exception as exc:  # missing or unreadable model files: say why, do not crash
        raise ModeUnavailable(f"detector mode {mode!r} is not available: {exc}") from exc


def baseline_pipeline() -> Pipeline:
    """The rules only, with the forecaster's hand-set weights."""
    return make_pipeline(mode="rules", weights=RiskWeights.hand_set())


def baseline_of(target: str) -> str:
    return BASELINES.get(target, RULES_BASELINE)


@dataclass(frozen=True, slots=True)
class FileResult:
    """The scores of one split file."""

    dataset: str
    split: str
    path: Path
    #: rows in the file, and rows of the part read (before `--limit` and the side filter)
    rows_total: int
    rows_in_part: int
    #: rows actually scored: the side the dataset labels, with a gold answer, within `--limit`
    rows_scored: int
    #: "validation" when the file was trained on and only its validation part is read, else "all"
    part: str
    scores: tuple[LabelScore, ...]
    baseline: tuple[LabelScore, ...]
    published: str = ""
    messages: int = 0

    @property
    def macro_f1(self) -> float | None:
        return macro_f1(self.scores)

    @property
    def baseline_macro_f1(self) -> float | None:
        return macro_f1(self.baseline)

    @property
    def part_note(self) -> str:
        if self.part == "validation":
            return f"validation part: {self.rows_in_part} of {self.rows_total} rows"
        return f"all {self.rows_total} rows"


@dataclass(frozen=True, slots=True)
class Skipped:
    path: Path
    reason: str


@dataclass(slots=True)
class EvalRun:
    """Everything one `calmdesk eval` found."""

    mode: str
    results: list[FileResult] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    limit: int | None = None

    @property
    def messages(self) -> int:
        return sum(r.messages for r in self.results)


class Progress(Protocol):
    """What the evaluator tells a progress display (the CLI's Rich bar)."""

    def start(self, name: str, total: int) -> None:
        """A file of `total` rows to score begins."""

    def advance(self, n: int = 1) -> None:
        """`n` more rows were scored."""


class NoProgress:
    """Shows nothing (library use, tests)."""

    def start(self, name: str, total: int) -> None:
        pass

    def advance(self, n: int = 1) -> None:
        pass


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class Manifest:
    """sha256 of the data files the shipped models were fitted on (`heads`: the static heads
    and the encoder together, so every mode is read on the same rows); None for a part that
    lists no files (then the shared carve decides for it)."""

    heads: frozenset[str] | None
    forecaster: frozenset[str] | None


def _hashes(files: object) -> frozenset[str] | None:
    if not isinstance(files, list) or not files:
        return None
    return frozenset(str(f["sha256"]) for f in files if isinstance(f, dict) and "sha256" in f)


@cache
def trained_hashes() -> Manifest:
    """The manifests of the shipped models, read once."""
    files: list[dict[str, object]] = []
    for source in (trained_files, encoder_trained_files):
        try:
            files.extend(source())
        except Exception:  # that model is not installed: nothing to read
            continue
    heads = _hashes(files)
    try:
        forecaster = _hashes(learned_report().get("trained_files"))
    except Exception:  # no learned forecaster weights installed
        forecaster = None
    return Manifest(heads, forecaster)


def trained_on(split_file: SplitFile, rows: Sequence[Example], targets: Iterable[str]) -> bool:
    """Whether the shipped models may have seen this file's rows.

    A file listed in a manifest (by sha256) was seen; a file a complete manifest does not list
    was not. Where a manifest is missing (no heads, or a forecaster that lists no files for
    `derails`), a file with a training part under the shared carve counts as seen, so it is
    scored on its validation part only.
    """
    manifest = trained_hashes()

    def seen(hashes: frozenset[str] | None) -> bool:
        if hashes is None:
            return any(part_of(e, split_file) == "train" for e in rows)
        return sha256_of(split_file.path) in hashes

    if "derails" in targets and seen(manifest.forecaster):
        return True
    return seen(manifest.heads)


def evaluate(
    files: Iterable[SplitFile],
    mappings: dict[str, DatasetMapping],
    *,
    mode: str = DEFAULT_MODE,
    limit: int | None = None,
    progress: Progress | None = None,
    trained: Callable[[SplitFile, Sequence[Example], Iterable[str]], bool] = trained_on,
) -> EvalRun:
    """Score every file that has a mapping; the others are listed as skipped, bad ones as
    errors (naming file, line and field) while the rest is still scored."""
    started = time.perf_counter()
    main = pipeline_for(mode)
    base = baseline_pipeline()
    if main.mode == base.mode and main.weights == base.weights:
        base = main  # the same answers: analyse once
    run = EvalRun(mode=mode, limit=limit)
    show = progress or NoProgress()
    for sf in files:
        tables = mappings_for(mappings, sf.dataset)
        if not tables:
            reason = f"no mapping for dataset '{sf.dataset}' (add a [{sf.dataset}] table)"
            run.skipped.append(Skipped(sf.path, reason))
            continue
        rows: list[Example] | None = None
        for mapping in tables:
            if not mapping.targets:
                run.skipped.append(
                    Skipped(sf.path, f"mapping of '{mapping.dataset}' has no targets")
                )
                continue
            if rows is None:
                try:
                    rows = list(read_split(sf.path))
                except DatasetError as exc:
                    run.errors.append(str(exc))
                    break
            seen = trained(sf, rows, [t.label for t in mapping.targets])
            result = _score_file(sf, rows, mapping, main, base, limit, seen, show)
            if isinstance(result, Skipped):
                run.skipped.append(result)
            else:
                run.results.append(result)
    run.seconds = time.perf_counter() - started
    return run


def _score_file(
    sf: SplitFile,
    rows: list[Example],
    mapping: DatasetMapping,
    main: Pipeline,
    base: Pipeline,
    limit: int | None,
    seen: bool,
    show: Progress,
) -> FileResult | Skipped:
    part = [e for e in rows if part_of(e, sf) == "validation"] if seen else rows
    if not part:
        return Skipped(sf.path, f"training file: all {len(rows)} rows were trained on")
    work = [(e, g) for e in part if (g := mapping.gold(e))]
    if limit is not None and len(work) > limit:
        # evenly spaced rather than the first N: files are often sorted by label
        work = [work[i * len(work) // limit] for i in range(limit)]
    if not work:
        return Skipped(sf.path, f"no row of the {mapping.side} side with a mapped label")
    targets = [t.label for t in mapping.targets]
    gold: dict[str, list[Answer]] = {t: [] for t in targets}
    pred: dict[str, list[Answer]] = {t: [] for t in targets}
    basep: dict[str, list[Answer]] = {t: [] for t in targets}
    messages = 0
    show.start(f"{mapping.dataset}/{sf.split}", len(work))
    for i, (example, g) in enumerate(work, 1):
        conv = example.conversation()
        scores = main.scorer.score(conv) if main.scorer is not None else None
        analysis = main.analyze(conv, learned=scores)
        messages += len(analysis.messages)
        head = _impolite_head(main, scores) if "impolite" in g else None
        ours = answers(analysis, g, impolite_head=head)
        base_analysis = analysis if base is main else base.analyze(conv)
        theirs = answers(base_analysis, g, learned_forecaster=False)
        if "sentiment" in g:
            theirs["sentiment"] = vader_sentiment(example.text)
        for t, value in g.items():
            gold[t].append(value)
            pred[t].append(ours[t])
            basep[t].append(theirs[t])
        if i % 50 == 0 or i == len(work):
            show.advance(50 if i % 50 == 0 else i % 50)
    return FileResult(
        dataset=mapping.dataset,
        split=sf.split,
        path=sf.path,
        rows_total=len(rows),
        rows_in_part=len(part),
        rows_scored=len(work),
        part="validation" if seen else "all",
        scores=tuple(_score(t, gold[t], pred[t]) for t in targets),
        baseline=tuple(_score(t, gold[t], basep[t]) for t in targets),
        published=mapping.published,
        messages=messages,
    )


def _impolite_head(
    pipeline: Pipeline, scores: Sequence[Mapping[str, float]] | None
) -> tuple[float, str, str] | None:
    """A learned `impolite` head's confidence on the example's (last) message, from the scores
    the analysis used, with the pipeline's mode and the head's combination policy; None without
    such a head (the view has no calmdesk label, so the analysis does not carry it)."""
    scorer = pipeline.scorer
    policy = scorer.view_policy("impolite") if scorer is not None else None
    if scores is None or policy is None:
        return None
    confidence = scores[-1].get("impolite")
    return None if confidence is None else (confidence, pipeline.mode, policy)


def _score(target: str, gold: list[Answer], pred: list[Answer]) -> LabelScore:
    if target == "sentiment":
        return class_score(target, [str(g) for g in gold], [str(p) for p in pred])
    return binary_score(target, [bool(g) for g in gold], [bool(p) for p in pred])
