"""`calmdesk batch` and `calmdesk report`: years of conversations analysed on Dask, then one
HTML page a team lead can open anywhere.

Dask and pyarrow are imported inside the commands, so `calmdesk --help` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from calmdesk.cli.console import err, error, problem
from calmdesk.core.ingest import IngestOptions, parse_mapping
from calmdesk.core.rubric import RubricError

#: Exit code of a run stopped on purpose before the end (run again to resume).
STOPPED = 3


def register(app: typer.Typer) -> None:
    """Add `batch` and `report` to the calmdesk app."""
    app.command(name="batch")(batch)
    app.command(name="report")(report)


def batch(
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="Files, folders, globs or fsspec URLs (s3://..., gs://...): JSON, JSONL, CSV, "
            "Twitter CSV, .eml, mbox, transcripts, or Parquet tables of messages.",
            show_default=False,
        ),
    ],
    out: Annotated[str, typer.Option("--out", "-o", help="Output folder (or fsspec URL).")],
    workers: Annotated[
        int | None,
        typer.Option("--workers", "-w", help="Worker processes (default: one per core)."),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="Address of a running Dask scheduler (tcp://host:8786), or 'synchronous' "
            "to run in this process.",
        ),
    ] = None,
    partition_size: Annotated[
        str, typer.Option("--partition-size", help="Input per partition, e.g. 4MB, 64MB.")
    ] = "4MB",
    partition_rows: Annotated[
        int, typer.Option("--partition-rows", help="Parquet rows (messages) per partition.")
    ] = 20_000,
    fmt: Annotated[
        str | None,
        typer.Option("--format", "-f", help="json | jsonl | csv | twcs | email | transcript."),
    ] = None,
    mapping: Annotated[
        str | None, typer.Option("--map", help="CSV columns, e.g. 'text=body,role=sender'.")
    ] = None,
    support: Annotated[
        list[str] | None,
        typer.Option("--support-address", help="Email address or @domain of the agent side."),
    ] = None,
    speakers: Annotated[
        str | None, typer.Option("--speakers", help="Transcript roles, e.g. 'Dana=customer'.")
    ] = None,
    channel: Annotated[
        str | None, typer.Option("--channel", help="Set the channel of everything read.")
    ] = None,
    rubric: Annotated[
        Path | None, typer.Option("--rubric", help="A rubric TOML file to score with.")
    ] = None,
    progress: Annotated[
        bool, typer.Option("--progress/--no-progress", help="Show a progress bar.")
    ] = True,
    stop_after: Annotated[
        int | None,
        typer.Option("--stop-after", hidden=True, help="Stop after N partitions (rehearsal)."),
    ] = None,
) -> None:
    """Analyse and score many conversations in parallel on Dask; write Parquet tables.

    OUT gets messages/ (one row per message, its labels and confidences), conversations/
    (scorecard, outcome, risk), errors/ (every bad record with its file and line) and a
    manifest. Run the same command again after an interruption: finished partitions are kept.

    [bold]Examples[/]

      calmdesk batch exports/ --out results/
      calmdesk batch 'archive/*.jsonl' history.parquet --out results/ --workers 8
      calmdesk batch s3://bucket/chats/ --out results/ --scheduler tcp://10.0.0.5:8786
    """
    from dask.utils import parse_bytes

    from calmdesk.batch.job import BatchOptions, run_batch

    try:
        ingest = IngestOptions(
            format=fmt,
            column_map=parse_mapping(mapping) if mapping else {},
            support_addresses=tuple(support or ()),
            speakers=parse_mapping(speakers) if speakers else {},
            channel=channel,
        )
        size = int(parse_bytes(partition_size))
    except ValueError as exc:
        error(str(exc))
        raise typer.Exit(2) from exc
    options = BatchOptions(
        inputs=tuple(inputs),
        out=out,
        ingest=ingest,
        partition_bytes=size,
        partition_rows=partition_rows,
        scheduler=scheduler,
        workers=workers,
        rubric=str(rubric) if rubric else None,
        stop_after=stop_after,
    )
    bar = _progress(progress)
    with bar:
        task = bar.add_task("planning", total=None, messages=0)

        def planned(total: int, skipped: int) -> None:
            label = f"analysing ({skipped} done before)" if skipped else "analysing"
            bar.update(task, description=label, total=total, completed=skipped)

        def advance(summary: dict[str, Any] | None) -> None:
            count = summary["messages"] if summary else 0
            bar.update(task, advance=1, messages=bar.tasks[0].fields["messages"] + count)

        try:
            result = run_batch(options, plan_done=planned, on_partition=advance)
        except RubricError as exc:
            error(str(exc))
            raise typer.Exit(2) from exc
    _summary(result, out)
    if result.stopped:
        raise typer.Exit(STOPPED)
    if result.failed or result.errors:
        raise typer.Exit(1)


def report(
    folder: Annotated[Path, typer.Argument(help="The --out folder of a batch run.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="HTML file (default: FOLDER/report.html).")
    ] = None,
    top: Annotated[int, typer.Option("--top", help="Worst and best conversations shown.")] = 10,
) -> None:
    """Write a self-contained HTML report (charts included, no network needed to read it).

    [bold]Examples[/]

      calmdesk report results/
      calmdesk report results/ --output escalations-2024.html
    """
    from calmdesk.batch.report import write_report

    target = output or folder / "report.html"
    try:
        write_report(folder, target, top=top)
    except (FileNotFoundError, ValueError) as exc:
        error(str(exc))
        raise typer.Exit(1) from exc
    err.print(f"report written to [bold]{target}[/]")


def _progress(enabled: bool) -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("partitions · {task.fields[messages]:,} messages"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err,
        disable=not enabled,
    )


def _summary(result: Any, out: str) -> None:
    state = "stopped early; run again to resume" if result.stopped else "done"
    err.print(
        f"{state}: {result.conversations:,} conversations, {result.messages:,} messages in "
        f"{result.partitions} partitions ({result.computed} computed, {result.skipped} kept from "
        f"an earlier run) in {result.seconds:.1f}s → {out}",
        highlight=False,
        soft_wrap=True,
    )
    if result.failed:
        error(f"{len(result.failed)} partition(s) failed; run again to retry them:")
        for line in result.failed[:10]:
            problem(line)
    if result.errors:
        err.print(
            f"[red]{result.errors} bad record(s) skipped[/] (all in {out}/errors/):", soft_wrap=True
        )
        for line in result.first_errors[:10]:
            problem(line)
        if result.errors > 10:
            err.print(f"  … and {result.errors - 10} more")
