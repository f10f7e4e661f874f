"""The agent anti-patterns, each tied to the playbook rule it enforces, one detector each.

Confidence starts from weighted cues combined as independent evidence, 1 - prod(1 - w)
(`CueSet`, lexicons in agent_cues_antipatterns.py), then context rules adjust it:

- `defensive` (P2 axiom 1, do not push back; P5 never block a supervisor request): cues such as
  "that's not our fault"; refusing or discouraging a supervisor counts in full after the customer
  asked for one (`supervisor_requested`), at half weight otherwise.
- `correcting` (P2 axiom 1, no passive-aggressive correction; P4 understanding not correcting).
- `blame` (P4c guilty until proven innocent).
- `suspicion` (P1 benefit of the doubt, P4c): explicit doubt at any time; and a fact-finding
  question (when, order number, "did you check", a photo) while the customer is upset and has not
  accepted a solution: the question itself is the evidence, confidence 0.5 + 0.4 × the
  question's (the rule is certain; the reading of the question less so).
- `policy_hiding` (P4b): a policy, system or rule given as the answer, only when no alternative
  (`alternatives` at any confidence) or supervisor offer was made in the same message.
- `non_apology` (P4d refusing to say sorry): for the customer's feelings, conditional,
  boilerplate, "sorry, but"; scaled by 0.6 when a sincere apology stands in the same message.
- `dismissive` (P2 axiom 1, P4 validation: their experience is legitimate).
- `patronizing` (P4c).
- `tone_matching` (P2 axiom 1, do not match the customer's raised tone): capitals (not ordinary
  acronyms), "!!" runs, three or more "!"; only after an intense (intensity >= 0.5) or angry
  customer message; the same text after a calm one is not tone matching.
- `transactional` (P4a relationship, not transaction): boilerplate × how far the reply ignores
  the customer's words (1 at no overlap, 0 from 30 % of their content words); halved when the
  reply also shows empathy, understanding, validation or apology; raised (c += (1 - c) c h, so
  it never lifts a weak hint alone) when the customer spoke of their history (tenure, loyalty;
  h = that cue's confidence) and the reply does not acknowledge it.
"""

from __future__ import annotations

import re

from calmdesk.core.detect.agent_cues_antipatterns import (
    BLAME,
    BOILERPLATE,
    CORRECTING,
    DEFENSIVE,
    DISMISSIVE,
    DOUBT,
    PATRONIZING,
    SUPERVISOR_BLOCK,
)
from calmdesk.core.detect.agent_shared import (
    has_any,
    history,
    last_customer,
    non_apology,
    policy_refusal,
    premature,
    questions,
)
from calmdesk.core.detect.base import Context, Detector
from calmdesk.core.detect.text_cues import FastCues, lower_regex, lowered
from calmdesk.core.detect.text_tokens import coverage, profile
from calmdesk.core.model import Label, Message, Span


def _combine(*confs: float) -> float:
    miss = 1.0
    for c in confs:
        miss *= 1.0 - c
    return round(1.0 - miss, 4)


def _label(name: str, conf: float, spans: tuple[Span, ...]) -> list[Label]:
    if conf <= 0.0 or not spans:
        return []
    spans = tuple(sorted(spans, key=lambda s: s.start))
    return [Label(name, round(min(conf, 1.0), 4), spans, detector=f"agent_{name}")]


def _plain(cs: FastCues) -> Detector:
    """A detector for an anti-pattern that cues alone decide."""

    def detect(message: Message, context: Context) -> list[Label]:
        return _label(cs.name, *cs.match(message.text))

    return Detector(f"agent_{cs.name}", "company", (cs.name,), detect)


def _defensive(message: Message, context: Context) -> list[Label]:
    conf, spans = DEFENSIVE.match(message.text)
    bconf, bspans = SUPERVISOR_BLOCK.match(message.text)
    if not context.supervisor_requested:
        bconf *= 0.5
    return _label("defensive", _combine(conf, bconf), spans + bspans)


def _suspicion(message: Message, context: Context) -> list[Label]:
    conf, spans = DOUBT.match(message.text)
    if premature(context):
        early = [q for q in questions(message.text) if q.fact_finding]
        if early:
            conf = _combine(conf, 0.5 + 0.4 * max(q.confidence for q in early))
            spans = spans + tuple(q.span for q in early)
    return _label("suspicion", conf, spans)


def _policy_hiding(message: Message, context: Context) -> list[Label]:
    if has_any(context, "alternatives") or has_any(context, "supervisor_offer"):
        return []
    return _label("policy_hiding", *policy_refusal(message.text))


def _non_apology(message: Message, context: Context) -> list[Label]:
    conf, spans = non_apology(message.text)
    if context.current_has("apology"):
        conf *= 0.6
    return _label("non_apology", conf, spans)


#: Capitalised words that are ordinary acronyms, not shouting.
_ACRONYMS = """
    ETA ID UPS USB PIN FAQ FAQS DHL USPS SMS MMS URL PDF VAT SKU DM OK TV PC API HR CEO UK US
    USA EU AM PM GMT UTC EST PST CET BST ASAP IMEI SIM GPS ATM IBAN BIC VPN CSV HTML HTTP HTTPS
    WIFI IOS RMA PO CVV QR NFC TNT EMS DPD GLS FEDEX IT CS UX UI AI IP ISP HD SSD RAM CPU GPU LED
    LCD NHS IRS HMRC GST HST AWS SSN DOB ZIP NYC LA SF TBC TBD FYI PS NB AKA DIY OTP PAYG"""
ACRONYMS: frozenset[str] = frozenset(_ACRONYMS.split())
#: Two or more capitals in a row (a charset first, so `re` skips ahead fast); word edges checked.
_CAPS = re.compile(r"[A-Z]{2,}(?:'[A-Z]{1,2})?\b")
_BANGS = re.compile(r"[!?]*![!?]*!+[!?]*")


#: Two-letter words that are shouted when written in capitals ("we have NO record").
_SHORT_WORDS = "NO SO IS DO GO MY ME WE UP BE OR IF AS BY IN ON AT OF TO"
_SHOUTED_SHORT = frozenset(_SHORT_WORDS.split())
#: Words that, alone in capitals, are emphasis rather than an acronym ("we have NOT lost it").
_EMPHATIC_WORDS = """
    NOT NEVER NO NOTHING NOBODY NONE ALWAYS EVERY STILL AGAIN ALREADY ALL ANY YOUR YOU WE
    DID DIDNT CANT WONT DONT ISNT WASNT IS ARE WAS WERE HAVE HAS DO MUST WILL CANNOT ONLY
    DELAYED LOST WRONG RIGHT READ FACT FACTS CLEARLY NOW STOP LISTEN PLEASE OUR THE THIS THAT
    WHAT WHY HOW VERY REALLY TOLD SAID ASKED EXPLAINED STATED MENTIONED SENT CHECKED DONE
    UNDERSTAND BEFORE"""
_EMPHATIC = frozenset(_EMPHATIC_WORDS.split())
#: Capitals followed by a number are a code ("AU 1187", "BW-20931", "RE: ..." headers too).
_CODE_AFTER = re.compile(r"[ -]?\d|:")


def _shouted(text: str) -> list[re.Match[str]]:
    """Words in capitals that are not ordinary acronyms, codes or short non-words."""
    out = []
    for m in _CAPS.finditer(text):
        word = m.group().replace("'", "")
        if (m.start() and text[m.start() - 1].isalnum()) or word in ACRONYMS:
            continue
        if len(word) < 3 and word not in _SHOUTED_SHORT:
            continue
        if _CODE_AFTER.match(text, m.end()):
            continue
        out.append(m)
    return out


#: The customer counts as upset from this intensity or anger confidence (or once escalated).
_INTENSE = 0.4
_ANGRY = 0.3


def _tone_matching(message: Message, context: Context) -> list[Label]:
    last = last_customer(context)
    upset = context.escalated or (
        last is not None and (last.value("intensity") >= _INTENSE or last.has("anger", _ANGRY))
    )
    if last is None or not upset:
        return []
    text = message.text
    caps = _shouted(text)
    runs = list(_BANGS.finditer(text)) if "!!" in text or "!?!" in text or "?!!" in text else []
    shout = 0.0
    if len(caps) >= 2:
        shout = 0.8
    elif caps:  # one word in capitals: shouting if it is an emphatic word, else likely an acronym
        shout = 0.6 if caps[0].group().replace("'", "") in _EMPHATIC else 0.3
    bangs = text.count("!")
    loud = _combine(shout, 0.6 if runs else 0.0, 0.55 if bangs >= 3 else 0.0)
    spans = [Span(m.start(), m.end(), m.group()) for m in (*caps, *runs)]
    if bangs >= 3 and not runs:
        spans += [Span(i, i + 1, "!") for i, ch in enumerate(text) if ch == "!"]
    return _label("tone_matching", loud, tuple(spans))


#: The reply acknowledges the customer's relationship history.
_HISTORY_ACK = lower_regex(
    r"\b(?:loyal|loyalty|years|long[- ]?time|history|been with us|all this time|tenure|"
    r"long-standing)\b",
)
_ENGAGED = ("empathy", "understanding", "validation", "apology")
_ENGAGED_COVERAGE = 0.3


def _transactional(message: Message, context: Context) -> list[Label]:
    text = message.text
    conf, spans = BOILERPLATE.match(text)
    if not spans:
        return []
    last = last_customer(context)
    if last is None:  # nothing to ignore yet: boilerplate alone is only a hint
        return _label("transactional", conf * 0.5, spans)
    theirs = last.message.text
    share, _ = coverage(profile(text), profile(theirs))
    ignoring = 1.0 - min(1.0, share / _ENGAGED_COVERAGE)
    if any(context.current_has(n) for n in _ENGAGED):
        ignoring *= 0.5
    conf *= ignoring
    hconf, _ = history(theirs)
    if hconf and conf and _HISTORY_ACK.search(lowered(text)) is None:
        conf += (1.0 - conf) * conf * hconf
    return _label("transactional", conf, spans)


DETECTORS: list[Detector] = [
    Detector("agent_defensive", "company", ("defensive",), _defensive),
    _plain(CORRECTING),
    _plain(BLAME),
    Detector("agent_suspicion", "company", ("suspicion",), _suspicion),
    Detector("agent_policy_hiding", "company", ("policy_hiding",), _policy_hiding),
    Detector("agent_non_apology", "company", ("non_apology",), _non_apology),
    _plain(DISMISSIVE),
    _plain(PATRONIZING),
    Detector("agent_tone_matching", "company", ("tone_matching",), _tone_matching),
    Detector("agent_transactional", "company", ("transactional",), _transactional),
]
