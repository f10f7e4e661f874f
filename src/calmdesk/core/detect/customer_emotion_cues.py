"""The cue tables of the customer emotions: what customers write when they feel each one.

Weights say how much one cue alone proves the emotion: >= 0.5 fires on its own, lower weights
need company. Negation, blockers and hedges are explained in `customer_cues`.
"""

from __future__ import annotations

from calmdesk.core.detect.customer_cues import LabelCues, cue

_NEG = "n[’']?t|not|never|no"  # for cues that carry their own negation

ANGER = LabelCues(
    "anger",
    [
        cue(r"angry|angrier|furious|livid|enraged|irate|seething|fuming|raging|incensed", 0.85),
        cue(r"pissed(?: off)?|p\*+ssed(?: off)?", 0.8, anchor="pissed|p"),
        cue(r"outraged|outrageous|outrage|infuriat\w*|rage", 0.75),
        cue(r"mad (?:at|about|that|with)", 0.6),
        cue(r"how dare", 0.8),
        cue(
            r"disgust\w*|disgrace\w*|appall?ing|appalled|shameful|shocking|atrocious|abysmal|"
            r"horrendous|despicable|deplorable",
            0.6,
        ),
        cue(r"unacceptable|inexcusable|unforgivable", 0.55),
        cue(
            r"pathetic|worst (?:\w+ )?(?:service|company|experience|support|customer service)|"
            r"the worst|worst ever",
            0.55,
            anchor="pathetic|worst",
        ),
        cue(
            r"thanks?(?: you)?(?: so much| a lot| very much)? for (?:absolutely )?nothing",
            0.7,
            negatable=False,
            anchor="nothing",
        ),
        cue(
            r"scam(?:mers?|ming|med)?|rip[- ]?off|ripped off|robbery|thie(?:f|ves)|stealing|"
            r"stole|liars?|lied to|lying",
            0.6,
            anchor="scam|rip|ripo|ripp|ripped|robbery|thief|"
            "thieves|stealing|stole|liar|liars|lied|lying",
        ),
        cue(r"hate (?:you|your|this|amazon|it|the|dealing)", 0.65),
        cue(r"you people|shame on you", 0.55, anchor="people|shame"),
        cue(
            r"(?:what|why|where|who) the (?:hell|heck|fuck|f\*+k)|wtf",
            0.5,
            anchor="hell|heck|fuck|f|wtf",
        ),
        cue(
            r"(?:absolutely|totally|utterly) (?:ridiculous|unbelievable|disgusting)",
            0.5,
            anchor="absolutely|totally|utterly",
        ),
        cue(
            r"(?:this is |what |such |an? |absolute |total |complete )(?:joke|farce|shambles)|"
            r"(?:we|i) (?:pay|paid) for (?:this|it|that)\s*!|less calm now",
            0.6,
            anchor="joke|farce|shambles|pay|paid|less",
        ),
    ],
    blockers=[
        r"(?:is|was) (?:this|that|it) (?:email|e-mail|text|call|message|link|site|website)?\s*"
        r"(?:a )?(?:scam|phishing)",
        r"hate to (?:say|bother|ask|complain|be)",
        r"(?:scam|phishing) (?:email|text|call|message|link)s?",
        r"(?:if|whether|is) (?:this|that|it)(?: \w+)? (?:is |was |'s )?(?:a )?(?:scam|phishing)",
    ],
)

FRUSTRATION = LabelCues(
    "frustration",
    [
        cue(r"frustrat\w*", 0.85),
        cue(
            r"fed up|sick (?:and tired )?of|tired of|sick to death of|had enough|"
            r"enough is enough",
            0.8,
            anchor="fed|sick|tired|enough",
        ),
        cue(
            r"wast(?:e|ed|es|ing) (?:\w+ ){0,3}?(?:time|hours?|days?|morning|afternoon|"
            r"evening|weekend|money)",
            0.75,
            anchor="waste|wasted|wastes|wasting",
        ),
        cue(
            r"yet again|once again|again and again|over and over|time after time|"
            r"every (?:single )?time|how many (?:more )?times",
            0.6,
            anchor="yet|once|again|over|time|every|many",
        ),
        cue(
            r"(?:keeps?|kept) (?:on )?(?:crash|fail|freez|happen|break|drop|cut|say|tell|ask|"
            r"send|charg|cancel|disconnect|log|get|go|los|bounc|delay|mess|chang)\w*",
            0.55,
            anchor="keep|keeps|kept",
        ),
        cue(
            r"(?:getting|going) nowhere|(?:round|around) in circles|run ?around|"
            r"passed (?:\w+ )?(?:around|from)|(?:on|put on) hold for",
            0.7,
            anchor="getting|going|nowhere|round|around|run|runaround|passed|hold",
        ),
        cue(
            r"(?:no ?one|nobody)(?: \w+){0,2} (?:help|answer|respond|repl|call|get|got|care|"
            r"know|bother|fix)\w*",
            0.6,
            negatable=False,
            anchor="no|noone|nobody",
        ),
        cue(
            r"still (?:not|no|nothing|hasn'?t|haven'?t|isn'?t|doesn'?t|don'?t|can'?t|won'?t|"
            r"didn'?t|broken|charging|missing|waiting)|(?:and|but) still nothing|nothing works|"
            r"nothing (?:has )?(?:changed|happened|helps?|worked)",
            0.55,
            negatable=False,
            anchor="still|nothing",
        ),
        cue(r"annoy\w*|irritat\w*|exasperat\w*|aggravat\w*", 0.8),
        cue(
            r"ugh+|argh+|grr+|smh|ffs|for (?:god'?s|fuck'?s|heaven'?s|pete'?s|christ'?s) sake",
            0.55,
            anchor="ugh|ughh|argh|arg|grr|grrr|smh|ffs|sake",
        ),
        cue(
            r"ridiculous|absurd|ludicrous|(?:this is |what |such |absolute |beyond )a joke|"
            r"unbelievable",
            0.6,
            anchor="ridiculous|absurd|ludicrous|joke|unbelievable",
        ),
        cue(
            r"seriously\s*[?!]|really\s*\?+|are you (?:kidding|serious|joking)|"
            r"(?:got|have) to be kidding|give me a break",
            0.45,
            anchor="seriously|really|kidding|serious|joking|break",
        ),
        cue(
            r"(?:lost|losing|running out of|wearing) (?:my |all )?patience|"
            r"at (?:my )?wits'? end|patience is (?:running|wearing)",
            0.85,
            anchor="patience|wits",
        ),
        cue(
            r"impossible to|can(?:'|’)?t (?:seem to )?(?:get (?:through|hold|anyone|an answer|a "
            r"straight)|reach)|cannot (?:get through|reach)",
            0.55,
            negatable=False,
            anchor="impossible|can|cant|cannot",
        ),
        cue(
            r"(?:why|how) (?:is|does) (?:it|this|everything) (?:so |this )(?:hard|difficult|"
            r"complicated)",
            0.7,
            anchor="hard|difficult|complicated",
        ),
        cue(r"another (?:delay|excuse|problem|issue|week|day|month|email|call|hour)", 0.5),
        cue(
            r"thanks?(?: you)?(?: \w+)? for (?:absolutely )?nothing",
            0.6,
            negatable=False,
            anchor="nothing",
        ),
        cue(
            r"(?:second|third|fourth|fifth|\d+(?:st|nd|rd|th)) time (?:this|that|i|i've|ive|we|"
            r"in)|(?:twice|three times) (?:already|now|i've|ive)|had to (?:chase|call|"
            r"explain|repeat|write|ask) (?:\w+ ){0,3}?(?:again|twice|three times|every)",
            0.55,
            anchor="second|third|fourth|fifth|time|twice|three|had",
        ),
        cue(
            r"i'm done being|(?:i|we) just (?:need|want) (?:a|an|it|this|my|the|someone)|"
            r"can i just|why does it matter|sort it out|treated like",
            0.55,
            anchor="done|just|why|sort|treated",
        ),
        cue(
            r"(?:nobody|no one|no-one) (?:is |was )?(?:there|answer\w*|pick\w* up|came|turned up|"
            r"showed up)|never (?:came|turned up|showed up|arrived|called back)",
            0.6,
            negatable=False,
            anchor="nobody|no|never",
        ),
    ],
)

DISAPPOINTMENT = LabelCues(
    "disappointment",
    [
        cue(
            r"disappoint\w*|let(?:ting)? (?:me |us |everyone )?down|letdown",
            0.85,
            anchor="disappoint|disappointed|disappointing|disappointment|let|letting|letdown",
        ),
        cue(
            r"(?:expected|expect|expecting|deserve) (?:much )?(?:better|more)|"
            r"thought (?:you|\w+) (?:were|was) better|used to be (?:good|great|better|reliable)",
            0.75,
            anchor="expected|expect|expecting|deserve|thought|used",
        ),
        cue(
            rf"(?:{_NEG}) (?:very |too |really |at all )?(?:happy|satisfied|pleased|impressed|"
            r"acceptable|good enough|what i (?:ordered|expected|paid for))|unhappy|"
            r"dissatisfied|unsatisfied",
            0.6,
            negatable=False,
            anchor="happy|satisfied|pleased|impressed|acceptable|good|what|unhappy|dissatisfied|"
            "unsatisfied",
        ),
        cue(
            r"(?:such|what) a (?:shame|pity)|a real shame|shame that|pity that|sadly|saddened|"
            r"sad (?:that|to)|heartbroken|gutted|bummed|upset",
            0.6,
            anchor="such|what|shame|pity|sadly|saddened|sad|heartbroken|gutted|bummed|upset",
        ),
        cue(
            r"(?:was|were|had been) (?:really |so )?(?:hoping|looking forward)",
            0.45,
            anchor="hoping|looking",
        ),
        cue(
            r"underwhelm\w*|sub-?par|poor (?:quality|service|experience|customer service)|"
            r"below (?:par|expectations?|standard)|f[ae]lls? short|not up to (?:par|standard)",
            0.6,
            negatable=False,
            anchor="underwhelm|underwhelmed|underwhelming|sub|subpar|poor|"
            "below|fell|falls|fall|not",
        ),
        cue(
            r"loyal customer|customer (?:for|since) (?:\d+|many|several|over)|"
            r"(?:\d+|many|several) years (?:as a |of )?(?:loyal )?(?:custom|member)",
            0.45,
            anchor="loyal|customer|years",
        ),
        cue(
            r"never (?:again )?(?:recommend|trust)\w*|no longer (?:recommend|trust)\w*",
            0.5,
            negatable=False,
            anchor="never|longer",
        ),
    ],
)

ANXIETY = LabelCues(
    "anxiety",
    [
        cue(r"worr(?:y|ied|ies|ying)", 0.8),
        cue(
            r"anxious|anxiety|nervous|scared|frightened|terrified|panic\w*|freaking out|"
            r"stressed|stressful|stressing|distress\w*|desperate(?:ly)?|uneasy|dread\w*",
            0.8,
            anchor="anxious|anxiety|nervous|scared|frightened|terrified|panic|panicking|"
            "panicked|freaking|stressed|stressful|stressing|distress|distressed|desperate|"
            "desperately|uneasy|dread|dreading",
        ),
        cue(
            r"(?:i(?:'|’)?m|i am|we(?:'|’)?re|we are|very|really|quite|a bit|a little|so|deeply|"
            r"extremely|getting) concerned|concerned (?:about|that|for)|"
            r"(?:this|that|it)(?:'s|’s| is) (?:very |really |quite )?concerning",
            0.6,
            anchor="concerned|concerning",
        ),
        cue(
            r"afraid (?:of|to|that|i(?:'|’)?ll|i will|it(?:'|’)?ll)|fear(?:ing|ful)?",
            0.6,
            anchor="afraid|fear|fearing|fearful",
        ),
        cue(
            r"what if|what happens if|will i (?:lose|be charged|get charged|ever)|"
            r"am i going to (?:lose|be)|(?:is|are) my (?:\w+ )?(?:account|money|data|card|"
            r"details|information|payment)s? (?:safe|secure|at risk)",
            0.6,
            anchor="what|will|going|safe|secure|risk",
        ),
        cue(r"hack(?:ed|ing)?|fraud\w*|unauthori[sz]ed|identity theft|compromised", 0.4),
        cue(
            r"can(?:'|’)?t sleep|losing sleep|on edge|sick with worry",
            0.75,
            anchor="sleep|edge|worry",
        ),
    ],
    blockers=[
        r"as far as (?:\w+ )?(?:i'm|i am|we're|we are|is|are)? ?concerned",
        r"to whom it may concern",
        r"(?:i'm|i am|im) afraid (?:that )?(?:i |it |this |the |we |you |your |not |so |there)",
        r"(?:no|not|never|don'?t|didn'?t) (?:\w+ ){0,2}worr(?:y|ied|ies)",
    ],
)

CONFUSION = LabelCues(
    "confusion",
    [
        cue(
            r"confus\w*|puzzled|baffled|bewildered|perplexed|mystified|befuddled",
            0.85,
            anchor="confus|confused|confusing|confusion|puzzled|baffled|bewildered|perplexed|"
            "mystified|befuddled",
        ),
        cue(
            rf"(?:do|did|can|could)(?:{_NEG}|n(?:'|’)?t| not) (?:quite |really |fully |even )?"
            r"(?:understand|get it(?! (?:fixed|sorted|done|delivered|back|working|replaced|"
            r"repaired|to|in|on|yet))|see why|follow|figure out|work out)",
            0.75,
            negatable=False,
            anchor="understand|get|see|follow|figure|work",
        ),
        cue(
            r"(?:does|do|did)(?:n(?:'|’)?t| not) make (?:any )?sense|makes? no sense|"
            r"made no sense",
            0.75,
            negatable=False,
            anchor="sense",
        ),
        cue(
            r"(?:i(?:'|’)?m|i am|im) (?:so |totally |completely |a bit |a little )?lost",
            0.7,
            negatable=False,
            anchor="lost",
        ),
        cue(
            r"unclear|not clear|(?:not|n(?:'|’)?t) sure (?:what|how|why|if|whether|where|which|"
            r"who|when)|no idea (?:what|how|why|where|if|whether|which|when)|no clue",
            0.6,
            negatable=False,
            anchor="unclear|clear|sure|idea|clue",
        ),
        cue(
            r"what does [^.?!\n]{1,40}? mean|what do you mean|"
            r"what(?:'s| is) (?:this|that) supposed to mean",
            0.65,
            anchor="mean",
        ),
        cue(
            r"(?:can|could) (?:you|someone|anyone) (?:please )?(?:explain|clarify)|"
            r"please (?:explain|clarify)",
            0.5,
            anchor="explain|clarify",
        ),
        cue(
            r"contradict\w*|conflicting|mixed messages|different answers?|"
            r"told (?:me )?(?:something )?different",
            0.55,
            anchor="contradict|contradicts|contradictory|contradicting|conflicting|mixed|different",
        ),
        cue(
            r"huh|wait,? what|how (?:do|can|should) i|which (?:one|option) (?:do|should)",
            0.35,
            anchor="huh|wait|how|which",
        ),
    ],
)
