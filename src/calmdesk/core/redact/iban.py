"""IBANs in text: two letters, two check digits and the account, grouped by four or not."""

from __future__ import annotations

import re
from collections.abc import Iterator

from calmdesk.core.redact.checksums import IBAN_LENGTHS, iban

START = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]{2})\d{2}")


def ibans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each IBAN whose length fits its country and whose mod-97 check holds.

    The account part is read for exactly the country's length, so the words after it are
    never taken in; a wrong length or check digit leaves the text as it was.
    """
    for match in START.finditer(text):
        length = IBAN_LENGTHS.get(match.group(1).upper())
        if length is None:
            continue
        end = _read(text, match.start(), length)
        if end is not None and iban(re.sub(r"\s", "", text[match.start() : end])):
            yield match.start(), end


def _read(text: str, start: int, length: int) -> int | None:
    """The end of `length` letters and digits from `start`, single spaces allowed between."""
    taken, i = 0, start
    while i < len(text) and taken < length:
        ch = text[i]
        if ch.isascii() and ch.isalnum():
            taken += 1
        elif not (ch == " " and taken and text[i + 1 : i + 2].isalnum()):
            return None
        i += 1
    if taken < length or (text[i : i + 1].isascii() and text[i : i + 1].isalnum()):
        return None
    return i
