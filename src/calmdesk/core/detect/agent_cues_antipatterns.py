"""Cue lexicons of the agent anti-patterns; the context rules that use them are in
agent_antipatterns.py.

Most of these phrases carry their own negation ("that's not our fault"), so they are not
negatable; the rest are cancelled by a negator just before them ("it's not your fault" is not
blame). Weights: about 0.85 for phrases that are the anti-pattern by themselves, about 0.5 for
phrases that are only suspect ("to be clear,", "obviously").
"""

from __future__ import annotations

from calmdesk.core.detect.patterns import cue
from calmdesk.core.detect.text_cues import FastCues

DEFENSIVE = FastCues(
    "defensive",
    [
        cue(
            r"\b(?:that's|that is|it's|it is|this is|this was|that was|it was) not (?:our|my|the "
            r"company's) (?:fault|problem|responsibility|issue|concern|doing)\b",
            0.85,
            negatable=False,
        ),
        cue(r"\bnot our (?:fault|problem|responsibility)\b", 0.75, negatable=False),
        cue(r"\bwe(?:'ve| have)? (?:did|done) nothing wrong\b", 0.85, negatable=False),
        cue(
            r"\b(?:we|I) (?:did|do|have done|'ve done) (?:everything|our job|my job) (?:right|"
            r"correctly|properly|by the book)\b",
            0.75,
        ),
        cue(
            r"\bwe followed (?:the |our |all |standard )?(?:procedures?|protocols?|process|"
            r"policy|rules|steps)\b",
            0.75,
        ),
        cue(
            r"\b(?:the|your) (?:courier|carrier|bank|manufacturer|post office|delivery company|"
            r"seller|third party|airline) (?:is|was|are|were) (?:responsible|to blame|at fault|"
            r"liable)\b",
            0.75,
        ),
        cue(r",? not us\b", 0.6, negatable=False),
        cue(
            r"\bwe(?:'re| are) not (?:responsible|liable|to blame|at fault)\b", 0.8, negatable=False
        ),
        cue(r"\bthere(?:'s| is) nothing wrong with (?:our|the|my)\b", 0.7, negatable=False),
        cue(r"\b(?:nothing to do with us|we(?:'re| are) not the ones)\b", 0.75, negatable=False),
        cue(r"\b(?:that's|that is) not (?:true|what happened)\b", 0.6, negatable=False),
    ],
)

#: Refusing or discouraging a supervisor (P5: never block a supervisor request).
SUPERVISOR_BLOCK = FastCues(
    "defensive",
    [
        cue(
            r"\bthere(?:'s| is| are) no (?:\w+ )?(?:manager|supervisor|one else|one above me|"
            r"one higher|team lead)s?\b",
            0.8,
            negatable=False,
        ),
        cue(r"\bno (?:manager|supervisor)s? (?:is |are )?available\b", 0.8, negatable=False),
        cue(
            r"\b(?:a|my|the|any|our) (?:manager|supervisor|team lead)s? (?:will|would|'ll|'d|is "
            r"going to) (?:just )?(?:tell|say|give) you (?:the same|exactly)",
            0.85,
        ),
        cue(
            r"\b(?:a|my|the|any|our) (?:manager|supervisor)s? (?:can't|cannot|won't|couldn't|"
            r"wouldn't|will not) (?:do|help|change|say)\b",
            0.8,
            negatable=False,
        ),
        cue(
            r"\b(?:escalating|transferring|talking to a manager|speaking to a supervisor)"
            r"[^.!?]{0,30}?(?:won't|will not|wouldn't|doesn't) (?:help|change|make)",
            0.8,
            negatable=False,
        ),
        cue(r"\bI(?:'m| am) (?:the highest|the most senior|as high as it goes)\b", 0.7),
        cue(
            r"\bI (?:can't|cannot|won't|will not|am not able to|'m not able to) (?:transfer|"
            r"escalate|put you through|get you)\b[^.!?]{0,30}?\b(?:manager|supervisor|someone "
            r"else|anyone)",
            0.8,
            negatable=False,
        ),
        cue(
            r"\b(?:no need (?:for|to (?:speak|talk) (?:to|with)) a|you don't need a) "
            r"(?:manager|supervisor)\b",
            0.7,
            negatable=False,
        ),
    ],
)

CORRECTING = FastCues(
    "correcting",
    [
        cue(
            r"\bas I (?:already |previously |have |had |clearly )*(?:said|mentioned|stated|"
            r"explained|told you|noted|wrote|pointed out)\b",
            0.85,
        ),
        cue(
            r"\bas (?:previously|already|was|has been) (?:mentioned|stated|explained|said|noted|"
            r"advised)\b",
            0.8,
        ),
        cue(
            r"\bas (?:stated|mentioned|explained|noted|advised|indicated) (?:in|above|before|"
            r"earlier|previously)\b",
            0.8,
        ),
        cue(r"\blike I (?:said|told you|mentioned|explained)\b", 0.85),
        cue(r"\bI (?:have )?already (?:told|explained|said|mentioned|answered)\b", 0.75),
        cue(r"\bactually,? you\b", 0.55),
        cue(r"\bto be clear\s*[,:]", 0.5),
        cue(r"\bfor the (?:second|third|fourth|last|hundredth) time\b", 0.8),
        cue(
            r"\b(?:please )?re-?read (?:my|the|our) (?:previous |last |earlier )?(?:email|"
            r"message|reply|response)\b",
            0.8,
        ),
        cue(r"\byou(?:'re| are) (?:mistaken|wrong|incorrect|confused)\b", 0.75),
        cue(r"\b(?:that's|that is|this is) (?:not correct|incorrect)\b", 0.6, negatable=False),
        cue(r"\bif you (?:had )?(?:read|look(?:ed)?) (?:at )?my (?:previous|last|earlier)\b", 0.8),
    ],
)

BLAME = FastCues(
    "blame",
    [
        cue(
            r"\byou should(?:'ve| have) (?!(?:received|gotten|got|been|had|heard|seen|a|an|the|"
            r"some|any|more|enough|your|it|them|this|that)\b)[a-z]+",
            0.8,
        ),
        cue(r"\byou (?:failed|neglected|forgot) to\b", 0.85),
        cue(
            r"\bbecause you (?:didn't|did not|never|failed|forgot|chose|entered|selected|"
            r"ignored)\b",
            0.85,
        ),
        cue(
            r"\b(?:it's|it is|that's|that is|this is|it was|that was) (?:entirely |completely |"
            r"all |really )?your (?:own )?(?:responsibility|fault|problem|mistake|error|doing)\b",
            0.85,
        ),
        cue(r"\buser error\b", 0.8),
        cue(
            r"\byou (?:didn't|did not|never) (?:read|follow|check|update|enter|provide|submit|"
            r"select|confirm)\b",
            0.7,
            negatable=False,
        ),
        cue(
            r"\bif you had (?:read|followed|checked|entered|provided|contacted|updated|paid|"
            r"selected)\b",
            0.75,
        ),
        cue(r"\byou were supposed to\b", 0.75),
        cue(
            r"\byou (?:entered|selected|provided|gave|typed|used|chose) (?:the |a |an )?(?:wrong|"
            r"incorrect|invalid|old|outdated)\b",
            0.7,
        ),
        cue(r"\b(?:caused|created) by (?:you|your)\b", 0.7),
        cue(r"\byour (?:own )?(?:mistake|error|fault)\b", 0.7),
        cue(
            r"\b(?:problem|issue|fault|error) (?:is|was|lies) (?:on|with) your (?:end|side)\b", 0.75
        ),
    ],
)

#: Explicit doubt of the customer's account (P4c), whatever the state of the conversation.
DOUBT = FastCues(
    "suspicion",
    [
        cue(
            r"\bare you (?:sure|certain|positive)(?: that)? (?:you|it|this|the|your)\b"
            r"(?!(?:'d| would) like\b| want\b| wish\b)",
            0.85,
        ),
        cue(
            r"\b(?:our|the) (?:records|system|logs|tracking|data) (?:shows?|indicates?|says?|"
            r"suggests?)(?: that)? (?:you|the (?:package|parcel|order|item|delivery)|it|your "
            r"(?:package|parcel|order|item))(?: was| were)? (?:did|didn't|did not|never|already|"
            r"received|delivered|signed|opened|used|accessed|logged in|made|placed|downloaded|"
            r"activated|collected)\b",
            0.85,
        ),
        cue(
            r"\b(?:it seems|it appears|it looks like|seems like|apparently)(?: that)? you "
            r"(?:didn't|did not|never|haven't|have not|already|actually|did)\b",
            0.75,
        ),
        cue(
            r"\b(?:we have no|there(?:'s| is) no|we (?:can't|cannot|couldn't) find any) "
            r"records? of\b",
            0.75,
            negatable=False,
        ),
        cue(r"\b(?:that's|that is|this is) (?:simply |just )?impossible\b", 0.75),
        cue(r"\bthere(?:'s| is) no way (?:that|this|it|you)\b", 0.7, negatable=False),
        cue(r"\bdid you (?:actually|really|even)\b", 0.75),
        cue(r"\b(?:you claim(?:ed)?|your claim that|supposedly|allegedly)\b", 0.7),
        cue(r"\b(?:can you prove|we(?:'ll| will) need (?:proof|evidence)|without proof)\b", 0.7),
        cue(r"\bno(?:body| one) else has (?:complained|reported|had)\b", 0.7, negatable=False),
    ],
)

DISMISSIVE = FastCues(
    "dismissive",
    [
        cue(
            r"\b(?:please|just|you need to|you should|try to|you must|you have to) calm down\b",
            0.85,
        ),
        cue(r"\b(?<![a-z] )(?<![a-z]')calm down\b", 0.85),
        cue(r"\b(?:please|just) relax\b", 0.75),
        cue(
            r"\b(?<![a-z] )(?<![a-z]')relax\b(?! (?:the|our|your|a|these|those|this|that)\b)", 0.75
        ),
        cue(
            r"\b(?:it's|it is|this is|that's|that is) (?:not|no) (?:such )?(?:a |that )?"
            r"(?:big|huge) (?:deal|problem|issue)\b(?! (?:for|to) (?:us|me)\b)(?! to\b)",
            0.8,
            negatable=False,
        ),
        cue(
            r"\b(?:it's|it is|that's|it was|it has) only (?:been )?(?:a|one|two|three|four|five|"
            r"\d+|a few|a couple(?: of)?) (?:\w+ )?(?:days?|hours?|minutes?|weeks?|dollars?|"
            r"euros?|pounds?|cents?|bucks|items?|scratch(?:es)?|dents?)\b",
            0.8,
        ),
        cue(
            r"\byou(?:'re| are) (?:over-?reacting|being (?:dramatic|unreasonable|ridiculous|silly|"
            r"emotional)|making a (?:big )?(?:deal|fuss)|blowing (?:this|it) out of "
            r"proportion)\b",
            0.85,
        ),
        cue(
            r"\bno (?:reason|need) to (?:get|be) (?:so )?(?:upset|angry|worked up|emotional|"
            r"dramatic)\b",
            0.8,
            negatable=False,
        ),
        cue(r"\b(?:these things|stuff|things like this|delays) happen\b", 0.6),
        cue(r"\b(?<!when )(?<!if )it happens\s*[.!,]", 0.6),
        cue(r"\b(?:it's|it is|that's) not (?:that|so) bad\b", 0.75, negatable=False),
        cue(r"\b(?:it|things) could (?:be|have been) worse\b", 0.75),
        cue(r"\bat least you (?:got|have|received|still)\b", 0.6),
        cue(
            r"\b(?:it's|it is|that's|this is) (?:just |only )?(?:a )?(?:minor|small|tiny|little) "
            r"(?:issue|problem|thing|inconvenience|delay|scratch)\b",
            0.6,
        ),
        cue(r"\b(?<![a-z] )(?:chill(?: out)?|settle down|take a (?:deep )?breath)\b", 0.7),
    ],
)

PATRONIZING = FastCues(
    "patronizing",
    [
        cue(
            r"\bas you (?:should|must|ought to) (?:know|be aware|have known|understand|"
            r"reali[sz]e)\b",
            0.9,
        ),
        cue(
            r"\b(?:it's|it is|this is|that's|that is) (?:(?:really|very|quite|pretty|super|"
            r"actually|extremely) ){1,2}(?:simple|easy|straightforward|basic)\b",
            0.7,
        ),
        cue(r"\bexplain (?:this|it|that) (?:again |once more )?slowly\b", 0.85),
        cue(r"\bas I'm sure you (?:can |will |would )?(?:appreciate|understand|know)\b", 0.6),
        cue(
            r"\bas (?:clearly|plainly|explicitly) (?:stated|explained|mentioned|written|shown)\b",
            0.7,
        ),
        cue(r"\bonce you (?:actually |properly )?read (?:it|the|our)\b", 0.6),
        cue(
            r"\b(?:it's|it is|this is) (?:simple|easy|straightforward)\b(?! for (?:us|me)| to fix)",
            0.45,
        ),
        cue(
            r"\blet me (?:explain|say|put) (?:this|it|that) (?:again |once more )?(?:slowly|one "
            r"more time|again|simply|in simple terms|more simply|in plain english)\b",
            0.85,
        ),
        cue(r"\bobviously\b(?! (?:our|we|my|I|this shouldn't|that shouldn't)\b)", 0.55),
        cue(r"\bclearly,? you\b", 0.7),
        cue(
            r"\b(?<!with )(?<!of )(?<!and )"
            r"(?:honey|sweetie|sweetheart|hun|darling|dearie|my dear)\b",
            0.8,
            negatable=False,
        ),
        cue(
            r"\bany(?:one|body)(?: \w+)? (?:would|could|should) (?:know|see|tell|understand)\b",
            0.75,
        ),
        cue(r"\b(?:even a child|not rocket science|it's not hard)\b", 0.8),
        cue(r"\b(?:do you understand|does that make sense to you|is that clear)\s*\?", 0.55),
        cue(
            r"\b(?:all you (?:have|need) to do is|just (?:read|follow) the (?:instructions|manual|"
            r"steps))\b",
            0.45,
        ),
        cue(
            r"\bI(?:'ll| will) (?:try to )?(?:make|keep) (?:this|it) (?:simple|easy)\b"
            r"(?! for you)",
            0.6,
        ),
        cue(r"\b(?:surely you|if you (?:had )?(?:bothered|cared) to)\b", 0.75),
    ],
)

#: Canned lines that could be sent to anyone (P4a); `transactional` also needs low overlap.
BOILERPLATE = FastCues(
    "transactional",
    [
        cue(
            r"\bthank(?:s| you) for (?:contacting|reaching out to|getting in touch with|your "
            r"(?:message|email|enquiry|inquiry|query|request|feedback|call))\b",
            0.45,
        ),
        cue(r"\bthank(?:s| you) for (?:your (?:patience|understanding)|choosing)\b", 0.35),
        cue(
            r"\byour (?:ticket|request|case|inquiry|enquiry|query|complaint|message|email|"
            r"feedback) (?:has been|was|is being|is) (?:received|logged|created|submitted|noted|"
            r"forwarded|recorded|registered|assigned)\b",
            0.7,
        ),
        cue(
            r"\b(?:please )?(?:refer to|see|check|consult|visit|read) (?:our|the) (?:faqs?|help "
            r"(?:center|centre|page|section|article)|website|terms(?: and conditions)?|"
            r"knowledge ?base|support (?:page|site|article))\b",
            0.7,
        ),
        cue(
            r"\bwe (?:value|appreciate) your (?:business|custom|feedback|loyalty|patronage)\b", 0.65
        ),
        cue(
            r"\byour (?:call|business|satisfaction|feedback|custom) is (?:very )?important to "
            r"us\b",
            0.75,
        ),
        cue(r"\banything else (?:I|we) can (?:help|assist|do)\b", 0.45),
        cue(r"\bhave a (?:nice|great|good|wonderful|lovely) (?:day|evening|weekend)\b", 0.35),
        cue(
            r"\bwe(?:'ll| will) (?:get back to you|respond|be in touch|contact you) (?:as soon "
            r"as possible|shortly|soon|asap|in due course)\b",
            0.55,
        ),
        cue(
            r"\b(?:a|one of our) (?:representative|agent|team member|advisor|colleague)s? will "
            r"(?:contact|get back to|be in touch|respond|reach out)\b",
            0.6,
        ),
        cue(r"\bin the order (?:it was|they were|they are|it is) received\b", 0.7),
        cue(r"\b(?:kind|best|warm) regards\b", 0.3),
        cue(r"\bthe \w+ (?:support|customer service|care) team\b", 0.3),
        cue(r"\b(?:this is an automated|do not reply to this|please do not reply)\b", 0.75),
        cue(
            r"\bfor (?:further|more) (?:information|assistance|details),? (?:please )?(?:visit|"
            r"see|refer|contact|call)\b",
            0.6,
        ),
        cue(r"\bapologi[sz]e for any inconvenience\b", 0.4),
        cue(r"\bwe (?:strive|aim) to\b", 0.55),
        cue(
            r"\bwe take (?:\w+ )?(?:complaints|feedback|your concerns|this|these matters) "
            r"(?:very )?seriously\b",
            0.55,
        ),
    ],
)
