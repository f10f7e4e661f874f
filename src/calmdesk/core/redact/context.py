"""The words before a number that say what it is: an order or flight number, or a phone.

A customer writes "order 415-555-0100" and "call 415-555-0100" alike; only the word in front
tells them apart. The word nearest the number decides, skipping filler such as "number is".
"""

from __future__ import annotations

import re
from typing import Literal

Cue = Literal["keep", "phone", "card", "none"]

# fmt: off
#: words that name a reference, not a person: what follows them survives redaction
KEEP = frozenset((
    "order", "orders", "ord", "booking", "bookings", "reservation", "confirmation", "conf",
    "ref", "reference", "flight", "tracking", "track", "parcel", "package", "shipment",
    "consignment", "awb", "invoice", "inv", "ticket", "case", "receipt", "transaction", "txn",
    "sku", "item", "product", "model", "serial", "version", "ver", "build", "release", "v",
    "app", "ios", "android", "firmware", "code", "pin", "otp", "error", "err", "voucher",
    "coupon", "promo", "gift", "ip", "room", "seat", "gate", "membership", "loyalty", "policy",
    "claim", "return", "rma", "po", "quote", "estimate", "job", "batch", "lot", "page"
))
#: words that introduce a phone number
PHONE = frozenset((
    "call", "called", "calling", "ring", "rang", "rung", "phone", "phoned", "telephone", "tel",
    "tel.", "mobile", "cell", "cellphone", "landline", "whatsapp", "text", "sms", "fax",
    "contact", "reach", "dial", "dialled", "dialed", "callback", "number"
))
#: words that introduce a card number
CARD = frozenset(("card", "visa", "mastercard", "amex", "maestro", "credit", "debit", "cc"))
#: words a customer puts between the cue and the number
FILLER = frozenset((
    "no", "no.", "nr", "nr.", "num", "num.", "#", "is", "was", "are", "my", "our", "your",
    "his", "her", "the", "a", "an", "me", "us", "at", "on", "to", "via", "under", "of", "new",
    "old", "please", "again", "it's", "its", "id"
))
# fmt: on
_WORD = re.compile(r"[#\w]+\.?")
#: how far back a cue may stand
REACH = 48


def cue_before(text: str, start: int) -> Cue:
    """What the words just before `start` (in the same sentence) say the number is."""
    window = re.split(r"[.!?;\n]\s|[()]", text[max(0, start - REACH) : start])[-1]
    saw_number = False
    for word in reversed(_WORD.findall(window.lower())):
        bare = word.rstrip(".")
        if bare in ("number", "no", "nr", "num"):
            saw_number = True
        if word in FILLER or bare in FILLER or bare == "number":
            continue
        if bare in KEEP:
            return "keep"
        if bare in CARD:
            return "card"
        if bare in PHONE:
            return "phone"
        return "phone" if saw_number else "none"
    return "phone" if saw_number else "none"
