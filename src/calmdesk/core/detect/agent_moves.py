"""The good agent moves of the playbook (P3 four strategies, P4 three skills), one detector each.

Confidence. Every cue carries a weight (how much it alone proves the move); the matches in one
message combine as independent evidence, 1 - prod(1 - w) (`CueSet`). Context then adjusts:
- `empathy`: halved when the same sentence turns to a refusal ("I understand, but policy ...").
- `understanding`: cue phrases ("if I understand correctly", "it sounds like you") combine with a
  paraphrase score: the share of the latest customer message's content words that come back
  (at least 3, at least 30 %), found in a sentence addressed to "you" and not about the agent
  ("I", "my"), damped by how much comes back as verbatim 4-word runs; a copy of most of the
  customer's words is a quote, not understanding.
- `clarifying_question`: information-seeking questions (shared with `suspicion`): a fact-finding
  question during an escalation before a solution is accepted is P1's premature fact-finding and
  is left to `suspicion`; anywhere else it is a clarifying question.
- `apology`: sincere forms only; "sorry you feel that way", "sorry if", "any inconvenience" and
  "sorry, but" never match (they are `non_apology`).
- `explanation`: context and causes; a policy refusal counts only when an alternative follows in
  the same message (otherwise it is `policy_hiding`, not an explanation).
`alternatives` and `expectation` live in agent_offers.py.
"""

from __future__ import annotations

from calmdesk.core.detect import agent_offers
from calmdesk.core.detect.agent_cues_moves import (
    APOLOGY,
    EMPATHY,
    EXPLANATION,
    GRATITUDE,
    OWNERSHIP,
    SUPERVISOR_OFFER,
    UNDERSTANDING,
    VALIDATION,
)
from calmdesk.core.detect.agent_shared import (
    has_any,
    last_customer,
    policy_refusal,
    premature,
    questions,
)
from calmdesk.core.detect.base import Context, Detector
from calmdesk.core.detect.text_cues import FastCues, lower_regex, lowered
from calmdesk.core.detect.text_tokens import copy_ratio, coverage, profile, sentences
from calmdesk.core.model import Label, Message, Span


def _plain(cs: FastCues) -> Detector:
    """A detector for a move that cues alone decide."""
    name = f"agent_{cs.name}"

    def detect(message: Message, context: Context) -> list[Label]:
        lab = cs.to_label(message.text, detector=name)
        return [] if lab is None else [lab]

    return Detector(name, "company", (cs.name,), detect)


_BUT_REFUSAL = lower_regex(
    r"[^.!?]{0,40}?\b(?:but|however)\b[^.!?]*?\b(?:can't|cannot|won't|unable|not able|policy|"
    r"nothing|not possible|no longer)\b",
)


def _empathy(message: Message, context: Context) -> list[Label]:
    text = message.text
    conf, spans = EMPATHY.match(text)
    if not spans:
        return []
    if _BUT_REFUSAL.match(lowered(text), spans[-1].end):
        conf *= 0.5
    return [Label("empathy", round(conf, 4), spans, detector="agent_empathy")]


#: The paraphrase needs this much of the customer's content, and at least this many words.
_MIN_COVERAGE = 0.3
_MIN_SHARED = 3
#: From this share of the customer's words repeated verbatim, the reply is a quote.
_VERBATIM = 0.6
_ADDRESSED = lower_regex(r"\byou(?:r|'re|'ve|'ll)?\b")


def _understanding(message: Message, context: Context) -> list[Label]:
    text = message.text
    cue_conf, spans = UNDERSTANDING.match(text)
    para = 0.0
    last = last_customer(context)
    addressed = _ADDRESSED.search(lowered(text)) is not None
    if last is not None and not spans and addressed:
        # a paraphrase needs _MIN_SHARED of the customer's stems in the reply; each stem (less a
        # final "y" from "ies") is a substring of the word it came from, so count those first
        low = lowered(text)
        stems = profile(last.message.text).content
        if sum(1 for st in stems if (st[:-1] if st.endswith("y") else st) in low) < _MIN_SHARED:
            return []
    if last is not None and (spans or addressed):
        mine, theirs = profile(text), profile(last.message.text)
        share, shared = coverage(mine, theirs)
        # a verbatim copy always has high coverage, so low coverage needs no copy check
        copied = copy_ratio(mine, theirs) if share >= _MIN_COVERAGE else 0.0
        if copied >= _VERBATIM:
            return []
        if share >= _MIN_COVERAGE and shared >= _MIN_SHARED and addressed:
            best = _restating_sentence(text, theirs.content)
            if best is not None:
                para = min(0.85, 0.25 + share) * (1.0 - copied)
                spans = spans or (best,)
    conf = 1.0 - (1.0 - cue_conf) * (1.0 - para)
    if conf <= 0.0 or not spans:
        return []
    return [Label("understanding", round(conf, 4), spans, detector="agent_understanding")]


#: A restatement speaks of the customer ("you"), not of the agent ("I was in hospital ...").
_FIRST_PERSON = lower_regex(r"\b(?:i|i'm|i've|i'd|i was|me|my|myself)\b")


def _restating_sentence(text: str, theirs: frozenset[str]) -> Span | None:
    """The sentence addressed to the customer that restates most of their content words."""
    low = lowered(text)
    best, best_n = None, _MIN_SHARED - 1
    for start, end in sentences(text):
        if not _ADDRESSED.search(low, start, end) or _FIRST_PERSON.search(low, start, end):
            continue
        n = len(profile(text[start:end]).content & theirs)
        if n > best_n:
            best, best_n = (start, end), n
    return None if best is None else Span(best[0], best[1], text[best[0] : best[1]])


def _clarifying(message: Message, context: Context) -> list[Label]:
    early = premature(context)
    kept = [q for q in questions(message.text) if not (q.fact_finding and early)]
    if not kept:
        return []
    conf = max(q.confidence for q in kept)
    spans = tuple(q.span for q in kept)
    return [Label("clarifying_question", conf, spans, detector="agent_clarifying_question")]


def _explanation(message: Message, context: Context) -> list[Label]:
    text = message.text
    conf, spans = EXPLANATION.match(text)
    offered = has_any(context, "alternatives") or has_any(context, "supervisor_offer")
    if offered:
        pconf, pspans = policy_refusal(text)
        if pspans:
            conf = 1.0 - (1.0 - conf) * (1.0 - min(pconf, 0.6))
            spans = tuple(sorted((*spans, *pspans), key=lambda s: s.start))
    if not spans:
        return []
    return [Label("explanation", round(conf, 4), spans, detector="agent_explanation")]


DETECTORS: list[Detector] = [
    Detector("agent_empathy", "company", ("empathy",), _empathy),
    Detector("agent_understanding", "company", ("understanding",), _understanding),
    _plain(VALIDATION),
    Detector("agent_clarifying_question", "company", ("clarifying_question",), _clarifying),
    _plain(APOLOGY),
    *agent_offers.DETECTORS,
    _plain(SUPERVISOR_OFFER),
    Detector("agent_explanation", "company", ("explanation",), _explanation),
    _plain(GRATITUDE),
    _plain(OWNERSHIP),
]
