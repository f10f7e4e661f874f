"""Cue tables of the remaining customer signals: history, time, money, records, abuse, acceptance.

Split from `customer_signal_cues` only to keep files small.
"""

from __future__ import annotations

from calmdesk.core.detect.customer_cues import LabelCues, cue

_CONTACT = (
    r"(?:contact|call|phon|email|e-mail|messag|writ|wrote|tweet|dm|chat|spoke|spoken|speak|"
    r"reach|report|complain|rais|explain|told|tell|sent|asked|asking|follow)\w*"
)
_ORDINAL = r"(?:second|third|fourth|fifth|sixth|nth|umpteenth|tenth)"
_ORDINAL_NUM = r"(?:2nd|3rd|4th|5th|6th|\d+th)"
_N_TIMES = r"(?:\d+|two|three|four|five|six|several|multiple|many|numerous|countless)"

REPEAT_CONTACT = LabelCues(
    "repeat_contact",
    [
        cue(
            rf"{_ORDINAL} (?:time|call|email|message|attempt|request|complaint|chat|tweet)s?",
            0.8,
            anchor="second|third|fourth|fifth|sixth|nth|umpteenth|tenth",
        ),
        cue(
            rf"{_ORDINAL_NUM} (?:time|call|email|message|attempt|request|complaint|chat|tweet)s?",
            0.8,
            anchor="time|times|call|calls|email|emails|message|messages|attempt|attempts|"
            "request|requests|complaint|complaints|chat|chats|tweet|tweets",
        ),
        cue(
            rf"(?:already|previously) (?:\w+ )?{_CONTACT}|{_CONTACT} (?:you |this "
            r"|it |them )?(?:\w+ ){0,2}?(?:already|again|before|previously)",
            0.7,
            anchor="already|previously|before|again",
        ),
        cue(
            rf"{_CONTACT} (?:you |them |this |about this |in |so )?{_N_TIMES} times",
            0.75,
            anchor="times",
        ),
        cue(
            rf"(?:after|made|sent|over) {_N_TIMES} (?:calls|emails|messages|chats|tweets|attempts)",
            0.6,
            anchor="calls|emails|messages|chats|tweets|attempts",
        ),
        cue(
            r"still waiting|still (?:no|haven(?:'|’)?t|have not|not) (?:\w+ ){0,2}?(?:heard|"
            r"response|reply|answer|update|call ?back|refund|resolution)",
            0.65,
            negatable=False,
            anchor="still",
        ),
        cue(
            r"(?:ticket|case|reference|ref|complaint)(?: number| no\.?| #|#)?\s*#?\w*\d\w* "
            r"(?:\w+ ){0,3}?(?:from|since|opened|raised|logged) (?:last|yesterday|over|\d+|a )|"
            r"(?:existing|open|previous|original) (?:ticket|case|complaint)",
            0.7,
            anchor="ticket|case|reference|ref|complaint|existing|open|previous|original",
        ),
        cue(
            r"(?:last|previous) (?:time|week|month) (?:i|we) (?:was told|were told|"
            + _CONTACT
            + r")|(?:was|were) (?:told|promised) (?:that |it |i |we |this )?(?:would|will|by|"
            r"within)|as i (?:said|mentioned|explained) (?:before|earlier|previously)|"
            r"(?:nobody|no one) (?:has )?(?:got|gotten|come) back",
            0.7,
            anchor="last|previous|told|promised|said|mentioned|explained|nobody|no",
        ),
        cue(
            r"follow(?:ing)?[- ]up|chasing (?:this|up|my)|here (?:i am|we go) again|"
            r"again and again|once again",
            0.6,
            anchor="follow|following|chasing|again",
        ),
        cue(r"again", 0.3),
    ],
    blockers=[r"never again", r"(?:try|trying|tried) again later"],
)

_DAY_WORDS = (
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|tonight|weekend|end|eod|"
    "christmas|xmas|next|noon|midnight"
)
_DAY = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|tonight|the weekend|"
    r"the end of (?:the )?(?:day|week|month)|eod|christmas|xmas|next week|noon|midnight)"
)
_DATE = r"(?:(?:the )?\d{1,2}(?:st|nd|rd|th)|\d{1,2}(?::\d\d)? ?(?:am|pm))"
TIME_PRESSURE = LabelCues(
    "time_pressure",
    [
        cue(
            r"urgent(?:ly)?|asap|as soon as possible|deadline|time[- ]sensitive|"
            r"running out of time|(?:in a|in such a) (?:hurry|rush)|emergency|"
            r"no time (?:left|to waste)",
            0.75,
            anchor="urgent|urgently|asap|soon|deadline|sensitive|running|hurry|rush|emergency|"
            "left|waste",
        ),
        cue(
            r"(?:need|want|fix|sort|resolve|respond|reply|send|deliver)\w* (?:\w+ ){0,3}?"
            r"(?:immediately|right away|right now|today|tonight|tomorrow)",
            0.7,
            anchor="immediately|away|now|today|tonight|tomorrow",
        ),
        cue(r"immediately|right away", 0.4, anchor="immediately|away"),
        cue(
            r"for (?:my|our|the|a|his|her) (?:\w+(?:'|’)?s? )?(?:wedding|funeral|birthday|"
            r"anniversary|exam|interview|surgery|appointment|honeymoon|graduation|trip|holiday|"
            r"vacation|flight|party)",
            0.65,
            anchor="wedding|funeral|birthday|anniversary|exam|"
            "interview|surgery|appointment|honeymoon|graduation|trip|holiday|vacation|flight|party",
        ),
        cue(rf"(?:by|before|until) {_DAY}", 0.7, anchor=_DAY_WORDS),
        cue(rf"(?:for|on|this|next) {_DAY}", 0.35, anchor=_DAY_WORDS),
        cue(rf"(?:by|before|until) {_DATE}", 0.7, anchor="by|before|until"),
        cue(
            r"need (?:it|this|them|the \w+|my \w+) (?:by|before)|"
            r"(?:in time|on time) for|(?:will|won(?:'|’)?t|wouldn(?:'|’)?t|will not) (?:arrive|"
            r"be here|get here|make it)(?: \w+)? (?:in time|on time|before|by)",
            0.7,
            negatable=False,
            anchor="need|time|arrive|here|make",
        ),
        cue(
            r"wedding|funeral|birthday|anniversary|exam|interview|surgery|appointment|"
            r"honeymoon|graduation|due date|christening|conference|presentation|moving day",
            0.45,
            anchor="wedding|funeral|birthday|anniversary|exam|interview|surgery|"
            "appointment|honeymoon|graduation|due|christening|conference|presentation|moving",
        ),
        cue(r"flight|holiday|vacation|trip|christmas|xmas|party", 0.4),
        cue(
            r"in (?:\d+|a few|two|three|an?|less than (?:an?|\d+)) (?:hours?|minutes?|mins?|"
            r"days?)|(?:leav|fly|flying|depart|travel)\w* (?:on|tomorrow|next|this|at)",
            0.4,
            anchor="hour|hours|minute|minutes|min|mins|day|days|leave|leaving|fly|flying|depart|departing|departs|travel|travelling|"
            "traveling",
        ),
        cue(
            r"(?:leav|fly|flying|depart|travel)\w* in (?:\d+|a few|two|three|an?|less than "
            r"(?:an?|\d+)) (?:hours?|minutes?|mins?|days?)",
            0.6,
            anchor="leave|leaving|fly|flying|depart|departing|departs|travel|travelling|traveling",
        ),
        cue(
            r"tomorrow|tonight|today|this (?:morning|afternoon|evening|week|weekend)",
            0.35,
            anchor="tomorrow|tonight|today|morning|afternoon|evening|week|weekend",
        ),
    ],
    blockers=[r"(?:stop|drop|pop|come|swing) by"],
)

_MONEY = (
    r"(?:full |partial |a |my |the |some )?(?:refund|money back|compensation|credit|reimburse\w*|"
    r"voucher|discount|goodwill|gesture|gift card|free \w+)"
)
COMPENSATION_DEMAND = LabelCues(
    "compensation_demand",
    [
        cue(
            rf"(?:want|need|demand|expect|request|like|deserve|entitled to|give me|owe me|"
            rf"where(?:'s|’s| is)|when (?:will|do) i get|(?:i(?:'|’)?m|i am) owed|asking for)"
            rf"(?: \w+)?? {_MONEY}",
            0.85,
            anchor="refund|money|compensation|credit|reimburse|"
            "reimbursement|voucher|discount|goodwill|gesture|gift|free",
        ),
        cue(
            r"refund|money back|reimburs\w*|compensat\w*",
            0.6,
            anchor="refund|money|reimburse|reimbursed|reimbursement|compensate|"
            "compensated|compensation",
        ),
        cue(r"refunded", 0.4),
        cue(
            r"(?:waive|refund|reverse|remove) (?:the|my|this|that)? ?(?:late |delivery |"
            r"cancellation )?(?:fee|charge|charges)|(?:pay|cover|reimburse) (?:me )?(?:for )?"
            r"(?:the )?(?:cost|damage|delivery|postage|shipping|repair)",
            0.7,
            anchor="waive|refund|reverse|remove|pay|cover|reimburse",
        ),
        cue(
            r"credit (?:my account|to my account|for)|(?:account|store) credit|voucher|discount|"
            r"gift card|goodwill gesture|gesture of goodwill",
            0.45,
            anchor="credit|account|store|voucher|discount|gift|goodwill|gesture",
        ),
    ],
    blockers=[
        r"(?:got|received|receiving|processed|issued|thanks for|thank you for|just got) (?:\w+ )"
        r"{0,2}(?:refund|credit|voucher|compensation|money back)",
        r"refund (?:has been|was|is|got) (?:processed|issued|received|approved|showing|through)",
        r"refund policy",
        r"(?:gave|given|giving|get|got) me (?:a |my |the )?(?:full )?refund",
        r"(?:the |a )?(?:refund|credit|voucher|compensation|replacement) (?:works|would work|"
        r"will work|sounds|would be|is fine|is perfect)",
    ],
)

DOCUMENTING = LabelCues(
    "documenting",
    [
        cue(
            r"screen ?shots?|screen ?grabs?|screen ?caps?|screenshotted|screen recording",
            0.8,
            anchor="screen|screenshot|screenshots|screengrab|screengrabs|screencap|screencaps|"
            "screenshotted",
        ),
        cue(
            r"(?:kept|keeping|keep|have|saved|took|taken|taking|recorded) (?:a |all |the |"
            r"every |photos? |copies )?(?:record|records|copies|copy|proof|evidence|receipts?|"
            r"photos|pictures|notes|logs?|transcripts?|emails)",
            0.7,
            anchor="record|records|copies|copy|proof|evidence|receipt|receipts|photos|pictures|"
            "notes|log|logs|transcript|transcripts|emails",
        ),
        cue(
            r"documented|documenting|for my records|paper trail|"
            r"(?:put|have|get|confirm)\w* (?:\w+ )?in writing|"
            r"(?:date|time)[- ]?stamped|recorded (?:the|this|our|my) (?:call|conversation|chat)|"
            r"(?:recording|record) of (?:the|this|our) (?:call|conversation|chat)",
            0.75,
            anchor="documented|documenting|records|record|paper|writing|date|time|datestamped|"
            "timestamped|recorded|recording",
        ),
        cue(
            r"(?:photos?|pictures?|images?|video) (?:attached|of the (?:damage|item|box|parcel|"
            r"package))|attach(?:ed|ing) (?:a |the )?(?:photo|picture|image|screenshot|receipt|"
            r"invoice|proof|copy)",
            0.6,
            anchor="photo|photos|picture|pictures|image|images|video|attached|attaching",
        ),
    ],
)

_REMEDY = (
    r"(?:refund|replacement|credit|voucher|exchange|repair|option|offer|first|second|third|"
    r"first one|second one|new one|collection|callback|call ?back|engineer|technician|upgrade)"
)
ACCEPTS_SOLUTION = LabelCues(
    "accepts_solution",
    [
        cue(
            r"(?:yes|yep|yeah|yup|sure|ok|okay)[,!.]? (?:please|that(?:'|’)?d be|that would|"
            r"that works|go ahead|do (?:it|that)|let(?:'|’)?s|i(?:'|’)?ll take|i(?:'|’)?d like "
            r"(?:that|the))",
            0.8,
            anchor="yes|yep|yeah|yup|sure|ok|okay",
        ),
        cue(
            rf"(?:that|this|the {_REMEDY}|a {_REMEDY}|option \w+)(?:'|’)?(?:s)? (?:works|would "
            r"work|will work|sounds (?:good|great|fine|perfect|ok|okay|like a plan)|(?:is )?fine|"
            r"would be (?:great|perfect|fine|good|lovely|brilliant|ideal|wonderful|helpful|"
            r"amazing|best|better)|(?:is )?perfect|will do)(?: for (?:me|us))?",
            0.75,
            anchor="works|work|sounds|fine|great|perfect|good|lovely|brilliant|ideal|wonderful|"
            "helpful|amazing|best|better|will|do",
        ),
        cue(
            r"let(?:'|’)?s (?:do|go with|go for|try|book|arrange) (?:that|it|the|option|a|this|"
            r"one)",
            0.8,
            anchor="let|lets",
        ),
        cue(
            r"(?:please )?go ahead(?: with (?:the|that|it|this))?|please proceed|"
            r"proceed with (?:the|that|it|this)",
            0.65,
            anchor="go|ahead|proceed",
        ),
        cue(
            rf"i(?:'|’)?ll (?:take|go with|accept|choose|opt for|have) (?:the|that|option|a|this|"
            rf"your offer)|i accept|i(?:'|’)?d (?:prefer|like|go for|choose) (?:the|a|option) "
            rf"(?:\w+ )?{_REMEDY}",
            0.7,
            anchor="ll|ill|accept|d|id",
        ),
        cue(
            r"(?:option|choice) (?:\d|one|two|three|a|b|c)(?: please| is fine| works| for me| "
            r"sounds good| would be)|sounds (?:good|great|perfect|like a plan)|it(?:'|’)?s a deal|"
            r"(?:ok|okay),? deal",
            0.7,
            anchor="option|choice|sounds|deal",
        ),
        cue(
            r"(?:i(?:'|’)?m|i am|we(?:'|’)?re) (?:happy|ok|okay|fine|good) with (?:that|the|this)",
            0.75,
            anchor="happy|ok|okay|fine|good",
        ),
        cue(
            r"please (?:send|ship|issue|process|arrange|book) (?:the|a|me a|me the) (?:\w+ )?"
            rf"{_REMEDY}",
            0.45,
            anchor="please",
        ),
    ],
    blockers=[
        r"go ahead and (?:cancel|close|delete)",
        # a relative clause ("a card that works online") is not an answer to an offer
        r"(?<=[a-z] )(?<!yes )(?<!yeah )(?<!ok )(?<!sure )that (?:works|would work|will work)",
    ],
)
