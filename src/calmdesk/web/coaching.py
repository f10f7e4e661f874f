"""What the agent console shows beside a conversation, read from the stored labels and risks.

The stored labels are the pipeline's own output (written on ingest), so the panel agrees with the
API, the scorecard and the metrics, and polling it costs no re-analysis. Every item carries the
words that triggered it: a person must be able to see why calmdesk says what it says.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from calmdesk.core.compose.rewrite import WHY
from calmdesk.core.detect.base import PRESENT
from calmdesk.core.taxonomy import AGENT_ANTIPATTERNS, ESCALATION_SIGNALS

#: the six signals the console always lists, detected or not, in the order of the issue
WATCHED_SIGNALS: dict[str, str] = {
    "supervisor_request": "Supervisor request",
    "churn_threat": "Churn threat",
    "legal_threat": "Legal threat",
    "public_threat": "Public threat",
    "time_pressure": "Time pressure",
    "abuse_toward_agent": "Abuse toward the agent",
}
OTHER_SIGNALS: dict[str, str] = {
    "repeat_contact": "Repeat contact",
    "compensation_demand": "Compensation demand",
    "documenting": "Documenting",
}

#: the five-step reply of P3: each step, the agent labels that cover it
STEPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("acknowledge", "Empathetic acknowledgement", ("empathy", "understanding", "validation")),
    ("explain", "Explanation (context, not excuses)", ("explanation",)),
    ("alternatives", "Two or more alternatives", ("alternatives",)),
    ("expectations", "Expectations: ETA, next steps", ("expectation",)),
    ("close", "Apology and gratitude", ("apology", "gratitude")),
)
#: alternatives count as the step only from this many options (the rubric's min_value)
MIN_ALTERNATIVES = 2

Labels = Sequence[Mapping[str, Any]]


def present(labels: Labels) -> list[Mapping[str, Any]]:
    return [lab for lab in labels if float(lab.get("confidence", 0)) >= PRESENT]


def words(lab: Mapping[str, Any]) -> list[str]:
    return [str(s.get("text", "")) for s in lab.get("spans", []) if s.get("text")]


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of message text; `labels` names the anti-patterns or signals marked on it."""

    text: str
    labels: tuple[str, ...] = ()


def segments(text: str, marks: Iterable[tuple[int, int, str]]) -> list[Segment]:
    """The text cut into plain and marked runs; overlapping marks merge and keep every name."""
    spans = sorted((max(0, a), min(len(text), b), n) for a, b, n in marks if b > a)
    merged: list[tuple[int, int, list[str]]] = []
    for a, b, name in spans:
        if merged and a < merged[-1][1]:
            last = merged[-1]
            merged[-1] = (last[0], max(last[1], b), [*last[2], name])
        else:
            merged.append((a, b, [name]))
    out: list[Segment] = []
    pos = 0
    for a, b, names in merged:
        if a > pos:
            out.append(Segment(text[pos:a]))
        out.append(Segment(text[a:b], tuple(dict.fromkeys(names))))
        pos = b
    if pos < len(text):
        out.append(Segment(text[pos:]))
    return out


def marks_of(labels: Labels, names: Iterable[str]) -> list[tuple[int, int, str]]:
    wanted = set(names)
    return [
        (int(s["start"]), int(s["end"]), str(lab["name"]))
        for lab in present(labels)
        if lab.get("name") in wanted
        for s in lab.get("spans", [])
    ]


@dataclass(frozen=True, slots=True)
class Signal:
    name: str
    title: str
    words: tuple[str, ...]
    detected: bool


@dataclass(frozen=True, slots=True)
class Step:
    id: str
    title: str
    done: bool
    words: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True, slots=True)
class Warning:
    label: str
    words: tuple[str, ...]
    why: str
    message_id: int | None = None


@dataclass(frozen=True, slots=True)
class Mood:
    #: customer sentiment after each customer message, oldest first
    series: tuple[float, ...]
    label: str
    trend: str
    arrow: str


def mood_word(sentiment: float) -> str:
    if sentiment <= -0.5:
        return "very upset"
    if sentiment <= -0.15:
        return "upset"
    if sentiment < 0.15:
        return "neutral"
    return "positive"


def mood(customer_labels: Sequence[Labels]) -> Mood:
    series = []
    for labels in customer_labels:
        lab = next((x for x in labels if x.get("name") == "sentiment"), None)
        if lab is not None and lab.get("value") is not None:
            series.append(round(float(lab["value"]), 2))
    if not series:
        return Mood((), "unknown", "no customer message yet", "–")
    if len(series) == 1:
        return Mood(tuple(series), mood_word(series[-1]), "first message", "–")
    change = series[-1] - series[-2]
    if change > 0.15:
        trend, arrow = "improving", "▲"
    elif change < -0.15:
        trend, arrow = "worsening", "▼"
    else:
        trend, arrow = "steady", "▶"
    return Mood(tuple(series), mood_word(series[-1]), trend, arrow)


def supervisor_pending(messages: Sequence[tuple[str, Labels]]) -> bool:
    """The customer asked for a supervisor and no later reply offered one or came from one
    (P5: a supervisor request is never blocked). `messages` is (role, labels), oldest first."""
    pending = False
    for role, labels in messages:
        names = {lab.get("name") for lab in present(labels)}
        if role == "customer" and "supervisor_request" in names:
            pending = True
        elif role == "supervisor" or (role != "customer" and "supervisor_offer" in names):
            pending = False
    return pending


def risk_level(risk: float) -> str:
    return "high" if risk >= 0.6 else "medium" if risk >= 0.35 else "low"


def signals(customer_labels: Sequence[Labels]) -> list[Signal]:
    """The watched six always (detected or not), then any other escalation signal seen."""
    found: dict[str, list[str]] = {}
    for labels in customer_labels:
        for lab in present(labels):
            name = str(lab.get("name"))
            if name in ESCALATION_SIGNALS:
                found.setdefault(name, []).extend(words(lab))
    out = [
        Signal(n, t, tuple(dict.fromkeys(found.get(n, []))), n in found)
        for n, t in WATCHED_SIGNALS.items()
    ]
    out += [
        Signal(n, t, tuple(dict.fromkeys(found[n])), True)
        for n, t in OTHER_SIGNALS.items()
        if n in found
    ]
    return out


def checklist(company_labels: Sequence[Labels]) -> list[Step]:
    """Which of the five steps the company's replies have covered so far, with the words."""
    out = []
    for sid, title, names in STEPS:
        hit: dict[str, list[str]] = {}
        most_options = 0.0
        for labels in company_labels:
            for lab in present(labels):
                name = lab.get("name")
                if name not in names:
                    continue
                if name == "alternatives":
                    options = float(lab.get("value") or 0)
                    most_options = max(most_options, options)
                    if options < MIN_ALTERNATIVES:
                        continue
                hit.setdefault(str(name), []).extend(words(lab))
        if sid == "close":
            done = all(n in hit for n in names)
            missing = [n for n in names if n not in hit]
            note = f"still missing: {', '.join(missing)}" if hit and missing else ""
        else:
            done = bool(hit)
            note = (
                f"{most_options:g} option offered; two or more let the customer choose"
                if sid == "alternatives" and not done and most_options
                else ""
            )
        seen = tuple(dict.fromkeys(w for ws in hit.values() for w in ws))[:3]
        out.append(Step(sid, title, done, seen, note))
    return out


def warnings(
    company: Sequence[tuple[int | None, Labels]],
) -> list[Warning]:
    """Every anti-pattern in the company's replies, newest first, with the offending words."""
    out = []
    for message_id, labels in reversed(company):
        for lab in present(labels):
            name = str(lab.get("name"))
            if name in AGENT_ANTIPATTERNS:
                out.append(Warning(name, tuple(words(lab)), WHY.get(name, ""), message_id))
    return out
