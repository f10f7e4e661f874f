"""The P3 solution steps: `alternatives` (how many options the customer may choose from) and
`expectation` (ETA, next steps, action items, prevention).

Alternatives. The playbook asks for several options, each viable, so the customer chooses; the
label's `value` is the number of distinct options. Options laid out as a numbered or bulleted list
framed as a choice count one per item. Otherwise each sentence that makes an offer ("I can
refund ...", "would you like ...", "Option 2: ...", "alternatively ...") counts 1, plus one per
"or" after the offer that joins another option ("refund you or send a replacement"), plus list
commas ("a refund, a replacement, or store credit"); sentences add up. Confidence: one option
0.35 (below PRESENT: a single offer is not the move the playbook asks for), two 0.75, three or
more 0.9.

Expectation. Weighted cues (timelines, "next steps", who-does-what, prevention) combined as
independent evidence, 1 - prod(1 - w); sentences that refuse a promise ("I can't say when it will
arrive") and questions ("what is the next step?") are blanked out first: they promise nothing.
"""

from __future__ import annotations

from calmdesk.core.detect.base import Context, Detector
from calmdesk.core.detect.patterns import cue
from calmdesk.core.detect.text_cues import FastCues, lower_regex, lowered
from calmdesk.core.detect.text_tokens import sentences
from calmdesk.core.model import Label, Message, Span

_VERB = (
    r"(?:offer|send|ship|refund|issue|provide|arrange|replace|exchange|credit|reship|"
    r"re-ship|resend|upgrade|waive|apply|add|book|schedule|process|cancel|reverse|extend|set up|"
    r"swap|expedite|reimburse|compensate|cover|repair|switch|honou?r|match|reserve|collect|"
    r"pick up|put through|rebook|reissue)"
)

#: Where an offer starts. Forms with "can't"/"not able" never match: the modal must be positive.
_OFFER = lower_regex(
    rf"\b(?:I|we)(?:'ll| will| can| could|'d| would|'m| am|'re| are)(?: also| either| gladly|"
    rf" happily| be happy to| happy to| be glad to| glad to| able to| like to)* {_VERB}\b"
    rf"|\blet (?:me|us) (?:also )?{_VERB}\b"
    r"|\bwould you (?:like|prefer|rather)\b"
    r"|\byou (?:can|could|may) (?:also |either |choose to |opt to )?(?:choose|opt|select|pick|"
    r"keep|return|exchange|swap|claim)\b"
    r"|\b(?:option|choice) (?:\d+|one|two|three|four|a|b|c)\b|\b(?:first|second|third) option\b"
    r"|\banother (?:option|choice|possibility)\b|\balternatively\b|\bother option\b"
    r"|\bor,? if you(?:'d)? (?:prefer|rather|like)\b|\binstead,? (?:I|we) (?:can|could)\b",
)
_ENUMERATED = lower_regex(
    r"\b(?:option|choice) (?:\d+|one|two|three|four|a|b|c)\b|\b(?:first|second|third) option\b",
)
#: An "or" that joins options, not numbers ("3 or 4 days"), idioms ("or so") or contact ways.
_OR = lower_regex(
    r"(?<!\d )(?<!questions )\bor\b(?!,? (?:so|not|later|earlier|more|less|anything|something|"
    r"other|otherwise|two|three|four|five|\d|concerns|questions|comments|feedback|email|call|"
    r"phone|chat|contact|DM|message|reply)\b)",
)


#: A numbered or bulleted list item at the start of a line: "1. I void ...", "- a refund".
_LIST_ITEM = lower_regex(r"(?m)^[ \t]*(?:\d{1,2}[.)]|[-•*])[ \t]+[^\s][^\n]*")
#: Words that introduce a list as choices rather than steps ("you can pick", "which would you").
_CHOICE = lower_regex(
    r"\b(?:options?|choices?|choose|pick|prefer|either|whichever|which (?:would|one|do))\b"
)


def listed_options(text: str) -> tuple[int, tuple[Span, ...]]:
    """Options laid out as a list of two or more items, when the text frames them as choices."""
    low = lowered(text)
    items = list(_LIST_ITEM.finditer(low))
    if len(items) < 2 or _CHOICE.search(low) is None:
        return 0, ()
    return len(items), tuple(Span(m.start(), m.end(), text[m.start() : m.end()]) for m in items)


def count_options(text: str) -> tuple[int, tuple[Span, ...]]:
    """The number of distinct options offered, and each offering sentence from its offer on."""
    listed, list_spans = listed_options(text)
    if listed:
        return listed, list_spans
    low = lowered(text)
    first = _OFFER.search(low)
    if first is None:
        return 0, ()
    total = 0
    spans: list[Span] = []
    for start, end in sentences(text):
        if end <= first.start():
            continue
        m = _OFFER.search(low, start, end)
        if m is None:
            continue
        tail = low[m.end() : end]
        ors = list(_OR.finditer(tail))
        n = 1 + len(ors)
        if ors:
            before = tail[: ors[-1].start()]
            n += max(0, before.count(",") - (1 if before.rstrip().endswith(",") else 0))
        n = max(n, len(_ENUMERATED.findall(low, start, end)))
        total += n
        spans.append(Span(m.start(), end, text[m.start() : end]))
    return total, tuple(spans)


def _alternatives(message: Message, context: Context) -> list[Label]:
    n, spans = count_options(message.text)
    if n == 0:
        return []
    conf = 0.35 if n == 1 else 0.75 if n == 2 else 0.9
    return [Label("alternatives", conf, spans, value=float(n), detector="agent_alternatives")]


EXPECTATION = FastCues(
    "expectation",
    [
        cue(
            r"\b(?:within|in) (?:the next )?(?:\d+|one|two|three|four|five|a few|a couple of)"
            r"(?:\s*(?:-|–|to)\s*\d+)? (?:business |working )?(?:hours?|days?|weeks?|minutes?|"
            r"mins?)\b",
            0.8,
        ),
        cue(
            r"\bby (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|tonight|"
            r"today|noon|midday|(?:the )?end of (?:the )?(?:day|week|month|business day)|eod|"
            r"close of business|\d{1,2}(?::\d\d)?\s*(?:am|pm)|next (?:week|month|monday|tuesday|"
            r"wednesday|thursday|friday)|the \d{1,2}(?:st|nd|rd|th))\b",
            0.8,
        ),
        cue(
            r"\b(?:on|before|this|next) (?:monday|tuesday|wednesday|thursday|friday|saturday|"
            r"sunday)\b",
            0.5,
        ),
        cue(
            r"\b(?:later today|first thing tomorrow|tomorrow morning|today|tomorrow|tonight)\b", 0.4
        ),
        cue(
            r"\b(?:takes?|allow|up to) (?:\d+|one|two|three|four|five|a few)"
            r"(?:\s*(?:-|–|to)\s*\d+)? (?:business |working )?(?:hours?|days?|weeks?)\b",
            0.75,
        ),
        cue(r"\bETA\b", 0.75),
        cue(r"\bestimated (?:delivery|arrival|time)\b", 0.75),
        cue(
            r"\b(?:should|will|'ll) (?:arrive|be delivered|reach you|be processed|be credited|"
            r"show up|appear|reflect|be back|be resolved|be fixed|be sent|be shipped|be refunded|"
            r"be with you|be ready|be in touch)\b",
            0.6,
        ),
        cue(r"\bnext steps?\b", 0.7),
        cue(
            r"\bhere(?:'s| is) what (?:will happen|happens next|I(?:'ll| will| am going to) do|"
            r"we(?:'ll| will) do|to expect)\b",
            0.85,
        ),
        cue(r"\bwhat happens next\b", 0.7),
        cue(
            r"\b(?:once|as soon as|after) (?:that|this|it|the \w+|we|I|you)\b[^.!?]{0,40}?"
            r"\b(?:I|we|you)(?:'ll| will)\b",
            0.6,
        ),
        cue(
            r"\bI(?:'ll| will) (?:send|email|call|update|follow up|keep you (?:posted|updated|"
            r"informed)|let you know|check|contact|get back to you|text|message|reach out)\b",
            0.6,
        ),
        cue(
            r"\bwe(?:'ll| will) (?:send|email|call|notify|update|keep you (?:posted|updated|"
            r"informed)|let you know|contact|text|ship|process|issue|refund|credit)\b",
            0.55,
        ),
        cue(
            r"\byou(?:'ll| will) (?:receive|get|see|hear|be (?:notified|contacted|refunded|"
            r"credited|emailed))\b(?! (?:through|over|better|used|your way|what|if|how)\b)",
            0.65,
        ),
        cue(
            r"\bso (?:that )?(?:this|that|it) (?:won't|doesn't|does not|will not|never|can't|"
            r"cannot) happens? again\b",
            0.85,
            negatable=False,
        ),
        cue(r"\b(?:to )?(?:prevent|avoid) (?:this|that|it|a repeat|the same)\b", 0.7),
        cue(
            r"\b(?:we've|we have|I've|I have) (?:now )?(?:fixed|updated|corrected|changed|"
            r"put in place|taken steps|retrained|patched)\b",
            0.6,
        ),
        cue(
            r"\bmake sure (?:this|it|that) (?:doesn't|does not|won't|never)\b", 0.8, negatable=False
        ),
        cue(r"\bwon't happen again\b", 0.8, negatable=False),
    ],
)

#: A sentence that declines to promise: its timeline words are not an expectation.
_NO_PROMISE = lower_regex(
    r"\b(?:don't|do not|can't|cannot|couldn't|no way to|unable to) (?:know|say|tell|promise|"
    r"guarantee|give (?:you )?(?:an? )?(?:eta|date|timeline|timeframe))\b|\bno (?:eta|idea)\b",
)


def _blank_refusals(text: str) -> str:
    """The text with promise-refusing sentences replaced by spaces (offsets kept)."""
    low = lowered(text)
    if _NO_PROMISE.search(low) is None and "?" not in text:
        return text
    out = text
    for start, end in sentences(text):
        if _NO_PROMISE.search(low, start, end) or text[start:end].rstrip().endswith("?"):
            out = out[:start] + " " * (end - start) + out[end:]
    return out


def _expectation(message: Message, context: Context) -> list[Label]:
    text = message.text
    conf, spans = EXPECTATION.match(_blank_refusals(text))
    if not spans:
        return []
    spans = tuple(Span(s.start, s.end, text[s.start : s.end]) for s in spans)
    return [Label("expectation", round(conf, 4), spans, detector="agent_expectation")]


DETECTORS: list[Detector] = [
    Detector("agent_alternatives", "company", ("alternatives",), _alternatives),
    Detector("agent_expectation", "company", ("expectation",), _expectation),
]
