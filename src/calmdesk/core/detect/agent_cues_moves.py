"""Cue lexicons of the agent moves, kept apart from the detectors so each list reads as a whole.

Weights say how much a cue alone proves its move: about 0.8 for unambiguous phrases ("I can only
imagine how frustrating"), about 0.55 for cues that need company ("I get it"). Negatable cues are
cancelled by a negator just before them ("I can't make sure ..."). Forms that belong to an
anti-pattern are excluded inside the pattern (lookaheads), so one regex pass decides.
"""

from __future__ import annotations

from calmdesk.core.detect.patterns import cue
from calmdesk.core.detect.text_cues import FastCues

_FEELING = (
    r"(?:frustrating|stressful|upsetting|annoying|worrying|infuriating|disappointing|"
    r"difficult|hard|awful|maddening|inconvenient|exhausting|confusing|scary|terrible|"
    r"frightening|horrible|distressing|alarming|a (?:pain|hassle|nightmare|shock|worry|"
    r"headache|horrible surprise|real cost))"
)
_FELT = (
    r"(?:frustrated|upset|annoyed|angry|disappointed|worried|furious|stressed|the same|scared|"
    r"fed up|panicking|anxious|confused)"
)

EMPATHY = FastCues(
    "empathy",
    [
        cue(
            r"\bI (?:can )?(?:completely |totally |fully |really |truly )?understand (?:how|why|"
            r"your|that this|that it|what)\b",
            0.65,
        ),
        cue(r"\bI can (?:only |just |totally |completely )?imagine\b", 0.75),
        cue(
            rf"\b(?:that|this|it) (?:must|must've|must have) (?:be|been|felt|feel) "
            rf"(?:\w+ )?{_FEELING}",
            0.85,
        ),
        cue(rf"\b(?:that|this|it) (?:sounds|seems) (?:\w+ )?{_FEELING}", 0.75),
        cue(rf"\bI(?:'d| would) (?:be|feel) (?:\w+ )?{_FELT}(?: too| as well)?\b", 0.8),
        cue(r"\bI hear (?:you|how|your (?:frustration|concern|worry))\b", 0.7),
        cue(r"\bI (?:can )?see (?:how|why|where) (?:this|that|it|you)\b", 0.65),
        cue(
            rf"\bI can (?:tell|see|sense|hear) (?:that )?you(?:'re| are)? (?:\w+ )?{_FELT}\b",
            0.75,
        ),
        cue(rf"\bI know how (?:\w+ )?(?:{_FEELING}|important|much)", 0.75),
        cue(r"\bsorry to (?:hear|see|learn|read)\b(?! (?:that )?you (?:feel|felt|think))", 0.6),
        cue(r"\bI feel (?:for you|terrible|awful|bad)\b", 0.7),
        cue(r"\bwhat a (?:pain|hassle|nightmare|frustrating|stressful|terrible|awful)\b", 0.6),
        cue(r"\bI (?:totally |completely |really )?get (?:it|that|why|how)\b", 0.55),
        cue(r"\byou(?:'ve| have) been through\b", 0.7),
        cue(r"\bsorry (?:that )?you(?:'re| are) (?:feeling|going through|having)\b", 0.7),
        cue(r"\bsorry for your loss\b", 0.75),
        cue(
            r"\b(?:frustrating|stressful|upsetting|worrying|disappointing) (?:for you|"
            r"experience|situation|time)\b",
            0.55,
        ),
        cue(
            rf"\b(?:that's|that is|it's|it is|is) (?:a |an )?(?:genuinely |really |truly |so |"
            rf"completely |such a )?(?:\w+ )?{_FEELING}",
            0.65,
        ),
        cue(
            r"\b(?:it's|it is|that's) (?:completely |totally |perfectly )?understandable "
            r"(?:that )?you(?:'re| are| were| feel)\b|\bI know (?:it's|this has|that's) been "
            r"(?:a )?(?:really |very |so )?(?:stressful|difficult|hard|rough|long)\b",
            0.75,
        ),
    ],
)

UNDERSTANDING = FastCues(
    "understanding",
    [
        cue(
            r"\bif I(?:'m| am)? understand(?:ing)? (?:you |this |that |it )?(?:correctly|right)\b",
            0.85,
        ),
        cue(r"\bit (?:sounds|seems) (?:like|as though|as if) (?:you|your)\b", 0.6),
        cue(r"\bwhat I(?:'m| am) hearing (?:is|you say)\b", 0.85),
        cue(
            r"\bif I(?:'ve| have) (?:got|understood) (?:this|that|it|you|everything) (?:right|"
            r"correctly)\b",
            0.85,
        ),
        cue(r"\bif I(?:'m| am) reading (?:this|that|you) (?:right|correctly)\b", 0.85),
        cue(
            r"\bto (?:make sure|check|confirm|ensure|be sure) (?:that )?I(?:'ve| have)? "
            r"(?:understand|understood|got|get)\b",
            0.8,
        ),
        cue(r"\bI (?:hear|see) what you(?:'re| are) (?:saying|getting at)\b", 0.7),
        cue(r"\bI hear you say(?:ing)?\b", 0.7),
        # a reflection opens its sentence: "So you're worried that ...", "So, you feel ..."
        # (not "so you can track it", nor the sign-off "so you're all set")
        cue(
            r"(?:^|(?<=[.!?] )|(?<=[.!?]\n))so,? you(?:'re| are| feel| felt| think| want| need)\b"
            r"(?! all set| good to go| ready)",
            0.6,
        ),
        cue(
            r"\blet me (?:make sure|check|see if) I(?:'ve| have)? (?:understand|understood|got)\b",
            0.8,
        ),
        cue(r"\bso (?:what )?you(?:'re| are) saying\b", 0.75),
        cue(r"\bin other words\b", 0.6),
        cue(r"\bto (?:summari[sz]e|recap)\b", 0.55),
        cue(r"\bso you(?:'ve| have)? (?:been|were|was|got|received|ordered|paid|tried)\b", 0.65),
        cue(
            r"\byou(?:'ve| have)? (?:been|were) (?:charged|billed|overcharged|double[- ]charged|"
            r"sent|given|told|left|kept|promised|refused|denied|cut off|disconnected|"
            r"transferred)\b",
            0.5,
        ),
    ],
)

VALIDATION = FastCues(
    "validation",
    [
        cue(
            r"\b(?:that's|that is|it's|it is|this is) (?:completely |totally |perfectly |"
            r"entirely |absolutely |very |a )?(?:understandable|fair|reasonable|valid|legitimate|"
            r"justified)\b",
            0.7,
        ),
        cue(
            r"\byou(?:'re| are) (?:completely |absolutely |totally |quite |entirely |so )?right\b",
            0.8,
        ),
        cue(r"\byou(?:'re| are) not wrong\b", 0.75, negatable=False),
        cue(r"\byou have every right\b", 0.85),
        cue(
            r"\byour (?:frustration|disappointment|concerns?|anger|reaction|feelings?|complaint|"
            r"worry|upset) (?:is|are) (?:completely |totally |entirely |absolutely |perfectly )?"
            r"(?:understandable|valid|justified|legitimate|fair|reasonable|warranted|natural)\b",
            0.9,
        ),
        cue(rf"\b(?:anyone|anybody|any customer) (?:would|'d) (?:be|feel) (?:\w+ )?{_FELT}\b", 0.8),
        cue(
            r"\b(?:it's|it is|that's) (?:completely |totally |perfectly )?(?:natural|normal|"
            r"understandable|okay|fine) to (?:feel|be)\b",
            0.85,
        ),
        cue(r"\bno wonder you\b", 0.7),
        cue(r"\byou (?:shouldn't|should not) have to\b", 0.8, negatable=False),
        cue(
            r"\b(?:this|that|it) (?:should never|shouldn't|should not|should never) have "
            r"happened\b",
            0.8,
            negatable=False,
        ),
        cue(
            r"\byou did (?:the right thing|everything right|nothing wrong)\b", 0.85, negatable=False
        ),
        cue(
            r"\b(?:it's|it is|this is|that's|that is) (?:not|in no way) your fault\b",
            0.8,
            negatable=False,
        ),
        cue(r"\byou(?:'ve| have) done nothing wrong\b", 0.85, negatable=False),
        cue(r"\b(?:fair|valid|good|great|reasonable) (?:point|question|concern)\b", 0.55),
        cue(
            rf"\b(?:would|'d) (?:confuse|upset|frustrate|worry|scare) anyone\b|\banyone would be "
            rf"(?:\w+ )?{_FELT}\b|\bI can see why you(?:'re| are| were| feel)\b",
            0.8,
        ),
        cue(
            r"\byou(?:'re| are) right to (?:question|ask|be|feel|complain|chase|push)\b|"
            r"\bthat's (?:our|my) (?:error|mistake|fault)\b|\bthat's on us\b",
            0.75,
            negatable=False,
        ),
        cue(r"\bis a real (?:cost|problem|issue)\b|\bnot just an inconvenience\b", 0.7),
    ],
)

_NOT_SINCERE = (
    r"(?!,? (?:to (?:hear|see|learn|read)|if|but|(?:that )?you (?:feel|felt|think|thought|"
    r"(?:are|'re|were) (?:upset|unhappy|offended|annoyed|angry|frustrated|disappointed))|"
    r"for (?:any|the) inconvenience|for your (?:feelings|loss)|"
    r"(?:that )?you(?:'re| are) (?:feeling|going through|having))\b)"
)

APOLOGY = FastCues(
    "apology",
    [
        cue(
            rf"\b(?:I'm|I am|we're|we are)(?: so| very| really| truly| deeply| incredibly|"
            rf" terribly| sincerely| genuinely)* sorry\b{_NOT_SINCERE}",
            0.75,
        ),
        cue(
            r"\bsorry (?:about|for) (?:the|this|that|our|my|all|your)\b"
            r"(?! (?:any )?inconvenience)(?!,? but\b)",
            0.7,
        ),
        cue(rf"\b(?:I|we) (?:sincerely |truly |deeply |do )?apologi[sz]e\b{_NOT_SINCERE}", 0.75),
        cue(
            rf"\b(?:my|our) (?:sincere |deepest |sincerest |heartfelt )?apologies\b"
            rf"{_NOT_SINCERE}",
            0.7,
        ),
        cue(r"\bplease accept (?:my|our) (?:sincere |deepest )?apolog", 0.75),
        cue(
            r"\b(?:that's|that is|this is|it's|it is) (?:entirely |completely |totally |all )?"
            r"(?:on us|on me)\b",
            0.8,
        ),
        cue(r"\b(?:our|my) (?:mistake|fault|error|bad|mix-up|oversight)\b", 0.75),
        cue(
            r"\bwe (?:messed up|screwed up|dropped the ball|got (?:it|this|that) wrong|made a "
            r"mistake|let you down)\b",
            0.75,
        ),
    ],
)

EXPLANATION = FastCues(
    "explanation",
    [
        cue(
            r"\b(?:this|that|the delay|the issue|the problem|the error) (?:happened|occurred|"
            r"was caused|is caused|was due|is due)\b(?! because (?:you|your)\b)",
            0.7,
        ),
        cue(r"\bthe reason (?:is|was|for|why)\b", 0.75),
        cue(
            r"\bdue to (?!(?:your|you)\b)(?:a|an|the|high|heavy|unexpected|severe|technical|"
            r"ongoing|recent|a)\b",
            0.7,
        ),
        cue(r"\bbecause (?!you\b|your\b)(?:of )?(?:a|an|the|our|we|it|there|this|that)\b", 0.4),
        cue(r"\bwhat happened (?:is|was)\b", 0.8),
        cue(
            r"\b(?:we're|we are|we've been|we have been) (?:currently )?(?:experiencing|seeing|"
            r"dealing with|facing|having)\b",
            0.7,
        ),
        cue(
            r"\bthere (?:was|is|has been|'s been|were|are|have been) (?:a|an|some) (?:\w+ )?"
            r"(?:delays?|issues?|problems?|outage|errors?|glitch|backlog|bug|mix-up|shortage|"
            r"disruption)\b",
            0.7,
        ),
        cue(r"\b(?:caused by|as a result of|resulted in|led to)\b(?! (?:you|your)\b)", 0.6),
        cue(
            r"\b(?:our|the|company) polic(?:y|ies) (?:is|are|says|states|allows|covers|requires|"
            r"means|gives|provides)\b",
            0.6,
        ),
        cue(r"\bthe way (?:it|this|the \w+) works\b", 0.55),
        cue(r"\b(?:some|a bit of|for|to give you (?:some )?) ?(?:context|background)\b", 0.7),
        cue(
            r"\b(?:our|the) (?:courier|carrier|warehouse|supplier|payment processor|bank|partner|"
            r"system|factory) (?:had|has had|experienced|lost|misrouted|mislabel\w*|delayed)\b",
            0.6,
        ),
        cue(r"\bthis (?:is|was) because\b", 0.8),
        cue(
            r"\b(?:here's|here is) what (?:happened|went wrong)\b|\bwhat happened(?: here)?:"
            r"|\bwhat went wrong\b",
            0.8,
        ),
        cue(r"\b(?:which|that) is why\b|\bthat's why (?!you\b)", 0.5),
        cue(
            r"\b(?:was|were|is|got) (?:cancelled|canceled|delayed|blocked|rejected|held|flagged) "
            r"because (?!you\b|your\b)",
            0.7,
        ),
        cue(
            r"\b(?:our|the) (?:system|fraud system|app|portal|website|courier|workshop|team) "
            r"(?:has been|was|only|saw|flagged|blocked|rejected|fell|didn't|did not|doesn't)\b",
            0.55,
        ),
        cue(
            r"\bthere(?:'s| is| was) (?:a|an) (?:\w+ )?(?:fault|failure|defect|incident) "
            r"(?:on|in|with|at)\b",
            0.7,
        ),
    ],
)

GRATITUDE = FastCues(
    "gratitude",
    [
        cue(
            r"\bthank(?:s| you)(?: (?:so|very) much| a lot| again)? for\b(?! (?:contacting|"
            r"reaching out|getting in touch|your (?:message|email|enquiry|inquiry|call|query|"
            r"understanding)|calling|writing))",
            0.8,
        ),
        cue(
            r"\bthank(?:s| you)(?: (?:so|very) much| a lot)? for (?:contacting|reaching out|"
            r"getting in touch|your (?:message|email|enquiry|inquiry|call|query)|calling|"
            r"writing|your understanding)",
            0.35,
        ),
        cue(
            r"\b(?:I|we) (?:really |truly |greatly |do |very much |so )?appreciate\b"
            r"(?! (?:that )?you(?:'re| are) (?:upset|frustrated|angry))",
            0.75,
        ),
        cue(r"\b(?:grateful|thankful)\b", 0.75),
        cue(r"(?<!no )\bthank(?:s| you)(?: (?:so|very) much| a lot| again)?\s*(?:[!.,]|$)", 0.6),
        cue(r"\bmany thanks\b", 0.6),
    ],
)

OWNERSHIP = FastCues(
    "ownership",
    [
        cue(
            r"\bI(?:'ll| will)? personally (?:make sure|ensure|handle|look|check|follow|see|call|"
            r"oversee|take|track|monitor|process|contact|email|update|review|escalate|keep)\b",
            0.9,
        ),
        cue(
            r"\bI(?:'ll| will| am going to|'m going to) (?:make sure|ensure|see to it|take care of|"
            r"handle|own|stay on|keep an eye on|follow (?:up|this through)|see this through|"
            r"look into (?:this|it) myself|chase)\b",
            0.75,
        ),
        cue(
            r"\bI(?:'m| am) (?:taking|going to take|personally taking) (?:ownership|"
            r"responsibility|charge|care)\b",
            0.85,
        ),
        cue(
            r"\b(?:leave (?:it|this) with me|I've got (?:this(?=\s*(?:[.!,]|$))|it from here)|"
            r"I'm on it|consider it done)\b",
            0.8,
        ),
        cue(r"\bI(?:'ll| will) be your (?:\w+ )?(?:point of contact|contact)\b", 0.85),
        cue(
            r"\bI(?:'ll| will) (?:call|email|update|contact|message) you (?:myself|personally)\b",
            0.8,
        ),
        cue(r"\bI take (?:full )?responsibility\b", 0.85),
        cue(
            r"\bI(?:'m| am) going to (?:get|fix|sort|make|book|call|send|have) (?:this|it|your|"
            r"you)\b",
            0.75,
        ),
        cue(
            r"\bI(?:'ll| will) (?:\w+ ){1,6}?(?:myself|personally)\b|\bI(?:'ll| will) keep "
            r"(?:your|this) (?:order|case|ticket|account) under my name\b",
            0.8,
        ),
        cue(
            r"\bI(?:'ve| have) (?:already )?(?:corrected|fixed|linked|approved|lifted|booked|"
            r"credited|refunded|cancelled|voided|rebooked|reset|opened|raised|set up|put)\b",
            0.6,
        ),
        cue(r"\bI'd like (?:our|my|the) (?:\w+ )?team on (?:it|this)\b", 0.6),
    ],
)

_SUP = (
    r"(?:supervisor|manager|team lead(?:er)?|specialist|senior (?:agent|colleague|advisor|team)|"
    r"escalations? team|someone more senior)"
)
_REFUSED = r"(?!\s+(?:won't|will not|wouldn't|would|can't|cannot|isn't|is not|doesn't|does not)\b)"

SUPERVISOR_OFFER = FastCues(
    "supervisor_offer",
    [
        cue(
            rf"\b(?:escalat\w*|transfer\w*|connect\w*|put(?:ting)? you through|pass(?:ing|ed)? "
            rf"(?:this|you|it|your case)(?: on| over)?|refer\w* (?:this|you|it|your case)|"
            rf"hand\w* (?:this|you|it|your case) (?:over|off)|loop\w* in|bring\w* in|"
            rf"forward\w* (?:this|your case))\b[^.!?]{{0,40}}?\b{_SUP}s?\b{_REFUSED}",
            0.85,
        ),
        cue(
            rf"\b(?:get|fetch|find|grab|call over|ask) (?:you )?(?:a|my|the|our) {_SUP}\b"
            rf"{_REFUSED}",
            0.8,
        ),
        cue(
            rf"\b(?:a|my|the|our) {_SUP} (?:will|can|is going to|'ll) (?:call|contact|reach out|"
            rf"be in touch|get in touch|review|look at|join|speak|talk|take over|follow up)\b",
            0.75,
        ),
        cue(rf"\bspeak (?:to|with) (?:a|my|the|our) {_SUP}\b{_REFUSED}", 0.7),
        # "I'll bring my supervisor in", "let me loop our escalations team in"
        cue(rf"\b(?:bring\w*|loop\w*|get\w*) (?:a|my|the|our) {_SUP}s? in\b", 0.8),
    ],
)
