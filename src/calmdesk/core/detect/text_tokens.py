"""Cheap text measures the agent detectors share: sentences, content words, overlap, copying.

Paraphrase (P4 "show understanding") and boilerplate (P4a "transactional") are both defined by how
an agent reply relates to the customer's words, so both need the same two measures: how many of
the customer's content words come back (coverage), and how much comes back as a verbatim run
(copying). Everything here is one regex pass plus set/tuple work, so it stays in microseconds.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from calmdesk.core.detect.text_cues import lowered

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
#: A sentence: text up to and including its run of end marks (or a line break).
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)|[^.!?\n]*[.!?]+", re.MULTILINE)

#: Function words and support small talk: they carry no content, so they never count as overlap.
_STOPWORDS = """
    a about above after again against all also am an and any are aren't as at be because been
    before being below between both but by can can't cannot could couldn't did didn't do does
    doesn't doing don't down during each even ever few for from further get gets got had hadn't has
    hasn't have haven't having he her here hers herself him himself his how i i'd i'll i'm i've if
    in into is isn't it it's its itself just let let's me more most much must my myself no nor not
    now of off on once only or other ought our ours ourselves out over own please really same she
    should shouldn't so some still such than thank thanks that that's the their theirs them
    themselves then there there's these they they're this those through to too under until up us
    very was wasn't we we'd we'll we're we've were weren't what what's when where which while who
    whom why will with won't would wouldn't yes yet you you'd you'll you're you've your yours
    yourself yourselves hi hello hey dear ok okay sure well one two like know want need tell said
    say going go make made may might since ago already"""
STOPWORDS: frozenset[str] = frozenset(_STOPWORDS.split())


def words(text: str) -> list[str]:
    """Lower-case word tokens, apostrophes normalised."""
    return _WORD.findall(lowered(text))


@lru_cache(maxsize=16384)
def stem(word: str) -> str:
    """A light suffix stripper: enough for 'charged'/'charge'/'charges' to meet."""
    for suffix, repl in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            word = word[: len(word) - len(suffix)] + repl
            break
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


def content_words(tokens: Sequence[str]) -> frozenset[str]:
    """Stems of the tokens that carry content (no stopwords, no one-letter tokens)."""
    return frozenset(map(stem, [t for t in set(tokens).difference(STOPWORDS) if len(t) > 1]))


@dataclass(frozen=True, slots=True)
class TextProfile:
    """A message tokenised once: its words and content stems (and 4-grams, made when asked)."""

    tokens: tuple[str, ...]
    content: frozenset[str]
    _grams: frozenset[tuple[str, ...]] | None = field(default=None, repr=False, compare=False)

    @property
    def grams(self) -> frozenset[tuple[str, ...]]:
        """The set of 4-word runs (only `copy_ratio` needs them, and only on a close match)."""
        grams = self._grams
        if grams is None:
            toks = self.tokens
            grams = frozenset(zip(toks, toks[1:], toks[2:], toks[3:], strict=False))
            object.__setattr__(self, "_grams", grams)
        return grams


_GRAM = 4


@lru_cache(maxsize=1024)
def profile(text: str) -> TextProfile:
    """The profile of a text; cached, so a customer message is tokenised once for all detectors."""
    toks = tuple(words(text))
    return TextProfile(toks, content_words(toks))


def coverage(reply: TextProfile, source: TextProfile) -> tuple[float, int]:
    """Share of the source's content words that come back in the reply, and how many."""
    if not source.content:
        return 0.0, 0
    shared = len(reply.content & source.content)
    return shared / len(source.content), shared


def copy_ratio(reply: TextProfile, source: TextProfile) -> float:
    """Share of the source's tokens that the reply repeats inside verbatim 4-word runs."""
    toks = source.tokens
    if len(toks) < _GRAM or not reply.grams:
        return 0.0
    covered = [False] * len(toks)
    for i in range(len(toks) - _GRAM + 1):
        if toks[i : i + _GRAM] in reply.grams:
            covered[i : i + _GRAM] = [True] * _GRAM
    return sum(covered) / len(toks)


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, leading spaces trimmed; good enough for chat and email."""
    out: list[tuple[int, int]] = []
    for m in _SENTENCE.finditer(text):
        start, end = m.start(), m.end()
        while start < end and text[start].isspace():
            start += 1
        if start < end:
            out.append((start, end))
    return out
