"""The `calmdesk` command line: analyze, score and demo.

Commands are thin: read with the ingest layer, run the core pipeline, render. Bad input is listed
on stderr with its file, line and field, the good conversations are still processed, and the
exit code is 1 whenever something could not be read.
"""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import typer

from calmdesk.cli import batch_cmd, compose_cmd, eval_cmd, render, serve_cmd
from calmdesk.cli.console import err, error, out, problem
from calmdesk.core.ingest import IngestOptions, ReadResult, parse_mapping, read_paths
from calmdesk.core.ingest.options import DEFAULT_FILE_SECONDS, DEFAULT_MAX_FILE_BYTES
from calmdesk.core.model import Conversation
from calmdesk.core.modes import DEFAULT_MODE, MODES
from calmdesk.core.pipeline import Analysis, make_pipeline
from calmdesk.core.rubric import RubricError, load_rubric
from calmdesk.core.serialize import analysis_dict

app = typer.Typer(
    name="calmdesk",
    help="Escalation desk and de-escalation coach: analyse, score and coach support conversations.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    add_completion=False,
)


Files = Annotated[
    list[Path],
    typer.Argument(
        help="Conversation files or folders: JSON, JSONL, CSV, Twitter CSV, .eml, mbox, transcript."
    ),
]
Format = Annotated[
    str | None,
    typer.Option(
        "--format", "-f", help="json | jsonl | csv | twcs | email | transcript (default: detect)."
    ),
]
ColumnMap = Annotated[
    str | None,
    typer.Option("--map", help="CSV columns for calmdesk fields, e.g. 'text=body,role=sender'."),
]
Support = Annotated[
    list[str] | None,
    typer.Option(
        "--support-address", help="Email address or @domain of the agent side (repeatable)."
    ),
]
Speakers = Annotated[
    str | None,
    typer.Option("--speakers", help="Transcript speaker roles, e.g. 'Dana=customer,Sam=agent'."),
]
Channel = Annotated[
    str | None, typer.Option("--channel", help="Set the channel of everything read, e.g. 'phone'.")
]
MaxFileSize = Annotated[
    float,
    typer.Option(
        "--max-file-size", min=0, help="Largest file read, in MB; larger ones are reported."
    ),
]
FileTimeout = Annotated[
    float,
    typer.Option(
        "--file-timeout",
        min=0,
        help="Seconds one file may take to read; a slower one is reported (0: no limit).",
    ),
]
DEFAULT_MAX_FILE_MB = DEFAULT_MAX_FILE_BYTES / 1_000_000
AsJson = Annotated[
    bool, typer.Option("--json", help="Print JSON for machines instead of the view.")
]
RubricPath = Annotated[
    Path | None,
    typer.Option("--rubric", help="A rubric TOML file to score with (default: shipped)."),
]
OnlyId = Annotated[
    str | None, typer.Option("--conversation", "-c", help="Only the conversation with this id.")
]
Detectors = Annotated[
    str,
    typer.Option(
        "--detectors",
        help="fast (default: static heads on customer messages, rules on agent messages); "
        "encoder (the fine-tuned encoder with the rules: far better on real support tweets, "
        "over-fires on long e-mails, about 100 times slower); rules; models; both.",
    ),
]


def _options(
    fmt: str | None,
    mapping: str | None,
    support: list[str] | None,
    speakers: str | None,
    channel: str | None,
    max_file_mb: float = DEFAULT_MAX_FILE_MB,
    file_timeout: float = DEFAULT_FILE_SECONDS,
) -> IngestOptions:
    try:
        return IngestOptions(
            format=fmt,
            column_map=parse_mapping(mapping) if mapping else {},
            support_addresses=tuple(support or ()),
            speakers=parse_mapping(speakers) if speakers else {},
            channel=channel,
            max_file_bytes=int(max_file_mb * 1_000_000),
            file_seconds=file_timeout or None,
        )
    except ValueError as exc:
        error(str(exc))
        raise typer.Exit(2) from exc


def _read(files: list[Path], options: IngestOptions, only: str | None) -> ReadResult:
    result = read_paths(files, options)
    if only is not None:
        kept = tuple(c for c in result.conversations if c.id == only)
        if not kept:
            error(f"no conversation with id {only!r} in the input")
            raise typer.Exit(1)
        result = ReadResult(kept, result.errors)
    return result


def _report_errors(result: ReadResult) -> None:
    if not result.errors:
        return
    err.print(f"[red]{len(result.errors)} input problem(s); the rest was processed:[/]")
    for e in result.errors:
        problem(str(e))


def _analyze(
    conversations: tuple[Conversation, ...], rubric: Path | None, detectors: str = DEFAULT_MODE
) -> list[Analysis]:
    if detectors not in MODES:
        error(f"--detectors must be one of {', '.join(MODES)}, not {detectors!r}")
        raise typer.Exit(2)
    try:
        pipeline = make_pipeline(rubric=load_rubric(rubric) if rubric else None, mode=detectors)
    except RubricError as exc:
        error(str(exc))
        raise typer.Exit(2) from exc
    return list(pipeline.analyze_many(conversations))


def _dump(analyses: list[Analysis], result: ReadResult, *, messages: bool) -> None:
    doc: dict[str, Any] = {
        "conversations": [analysis_dict(a, messages=messages) for a in analyses],
        "errors": [
            {"path": e.path, "location": e.location, "field": e.field, "message": e.message}
            for e in result.errors
        ],
    }
    sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")


def _finish(result: ReadResult) -> None:
    _report_errors(result)
    if result.errors:
        raise typer.Exit(1)
    if not result.conversations:
        error("no conversations found in the input")
        raise typer.Exit(1)


@app.command()
def analyze(
    files: Files,
    fmt: Format = None,
    mapping: ColumnMap = None,
    support: Support = None,
    speakers: Speakers = None,
    channel: Channel = None,
    as_json: AsJson = False,
    only: OnlyId = None,
    rubric: RubricPath = None,
    detectors: Detectors = DEFAULT_MODE,
    max_file_mb: MaxFileSize = DEFAULT_MAX_FILE_MB,
    file_timeout: FileTimeout = DEFAULT_FILE_SECONDS,
) -> None:
    """Label every message: emotions, escalation signals, playbook moves and anti-patterns.

    Each message is shown with its role, its text with the evidence highlighted, its labels
    and the escalation risk after it.

    [bold]Examples[/]

      calmdesk analyze chat.json
      calmdesk analyze twcs.csv --json > labels.json
      calmdesk analyze twcs.csv --format twcs --detectors encoder
      calmdesk analyze call.txt --speakers "Dana=customer,Sam=agent"
      calmdesk analyze inbox.mbox --support-address @shop.example
    """
    result = _read(
        files, _options(fmt, mapping, support, speakers, channel, max_file_mb, file_timeout), only
    )
    analyses = _analyze(result.conversations, rubric, detectors)
    if as_json:
        _dump(analyses, result, messages=True)
    else:
        render.print_all(out, analyses, messages=True, cards=False)
    _finish(result)


@app.command()
def score(
    files: Files,
    fmt: Format = None,
    mapping: ColumnMap = None,
    support: Support = None,
    speakers: Speakers = None,
    channel: Channel = None,
    as_json: AsJson = False,
    only: OnlyId = None,
    rubric: RubricPath = None,
    detectors: Detectors = DEFAULT_MODE,
    details: Annotated[
        bool, typer.Option("--details/--summary", help="Each scorecard in full, or the table only.")
    ] = True,
    max_file_mb: MaxFileSize = DEFAULT_MAX_FILE_MB,
    file_timeout: FileTimeout = DEFAULT_FILE_SECONDS,
) -> None:
    """Score how each conversation was handled against the playbook (0-100, with evidence).

    One conversation prints its full scorecard; several also print a summary table.

    [bold]Examples[/]

      calmdesk score chat.json
      calmdesk score exports/ --summary
      calmdesk score chat.json --rubric our-rubric.toml --json
    """
    result = _read(
        files, _options(fmt, mapping, support, speakers, channel, max_file_mb, file_timeout), only
    )
    analyses = _analyze(result.conversations, rubric, detectors)
    if as_json:
        _dump(analyses, result, messages=False)
    else:
        if details:
            render.print_all(out, analyses, messages=False, cards=True)
        if len(analyses) > 1 or not details:
            out.print(render.summary_table(analyses))
    _finish(result)


def example_dir() -> Path:
    """The bundled example conversations."""
    return Path(str(resources.files("calmdesk.examples").joinpath("conversations")))


@app.command()
def demo(
    brief: Annotated[
        bool, typer.Option("--brief", help="Only the summary table, not each conversation.")
    ] = False,
) -> None:
    """Analyse and score the bundled example conversations (good and bad handling of every rule).

    [bold]Examples[/]

      calmdesk demo
      calmdesk demo --brief
    """
    folder = example_dir()
    result = read_paths(sorted(folder.glob("*.json")), IngestOptions())
    analyses = _analyze(result.conversations, None)
    if not brief:
        for a in analyses:
            meta = a.conversation.metadata
            title = meta.get("title", a.conversation.id)
            out.rule(f"[bold]{title}[/] · {meta.get('handling', '')} handling")
            if meta.get("demonstrates"):
                out.print("[dim]" + "; ".join(meta["demonstrates"]) + "[/]")
            out.print(render.conversation_view(a))
            out.print(render.scorecard_view(a))
    out.print(render.summary_table(analyses))
    out.print(f"[dim]examples: {folder}[/]")
    _finish(result)


serve_cmd.register(app)
batch_cmd.register(app)
compose_cmd.register(app)
eval_cmd.register(app)


def main() -> None:
    app()
