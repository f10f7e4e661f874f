"""Cue tables for customer labels: anchor-prefiltered, clause-aware negation, blockers and hedges.

Why not `patterns.CueSet`? Two reasons, both measured on real customer tweets:
- speed: one alternation per label costs 30-50 µs a tweet in `re`, and there are 19 customer
  labels. Here each cue is gated by word keys, the same as `FastCues` (`text_cues.requirements`):
  read off the pattern's parse tree, the two rarest sets of required words (a match holds a word
  of each), so "are you stupid" runs on texts with "stupid"/"dumb", not on every "are"; only when
  the pattern yields none, by the cue's anchor words (four letters or more: a word they begin;
  three: a word starting with them; shorter: that word). The keys of all tables are looked up
  once per message (`CueIndex`), and only the cues let through run, as plain lower-case regexes
  (IGNORECASE doubles the cost of `re`). Most labels cost one dict lookup.
- meaning: a negator's scope ends at a clause break, so "I'm not angry just confused" negates
  "angry" only; "never been so angry" is emphasis, not negation; a blocker removes matches inside
  a known formula ("thanks for nothing", "no worries"); a hedge ("if", "would", "hope") before a
  cue in its clause drops it ("I would be happy if...").

Confidence: each surviving cue carries a weight (how much it alone proves the label); distinct
cues combine as independent evidence, 1 - prod(1 - w). Overlapping matches count once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from calmdesk.core.detect.base import Context
from calmdesk.core.detect.engine_scan import GuardedRegex
from calmdesk.core.detect.text_cues import (
    CueIndex,
    Gate,
    cue_numbers,
    lower_same_length,
    requirements,
)
from calmdesk.core.model import Label, Message, Span

_LEADING_WORD = re.compile(r"([a-z]+)([?*{]?)")

_WINDOW = 48
#: Where a negator's (or hedge's) scope ends, looking back from a cue.
_CLAUSE_BREAK = re.compile(
    r"[,.;:!?()\n]|\b(?:but|just|only|although|though|however|yet|rather|instead|because)\b"
)
#: "I'm" / "I'll" starts a new clause for negation even without a comma.
_NEW_SUBJECT = re.compile(r"\bi(?:'m|’m| am|'ll|’ll| will)\b")
_NEGATED_TAIL = re.compile(
    r"(?:\b(?:not|never|no|nor|neither|cannot|hardly|dont|cant|wont|didnt|doesnt|isnt|wasnt|"
    r"havent|hasnt|couldnt|wouldnt|shouldnt|arent|werent|aint)\b|n[’']t\b)"
    r"(?:\s+[\w’']+){0,3}\s*$"
)
#: Negator-shaped phrases that intensify instead: "never been so angry", "no doubt".
_NOT_A_NEGATION = re.compile(
    r"\b(?:never (?:been|felt|seen|had|experienced|dealt)|not only|no doubt|no wonder)\b"
)


def prepared(text: str) -> str:
    """A text lower-cased (same length, so offsets hold; apostrophes kept); cached per text."""
    return _prepared(text)[0]


_Result = tuple[float, tuple[Span, ...]]
_NOTHING: _Result = (0.0, ())
#: All customer cue tables, for the one key lookup per text.
_INDEX = CueIndex()


@lru_cache(maxsize=2048)
def _prepared(text: str) -> tuple[str, dict[int, int], dict[LabelCues, _Result]]:
    """(lower-cased text, the cues each table's keys let through, each table's result once
    computed): tables consult each other's results on the same text, so a result is kept with the
    text rather than recomputed."""
    low = lower_same_length(text)
    return low, _INDEX.find(low), {}


def _clause_before(text: str, start: int) -> str:
    """The text between the last clause break and `start`, within a short window."""
    window = text[max(0, start - _WINDOW) : start]
    cut = 0
    for m in _CLAUSE_BREAK.finditer(window):
        cut = m.end()
    return window[cut:]


def negated(text: str, start: int) -> bool:
    """True when a negator within three words before `start`, in the same clause, scopes over it.

    `text` is lower case (the matcher passes its prepared text).
    """
    clause = _clause_before(text, start)
    subjects = [m.start() for m in _NEW_SUBJECT.finditer(clause)]
    if subjects:  # "if this isn't sorted I'm leaving a review": the negator is in another clause
        clause = clause[subjects[-1] :]
    return _NEGATED_TAIL.search(clause) is not None and not _NOT_A_NEGATION.search(clause)


@dataclass(frozen=True, slots=True)
class Cue:
    pattern: str
    weight: float
    negatable: bool
    anchors: tuple[str, ...]


def _split_top(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern."""
    parts, depth, cur, i = [], 0, [], 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            cur.append(pattern[i : i + 2])
            i += 2
            continue
        depth += ch == "("
        depth -= ch == ")"
        if ch == "|" and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
        i += 1
    parts.append("".join(cur))
    return parts


def _derive_anchors(pattern: str) -> tuple[str, ...]:
    """The leading word of each top-level alternative; an error when one does not start with one."""
    out = []
    for alt in _split_top(pattern):
        m = _LEADING_WORD.match(alt)
        word = "" if m is None else (m.group(1)[:-1] if m.group(2) else m.group(1))
        if len(word) < 3:
            raise ValueError(f"cue {pattern!r}: give anchor= (alternative {alt!r} has no word)")
        out.append(word)
    return tuple(out)


def cue(pattern: str, weight: float, *, negatable: bool = True, anchor: str = "") -> Cue:
    """A cue; `anchor` ("word|word") names words one of which every match contains (the gate
    falls back on them when no key can be read off the pattern)."""
    words = tuple(anchor.split("|")) if anchor else _derive_anchors(pattern)
    return Cue(pattern, weight, negatable, words)


def _anchor_key(word: str) -> str:
    """An anchor word as a gate key: a word it begins (4+ letters, 3 letters), else the word."""
    word = word.lower()
    if len(word) >= 4:
        return word[:4] + "*"
    return word + "~" if len(word) == 3 else word


def cue_keys(c: Cue) -> tuple[frozenset[str], ...]:
    """The key sets that gate a cue: read off its pattern (a match starts and ends at a word
    edge: the engine's guards), so exact by construction; its anchor words only when the pattern
    yields none (they are the author's claim, and a claim can miss a spelling)."""
    found = requirements(c.pattern, starts_word=True, ends_word=True)
    return found or (frozenset(map(_anchor_key, c.anchors)),)


_ESCAPE_OR_GROUP_FLAG = re.compile(r"\\.|\(\?[A-Za-z<=!:]+")


def _check_lower_case(table: str, pattern: str) -> None:
    """Cues match lower-cased text, so a capital letter in a pattern can never match."""
    caps = re.findall(r"[A-Z]", _ESCAPE_OR_GROUP_FLAG.sub("", pattern))
    if caps:
        raise ValueError(
            f"cue table {table!r}: pattern {pattern[:60]!r} has capital letters {caps}; "
            "customer cues match lower-cased text"
        )


class LabelCues:
    """The cues of one label, matched with an anchor prefilter; see the module docstring."""

    __slots__ = ("_blocker", "_cues", "_gate", "_hedge", "_regexes", "_scans", "_slot", "name")

    def __init__(
        self,
        name: str,
        cues: Iterable[Cue],
        *,
        blockers: Iterable[str] = (),
        hedges: str = "",
    ) -> None:
        self.name = name
        self._cues = tuple(cues)
        if not self._cues:
            raise ValueError(f"cue table {name!r} has no cues")
        for c in self._cues:
            _check_lower_case(name, c.pattern)
        # (?<![\w@]): a cue never starts inside a word or an @handle ("@Yelp", "@AskPlayStation")
        self._regexes = tuple(re.compile(rf"(?<![\w@])(?:{c.pattern})(?!\w)") for c in self._cues)
        #: the same regexes with the leading guard checked outside `re` (see `engine_scan`)
        self._scans = tuple(GuardedRegex(rf"(?:{c.pattern})(?!\w)", "nonword@") for c in self._cues)
        needs = [cue_keys(c) for c in self._cues]
        self._gate = Gate(needs)
        self._slot = _INDEX.add(needs)
        _prepared.cache_clear()  # texts prepared so far were looked up without this table
        blocked = "|".join(blockers)
        self._blocker = GuardedRegex(rf"(?:{blocked})(?!\w)", "nonword") if blocked else None
        self._hedge = re.compile(rf"\b(?:{hedges})\b") if hedges else None

    def match(self, text: str, *, prefilter: bool = True) -> _Result:
        """Combined confidence and evidence spans; kept per text (labels consult each other)."""
        low, active, results = _prepared(text)
        if not prefilter:
            return self._match(text, low, range(len(self._cues)))
        mask = active.get(self._slot)
        if mask is None:  # the common case: no key, no work
            return _NOTHING
        found = results.get(self)
        if found is None:
            run = self._gate.runnable(mask)
            found = self._match(text, low, cue_numbers(run)) if run else _NOTHING
            results[self] = found
        return found

    def _match(self, text: str, low: str, candidates: Iterable[int]) -> _Result:
        found = [(start, -end, i) for i in candidates for start, end in self._scans[i].spans(low)]
        if not found:
            return _NOTHING
        blocked = self._blocker.spans(low) if self._blocker is not None else []
        found.sort()  # leftmost first, the longest of those first, then in cue order
        miss, spans, used, last_end = 1.0, [], set(), -1
        for start, neg_end, i in found:
            if start < last_end or (blocked and any(b0 <= start < b1 for b0, b1 in blocked)):
                continue
            if self._cues[i].negatable and negated(low, start):
                continue
            if self._hedge is not None and self._hedge.search(_clause_before(low, start)):
                continue
            last_end = -neg_end
            spans.append(Span(start, last_end, text[start:last_end]))
            if i not in used:  # a repeated cue is one piece of evidence, not several
                used.add(i)
                miss *= 1.0 - self._cues[i].weight
        return 1.0 - miss, tuple(spans)


def combine(*weights: float) -> float:
    """Independent evidence: 1 - prod(1 - w)."""
    miss = 1.0
    for w in weights:
        miss *= 1.0 - max(0.0, min(1.0, w))
    return 1.0 - miss


def merge_spans(*groups: Iterable[Span]) -> tuple[Span, ...]:
    """Spans of several sources in text order, duplicates dropped."""
    seen: dict[tuple[int, int], Span] = {}
    for group in groups:
        for s in group:
            seen.setdefault((s.start, s.end), s)
    return tuple(sorted(seen.values(), key=lambda s: (s.start, s.end)))


#: Rescores a table's match with what else is known: (message, context, conf, spans) -> same.
Adjust = Callable[[Message, Context, float, tuple[Span, ...]], tuple[float, tuple[Span, ...]]]


def table_labels(
    message: Message,
    context: Context,
    rules: Sequence[tuple[LabelCues, Adjust | None]],
    *,
    detector: str,
) -> list[Label]:
    """One label per table whose (adjusted) cues fire on the message."""
    out: list[Label] = []
    active = _prepared(message.text)[1]
    for table, adjust in rules:
        if adjust is None and table._slot not in active:  # no cue let through: nothing to say
            continue
        conf, spans = table.match(message.text)
        if adjust is not None:
            conf, spans = adjust(message, context, conf, spans)
        if conf > 0.0 and spans:
            out.append(Label(table.name, round(min(1.0, conf), 4), spans, detector=detector))
    return out
