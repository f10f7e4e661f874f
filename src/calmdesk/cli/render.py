"""Rich renderings of analyses for people at a terminal.

Colour is never the only signal: every highlighted span is also underlined and its label named
in the list under the message.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from calmdesk.core.detect.base import MessageAnalysis
from calmdesk.core.pipeline import Analysis
from calmdesk.core.scorecard import Scorecard
from calmdesk.core.taxonomy import AGENT_ANTIPATTERNS, MEASURED_LABELS

GOOD = "green"
BAD = "bold red"
SIGNAL = "yellow"
VERDICT_STYLE = {"pass": "green", "fail": "bold red", "n/a": "dim"}
VERDICT_MARK = {"pass": "✔ pass", "fail": "✘ fail", "n/a": "· n/a"}


def _style(label: str, customer: bool) -> str:
    if customer:
        return SIGNAL
    return BAD if label in AGENT_ANTIPATTERNS else GOOD


def risk_text(risk: float) -> Text:
    style = "bold red" if risk >= 0.6 else "yellow" if risk >= 0.35 else "green"
    word = "high" if risk >= 0.6 else "rising" if risk >= 0.35 else "low"
    return Text(f"risk {risk:.2f} ({word})", style=style)


def message_view(ma: MessageAnalysis) -> Group:
    m = ma.message
    customer = m.is_customer
    head = Text()
    head.append(f"[{m.id}] ", style="dim")
    head.append(m.role, style="bold cyan" if customer else "bold magenta")
    head.append(f" · {m.author} · {m.channel}")
    if m.timestamp:
        head.append(f" · {m.timestamp:%Y-%m-%d %H:%M}")
    head.append("  ")
    head.append_text(risk_text(ma.risk))

    body = Text(m.text)
    for lab in ma.present():
        if lab.name in MEASURED_LABELS and lab.name != "alternatives":
            continue
        for s in lab.spans:
            body.stylize(f"{_style(lab.name, customer)} underline", s.start, s.end)

    tags = Text("  ")
    for lab in ma.present():
        if lab.name == "sentiment" or (lab.name == "intensity" and (lab.value or 0) < 0.2):
            continue
        tags.append(lab.name, style=_style(lab.name, customer))
        if lab.name in MEASURED_LABELS and lab.value is not None:
            tags.append(f"={lab.value:g}")
        tags.append(f" {lab.confidence:.2f}  ", style="dim")
    if customer:
        tags.append(f"sentiment {ma.value('sentiment'):+.2f}", style="dim")
    return Group(head, Text("  ").append_text(body), tags, Text(""))


def conversation_view(a: Analysis) -> Panel:
    c = a.conversation
    parts = [message_view(ma) for ma in a.messages]
    title = f"{c.id} · {c.channel} · {len(c.messages)} messages"
    return Panel(Group(*parts), title=title, title_align="left")


def scorecard_view(a: Analysis) -> Panel:
    sc: Scorecard = a.scorecard
    table = Table(show_header=True, header_style="bold", expand=False, box=None)
    table.add_column("criterion")
    table.add_column("rule")
    table.add_column("verdict")
    table.add_column("evidence")
    for r in sc.results:
        ev = ", ".join(
            f"{e.message_id}: “{e.spans[0].text}”" if e.spans else e.message_id for e in r.evidence
        )
        if r.note:
            ev = f"{ev} ({r.note})" if ev else r.note
        table.add_row(
            r.id, r.rule, Text(VERDICT_MARK[r.verdict], style=VERDICT_STYLE[r.verdict]), ev
        )
    rows: list[Text | Table] = [table]
    if sc.antipatterns:
        rows.append(Text("\nanti-patterns", style="bold"))
        for h in sc.antipatterns:
            quote = f" “{h.spans[0].text}”" if h.spans else ""
            rows.append(
                Text(f"  ✘ {h.label} in {h.message_id}{quote}  (−{h.penalty:g})", style=BAD)
            )
    o = a.outcome
    mood = "n/a" if o.mood_change is None else f"{o.mood_change:+.2f}"
    rows.append(
        Text(
            f"\noutcome: mood change {mood}; recovered {_yn(o.mood_recovered)}; "
            f"customer apologised {_yn(o.customer_apologised)}; thanked {_yn(o.customer_thanked)}; "
            f"resolved {_yn(o.resolved)}; escalated {_yn(o.escalated)}"
            + (f" ({', '.join(o.escalated_by)})" if o.escalated_by else "")
        )
    )
    score = "n/a (no agent reply)" if sc.score is None else f"{sc.score:g}/100"
    return Panel(Group(*rows), title=f"scorecard {a.conversation.id} · {score}", title_align="left")


def _yn(flag: bool) -> str:
    return "yes" if flag else "no"


def summary_table(analyses: Sequence[Analysis]) -> Table:
    table = Table(title="scorecards", header_style="bold")
    table.add_column("conversation", no_wrap=True)
    table.add_column("channel")
    table.add_column("msgs", justify="right")
    table.add_column("score", justify="right")
    table.add_column("criteria met", justify="right")
    table.add_column("anti-patterns")
    table.add_column("peak risk", justify="right")
    table.add_column("outcome")
    for a in analyses:
        sc = a.scorecard
        applicable = [r for r in sc.results if r.verdict != "n/a"]
        met = sum(r.verdict == "pass" for r in applicable)
        anti = sorted({h.label for h in sc.antipatterns})
        o = a.outcome
        outcome = (
            "escalated, then calmed"
            if o.escalated and o.deescalated
            else "de-escalated"
            if o.deescalated
            else "escalated"
            if o.escalated
            else "—"
        )
        peak = a.peak_risk
        table.add_row(
            a.conversation.id,
            a.conversation.channel,
            str(len(a.messages)),
            "n/a" if sc.score is None else f"{sc.score:g}",
            f"{met}/{len(applicable)}",
            Text(", ".join(anti) or "—", style=BAD if anti else ""),
            Text(f"{peak:.2f}", style=risk_text(peak).style),
            outcome,
        )
    scores = [a.scorecard.score for a in analyses if a.scorecard.score is not None]
    if len(analyses) > 1 and scores:
        mean = sum(scores) / len(scores)
        table.caption = f"{len(analyses)} conversations · mean score {mean:.1f}"
    return table


def print_all(
    console: Console, analyses: Sequence[Analysis], *, messages: bool, cards: bool
) -> None:
    for a in analyses:
        if messages:
            console.print(conversation_view(a))
        if cards:
            console.print(scorecard_view(a))
