"""What the composer needs to know about a conversation, read once from its analysis.

Everything a draft may say about the customer comes from here: their name, the emotion they
showed, what their problem is, the deadline they named, their relationship with us (tenure,
tier, value, past cases, goodwill already given) and whether they asked for a supervisor. Only
the conversation and its metadata are read, so a draft can never state what nobody said.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from calmdesk.core.annotate import State
from calmdesk.core.compose.config import IssueType, KnowledgeEntry, TeamConfig
from calmdesk.core.detect.base import MessageAnalysis
from calmdesk.core.pipeline import Analysis
from calmdesk.core.taxonomy import ESCALATION_SIGNALS, NEGATIVE_EMOTIONS

Mode = Literal["resolve", "close"]

#: The customer's emotion label, as the adjective a reply names ("how frustrating ...").
EMOTION_WORDS: Mapping[str, tuple[str, str]] = {
    # label: (what they feel, how the situation is)
    "anger": ("angry", "infuriating"),
    "frustration": ("frustrated", "frustrating"),
    "disappointment": ("disappointed", "disappointing"),
    "anxiety": ("worried", "worrying"),
    "confusion": ("confused", "confusing"),
    "polite_displeasure": ("disappointed", "disappointing"),
}
_NOUN = {"angry": "anger", "frustrated": "frustration", "disappointed": "disappointment"}
_NOUN |= {"worried": "worry", "confused": "confusion", "let down": "disappointment"}

_DAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|tonight|today)"
_DEADLINE = re.compile(rf"\b(?:by|before|on|until|for) ({_DAY})\b|\b({_DAY}) morning\b", re.I)
_SIGNALS_WITHOUT_TIME = tuple(s for s in ESCALATION_SIGNALS if s != "time_pressure")


@dataclass(frozen=True, slots=True)
class Customer:
    """The relationship a reply must honour (P4a): from `metadata.customer`."""

    name: str | None = None
    tenure_years: float = 0.0
    tier: str = "standard"
    lifetime_value: float = 0.0
    past_cases: int = 0
    goodwill_given: float = 0.0


@dataclass(frozen=True, slots=True)
class Situation:
    analysis: Analysis
    mode: Mode
    channel: str
    customer: Customer
    agent_name: str | None
    feeling: str
    situation_word: str
    emotion_noun: str
    issue: IssueType
    #: everything the customer wrote, for matching remedies and knowledge
    customer_text: str
    item: str
    deadline: str | None
    knowledge: KnowledgeEntry | None
    supervisor_pending: bool
    latest: MessageAnalysis | None


def _num(raw: Mapping[str, Any], key: str, default: float) -> float:
    value = raw.get(key, default)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def read_customer(analysis: Analysis) -> Customer:
    conv = analysis.conversation
    raw = conv.metadata.get("customer", {})
    raw = raw if isinstance(raw, Mapping) else {}
    first = next((m for m in conv.messages if m.is_customer), None)
    person = conv.participant(first.author) if first else None
    name = person.name.split()[0] if person and person.name else None
    return Customer(
        name=name,
        tenure_years=_num(raw, "tenure_years", 0.0),
        tier=str(raw.get("tier", "standard")).lower(),
        lifetime_value=_num(raw, "lifetime_value", 0.0),
        past_cases=int(_num(raw, "past_cases", 0.0)),
        goodwill_given=_num(raw, "goodwill_given", 0.0),
    )


def _emotion(customer_msgs: list[MessageAnalysis]) -> str:
    """The strongest negative emotion, latest messages first (what they feel now)."""
    for ma in reversed(customer_msgs):
        found = [(ma.get(n), n) for n in EMOTION_WORDS if ma.has(n)]
        if found:
            return max(found, key=lambda pair: pair[0].confidence if pair[0] else 0.0)[1]
    return "frustration"


def _score(cues: tuple[str, ...], text: str) -> int:
    return sum(1 for c in cues if re.search(rf"\b{re.escape(c)}(?:s|es)?\b", text))


def match_issue(text: str, team: TeamConfig) -> IssueType:
    low = text.lower()
    scored = [(_score(t.cues, low), -i, t) for i, t in enumerate(team.issue_types)]
    best = max(scored, key=lambda s: (s[0], s[1]), default=None)
    if best and best[0] > 0:
        return best[2]
    general = next((t for t in team.issue_types if t.id == "general"), None)
    return general or IssueType("general", (), ("this still isn't fixed for you",), "this")


def match_knowledge(text: str, issue: IssueType, team: TeamConfig) -> KnowledgeEntry | None:
    """The entry whose cues the customer's words hit most; the issue type breaks ties."""
    low = text.lower()
    best: tuple[float, KnowledgeEntry] | None = None
    for entry in team.knowledge:
        hits = _score(entry.cues, low)
        if not hits:
            continue
        score = hits + (1.5 if issue.id in entry.issue_types else 0.0)
        if best is None or score > best[0]:
            best = (score, entry)
    if best is not None:
        return best[1]
    return next((e for e in team.knowledge if e.id == "default"), None)


def _item(text: str, issue: IssueType) -> str:
    """What the customer called the thing at stake, if it is one this issue knows."""
    if not issue.items:
        return issue.default_item
    names = "|".join(re.escape(w) for w in issue.items)
    m = re.search(rf"\b(?:my|our|the|your|a) (?:\w+ )?({names})\b", text, re.IGNORECASE)
    return f"your {m.group(1).lower()}" if m else issue.default_item


def _deadline(text: str) -> str | None:
    m = _DEADLINE.search(text)
    if not m:
        return None
    day = (m.group(1) or m.group(2)).lower()
    return day if day in {"tomorrow", "tonight", "today"} else day.capitalize()


def _supervisor_pending(msgs: tuple[MessageAnalysis, ...]) -> bool:
    pending = False
    for ma in msgs:
        if ma.message.is_customer and ma.has("supervisor_request"):
            pending = True
        elif ma.message.is_company and (
            ma.has("supervisor_offer") or ma.message.role == "supervisor"
        ):
            pending = False
    return pending


def _mode(msgs: tuple[MessageAnalysis, ...], latest: MessageAnalysis | None) -> Mode:
    """Close when the customer's latest word is content and a solution is on the table."""
    if latest is None:
        return "resolve"
    state = State()
    for ma in msgs:
        state = state.after(ma)
    pleased = (
        latest.has("gratitude") or latest.has("satisfaction") or latest.has("accepts_solution")
    )
    content = pleased or (latest.value("sentiment") >= 0.3 and state.solution_offered)
    calm = not any(latest.has(n) for n in (*NEGATIVE_EMOTIONS, *_SIGNALS_WITHOUT_TIME))
    return "close" if content and calm else "resolve"


def _resolve_when_owed(mode: Mode, supervisor_pending: bool) -> Mode:
    """An unanswered supervisor request keeps the case open, however politely it ends (P5)."""
    return "resolve" if supervisor_pending else mode


def read_situation(analysis: Analysis, team: TeamConfig) -> Situation:
    msgs = analysis.messages
    customer_msgs = [ma for ma in msgs if ma.message.is_customer]
    latest = customer_msgs[-1] if customer_msgs else None
    text = " ".join(ma.message.text for ma in customer_msgs)
    issue = match_issue(text, team)
    emotion = _emotion(customer_msgs)
    feeling, word = EMOTION_WORDS[emotion]
    conv = analysis.conversation
    channel = msgs[-1].message.channel if msgs else conv.channel
    agents = [m for m in conv.messages if m.is_company]
    person = conv.participant(agents[-1].author) if agents else None
    agent_name = person.name if person and person.name and person.role != "bot" else None
    return Situation(
        analysis=analysis,
        mode=_resolve_when_owed(_mode(msgs, latest), _supervisor_pending(msgs)),
        channel=(channel or "chat").lower(),
        customer=read_customer(analysis),
        agent_name=agent_name,
        feeling=feeling,
        situation_word=word,
        emotion_noun=_NOUN[feeling],
        issue=issue,
        customer_text=text,
        item=_item(text, issue),
        deadline=_deadline(text),
        knowledge=match_knowledge(text, issue, team),
        supervisor_pending=_supervisor_pending(msgs),
        latest=latest,
    )
