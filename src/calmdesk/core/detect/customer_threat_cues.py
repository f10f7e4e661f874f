"""Cue tables of the customer threats: supervisor, churn, legal, public, abuse (P5's last resorts).

Signals are acts more than moods, so most cues pair a verb with its object ("cancel my
subscription", "speak to a manager"): a bare noun ("manager", "court", "refund") is weak evidence
on its own.
"""

from __future__ import annotations

from calmdesk.core.detect.customer_cues import LabelCues, cue

_BOSS_WORDS = (
    "manager|supervisor|superior|boss|team|lead|leader|someone|somebody|human|person|"
    "relations|complaint|complaints"
)
_BOSS = (
    r"(?:a |the |your |ur )?(?:manager|supervisor|superior|boss|team lead(?:er)?|"
    r"someone (?:senior|more senior|higher up|else|in charge|with authority)|"
    r"somebody (?:senior|else|in charge)|a (?:real |actual )?(?:human|person)|"
    r"customer relations|complaints? (?:department|team))"
)

SUPERVISOR_REQUEST = LabelCues(
    "supervisor_request",
    [
        cue(
            rf"(?:speak|talk|chat|escalate (?:this|it|my \w+)) (?:to|with) {_BOSS}",
            0.9,
            anchor=_BOSS_WORDS,
        ),
        cue(
            rf"(?:get|put|transfer|pass|connect|send) me (?:through |over )?to {_BOSS}",
            0.9,
            anchor=_BOSS_WORDS,
        ),
        cue(
            rf"(?:i want|i need|i demand|give me|i(?:'|’)?d like|can i (?:have|get)|"
            rf"let me (?:have|speak to)) {_BOSS}",
            0.85,
            anchor=_BOSS_WORDS,
        ),
        cue(
            r"escalat(?:e|ed|ing) (?:(?:this|my|the) (?:complaint|case|issue|ticket|matter)|this|"
            r"it)|(?:who is|who's) your (?:manager|supervisor|boss)|"
            r"(?:higher|further) up the chain|above your head",
            0.75,
            anchor="escalate|escalated|escalating|manager|supervisor|boss|chain|head",
        ),
        cue(r"(?:manager|supervisor)(?: now| please)?[!.?]", 0.55, anchor="manager|supervisor"),
    ],
)

CHURN_THREAT = LabelCues(
    "churn_threat",
    [
        cue(
            r"cancel(?:l?ing|l?ed)? (?:my|our|the|this) (?:\w+ )?(?:account|subscription|"
            r"membership|prime|contract|service|plan|policy|broadband|line|package|card)",
            0.75,
            anchor="cancel|canceling|cancelling|canceled|cancelled",
        ),
        cue(
            r"clos(?:e|ing) (?:my|our) (?:\w+ )?account|unsubscrib\w*",
            0.75,
            anchor="close|closing|unsubscribe|unsubscribing",
        ),
        cue(
            r"(?:switch\w*|mov(?:e|ing)|go(?:ing)?|chang(?:e|ing)) (?:over )?to (?:(?:another|a "
            r"different|a new|other) (?:\w+ )?(?:provider|company|bank|carrier|network|airline|"
            r"supplier|service|brand|store|shop)s?|your competitors?|a competitor|\w+ instead)",
            0.7,
            anchor="switch|switching|switched|move|moving|go|going|change|changing",
        ),
        cue(
            r"tak(?:e|ing) (?:my|our) (?:business|money|custom) (?:elsewhere|somewhere else|"
            r"to)|(?:go|going|shop|shopping) elsewhere",
            0.9,
            anchor="take|taking|elsewhere",
        ),
        cue(
            r"(?:never|won(?:'|’)?t|will not|not going to) (?:ever )?(?:buy|order|shop|use|fly|"
            r"book|purchase|deal|stay|bank)\w* (?:\w+ ){0,3}?(?:again|anymore|any more)|"
            r"never again",
            0.85,
            negatable=False,
            anchor="never|won|will|going",
        ),
        cue(
            r"(?:last|final) time (?:i|we) (?:\w+ )?(?:order|buy|use|fly|book|shop)\w*|"
            r"(?:i(?:'|’)?m|i am|we(?:'|’)?re|we are) (?:so |totally )?(?:done|finished) with|"
            r"(?:lost|losing) (?:a|another|my|our|your) (?:loyal |long ?time )?"
            r"(?:customer|business)|you(?:'|’)?ve lost (?:me|us)",
            0.85,
            anchor="last|final|done|finished|lost|losing",
        ),
        cue(
            r"(?:looking|shopping) (?:at|for|around for) (?:other|another|alternative|a new) "
            r"(?:\w+ )?(?:providers?|companies|options|carriers|airlines|banks|suppliers|"
            r"networks?)|find (?:another|a new|a different) (?:\w+ )?(?:provider|company|bank|"
            r"carrier|airline|supplier|network)",
            0.75,
            anchor="looking|shopping|find",
        ),
        cue(
            r"(?:thinking|considering) (?:of |about )?(?:cancell?ing|leaving|switching|closing)|"
            r"leav(?:e|ing) (?:you|your (?:service|company|network))",
            0.7,
            anchor="thinking|considering|leave|leaving",
        ),
        cue(
            r"(?:i(?:'|’)?ll|i will|i(?:'|’)?m going to|i am going to) (?:just )?(?:go and |go )?"
            r"(?:buy|get|order|book)\w* (?:\w+ ){0,3}?(?:at|from|with) (?:a |another |"
            r"the )?(?:[\w&'-]+ )?(?:instead|down the road|elsewhere|competitor)",
            0.6,
            anchor="ll|will|going",
        ),
    ],
)

LEGAL_THREAT = LabelCues(
    "legal_threat",
    [
        cue(
            r"lawyers?|attorneys?|solicitors?|legal (?:action|advice|team|department|"
            r"proceedings|route)|law ?suit|class action|litigation",
            0.8,
            anchor="lawyer|lawyers|attorney|attorneys|solicitor|solicitors|legal|law|lawsuit|"
            "class|litigation",
        ),
        cue(
            r"(?:sue|suing) (?:you|u|them|your|the|this|\w+ (?:for|over))|sued|"
            r"(?:take|taking) (?:you|them|this|it|\w+) to court|"
            r"see you in court|small claims",
            0.85,
            anchor="sue|suing|sued|court|small",
        ),
        cue(
            r"trading standards|ombudsman|ftc|fcc|cfpb|ofcom|ofgem|bbb|better business bureau|"
            r"attorney general|consumer (?:protection|rights|affairs|council|watchdog)|"
            r"(?:the |a |to )regulator|(?:consumer|the) watchdog",
            0.7,
            anchor="trading|ombudsman|ftc|fcc|cfpb|ofcom|ofgem|bbb|better|attorney|consumer|"
            "regulator|watchdog",
        ),
        cue(
            r"charge ?back|(?:dispute|reverse) (?:the|this|my|that) (?:charge|payment|"
            r"transaction)|(?:call|contact|tell) my bank",
            0.75,
            anchor="charge|chargeback|dispute|reverse|bank",
        ),
        cue(
            r"(?:report|reporting|complain\w*) (?:you |this |them )?to (?:the )?(?:police|"
            r"authorities|regulator|ombudsman)",
            0.75,
            anchor="report|reporting|complain|complaining|complained",
        ),
        cue(
            r"breach of (?:contract|warranty)|my (?:legal |consumer |statutory )?rights",
            0.55,
            anchor="breach|rights",
        ),
        # "illegal" is a threat when it is said of what was done to the customer, not of
        # immigration or drugs in a debate
        cue(
            r"(?:this|that|it|which|what you(?:'re| are| have been)? doing|you(?:'re| are))"
            r"(?:'s|’s| is| was| are| were)? (?:\w+ )?(?:illegal|unlawful|against the law)|"
            r"(?:you(?:'re| are)|you have been) (?:\w+ )?breaking the law",
            0.6,
            anchor="illegal|unlawful|law",
        ),
        cue(r"illegal|unlawful|against the law", 0.3, anchor="illegal|unlawful|law"),
        cue(r"court", 0.4),
    ],
    blockers=[r"food court|tennis court|court(?:yard|ney)"],
)

PUBLIC_THREAT = LabelCues(
    "public_threat",
    [
        cue(
            r"(?:leave|leaving|write|writing|post|posting|give|giving)\w* "
            r"(?:[\w-]+ ){0,3}?reviews?|"
            r"(?:review|post|complain|report|write)\w* (?:\w+ ){0,3}?(?:on|to) (?:trustpilot|yelp|"
            r"tripadvisor|google)",
            0.75,
            anchor="review|reviews|trustpilot|yelp|tripadvisor|google",
        ),
        cue(
            r"(?:bad|negative|terrible|1[- ]star|one[- ]star|scathing) reviews?",
            0.45,
            anchor="review|reviews",
        ),
        cue(
            r"(?:post|share|put|blast|tweet|broadcast|spread)\w* (?:\w+ ){0,3}?(?:on|to|all "
            r"over|across) (?:twitter|facebook|fb|instagram|insta|tiktok|youtube|reddit|social "
            r"media|linkedin|the internet|online|trustpilot|tripadvisor|yelp|google)",
            0.8,
            anchor="twitter|facebook|fb|instagram|insta|tiktok|youtube|reddit|social|linkedin|"
            "internet|online|trustpilot|tripadvisor|yelp|google",
        ),
        cue(
            r"(?:tell|warn|let) (?:all|everyone|everybody|the world|others|people|my (?:friends|"
            r"family|followers|colleagues))(?: \w+){0,3} (?:about|know|how|what|never|not to|"
            r"to avoid|to stay away)",
            0.75,
            anchor="tell|warn|let",
        ),
        cue(
            r"(?:go(?:ing)?|make (?:this|it)) viral|(?:contact\w*|call\w*|tell\w*|go(?:ing)? to|"
            r"email\w*|writ\w* to) "
            r"(?:the )?(?:press|media|news|newspapers?|bbc|journalists?|reporters?)|"
            r"name and shame|(?:to|contact\w*|call\w*|tell\w*) (?:the |a )?(?:local |national )?"
            r"(?:paper|papers|newspaper|tv station|television)\b",
            0.85,
            anchor="viral|press|media|news|newspaper|newspapers|bbc|"
            "journalist|journalists|reporter|reporters|shame|paper|papers|tv|television",
        ),
        cue(
            r"(?:my|all my|\d+k?) followers|everyone (?:should|needs to) know|"
            r"(?:retweet|rt) (?:this|if)|stay away from|avoid (?:at all costs|\w+ like)|"
            r"don(?:'|’)?t (?:ever )?(?:buy|order|shop|fly) (?:from|with)",
            0.6,
            anchor="followers|everyone|retweet|rt|stay|avoid|don|buy|order|shop|fly",
        ),
    ],
)

_YOU = r"(?:(?:you|u|ya)(?:(?:'|’)?re| are| r)?|ur|youre)"
_INSULT = (
    r"(?:idiots?|morons?|clowns?|imbeciles?|useless|incompetent|stupid|pathetic|liars?|"
    r"thie(?:f|ves)|scammers?|crooks?|fools?|dumb|dense|clueless|brainless|retard(?:s|ed)?|"
    r"jokers?|worthless|losers?|hopeless|lazy|criminals?|bastards?|pigs?|animals|trash|garbage|"
    r"scum|muppets?|amateurs|a joke|a disgrace|an? (?:\w+ )?(?:idiot|moron|clown|joke|disgrace))"
)
_INSULT_WORDS = (
    "idiot|idiots|moron|morons|clown|clowns|imbecile|useless|incompetent|stupid|pathetic|liar|"
    "liars|thief|thieves|scammer|scammers|crook|crooks|fool|fools|dumb|dense|clueless|brainless|"
    "retard|retards|retarded|joker|jokers|worthless|loser|losers|hopeless|lazy|criminal|"
    "criminals|bastard|bastards|pig|pigs|animals|trash|garbage|scum|muppet|muppets|amateurs|"
    "joke|disgrace"
)
_PEOPLE = (
    r"(?:morons?|idiots?|clowns?|imbeciles?|fools?|bastards?|losers?|people|staff|agents?|reps?|"
    r"employees?|workers|muppets|monkeys|bunch|team|lot|twats?|pricks?|bitch(?:es)?)"
)

ABUSE_TOWARD_AGENT = LabelCues(
    "abuse_toward_agent",
    [
        cue(
            rf"{_YOU} (?:such |all |so |a |an |bunch of |complete |total |utter |fucking |"
            rf"bloody |absolute |f\w* )*{_INSULT}",
            0.85,
            anchor=_INSULT_WORDS,
        ),
        cue(
            rf"(?:incompetent|useless|stupid|brainless|lazy|clueless|pathetic|fucking|f\*+king|"
            rf"bloody|absolute|complete|total|dumb|ignorant|rude|lying) {_PEOPLE}",
            0.8,
            anchor="incompetent|useless|stupid|brainless|lazy|clueless|pathetic|fucking|f|bloody|"
            "absolute|complete|total|dumb|ignorant|rude|lying",
        ),
        cue(
            r"(?:bunch|pack|load|gang|band|set) of (?:\w+ )?(?:idiots|clowns|morons|liars|"
            r"thieves|crooks|incompetents|amateurs|muppets|fools|criminals|scammers|losers|"
            r"imbeciles|useless)",
            0.85,
            anchor="bunch|pack|load|gang|band|set",
        ),
        cue(
            r"(?:fuck|f\*+k|screw|sod) (?:you|u|off)|piss off|go to hell|shut up|stfu|"
            r"get lost|kiss my|eat shit|go die",
            0.85,
            anchor="fuck|f|screw|sod|piss|hell|shut|stfu|lost|kiss|eat|die",
        ),
        cue(
            r"(?:are|r) (?:you|u) (?:stupid|dumb|deaf|thick|blind|an idiot|a moron|retarded|"
            r"illiterate|brain ?dead|incompetent)|can(?:'|’)?t (?:you|u) (?:read|understand "
            r"(?:english|simple))|learn (?:to read|english|how to do your job)|"
            r"do your (?:\w+ )?job",
            0.75,
            anchor="are|r|can|learn|job",
        ),
        cue(
            r"(?:i(?:'|’)?ll|i will|i(?:'|’)?m going to|gonna|going to) (?:find|hunt|hurt|kill|"
            r"beat|punch|smash|come (?:down|round|over) (?:there )?and)(?: \w+)? (?:you|u|your|"
            r"them|him|her)|you(?:'|’)?ll (?:regret|pay for)|watch your back|i know where you",
            0.9,
            anchor="find|hunt|hurt|kill|beat|punch|smash|come|regret|pay|watch|know",
        ),
        cue(r"idiots?|morons?|imbeciles?|clowns", 0.45),
    ],
    blockers=[r"(?:for|like) (?:an? )?(?:idiot|dummies|dummy)", r"am i (?:an? )?(?:idiot|stupid)"],
)
