"""Cue tables for the customer's warmer side and for the P5 'inside voice'.

gratitude, satisfaction and apology are what axiom 2 predicts at the end of a good conversation;
COURTESY and COMPLAINT are the two halves of polite displeasure (courteous words, unhappy facts).
"""

from __future__ import annotations

from calmdesk.core.detect.customer_cues import LabelCues, cue

#: Sarcastic thanks: "thanks for nothing", "thanks for losing my parcel".
SARCASTIC_THANKS = (
    r"thank(?:s| you)?(?: so much| a lot| very much)?(?: @?\w+)? for (?:absolutely )?(?:nothing|"
    r"wasting|ruining|losing|ignoring|lying|screwing|messing|breaking|cancell?ing|charging|"
    r"never|not|no help|the runaround|making me|leaving me|being useless|useless|nada)"
)

GRATITUDE = LabelCues(
    "gratitude",
    [
        cue(
            r"thank(?:s| you| u)(?: so much| very much| a lot| a million| a ton| again| loads)?|"
            r"many thanks|thx|thanx|thnx|tysm|ty|thankyou",
            0.8,
            anchor="thank|thanks|many|thx|thanx|thnx|tysm|ty|thankyou",
        ),
        cue(r"thank(?:s| you)? in advance|tia", 0.5, anchor="thank|thanks|tia"),
        cue(
            r"can(?:'|’)?t thank you enough|(?:really |truly |much )?appreciated?(?: it| that| "
            r"this| your| you| all)?|grateful|thankful",
            0.8,
            negatable=False,
            anchor="thank|appreciate|appreciated|grateful|thankful",
        ),
        cue(r"cheers", 0.5),
    ],
    blockers=[
        SARCASTIC_THANKS,
        r"thank (?:god|goodness|heavens|fuck|christ)",
        r"no,? thank(?:s| you)",
        r"(?:would|'d|will) (?:really )?(?:appreciate|be grateful)",
    ],
)

SATISFACTION = LabelCues(
    "satisfaction",
    [
        cue(
            r"(?:it|that|this|everything|all)(?:'s|’s| is| has been)? (?:now )?(?:working|works|"
            r"worked|fixed|sorted|resolved|solved)(?: now)?|(?:problem|issue)(?:'s| is| has been|"
            r" was)? (?:now )?(?:solved|resolved|fixed|sorted)",
            0.7,
            anchor="working|works|worked|fixed|sorted|resolved|solved",
        ),
        cue(
            r"all good|good to go|all set|back (?:up and running|to normal|online)|"
            r"works (?:perfectly|great|fine|like a charm)",
            0.7,
            anchor="good|set|back|perfectly|great|fine|charm",
        ),
        cue(
            r"(?:great|excellent|amazing|fantastic|awesome|brilliant|outstanding|superb|wonderful|"
            r"perfect|quick|fast|speedy|helpful) (?:service|support|job|help|experience|"
            r"customer service|work|news|response)",
            0.8,
            anchor="service|support|job|help|experience|work|news|response",
        ),
        cue(
            r"(?:very |so |really |extremely |more than )?(?:happy|pleased|delighted|thrilled|"
            r"satisfied|impressed|glad|relieved)|couldn(?:'|’)?t be happier",
            0.7,
            anchor="happy|pleased|delighted|thrilled|satisfied|impressed|glad|relieved|happier",
        ),
        cue(
            r"love (?:it|this|the|my|you|amazon|your)|loving (?:it|the|my)",
            0.6,
            anchor="love|loving",
        ),
        cue(
            r"you(?:'re|’re| are|r) (?:a star|a lifesaver|amazing|the best|awesome|brilliant|a "
            r"legend|a gem|fantastic|wonderful|great|so helpful)|lifesaver|"
            r"(?:absolute|total|what a) legend",
            0.7,
            anchor="star|lifesaver|amazing|best|awesome|brilliant|legend|gem|fantastic|wonderful|"
            "great|helpful",
        ),
        cue(
            r"(?:finally )?(?:arrived|received it|got it|came) (?:today|safely|safe|in one piece|"
            r"on time|early)|arrived (?:safely|today)",
            0.55,
            anchor="arrived|received|got|came",
        ),
        cue(r"perfect|brilliant|excellent|awesome|fantastic|wonderful|great", 0.4),
        cue(
            r"(?:that's|that is|what) a relief|thank (?:god|goodness|heavens)|"
            r"(?:that|it) makes sense now|(?:it|that) went through",
            0.7,
            anchor="relief|god|goodness|heavens|sense|went",
        ),
        cue(
            r"you(?:'ve|’ve| have) (?:been (?:brilliant|amazing|great|fantastic|so helpful|"
            r"wonderful)|saved (?:\w+ ){0,3}?(?:day|weekend|trip|holiday|wedding|life|bacon))",
            0.8,
            anchor="been|saved",
        ),
        cue(
            r"credit where (?:it's |its |it is )?due|(?:this|that)(?:'s| is) why i stay|"
            r"exactly (?:the (?:kind of )?)?(?:answer|what) i (?:was hoping|wanted|needed)|"
            r"that's all i wanted",
            0.75,
            anchor="credit|why|exactly|all",
        ),
        cue(r"thank you (?:so|very|ever so) much|thanks so much", 0.5, anchor="thank|thanks"),
    ],
    blockers=[
        r"(?:oh |just |so )great|great,? (?:another|now|just|so|thanks for nothing)|"
        r"(?:great|perfect|brilliant|fantastic) (?:job|work) (?:\w+ ){0,2}(?:losing|ruining|"
        r"breaking|messing)",
        r"happy to (?:help|wait|provide|send|share|pay|discuss|give)|glad to (?:help|provide)",
        r"love (?:it|how|that|when) (?:when|how|you|your|they)|love how",
        r"happy (?:\w+ )?(?:thanksgiving|birthday|holidays?|new year|christmas|easter|hanukkah|"
        r"diwali|eid|anniversary|friday|monday|weekend|\w+ day)",
        r"(?:was|were) (?:so |very )?(?:happy|pleased|excited|satisfied)(?: \w+){0,4} until",
    ],
    hedges=r"if|would|'d|’d|hope|hoping|hopefully|wish|once|until|unless|should|could|want|"
    r"wanted|need|expect|expected|supposed|will|ll|when|please|try|trying|get|gets|getting",
)

#: "I'm so sorry" and its variants, so every sorry-cue starts where the apology starts.
_SORRY = r"(?:i(?:'|’)?m |i am |im )?(?:so |very |really |truly |terribly )?sorry"

APOLOGY = LabelCues(
    "apology",
    [
        cue(
            r"(?:i|we) (?:do |must |sincerely |truly |really )?apologi[sz]e|my apologies|"
            r"apologies (?:for|about)",
            0.85,
            anchor="apologise|apologize|apologies",
        ),
        cue(
            rf"{_SORRY} (?:for|about) (?:my|being|getting|snapping|shouting|yelling|swearing|"
            r"the way|earlier|how i|losing|taking it out|the rant|the outburst|that earlier|"
            r"the (?:confusion|mix-?up|trouble|hassle|inconvenience|long message|delay))|"
            rf"{_SORRY},? i (?:was|got|snapped|shouted|yelled|lost|forgot|misread|missed|made|"
            r"didn't|overreacted)",
            0.85,
            anchor="sorry",
        ),
        cue(
            r"i (?:was|got) (?:rude|harsh|out of line|short with you|wrong|mistaken|carried away|"
            r"a bit much)|didn(?:'|’)?t mean to (?:be rude|snap|shout|yell|swear|take it out|"
            r"offend)",
            0.8,
            negatable=False,
            anchor="rude|harsh|line|short|wrong|mistaken|carried|much|mean",
        ),
        cue(
            r"overreacted|my (?:bad|mistake|fault|error)",
            0.8,
            anchor="overreacted|bad|mistake|fault|error",
        ),
        cue(
            rf"{_SORRY} to (?:bother|trouble|disturb|be a pain|ask|chase|pester|nag|keep)|"
            rf"{_SORRY},? but|{_SORRY} if this",
            0.15,
            anchor="sorry",
        ),
        cue(_SORRY, 0.35, anchor="sorry"),
    ],
    blockers=[
        r"sorry (?:state|excuse|situation|sight)",
        r"(?:feel|felt|be|am) sorry for (?:you|them|him|her|the|anyone|people)",
        r"you(?:'ll|’ll| will| are going to| gonna) be sorry",
        r"(?:want|demand|expect|deserve|owed?|need|waiting for|get|got|receive|received|"
        r"not even|no) (?:an? |some |any )?(?:proper |formal |written |real )?apolog\w*",
        r"(?:say|said|saying) sorry (?:doesn'?t|won'?t|isn'?t)",
    ],
)

COURTESY = LabelCues(
    "courtesy",
    [
        cue(r"please|pls|plz|pleas+e+", 0.5, negatable=False, anchor="please|pls|plz|pleas"),
        cue(
            r"thank(?:s| you)|many thanks|much appreciated",
            0.6,
            negatable=False,
            anchor="thank|thanks|many|much",
        ),
        cue(
            r"kindly|i (?:do |really |would )?appreciate|grateful|i (?:completely |totally |fully "
            r")?understand",
            0.6,
            negatable=False,
            anchor="kindly|appreciate|grateful|understand",
        ),
        cue(
            r"sorry to (?:bother|trouble|chase|pester)|would you (?:mind|be able)|"
            r"could you (?:please|kindly)|would it be possible|if possible|i would be grateful",
            0.55,
            negatable=False,
            anchor="sorry|would|could|possible|grateful",
        ),
        cue(
            r"(?:kind |best |warm )?regards|sincerely|best wishes|good (?:morning|afternoon|"
            r"evening)|dear|hello|hi",
            0.3,
            negatable=False,
            anchor="regards|sincerely|best|good|dear|hello|hi",
        ),
    ],
    blockers=[SARCASTIC_THANKS],
)

COMPLAINT = LabelCues(
    "complaint",
    [
        cue(
            r"(?:has|have|had|did)(?:n(?:'|’)?t| not)(?: yet| still)? (?:arrived|received|come|"
            r"turned up|shown up|been (?:delivered|refunded|resolved|fixed|processed|credited))|"
            r"never (?:arrived|came|received|turned up|got)|still (?:not|no|hasn'?t|haven'?t|"
            r"waiting|nothing|isn'?t)",
            0.55,
            negatable=False,
            anchor="arrived|received|come|turned|shown|been|never|still",
        ),
        cue(r"unfortunately|however|sadly", 0.4, negatable=False),
        cue(
            r"(?:wrong|damaged|broken|missing|faulty|defective|incorrect|cracked) (?:item|order|"
            r"parcel|package|product|size|colou?r|address|part|box|delivery|bill|charge)",
            0.55,
            negatable=False,
            anchor="wrong|damaged|broken|missing|faulty|defective|incorrect|cracked",
        ),
        cue(
            r"(?:charged|billed) (?:me )?(?:twice|double|two times|again|incorrectly|wrongly)|"
            r"double[- ]charged|overcharged",
            0.55,
            negatable=False,
            anchor="charged|billed|double|overcharged",
        ),
        cue(
            r"no (?:response|reply|answer|update|one has)|(?:second|third|fourth|2nd|3rd|4th) "
            r"time",
            0.55,
            negatable=False,
            anchor="no|time",
        ),
        cue(
            r"(?:a bit|rather|quite|slightly|somewhat|a little) (?:disappointed|frustrat\w+|"
            r"concerned|annoyed|upset|unhappy|confused|let down)|i would have expected|"
            r"should have (?:been|arrived|received)",
            0.6,
            negatable=False,
            anchor="bit|rather|quite|slightly|somewhat|little|expected|should",
        ),
    ],
)
