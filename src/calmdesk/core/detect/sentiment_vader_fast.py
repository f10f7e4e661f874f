"""VADER's compound score, computed the way vaderSentiment 3.3.2 does, several times faster.

Why: `SentimentIntensityAnalyzer.polarity_scores` lower-cases the whole word list again for every
lexicon word (twice), formats every idiom n-gram, and rescans the sentiment list for "but"; on
customer tweets that made it the single largest cost of the pipeline. This module keeps every
rule and constant of the reference (the installed package's lexicon, emoji lexicon, boosters,
negation words, special cases, caps emphasis, "no", "least", "but", punctuation amplification,
normalisation with alpha = 15) and its order of floating-point operations, but lower-cases once,
scores only the words in the lexicon, and skips the rules whose trigger words are absent.
`tests/core/detect/test_customer_sentiment.py` checks it against the reference.
"""

from __future__ import annotations

import math
import string
from functools import cache

_PUNCTUATION = string.punctuation
_SO_THIS = ("so", "this")


#: The reference's N_SCALAR and C_INCR (a test checks they still agree with the package).
_N_SCALAR = -0.74
_C_INCR = 0.733

_Tables = tuple[
    dict[str, float],
    frozenset[str],
    dict[str, str],
    dict[str, float],
    frozenset[str],
    dict[str, float],
]


@cache
def _tables() -> _Tables:
    """The reference's lexicons and word lists, read from the installed package on first use."""
    from vaderSentiment import vaderSentiment as vs

    from calmdesk.core.detect.customer_sentiment import analyzer

    sia = analyzer()
    emojis = {k: v for k, v in sia.emojis.items() if len(k) == 1}  # the reference reads by char
    return (
        sia.lexicon,
        frozenset(emojis),
        emojis,
        dict(vs.BOOSTER_DICT),
        frozenset(vs.NEGATE),
        dict(vs.SPECIAL_CASES),
    )


def _replace_emojis(text: str, emojis: dict[str, str]) -> str:
    """Emojis replaced by their descriptions, exactly as the reference does it."""
    out: list[str] = []
    prev_space = True
    for ch in text:
        desc = emojis.get(ch)
        if desc is not None:
            if not prev_space:
                out.append(" ")
            out.append(desc)
            prev_space = False
        else:
            out.append(ch)
            prev_space = ch == " "
    return "".join(out).strip()


def _negated(word: str, negate: frozenset[str]) -> bool:
    return word in negate or "n't" in word


def _but(low: list[str], sentiments: list[float]) -> None:
    """The reference's contrastive "but", including its lookup of values by equality."""
    bi = low.index("but")
    for k in range(len(sentiments)):
        value = sentiments[k]
        if value == 0:  # a zero stays zero wherever the lookup lands
            continue
        si = sentiments.index(value)
        if si < bi:
            sentiments[si] = value * 0.5
        elif si > bi:
            sentiments[si] = value * 1.5


def compound(text: str) -> float:
    """VADER's compound score of `text`, rounded to 4 places as `polarity_scores` returns it."""
    lexicon, emoji_chars, emojis, boosters = _tables()[:4]
    if not text.isascii() and not emoji_chars.isdisjoint(text):
        text = _replace_emojis(text, emojis)
    words = [
        stripped if len(stripped := tok.strip(_PUNCTUATION)) > 2 else tok for tok in text.split()
    ]
    n = len(words)
    if not n:
        return 0.0
    low = " ".join(words).lower().split(" ")  # words hold no space, and lower() adds none
    sentiments: list[float] = [0] * n
    cap_diff: bool | None = None
    for i, item in enumerate(low):
        if item not in lexicon or item in boosters:
            continue
        if item == "kind" and i < n - 1 and low[i + 1] == "of":
            continue
        if cap_diff is None:
            n_upper = sum(map(str.isupper, words))
            cap_diff = 0 < n - n_upper < n
        sentiments[i] = _valence(words, low, i, cap_diff)
    if "but" in low:
        _but(low, sentiments)
    total = float(sum(sentiments))
    if total > 0:
        total += _punctuation(text)
    elif total < 0:
        total -= _punctuation(text)
    return round(_normalize(total), 4)


def _punctuation(text: str) -> float:
    ep = min(text.count("!"), 4) * 0.292
    qm_count = text.count("?")
    qm = 0.0 if qm_count <= 1 else qm_count * 0.18 if qm_count <= 3 else 0.96
    return ep + qm


def _normalize(score: float, alpha: float = 15) -> float:
    norm = score / math.sqrt((score * score) + alpha)
    return -1.0 if norm < -1.0 else 1.0 if norm > 1.0 else norm


def _scalar(word: str, low: str, valence: float, cap_diff: bool) -> float:
    """The reference's `scalar_inc_dec`: a booster's push, signed like the valence."""
    scalar = _tables()[3].get(low)
    if scalar is None:
        return 0.0
    if valence < 0:
        scalar *= -1
    if cap_diff and word.isupper():
        scalar = scalar + _C_INCR if valence > 0 else scalar - _C_INCR
    return scalar


def _valence(words: list[str], low: list[str], i: int, cap_diff: bool) -> float:
    """The reference's `sentiment_valence` for a lexicon word at `i`."""
    lexicon, _, _, _, negate, special = _tables()
    item = low[i]
    n = len(low)
    valence = lexicon[item]
    if item == "no" and i != n - 1 and low[i + 1] in lexicon:
        valence = 0.0
    if (
        (i > 0 and low[i - 1] == "no")
        or (i > 1 and low[i - 2] == "no")
        or (i > 2 and low[i - 3] == "no" and low[i - 1] in ("or", "nor"))
    ):
        valence = lexicon[item] * _N_SCALAR
    if cap_diff and words[i].isupper():
        valence = valence + _C_INCR if valence > 0 else valence - _C_INCR
    for start_i in range(3):
        j = i - (start_i + 1)
        if i <= start_i or low[j] in lexicon:
            continue
        s = _scalar(words[j], low[j], valence, cap_diff)
        if start_i == 1 and s != 0:
            s = s * 0.95
        if start_i == 2 and s != 0:
            s = s * 0.9
        valence = valence + s
        valence = _negation(valence, low, start_i, i, negate)
        if start_i == 2:
            valence = _idioms(valence, low, i, special)
    return _least(valence, low, i, lexicon)


def _negation(
    valence: float, low: list[str], start_i: int, i: int, negate: frozenset[str]
) -> float:
    """The reference's `_negation_check`."""
    if start_i == 0:
        if _negated(low[i - 1], negate):
            valence = valence * _N_SCALAR
    elif start_i == 1:
        if low[i - 2] == "never" and low[i - 1] in _SO_THIS:
            valence = valence * 1.25
        elif low[i - 2] == "without" and low[i - 1] == "doubt":
            pass
        elif _negated(low[i - 2], negate):
            valence = valence * _N_SCALAR
    else:
        if (low[i - 3] == "never" and low[i - 2] in _SO_THIS) or low[i - 1] in _SO_THIS:
            valence = valence * 1.25
        elif low[i - 3] == "without" and (low[i - 2] == "doubt" or low[i - 1] == "doubt"):
            pass
        elif _negated(low[i - 3], negate):
            valence = valence * _N_SCALAR
    return valence


def _idioms(valence: float, low: list[str], i: int, special: dict[str, float]) -> float:
    """The reference's `_special_idioms_check` (called with i >= 3)."""
    boosters = _tables()[3]
    onezero = f"{low[i - 1]} {low[i]}"
    twoonezero = f"{low[i - 2]} {low[i - 1]} {low[i]}"
    twoone = f"{low[i - 2]} {low[i - 1]}"
    threetwoone = f"{low[i - 3]} {low[i - 2]} {low[i - 1]}"
    threetwo = f"{low[i - 3]} {low[i - 2]}"
    for seq in (onezero, twoonezero, twoone, threetwoone, threetwo):
        if seq in special:
            valence = special[seq]
            break
    n = len(low)
    if n - 1 > i:
        zeroone = f"{low[i]} {low[i + 1]}"
        if zeroone in special:
            valence = special[zeroone]
    if n - 1 > i + 1:
        zeroonetwo = f"{low[i]} {low[i + 1]} {low[i + 2]}"
        if zeroonetwo in special:
            valence = special[zeroonetwo]
    for n_gram in (threetwoone, threetwo, twoone):
        if n_gram in boosters:
            valence = valence + boosters[n_gram]
    return valence


def _least(valence: float, low: list[str], i: int, lexicon: dict[str, float]) -> float:
    """The reference's `_least_check`."""
    if i > 1 and low[i - 1] not in lexicon and low[i - 1] == "least":
        if low[i - 2] != "at" and low[i - 2] != "very":
            valence = valence * _N_SCALAR
    elif i > 0 and low[i - 1] not in lexicon and low[i - 1] == "least":
        valence = valence * _N_SCALAR
    return valence
