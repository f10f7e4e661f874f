"""`calmdesk eval`: measure the detectors on labelled data, beside a baseline and the published
figure, on any folder in the shared dataset layout (so a team can point it at its own data).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from calmdesk.cli.console import err, error, out, problem
from calmdesk.evaluate.datasets import Example, SplitFile, discover
from calmdesk.evaluate.mapping import MappingError, load_mapping
from calmdesk.evaluate.report import markdown as to_markdown
from calmdesk.evaluate.report import render, to_json
from calmdesk.evaluate.run import DEFAULT_MODE, ModeUnavailable, evaluate, trained_on

#: Where the shared labelled data sits when calmdesk is run from its checkout.
DEFAULT_DATA = Path("../shared/data")


def register(app: typer.Typer) -> None:
    """Add `eval` to the calmdesk app."""
    app.command(name="eval")(eval_command)


class _Bar:
    """The evaluator's progress shown as one Rich bar per file, on stderr."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task: TaskID | None = None

    def start(self, name: str, total: int) -> None:
        if self.task is not None:
            self.progress.update(self.task, visible=False)
        self.task = self.progress.add_task(name, total=total)

    def advance(self, n: int = 1) -> None:
        if self.task is not None:
            self.progress.advance(self.task, n)


def _never(split_file: SplitFile, rows: Sequence[Example], targets: Iterable[str]) -> bool:
    return False


def eval_command(
    data: Annotated[
        Path,
        typer.Option(
            "--data",
            help="Folder of <dataset>/<split>.jsonl files (the shared/data layout).",
        ),
    ] = DEFAULT_DATA,
    split: Annotated[
        list[str] | None,
        typer.Option("--split", help="Only split files with this name, e.g. dev (repeatable)."),
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option("--mapping", help="A mapping TOML for your own datasets (default: shipped)."),
    ] = None,
    detectors: Annotated[
        str,
        typer.Option(
            "--detectors",
            help="fast | encoder | rules | models | both: the detectors of the main columns "
            "(fast, the default: static heads on customer messages, rules on agent messages; "
            "encoder: the fine-tuned encoder with the rules).",
        ),
    ] = DEFAULT_MODE,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Also write every figure as JSON to this file.")
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option("--limit", min=1, help="Score at most N rows per file (a quick look)."),
    ] = None,
    all_rows: Annotated[
        bool,
        typer.Option(
            "--all-rows",
            help="Score every row, even of files the shipped models were trained on "
            "(their training rows then flatter the learned detectors).",
        ),
    ] = False,
    markdown: Annotated[
        bool, typer.Option("--markdown", help="Print the README's Markdown table instead.")
    ] = False,
) -> None:
    """Measure the detectors on labelled data: per label support, precision, recall and F1,
    macro-F1 per dataset, beside a baseline (VADER for sentiment, the rules-only detectors for
    the rest) and the dataset's published figure.

    Each dataset's labels are mapped onto calmdesk's labels by a mapping table (docs/eval.md).
    A file the shipped models were trained on is scored on its validation part only; any other
    file on every row.

    [bold]Examples[/]

      calmdesk eval
      calmdesk eval --data ../shared/data --split dev --limit 200
      calmdesk eval --data our-labels/ --mapping our-mapping.toml --json eval.json
      calmdesk eval --detectors rules --markdown
    """
    if not data.is_dir():
        error(f"{data}: no such folder (give --data DIR with <dataset>/<split>.jsonl files)")
        raise typer.Exit(2)
    try:
        mappings = load_mapping(mapping)
    except (MappingError, OSError) as exc:
        error(str(exc))
        raise typer.Exit(2) from exc
    files = discover(data, tuple(split or ()))
    if not files:
        wanted = f" named {', '.join(split)}" if split else ""
        error(f"{data}: no <dataset>/<split>.jsonl files{wanted}")
        raise typer.Exit(2)
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    try:
        with Progress(*columns, console=err, transient=True) as progress:
            run = evaluate(
                files,
                mappings,
                mode=detectors,
                limit=limit,
                progress=_Bar(progress),
                trained=_never if all_rows else trained_on,
            )
    except ModeUnavailable as exc:
        error(str(exc))
        raise typer.Exit(2) from exc
    if markdown:
        sys.stdout.write(to_markdown(run))
    else:
        out.print(render(run))
    if json_out is not None:
        json_out.write_text(json.dumps(to_json(run), indent=2) + "\n", encoding="utf-8")
    if run.errors:
        err.print(f"[red]{len(run.errors)} file(s) could not be read; the rest was scored:[/]")
        for line in run.errors:
            problem(line)
        raise typer.Exit(1)
    if not run.results:
        error("nothing was scored (see the skipped files above)")
        raise typer.Exit(1)
