"""Analyses that both agent modules need: questions, refusals by policy, non-apologies, history.

A move and its anti-pattern are often two readings of the same words: a fact-finding question is
a `clarifying_question` in a calm conversation and `suspicion` during an escalation (P1); a policy
refusal is `explanation` when an alternative follows and `policy_hiding` when none does (P4b); a
conditional "sorry" is never an `apology` but always a `non_apology` (P4d). Each reading is computed
once per text here and cached, so the two modules agree and the text is scanned once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from calmdesk.core.detect.base import Context, MessageAnalysis
from calmdesk.core.detect.patterns import cue
from calmdesk.core.detect.text_cues import FastCues, lower_regex, lowered
from calmdesk.core.detect.text_tokens import sentences
from calmdesk.core.model import Span

_CACHE = 512

# -- questions ------------------------------------------------------------------------------------

#: Information-seeking forms, looked for inside sentences that end with "?".
QUESTION = FastCues(
    "clarifying_question",
    [
        cue(
            r"\b(?:could|can|would|will) you (?:please )?(?:tell|share|confirm|send|provide|"
            r"describe|explain|clarify|let (?:me|us) know|check|give|walk me through|attach|"
            r"upload|forward|double-check|remind)\b",
            0.75,
        ),
        cue(
            r"\bwould you mind (?:telling|sharing|confirming|sending|providing|describing|"
            r"explaining|checking|letting)\b",
            0.75,
        ),
        cue(r"\b(?:what|which|when|where|how) (?:exactly|precisely|specifically)\b", 0.75),
        cue(r"\bwhat (?:exactly |actually )?happened\b", 0.7),
        cue(
            r"\b(?:what|which|when|where|who|how) (?:\w+ )?(?:did|do|does|is|are|was|were|has|"
            r"have|had|would|should|time|date|day|kind|type|size|colou?r|model|version|long|"
            r"many|much|often|device|browser|address|error)\b",
            0.65,
        ),
        cue(r"\bdo you (?:happen to )?(?:have|remember|know|recall|mean|still|use)\b", 0.65),
        cue(
            r"\b(?:did|does|is|are|was|were|have|has) (?:you|it|the|your|this|that|they|there)\b",
            0.55,
        ),
    ],
)

#: Requests for information that need no question mark.
REQUEST = FastCues(
    "clarifying_question",
    [
        cue(r"\b(?:tell me more|help me understand|walk me through)\b", 0.65),
        cue(r"\blet (?:me|us) know (?:what|which|when|how|if|whether|where)\b", 0.55),
        cue(r"\bplease (?:send|provide|confirm|share|attach|upload|forward|reply with)\b", 0.6),
    ],
)

#: Question forms that do not seek information: canned offers of help, rhetoric, doubt, offers.
_NOT_SEEKING = lower_regex(
    r"\banything else (?:I|we) can\b|\b(?:how|what) (?:can|may|could) (?:I|we) (?:help|assist|do)\b"
    r"|\bcan (?:I|we) help\b|\bare you (?:sure|certain)\b|\bdid you (?:even|actually|really)\b"
    r"|\bwhy (?:didn't|did not|don't|do not|wouldn't|would not|haven't|have not|couldn't|"
    r"could not|can't|cannot|won't|would) you\b|\bdo you (?:understand|get it|see)\b"
    r"|(?:^|[.!?,]\s*)(?:wouldn't|don't|isn't|aren't|doesn't|won't|can't) (?:you|it|that|this)\b"
    r"|\bwould you (?:like|prefer|rather)\b|\bshall (?:I|we)\b"
    r"|\bdoes (?:that|this) (?:make sense|help|work|sound)\b"
    r"|\b(?:can|may|could|should) (?:I|we) (?:offer|send|refund|issue|arrange)\b",
)

#: Fact-finding: timing, identifiers, verification, "did you try", evidence (P1 parks these).
_FACT_FINDING = lower_regex(
    r"\bwhen (?:exactly |precisely )?(?:did|was|were|had|has|have)\b"
    r"|\bwhen (?:exactly |precisely )?(?:it|they|you|the \w+|your \w+) (?:\w+ed|arrived|came|"
    r"happened|got|went|saw|bought|paid|sent|broke|did|was|were)\b"
    r"|\bwhat (?:time|date|day)\b|\bwhere (?:exactly )?(?:did|was|were) (?:you|it)\b"
    r"|\b(?:order|account|tracking|reference|ticket|case|serial|invoice|confirmation|booking|"
    r"membership|transaction|receipt) (?:number|no\b|id\b|#|code)"
    r"|\b(?:email address|postcode|post code|zip code|date of birth|last (?:four|4) digits)\b"
    r"|\b(?:confirm|verify|prove)\b"
    r"|\b(?:did|have|had) you (?:already |ever )?(?:check|checked|tri(?:ed|y)|look(?:ed)?|read|"
    r"follow(?:ed)?|receiv(?:e|ed)|contact(?:ed)?|restart(?:ed)?|updat(?:e|ed)|reset|"
    r"clear(?:ed)?|install(?:ed)?|make sure|made sure|sign(?:ed)?|enter(?:ed)?)\b"
    r"|\b(?:photo|photograph|picture|pic|image|screenshot|screen shot|proof|evidence|video)s?\b",
)


@dataclass(frozen=True, slots=True)
class Question:
    """One information-seeking sentence: its span, how sure, and whether it is fact-finding."""

    span: Span
    confidence: float
    fact_finding: bool


@lru_cache(maxsize=_CACHE)
def questions(text: str) -> tuple[Question, ...]:
    """Every information-seeking question (ends with "?") or request in the text, in order."""
    asked = QUESTION.match(text) if "?" in text else (0.0, ())
    requested = REQUEST.match(text)
    if not asked[1] and not requested[1]:
        return ()
    low = lowered(text)
    out: list[Question] = []
    for start, end in sentences(text):
        conf = 0.0
        if text[start:end].rstrip().endswith("?") and any(start <= s.start < end for s in asked[1]):
            conf = asked[0]
        if any(start <= s.start < end for s in requested[1]):
            conf = max(conf, requested[0])
        if conf == 0.0 or _NOT_SEEKING.search(low, start, end):
            continue
        ff = _FACT_FINDING.search(low, start, end) is not None
        out.append(Question(Span(start, end, text[start:end]), round(conf, 4), ff))
    return tuple(out)


def premature(context: Context) -> bool:
    """P1: fact-finding is premature while the customer is upset and has accepted no solution."""
    return context.escalated and not context.solution_accepted


# -- refusals by policy, non-apologies ------------------------------------------------------------

_REFUSAL = (
    r"(?:can't|cannot|can not|unable|not able|won't|will not|not possible|not eligible|"
    r"no longer|don't|do not|doesn't|does not|only)"
)
_RULE = (
    r"(?:our |the |company |store )?(?:\w+ )?(?:policy|policies|terms(?: and conditions)?|rules|"
    r"guidelines|system|systems|process|procedure)"
)

#: A policy, system or rule given as the answer (P4b); all forms carry their own negation.
POLICY_REFUSAL = FastCues(
    "policy_hiding",
    [
        cue(
            r"\b(?:it's|it is|that's|that is|this is) (?:just |simply )?(?:our |the |a )?"
            r"(?:company |store )?policy\b",
            0.8,
            negatable=False,
        ),
        cue(r"\b(?:rules are rules|policy is policy)\b", 0.9, negatable=False),
        cue(
            r"\bthere(?:'s| is) (?:really )?nothing (?:else |more )?(?:I|we) can do\b",
            0.8,
            negatable=False,
        ),
        cue(r"\bmy hands are tied\b", 0.85, negatable=False),
        cue(r"\b(?:out of|not in) (?:my|our) hands\b", 0.6, negatable=False),
        cue(r"\bI (?:don't|do not) make the (?:rules|policy|policies)\b", 0.85, negatable=False),
        cue(
            r"\bthe system (?:doesn't|does not|won't|will not|can't|cannot) (?:allow|let|"
            r"permit|accept|support)\b",
            0.8,
            negatable=False,
        ),
        cue(
            r"\b(?:I|we)(?:'m| am|'re| are) not (?:allowed|authori[sz]ed|permitted) to\b",
            0.7,
            negatable=False,
        ),
        cue(r"\bthat's (?:just )?how (?:it|the system|things) works?\b", 0.6, negatable=False),
        cue(
            rf"\b(?:per|according to|as per|under|due to|because of|against) {_RULE}\b"
            rf"[^.!?]{{0,80}}?\b{_REFUSAL}\b",
            0.8,
            negatable=False,
        ),
        cue(
            rf"\b(?:can't|cannot|unable to|not able to|won't|will not)\b[^.!?]{{0,60}}?"
            rf"\b(?:due to|because of|per|under|against|according to) {_RULE}\b",
            0.8,
            negatable=False,
        ),
        cue(
            r"\b(?:our |the |company )?polic(?:y|ies) (?:doesn't|does not|won't|will not|don't|"
            r"do not|can't|cannot) (?:allow|permit|let|cover|include|support)\b",
            0.75,
            negatable=False,
        ),
        cue(
            rf"\b(?:handled|applied|allocated|processed|set|charged|done|decided) (?:\w+ )?"
            rf"(?:according to|in accordance with|in line with|by|under|per) {_RULE}\b",
            0.7,
            negatable=False,
        ),
        cue(
            rf"\b(?:our |the |company )?polic(?:y|ies) is (?:that )?(?:we|you) {_REFUSAL}\b|"
            rf"\b{_RULE} requires? (?:every|all|each|that)\b",
            0.75,
            negatable=False,
        ),
        cue(r"\bno exceptions?\b", 0.7, negatable=False),
        cue(
            r"\b(?:we are|we're) unable to (?:override|change|refund|offer|make an exception|"
            r"waive|reverse)\b|\bcannot be (?:refunded|changed|reversed|waived|overridden)\b|"
            r"\bwe (?:do not|don't) (?:compensate|provide|offer|refund|replace|make exceptions)\b",
            0.65,
            negatable=False,
        ),
    ],
)

_NO_ACTION = (
    r"(?:can't|cannot|won't|unable|not able|not possible|no longer|nothing|policy|"
    r"you should|you need to|your (?:fault|responsibility|mistake)|not our|we don't|we do not|"
    r"isn't|is not|not eligible|there's no)"
)

#: Apologies that are not one (P4d): for the customer's feelings, conditional, boilerplate, "but".
NON_APOLOGY = FastCues(
    "non_apology",
    [
        cue(
            r"\bsorry (?:that |if )?you (?:feel|felt|think|thought|see it|are feeling|'re "
            r"feeling|perceive)\b",
            0.9,
            negatable=False,
        ),
        cue(r"\bregret (?:that )?you (?:feel|felt|think)\b", 0.85, negatable=False),
        cue(
            r"\bsorry (?:that )?you(?:'re| are) (?:upset|unhappy|offended|annoyed)\b",
            0.55,
            negatable=False,
        ),
        cue(
            r"\b(?:sorry|apologi[sz]e|apologies) (?:if|should) (?:you|this|that|it|we|our|any|"
            r"I|anything)\b",
            0.85,
            negatable=False,
        ),
        cue(
            r"\b(?:sorry|apologi[sz]e|apologies) for any (?:inconvenience|trouble|frustration|"
            r"confusion|issues?|problems?|misunderstanding)(?: (?:this|that|it) (?:may|might) "
            r"(?:have )?(?:caused|cause))?",
            0.8,
            negatable=False,
        ),
        cue(
            r"\b(?:sorry|apologi[sz]e|apologies) for (?:the|this) inconvenience(?: (?:this|that|"
            r"it) (?:may|might) (?:have )?caused)?",
            0.55,
            negatable=False,
        ),
        cue(r"\bsorry for your (?:feelings|perception)\b", 0.85, negatable=False),
        cue(rf"\bsorry,? but\b(?=[^.!?]{{0,80}}\b{_NO_ACTION})", 0.8, negatable=False),
    ],
)


@lru_cache(maxsize=_CACHE)
def policy_refusal(text: str) -> tuple[float, tuple[Span, ...]]:
    return POLICY_REFUSAL.match(text)


@lru_cache(maxsize=_CACHE)
def non_apology(text: str) -> tuple[float, tuple[Span, ...]]:
    return NON_APOLOGY.match(text)


def has_any(context: Context, name: str) -> bool:
    """Whether an earlier detector gave this message the label at any confidence."""
    return any(lab.name == name for lab in context.current)


# -- the customer's side --------------------------------------------------------------------------

#: The customer speaks of their relationship: tenure, loyalty, repeated custom (P4a).
HISTORY = FastCues(
    "history",
    [
        cue(r"\b(?:loyal|long[- ]?time|regular|faithful|repeat) (?:customer|member|client)\b", 0.8),
        cue(
            r"\b(?:customer|member|client|subscriber) (?:for|since) (?:over |more than |almost "
            r"|nearly )?(?:\d+|a|many|several|\w+) (?:years?|decades?)\b",
            0.9,
        ),
        cue(
            r"\b(?:for|since|over) (?:over |more than |almost |nearly |the (?:last|past) )?"
            r"(?:\d+|many|several|two|three|four|five|six|seven|eight|nine|ten|fifteen|twenty) "
            r"(?:years|decades)\b",
            0.7,
        ),
        cue(
            r"\b(?:I've|I have|we've|we have) (?:been )?(?:ordered|ordering|shopped|shopping|"
            r"bought|buying|used|using|been with|banked|flown|stayed)\b[^.!?]{0,40}?"
            r"\b(?:for (?:years|ages|decades|a long time)|since)\b",
            0.8,
        ),
        cue(r"\bfor (?:years|ages|decades)\b", 0.5),
        cue(r"\bmember since\b", 0.8),
    ],
)


@lru_cache(maxsize=_CACHE)
def history(text: str) -> tuple[float, tuple[Span, ...]]:
    return HISTORY.match(text)


def last_customer(context: Context) -> MessageAnalysis | None:
    return context.last(customer=True)
