"""Customer `sentiment` (VADER) and `intensity` (how loud the message is).

sentiment: value = VADER's compound score in [-1, 1]. Spans = up to three words VADER's lexicon
scores most strongly, on the side of the compound's sign. Confidence = 0.5 + 0.5 * |compound|
when the lexicon scored any word, else 0.5: VADER sees only lexicon words, so a plain "my parcel
never came" reads as neutral and we should not be sure of it.

intensity: value = independent evidence from surface features, 1 - prod(1 - part):
shouting (share of shouted words, up to 0.7), exclamation marks (0.15 each, up to 0.5; '?' runs
count as well), profanity (0.4, +0.15 per further word, up to 0.65), intensifiers (0.06 each, up
to 0.25), elongation and repeated words ("sooo", "never never"; 0.2 each, up to 0.4). Spans =
the shouted words, '!' runs, profanity, elongations. Confidence = 0.9: a surface count, with
room left for acronyms and quoted shouting it cannot tell apart.

The analyzer is built once, lazily; scores are cached per text so a detector that needs the
sentiment (polite displeasure, satisfaction) never runs VADER a second time.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from itertools import pairwise, repeat
from operator import attrgetter
from typing import Any

from calmdesk.core.detect.base import Context, Detector
from calmdesk.core.detect.customer_cues import prepared
from calmdesk.core.detect.engine_scan import GuardedRegex
from calmdesk.core.detect.lexicon_customer import ACRONYMS, INTENSIFIERS, PROFANITY_CUES
from calmdesk.core.detect.sentiment_vader_fast import compound as vader_compound
from calmdesk.core.model import Label, Message, Span

_LEX_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_TWO_CAPS = re.compile(r"[A-Z][A-Z]")
#: A shouted word: (?<![\w@#/&]) checked outside `re`, so `re` can skip to capitals
_SHOUT = GuardedRegex(r"[A-Z][A-Z']*[A-Z](?![\w&])", "nonword@#/&")
_BANG = re.compile(r"[!?]*![!?]*|\?{2,}")
_TRIPLE = re.compile(r"([a-z])\1\1")
_REPEATED_WORD = re.compile(r"\b(\w{3,})\s+\1\b")
_TOP_WORDS = 3
_START_END = attrgetter("start", "end")
_PUNCT = ".,!?;:()\"'*-"


@cache
def analyzer() -> Any:
    """The VADER analyzer, built on first use (it reads its lexicon from disk)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


@lru_cache(maxsize=2048)
def compound(text: str) -> float:
    """VADER's compound score of a text, computed once per text (`sentiment_vader_fast`)."""
    return vader_compound(text)


def lexicon_spans(text: str, sign: float) -> tuple[Span, ...]:
    """The words VADER's lexicon scores most strongly on the side of `sign`, else on any side.

    A negated word ("NOT happy") scores against the compound's sign, yet it is still the reason.
    """
    scored = _scored_words(text)
    same = [ws for ws in scored if sign * ws[0] > 0] if sign else []
    best = sorted(same or scored, key=lambda ws: -abs(ws[0]))[:_TOP_WORDS]
    return tuple(Span(a, b, text[a:b]) for _, a, b in sorted(best, key=lambda ws: ws[1]))


@lru_cache(maxsize=1024)
def _scored_words(text: str) -> tuple[tuple[float, int, int], ...]:
    """(valence, start, end) of every word of the text that VADER's lexicon scores (spans are
    made only for the few `lexicon_spans` keeps)."""
    low = text.lower()
    if len(low) != len(text):  # offsets would not hold; rare non-ASCII case
        return ()
    lexicon: dict[str, float] = analyzer().lexicon
    found = _LEX_WORD.findall(low)
    if lexicon.keys().isdisjoint(found):
        return ()
    out = []
    end = 0
    for word in found:
        # no letter stands between two words, so the next word's first occurrence is the word
        start = low.find(word, end)
        end = start + len(word)
        if word in lexicon:
            out.append((lexicon[word], start, end))
    return tuple(out)


def _sentiment(message: Message, context: Context) -> list[Label]:
    value = compound(message.text)
    spans = lexicon_spans(message.text, value)
    confidence = 0.5 + 0.5 * abs(value) if spans else 0.5
    return [Label("sentiment", round(confidence, 4), spans, round(value, 4), "customer_sentiment")]


def _elongations(text: str, low: str, words: list[str]) -> list[Span]:
    """Stretched words ("sooo", "pleeease") and doubled words ("never never"); URLs skipped."""
    out: list[Span] = []
    for m in _TRIPLE.finditer(low):
        start, end = m.start(), m.end()
        while start > 0 and not low[start - 1].isspace():
            start -= 1
        while end < len(low) and not low[end].isspace():
            end += 1
        word = low[start:end]
        if "www" in word or "/" in word or (out and out[-1].start == start):
            continue
        out.append(Span(start, end, text[start:end]))
    # a word repeated right after itself: compared in C first, the length checked only then
    if any(map(str.__eq__, words, words[1:])) and any(
        a == b and len(a) > 2 for a, b in pairwise(words)
    ):
        out.extend(
            Span(m.start(), m.end(), text[m.start() : m.end()])
            for m in _REPEATED_WORD.finditer(low)
        )
    return out


@lru_cache(maxsize=2048)
def intensity(text: str) -> tuple[float, tuple[Span, ...], bool]:
    """(value, spans, has_profanity) of a text; see the module docstring for the parts."""
    low = prepared(text)
    words = low.split()
    n_words = max(1, len(words))
    shouted = (
        [(s, e) for s, e in _SHOUT.spans(text) if text[s:e] not in ACRONYMS]
        if _TWO_CAPS.search(text)
        else []
    )
    shout_part = min(0.7, 0.9 * len(shouted) / n_words) if shouted else 0.0
    if len(shouted) == 1 and n_words > 3:
        shout_part = min(shout_part, 0.2)  # one stressed word: "I am NOT happy"
    bangs = list(_BANG.finditer(text)) if "!" in text or "??" in text else []
    marks = sum(m.group().count("!") + m.group().count("?") // 2 for m in bangs) if bangs else 0
    _, profanity = PROFANITY_CUES.match(text)
    n_int = sum(map(INTENSIFIERS.__contains__, map(str.strip, words, repeat(_PUNCT))))
    elongated = _elongations(text, low, words)
    # `combine` of the parts, each already in [0, 1]: the same products in the same order
    miss = (
        (1.0 - shout_part)
        * (1.0 - min(0.5, 0.15 * marks))
        * (1.0 - (min(0.65, 0.4 + 0.15 * (len(profanity) - 1)) if profanity else 0.0))
        * (1.0 - min(0.25, 0.06 * n_int))
        * (1.0 - min(0.4, 0.2 * len(elongated)))
    )
    spans = [Span(s, e, text[s:e]) for s, e in shouted]
    if bangs:
        spans.extend(Span(m.start(), m.end(), m.group()) for m in bangs)
    spans.extend(elongated)
    spans.extend(profanity)
    if len(spans) > 1:
        spans.sort(key=_START_END)
    return round(1.0 - miss, 4), tuple(spans), bool(profanity)


def _intensity(message: Message, context: Context) -> list[Label]:
    value, spans, _ = intensity(message.text)
    return [Label("intensity", 0.9, spans, value, "customer_intensity")]


DETECTORS: list[Detector] = [
    Detector("customer_sentiment", "customer", ("sentiment",), _sentiment),
    Detector("customer_intensity", "customer", ("intensity",), _intensity),
]
