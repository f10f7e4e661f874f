"""Rewrite an agent's draft: mark each anti-pattern, say why, and propose a checked replacement.

The marks come from calmdesk's own detectors, so coaching and scoring never disagree. The
replacement keeps the draft's substance (every clean sentence, and every fact even when it sat
inside an anti-pattern: "our policy clearly states refunds take 10 days" keeps "refunds take
10 days") and rebuilds the tone around it with the template engine, then passes the self-check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from calmdesk.core.compose.config import TeamConfig
from calmdesk.core.compose.facts import FACT, find_facts, missing_facts
from calmdesk.core.compose.reading import Situation, read_situation
from calmdesk.core.compose.selfcheck import CheckResult, check
from calmdesk.core.compose.suggest import ATTEMPTS
from calmdesk.core.compose.template import carry_draft, resolve_draft
from calmdesk.core.detect.agent_antipatterns import ACRONYMS
from calmdesk.core.detect.text_tokens import sentences
from calmdesk.core.model import Conversation, Span
from calmdesk.core.pipeline import Analysis, Pipeline
from calmdesk.core.taxonomy import AGENT_ANTIPATTERNS

#: Why each anti-pattern hurts, in one line, with the playbook rule it breaks (DESIGN.md 1).
WHY: dict[str, str] = {
    "defensive": "P2 axiom 1: pushing back tells the customer they cannot win; acknowledge, "
    "don't defend.",
    "correcting": "P2 axiom 1, P4: a passive-aggressive correction; restate their view in your "
    "own words instead.",
    "blame": "P4c guilty until proven innocent: the fault is put on the customer.",
    "suspicion": "P1, P4c: doubt or fact-finding before a solution was accepted; resolve first, "
    "ask later.",
    "policy_hiding": "P4b: the policy is the whole answer; give it as context and offer options.",
    "non_apology": "P4d: sorry for their feelings is not an apology; own the problem.",
    "dismissive": "P2 axiom 1, P4 validation: 'calm down' or minimising denies their experience.",
    "patronizing": "P4c: talking down to the customer.",
    "tone_matching": "P2 axiom 1: capitals and exclamations answer a raised tone in kind.",
    "transactional": "P4a: boilerplate that ignores the customer's words and history.",
}


@dataclass(frozen=True, slots=True)
class Mark:
    label: str
    spans: tuple[Span, ...]
    why: str


@dataclass(frozen=True, slots=True)
class Rewrite:
    original: str
    marks: tuple[Mark, ...]
    replacement: str
    check: CheckResult
    kept_facts: tuple[str, ...]
    missing_facts: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return self.check.passed and not self.missing_facts


_GREETING = re.compile(
    r"^\s*(?:hi|hello|hey|dear|good (?:morning|afternoon|evening))\b[^.!?\n]{0,40},?\s*$"
    r"|^\s*(?:kind |best |warm )?regards\b.*$|^\s*(?:thanks|cheers|best|sincerely),?\s*$",
    re.IGNORECASE,
)
#: Words that turn a fact into a refusal or a correction; the fact itself survives without them.
_LEAD_IN = re.compile(
    r"^(?:(?:but|and|so|also|however|actually|obviously|clearly|again|as I (?:already )?"
    r"(?:said|mentioned|explained|told you))[ ,]+)*"
    r"(?:(?:as )?(?:our|the|company|store)\s+(?:\w+\s+)?(?:polic(?:y|ies)|terms(?: and "
    r"conditions)?|rules|guidelines|system)\s+(?:\w+ly\s+)?(?:states?|says?|is|are|means|"
    r"requires?|shows?)(?:\s+that)?\s+)?",
    re.IGNORECASE,
)
_CLAUSE = re.compile(r"[^,;:]+")
#: A connector left dangling once the flagged words after it are gone ("... because").
_DANGLING = re.compile(
    r"(?:\s+(?:because|as|since|and|but|so|that|which|due to|per|under))+\s*$", re.I
)


def _overlaps(start: int, end: int, spans: list[Span]) -> list[Span]:
    return [s for s in spans if s.start < end and s.end > start]


def _salvage(text: str, start: int, end: int, spans: list[Span]) -> list[str]:
    """The fact-bearing clauses of a flagged sentence, with the flagged words taken out."""
    out = []
    for m in _CLAUSE.finditer(text, start, end):
        clause = m.group()
        if not find_facts(clause):
            continue
        for s in sorted(_overlaps(m.start(), m.end(), spans), key=lambda s: -s.start):
            a, b = max(s.start, m.start()) - m.start(), min(s.end, m.end()) - m.start()
            cut = clause[:a] + clause[b:]
            clause = cut if find_facts(cut) else clause
        clause = _LEAD_IN.sub("", clause.strip().rstrip(".!?")).strip()
        clause = _DANGLING.sub("", clause).strip()
        if clause:
            out.append(clause)
    return out


_CAPS = re.compile(r"\b[A-Z]{2,}\b(?![ -]?\d)")
_BANGS = re.compile(r"\s*[!?]*![!?]*")


def calm_tone(sentence: str) -> str:
    """Capitals and exclamation runs brought down to an inside voice (P2 axiom 1). Facts
    ("#48213-RT"), acronyms and codes stay as written, unless the sentence is shouted as a whole
    ("WE DID NOT LOSE IT")."""
    facts = [m.span() for m in FACT.finditer(sentence)]
    caps = [m for m in _CAPS.finditer(sentence) if not any(a <= m.start() < b for a, b in facts)]
    shouted = sum(1 for m in caps if m.group() not in ACRONYMS) >= 2
    out = sentence
    for m in reversed(caps):
        word = m.group()
        if shouted or (word not in ACRONYMS and len(word) >= 3):
            out = out[: m.start()] + word.lower() + out[m.end() :]
    out = _BANGS.sub(".", out) if "!" in out else out
    return out[:1].upper() + out[1:]


def carried(text: str, flagged: list[Span]) -> tuple[list[str], list[str]]:
    """Clean sentences kept (in an inside voice), and facts salvaged from flagged ones."""
    kept, salvaged = [], []
    for start, end in sentences(text):
        sentence = text[start:end].strip()
        if not sentence or _GREETING.match(sentence):
            continue
        if _overlaps(start, end, flagged):
            salvaged += _salvage(text, start, end, flagged)
        else:
            kept.append(calm_tone(sentence))
    return kept, [calm_tone(s[:1].upper() + s[1:] + ".") for s in salvaged]


def _context(analysis: Analysis, team: TeamConfig) -> Situation:
    sit = read_situation(analysis, team)
    if not sit.customer_text:  # nothing said by a customer: no knowledge entry can be "matched"
        sit = replace(sit, knowledge=None)
    return sit


def rewrite(
    draft: str,
    team: TeamConfig,
    pipeline: Pipeline,
    *,
    conversation: Conversation | None = None,
    seed: int = 0,
) -> Rewrite:
    """Marks and a checked replacement for `draft`, read as the next reply in `conversation`."""
    conv = conversation or Conversation(id="draft", messages=(), channel="chat")
    analysis = pipeline.analyze(conv)
    first = check(pipeline, conv, draft, analysis=analysis)
    labels = [lab for lab in first.draft.present() if lab.name in AGENT_ANTIPATTERNS]
    marks = tuple(Mark(lab.name, lab.spans, WHY[lab.name]) for lab in labels)
    flagged = [s for lab in labels for s in lab.spans]
    kept, salvaged = carried(draft, flagged)
    sit = _context(analysis, team)
    full = conversation is not None and bool(sit.customer_text)
    best: tuple[str, CheckResult] | None = None
    # first keep the agent's clean sentences too; if they drag the check down, keep facts only
    for carry in ([*salvaged, *kept], [*salvaged, *(k for k in kept if find_facts(k))]):
        for i in range(ATTEMPTS):
            if full:
                text = resolve_draft(sit, team, seed + i, carry)
            else:
                text = carry_draft(sit, seed + i, carry)
            result = check(pipeline, conv, text, analysis=analysis)
            if result.passed and not missing_facts(draft, text):
                return Rewrite(draft, marks, text, result, tuple(find_facts(draft)), ())
            if best is None or len(result.problems) < len(best[1].problems):
                best = (text, result)
    assert best is not None
    lost = tuple(missing_facts(draft, best[0]))
    return Rewrite(draft, marks, best[0], best[1], tuple(find_facts(draft)), lost)
