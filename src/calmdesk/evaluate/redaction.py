"""How well a redactor hides personal data and spares look-alikes, on a set with marked spans.

Definitions (the figures bench/redact.py prints and the tests hold to):
- recall: personal-data items whose every character is masked / personal-data items;
- false positives: look-alike items (order numbers, dates, amounts, ...) with any character
  masked / look-alike items;
- character precision: masked characters inside personal-data items / all masked characters.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

#: a redactor seen from outside: text in, the (start, end) ranges it masked out
Masker = Callable[[str], Sequence[tuple[int, int]]]


@dataclass(frozen=True, slots=True)
class Span:
    kind: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Sample:
    id: str
    text: str
    items: tuple[Span, ...]
    keep: tuple[Span, ...]


@dataclass
class Figures:
    items: Counter[str] = field(default_factory=Counter)
    masked: Counter[str] = field(default_factory=Counter)
    lookalikes: Counter[str] = field(default_factory=Counter)
    damaged: Counter[str] = field(default_factory=Counter)
    masked_chars: int = 0
    masked_personal_chars: int = 0
    missed: list[tuple[str, str]] = field(default_factory=list)
    spoiled: list[tuple[str, str]] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return _ratio(sum(self.masked.values()), sum(self.items.values()))

    @property
    def false_positive_rate(self) -> float:
        return _ratio(sum(self.damaged.values()), sum(self.lookalikes.values()))

    @property
    def char_precision(self) -> float:
        return _ratio(self.masked_personal_chars, self.masked_chars, empty=1.0)


def _ratio(part: int, whole: int, empty: float = 0.0) -> float:
    return part / whole if whole else empty


def load(path: Path) -> list[Sample]:
    """The samples of a JSONL set; a bad span is reported with its line, not skipped."""
    samples = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        sample = Sample(row["id"], row["text"], _spans(row["items"]), _spans(row["keep"]))
        for span in sample.items + sample.keep:
            if not 0 <= span.start < span.end <= len(sample.text):
                raise ValueError(f"{path}:{number}: span {span} lies outside the text")
        samples.append(sample)
    return samples


def _spans(rows: Iterable[dict[str, object]]) -> tuple[Span, ...]:
    return tuple(Span(str(r["kind"]), int(str(r["start"])), int(str(r["end"]))) for r in rows)


def score(samples: Iterable[Sample], masker: Masker) -> Figures:
    figures = Figures()
    for sample in samples:
        masked = [False] * len(sample.text)
        for start, end in masker(sample.text):
            masked[start:end] = [True] * (end - start)
        personal = [False] * len(sample.text)
        for item in sample.items:
            personal[item.start : item.end] = [True] * (item.end - item.start)
            figures.items[item.kind] += 1
            if all(masked[item.start : item.end]):
                figures.masked[item.kind] += 1
            else:
                figures.missed.append((sample.id, sample.text[item.start : item.end]))
        for look in sample.keep:
            figures.lookalikes[look.kind] += 1
            if any(masked[look.start : look.end]):
                figures.damaged[look.kind] += 1
                figures.spoiled.append((sample.id, sample.text[look.start : look.end]))
        figures.masked_chars += sum(masked)
        figures.masked_personal_chars += sum(m and p for m, p in zip(masked, personal, strict=True))
    return figures


def masked_by_output(redact: Callable[[str], str], tokens: Iterable[str]) -> Masker:
    """A masker for a redactor that only returns text with `[kind]` tokens in place of data.

    The kept text between tokens is the original's, in order, so matching the output as a
    pattern (each token standing for one or more characters) recovers what was masked.
    """
    token = re.compile("|".join(re.escape(t) for t in tokens))

    def masker(text: str) -> list[tuple[int, int]]:
        out = redact(text)
        pieces = token.split(out)
        pattern = "(.+?)".join(re.escape(p) for p in pieces)
        match = re.fullmatch(pattern, text, re.DOTALL)
        if match is None:
            raise ValueError(f"cannot align the redacted text with the original: {out!r}")
        return [match.span(g) for g in range(1, (match.lastindex or 0) + 1)]

    return masker
