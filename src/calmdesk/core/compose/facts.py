"""Facts in a reply (amounts, dates, order numbers, durations) that a rewrite must keep intact.

A rewrite may change every word of tone but none of substance: the customer was told "10 days"
and "order #48213-RT", and the replacement must still say exactly that.
"""

from __future__ import annotations

import re

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_NUMBER_WORD = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|twelve|fourteen|thirty)"
_UNIT = r"(?:business |working |calendar )?(?:minutes?|hours?|days?|weeks?|months?|years?)"

FACT = re.compile(
    "|".join(
        (
            r"[£$€]\s?\d[\d,]*(?:\.\d+)?",  # amounts with a currency sign
            r"\b\d[\d,]*(?:\.\d+)?\s?(?:dollars|pounds|euros|usd|gbp|eur)\b",
            rf"\b(?:\d+|{_NUMBER_WORD})(?:\s?(?:-|–|to)\s?\d+)?[ -]{_UNIT}",  # durations
            rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b(?:\s+\d{{4}})?",  # 3 March
            rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}})?",  # March 3
            r"\b\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}\b",  # 03/04/2026, 2026-04-03
            r"#\s?[A-Z0-9][A-Z0-9-]{2,}",  # order #48213-RT
            r"\b[A-Z]{2,}[- ]?\d{3,}[A-Z0-9-]*\b",  # SV-44120, CMP-55812, AU 1187
            r"\b\d{5,}\b",  # long reference numbers
            r"\b\d{1,2}(?::\d{2})?\s?(?:am|pm)\b",  # times
        )
    ),
    re.IGNORECASE,
)


def find_facts(text: str) -> list[str]:
    """Every fact in the text, in order, as written."""
    return [m.group().strip() for m in FACT.finditer(text)]


def missing_facts(original: str, replacement: str) -> list[str]:
    """Facts of `original` the replacement does not say exactly as written."""
    return [f for f in find_facts(original) if f not in replacement]
