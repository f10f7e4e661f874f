"""Card and phone numbers among the other numbers customers write.

Each maximal run of digits and separators is judged as a whole, so a 22-digit tracking number
is not read as a phone number followed by something else. A run survives when the word in
front names a reference (order, booking, flight, ...), when it is a date, an amount, a version
or part of a code; otherwise its shape decides: cards pass the Luhn check in a card's grouping,
phones are international (+ or 00), national (a leading 0), or the North American and Indian
groupings. Any other run of 7 to 15 digits is a phone only when a word such as "call" says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from calmdesk.core.redact.checksums import luhn
from calmdesk.core.redact.context import cue_before

#: a run of digit groups joined by one space, dash, dot or slash, with (area) brackets
RUN = re.compile(r"\+?\(?\d+\)?(?:(?:[ ./-]|\s?(?=\()|(?<=\))\s?)\(?\d+\)?)*")
DATE = re.compile(
    r"(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2}))"
    r"(?:\s\d{1,2})?"
)
CURRENCY_BEFORE = re.compile(r"(?:[$£€¥₹]|\b(?:rs|inr|usd|eur|gbp|chf|aud|cad))\.?\s?$", re.I)
CURRENCY_AFTER = re.compile(
    r"^\s?(?:[$£€¥₹%]|(?:eur|euros?|usd|dollars?|gbp|pounds?|inr|rupees?|chf|kg|km|mb|gb)\b)",
    re.I,
)
#: groupings a card number is printed in: 4-4-4-4(-3), 4-6-5 (Amex), or no separators
CARD_GROUPS = re.compile(
    r"\d{13,19}|\d{4}(?:[ -]\d{4}){2,3}(?:[ -]\d{1,3})?|\d{4}[ -]\d{6}[ -]\d{4,5}"
)
NANP = re.compile(r"(?:1[ .-]?)?(?:\([2-9]\d\d\)\s?|[2-9]\d\d[ .-])\d{3}[ .-]\d{4}")
INDIA = re.compile(r"[6-9]\d{4}[ -]\d{5}")


def numbers(text: str) -> Iterator[tuple[str, int, int]]:
    """(kind, start, end) of each card or phone number in `text`."""
    for match in RUN.finditer(text):
        start, end = match.span()
        kind = _judge(text, start, end)
        if kind is not None:
            yield kind, start, end


def _judge(text: str, start: int, end: int) -> str | None:
    run = text[start:end]
    digits = re.sub(r"\D", "", run)
    if len(digits) < 7 or _part_of_code(text, start, end) or _amount(text, start, end):
        return None
    if DATE.fullmatch(run) and (" " not in run or text[end : end + 1] == ":"):
        return None
    cue = cue_before(text, start)
    if cue == "keep":
        return None
    if 13 <= len(digits) <= 19 and CARD_GROUPS.fullmatch(run) and luhn(digits):
        return "card"
    if cue == "card":
        return None
    if _phone_shape(run, digits) or (cue == "phone" and len(digits) <= 15):
        return "phone"
    return None


def _phone_shape(run: str, digits: str) -> bool:
    if run.startswith("+"):
        return 8 <= len(digits) <= 15
    if run.startswith("00"):
        return 10 <= len(digits) <= 17 and not run.isdigit()
    if run.startswith("0") or run.startswith("(0"):
        return 9 <= len(digits) <= 12
    return bool(NANP.fullmatch(run) or INDIA.fullmatch(run))


def _part_of_code(text: str, start: int, end: int) -> bool:
    """Digits glued to letters or signs ("ORD-2024-118833", "v2.14.3", "#4812") are a code."""
    before = text[start - 1 : start]
    if before.isalnum() or before in ("#", "@", "_", ",", "$", "£", "€", "¥", "₹", "&"):
        return True
    if before in ("-", "/", ".", ":") and text[start - 2 : start - 1].isalnum():
        return True
    after = text[end : end + 1]
    if after.isalnum() or after in ("@", "_"):
        return True
    return after in ("-", "/", ".", ",") and text[end + 1 : end + 2].isdigit()


def _amount(text: str, start: int, end: int) -> bool:
    return bool(
        CURRENCY_BEFORE.search(text[max(0, start - 5) : start])
        or CURRENCY_AFTER.match(text[end : end + 8])
    )
