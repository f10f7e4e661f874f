"""Redaction of personal data in customer text: emails, phone numbers, card numbers, addresses.

Patterns are deliberately greedy toward privacy: a false positive hides a harmless number, a
false negative leaks a customer's data. Card numbers must pass the Luhn check so that order and
reference numbers survive.
"""

from __future__ import annotations

import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
CARD = re.compile(r"\b(?:\d[ -]?){12,18}\d\b")
PHONE = re.compile(r"(?<![\w+])\+?\(?\d{1,4}\)?(?:[ .-]?\(?\d{1,4}\)?){2,5}(?!\w)")
_SUFFIX = (
    r"street|st|road|rd|avenue|ave|lane|ln|drive|dr|boulevard|blvd|way|court|ct|close|"
    r"place|pl|terrace|square|sq|crescent|highway|hwy|parkway|pkwy|gardens|grove|mews|row|walk"
)
ADDRESS = re.compile(
    rf"\b\d{{1,5}}[a-z]?(?:,)?\s+(?:[A-Z][\w'-]*\.?\s+){{1,4}}(?:{_SUFFIX})\b\.?",
    re.IGNORECASE,
)


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _card(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group())
    return "[card]" if 13 <= len(digits) <= 19 and _luhn(digits) else match.group()


DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")


def _phone(match: re.Match[str]) -> str:
    if DATE.fullmatch(match.group().strip()):
        return match.group()
    digits = re.sub(r"\D", "", match.group())
    return "[phone]" if 7 <= len(digits) <= 15 else match.group()


def redact(text: str) -> str:
    """The text with personal data replaced by [email], [card], [phone], [address]."""
    text = EMAIL.sub("[email]", text)
    text = CARD.sub(_card, text)
    text = ADDRESS.sub("[address]", text)
    return PHONE.sub(_phone, text)
