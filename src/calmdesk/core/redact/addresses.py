"""Street addresses in the forms customers write them: UK and US, French and Belgian, German
and Dutch, Italian and Spanish, each with the town, postcode or ZIP that follows.

Street names must be capitalised and carry a street word ("Road", "rue", "-straße", "Via"), so
"3 weeks on the way" is not an address; one typed all in lower case counts only with its
postcode.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_UP = "A-ZÀ-ÖØ-Þ"
NAME = rf"[{_UP}][\w'’.-]*"
TOWN = rf"[{_UP}][\w'’-]+(?: [{_UP}][\w'’-]+)?"
HOUSE = r"\d{1,5}[A-Za-z]?(?: ?(?:bis|ter))?"
DIRECTION = r"(?:[NSEW]|N[EW]|S[EW]|North|South|East|West)\.?"
EN_STREET_WORD = (
    r"street|st|road|rd|avenue|ave|lane|ln|drive|dr|boulevard|blvd|way|court|ct|close|place|pl|"
    r"terrace|square|sq|crescent|cres|highway|hwy|parkway|pkwy|gardens|grove|mews|row|walk|hill"
)
FR_STREET_WORD = r"rue|avenue|av\.|boulevard|bd|place|chemin|allée|allee|impasse|quai|route|cours"
#: "de la", "del", "van der": each is followed by a space (or is an elided "l'" / "d'"), so a
#: run of them reads one way only and a near miss cannot backtrack for long
PARTICLE = r"(?:(?:de|du|des|la|le|les|del|della|di|dei|el|las|los|da|do|dos|van|der) |l'|d')"
NL_DE_SUFFIX = (
    r"straße|strasse|straat|gracht|laan|plein|kade|dijk|singel|steeg|weg|allee|gasse|platz"
)
#: street words written first, the number after: Italian, Spanish, Portuguese, Belgian French
SOUTH_STREET_WORD = (
    r"Via|Viale|Corso|Piazza|Piazzale|Vicolo|Calle|Carrer|Avenida|Paseo|Plaza|Camino|Rua|"
    r"Rue|Avenue|Boulevard|Chemin|Quai"
)

#: "12 Baker Street", "350 W Fifth Ave"
EN_STREET = (
    rf"{HOUSE},? (?:{DIRECTION} )?(?:{NAME} ){{1,3}}(?i:{EN_STREET_WORD})\b\.?"
    rf"(?: {DIRECTION}\b)?"
)
#: "18 bis rue des Lilas"
FR_STREET = (
    rf"{HOUSE},? (?i:{FR_STREET_WORD}) {PARTICLE}*{NAME}"
    rf"(?:[ -]{PARTICLE}?{NAME}){{0,3}}"
)
#: "Lindenstraße 23", "Berliner Str. 45a", "Herengracht 182"
NL_DE_STREET = (
    rf"(?:(?:{NAME} )?[{_UP}]\w*(?i:{NL_DE_SUFFIX})|{NAME} (?:Str\.|Straße|Strasse|Weg|Platz))"
    rf" {HOUSE}\b"
)
#: "Via Garibaldi 12", "Avenida de la Constitución 5"
SOUTH_STREET = (
    rf"(?:{SOUTH_STREET_WORD}) {PARTICLE}*{NAME}(?: {PARTICLE}*{NAME}){{0,3}},? "
    rf"{HOUSE}\b"
)
STREET = f"(?:{EN_STREET}|{FR_STREET}|{NL_DE_STREET}|{SOUTH_STREET})"
UNIT_BEFORE = r"(?:(?:Flat|Apt\.?|Apartment|Unit|Suite) \w+,? )"
UNIT_AFTER = r"(?:,? (?:Apt\.?|Apartment|Suite|Unit|Flat|#) ?\w+)"
UK_POSTCODE = r"[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b"
TAIL = (
    rf"(?:, {TOWN}, [A-Z]{{2}}(?: \d{{5}}(?:-\d{{4}})?)?\b"
    rf"|,? \d{{4,5}}(?: ?[A-Z]{{2}})? {TOWN}"
    rf"|(?:, {TOWN})?,? {UK_POSTCODE}"
    rf"|, {TOWN}(?![\w'’-]))"
)
ADDRESS = re.compile(rf"(?<!\w){UNIT_BEFORE}?{STREET}{UNIT_AFTER}?{TAIL}?")
#: "14 station road, cambridge cb1 2jw": typed in lower case, an address only with its postcode
LOWER_CASE = re.compile(
    rf"(?<!\w){HOUSE} (?:[a-z]+ ){{1,2}}(?:street|road|avenue|lane|drive|close|way)"
    rf"(?:,? [a-z]+(?: [a-z]+)?)?,? (?i:{UK_POSTCODE}|[a-z]{{2}} \d{{5}}(?:-\d{{4}})?\b)"
)


def addresses(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each street address, with its unit, town and postcode when written."""
    spans = sorted(m.span() for pattern in (ADDRESS, LOWER_CASE) for m in pattern.finditer(text))
    end = -1
    for span in spans:
        if span[0] >= end:  # where both patterns read one address, the first reading stands
            yield span
            end = span[1]
