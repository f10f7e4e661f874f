"""Word lists the customer detectors share: profanity, intensifiers, acronyms, courtesy.

Kept apart from the detectors so a team can extend a list (a local swear word, a product acronym
that is not shouting) without touching detection logic.
"""

from __future__ import annotations

from calmdesk.core.detect.customer_cues import Cue, LabelCues, cue

#: Swearing, in any direction. Profanity raises intensity; it is abuse only when aimed at people.
PROFANITY: tuple[Cue, ...] = (
    cue(
        r"f+u+c+k+\w*|fck\w*|fuk(?!ushima)\w*|f\*+k?\w*|f[-*]ing",
        0.5,
        negatable=False,
        anchor="fuck|fuc|fuuu|fck|fcki|fuk|fuki|fukk|f|fing",
    ),
    cue(r"motherf\w*|wtf|ffs|stfu|omfg|fml", 0.5, negatable=False),
    cue(r"shit\w*|sh\*t\w*|bullshit|bs", 0.45, negatable=False, anchor="shit|sh|bullshit|bs"),
    cue(r"crap\w*|damn\w*|goddamn\w*|dammit|bloody|bugger\w*|sod off", 0.35, negatable=False),
    cue(
        r"bitch\w*|bastard\w*|asshole\w*|arsehole\w*|dickhead\w*|prick|twat\w*|wanker\w*|cunt\w*",
        0.5,
        negatable=False,
    ),
    cue(
        r"piss\w*|sucks|the hell|hell (?:is|are|was)|to hell|screw (?:you|this|that|it)",
        0.3,
        negatable=False,
        anchor="piss|sucks|hell|screw",
    ),
)

#: Words that turn a statement up; each adds a little intensity (counted per word, no regex).
_INTENSIFIER_WORDS = """extremely absolutely completely totally utterly seriously literally
    incredibly ridiculously insanely beyond whatsoever so very really such ever"""
INTENSIFIERS: frozenset[str] = frozenset(_INTENSIFIER_WORDS.split())

#: Upper-case tokens that are names, not shouting.
_ACRONYM_WORDS = """OK OKAY ASAP USA UK US EU UPS DHL USPS FEDEX TNT DPD TV PC ID PIN SIM FAQ
    CEO IT AM PM ETA DM RT LOL OMG WTF FFS NYC LA SF DC HQ IOS MAC USB HDMI SD GB MB TB
    WIFI SMS GPS API URL PDF
    VAT GST TAX NHS BBC CNN BBB FTC FCC AT&T ATT BT EE O2 HBO PS4 PS5 XBOX NFL NBA HD 4K UHD
    LED LCD CC CVV ATM PO DOB APP QR AC AKA FYI BTW IMO TBH PPS PS MR MRS MS DR ST AVE RD"""
ACRONYMS: frozenset[str] = frozenset(_ACRONYM_WORDS.split())

PROFANITY_CUES = LabelCues("profanity", PROFANITY)
