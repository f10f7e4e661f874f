"""`calmdesk suggest` and `calmdesk rewrite`: the next reply drafted, an agent's draft coached.

Both commands print only drafts that calmdesk's own analysis has checked; when a draft could not
pass, it is still shown with its problems and the command exits 1, so nothing unchecked passes
silently into a script.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.panel import Panel
from rich.text import Text

from calmdesk.cli.console import error, out, problem
from calmdesk.core.compose.config import ComposeConfigError, TeamConfig, load_team
from calmdesk.core.compose.llm import LLMEngine, LLMError, LLMSettings
from calmdesk.core.compose.rewrite import Rewrite, rewrite
from calmdesk.core.compose.selfcheck import CheckResult
from calmdesk.core.compose.suggest import Engine, Suggestion, TemplateEngine, suggest
from calmdesk.core.compose.views import check_dict, suggestion_dict
from calmdesk.core.ingest import IngestOptions, read_paths
from calmdesk.core.model import Conversation
from calmdesk.core.pipeline import make_pipeline

KbPath = Annotated[
    Path | None,
    typer.Option("--kb", help="Knowledge base YAML (default: the bundled example)."),
]
RemediesPath = Annotated[
    Path | None,
    typer.Option("--remedies", help="Remedy catalogue YAML (default: the bundled example)."),
]
Seed = Annotated[int, typer.Option("--seed", help="Seed for the wording (same seed, same draft).")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON for machines.")]


def register(app: typer.Typer) -> None:
    """Add `suggest` and `rewrite` to the calmdesk app."""
    app.command(name="suggest")(suggest_cmd)
    app.command(name="rewrite")(rewrite_cmd)


def _fail(message: str, code: int = 2) -> typer.Exit:
    error(message)
    return typer.Exit(code)


def _team(kb: Path | None, remedies: Path | None) -> TeamConfig:
    try:
        return load_team(kb, remedies)
    except ComposeConfigError as exc:
        raise _fail(str(exc)) from exc


def _conversations(path: Path, only: str | None) -> tuple[Conversation, ...]:
    result = read_paths([path], IngestOptions())
    for e in result.errors:
        problem(str(e))
    convs = result.conversations
    if only is not None:
        convs = tuple(c for c in convs if c.id == only)
    if not convs:
        raise _fail(f"no conversation{f' with id {only!r}' if only else ''} in {path}", 1)
    return convs


def _engine(name: str) -> Engine:
    if name == "template":
        return TemplateEngine()
    if name == "llm":
        try:
            return LLMEngine(LLMSettings.from_env())
        except LLMError as exc:
            raise _fail(str(exc)) from exc
    raise _fail(f"unknown engine {name!r}: expected 'template' or 'llm'")


def _check_line(result: CheckResult) -> Text:
    if result.passed:
        return Text("✔ self-check passed: no anti-pattern; met " + ", ".join(result.met), "green")
    problems = "; ".join(f"{p.name} ({p.detail})" for p in result.problems)
    return Text("✘ self-check failed: " + problems, "bold red")


def _show_suggestion(s: Suggestion) -> None:
    sit = s.situation
    title = f"{sit.analysis.conversation.id} · {sit.channel} · {sit.mode} · engine {s.engine}"
    out.print(Panel(Text(s.text), title=title, title_align="left"))
    kb = sit.knowledge.id if sit.knowledge else "none"
    out.print(
        f"[dim]issue {sit.issue.id} · knowledge {kb} · emotion {sit.feeling} · seed {s.seed} "
        f"· attempts {s.attempts}[/]"
    )
    if s.fallback:
        out.print(f"[yellow]⚠ {s.fallback}[/]", soft_wrap=True)
    out.print(_check_line(s.check))


def suggest_cmd(
    file: Annotated[Path, typer.Argument(help="Conversation file (any format calmdesk reads).")],
    only: Annotated[
        str | None, typer.Option("--conversation", "-c", help="Only this conversation id.")
    ] = None,
    kb: KbPath = None,
    remedies: RemediesPath = None,
    engine: Annotated[str, typer.Option("--engine", help="template (offline) or llm.")] = (
        "template"
    ),
    seed: Seed = 0,
    as_json: AsJson = False,
) -> None:
    """Draft the agent's next reply in the five-step order of the playbook (P3), checked.

    [bold]Examples[/]

      calmdesk suggest chat.json
      calmdesk suggest inbox.mbox --conversation 42 --kb kb.yaml --remedies remedies.yaml
      CALMDESK_LLM_BASE_URL=http://127.0.0.1:8080/v1 CALMDESK_LLM_MODEL=qwen \\
        calmdesk suggest chat.json --engine llm
    """
    team = _team(kb, remedies)
    chosen = _engine(engine)
    pipeline = make_pipeline()
    results = [
        suggest(c, team, pipeline, seed=seed, engine=chosen) for c in _conversations(file, only)
    ]
    if as_json:
        doc = {"suggestions": [suggestion_dict(s) for s in results]}
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    else:
        for s in results:
            _show_suggestion(s)
    if not all(s.passed for s in results):
        raise typer.Exit(1)


def _marked(r: Rewrite) -> Text:
    text = Text(r.original)
    for m in r.marks:
        for s in m.spans:
            text.stylize("bold red underline", s.start, s.end)
    return text


def _rewrite_dict(r: Rewrite) -> dict[str, Any]:
    return {
        "original": r.original,
        "marks": [
            {
                "label": m.label,
                "why": m.why,
                "spans": [{"start": s.start, "end": s.end, "text": s.text} for s in m.spans],
            }
            for m in r.marks
        ],
        "replacement": r.replacement,
        "facts_kept": list(r.kept_facts),
        "facts_missing": list(r.missing_facts),
        "self_check": check_dict(r.check),
    }


def rewrite_cmd(
    draft: Annotated[str | None, typer.Argument(help="The agent's draft reply.")] = None,
    file: Annotated[
        Path | None, typer.Option("--file", "-f", help="Read the draft from this file.")
    ] = None,
    context: Annotated[
        Path | None,
        typer.Option("--context", help="Conversation the draft answers (checked in context)."),
    ] = None,
    only: Annotated[
        str | None, typer.Option("--conversation", "-c", help="Conversation id in --context.")
    ] = None,
    kb: KbPath = None,
    remedies: RemediesPath = None,
    seed: Seed = 0,
    as_json: AsJson = False,
) -> None:
    """Mark each anti-pattern in a draft, say why (with the playbook rule), propose a fix.

    The replacement keeps the draft's facts (amounts, dates, order numbers, durations).

    [bold]Examples[/]

      calmdesk rewrite "That's not our fault, our policy clearly states refunds take 10 days."
      calmdesk rewrite --file reply.txt --context chat.json --json
    """
    if (draft is None) == (file is None):
        raise _fail("give the draft as an argument or with --file (one of the two)")
    if file is not None:
        try:
            draft = file.read_text("utf-8")
        except OSError as exc:
            raise _fail(f"{file}: cannot read ({exc.strerror})") from exc
    assert draft is not None
    team = _team(kb, remedies)
    conv = _conversations(context, only)[0] if context else None
    r = rewrite(draft, team, make_pipeline(), conversation=conv, seed=seed)
    if as_json:
        sys.stdout.write(json.dumps(_rewrite_dict(r), ensure_ascii=False, indent=2) + "\n")
    else:
        out.print(Panel(_marked(r), title="your draft", title_align="left"))
        if not r.marks:
            out.print("[green]no anti-pattern found[/]")
        for m in r.marks:
            spans = " · ".join(f"“{s.text}”" for s in m.spans)
            out.print(Text.assemble(("✘ ", "red"), (m.label, "bold"), f"  {spans}\n   {m.why}"))
        out.print(Panel(Text(r.replacement), title="replacement", title_align="left"))
        if r.missing_facts:
            out.print(f"[bold red]facts not kept: {', '.join(r.missing_facts)}[/]")
        out.print(_check_line(r.check))
    if not r.passed:
        raise typer.Exit(1)
