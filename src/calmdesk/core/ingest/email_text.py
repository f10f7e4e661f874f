"""The new words of an email: HTML turned into text, quoted history and signatures cut.

Analysis must see what this sender wrote in this message; a quoted angry email would otherwise
be counted again in every reply that quotes it.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_TAG = re.compile(r"<[^<>]*>?")
#: A "<" that no ">" closes before the next "<". html.parser rescans from each such "<" to the
#: end of the input ("<a<a<a..." is quadratic), so they are settled first as a browser would: an
#: unclosed tag, comment or declaration ("<a", "</", "<!", "<?") is dropped, any other "<" is text.
_UNCLOSED_TAG = re.compile(r"<[A-Za-z/!?][^<>]*(?=<|\Z)")
_STRAY_LT = re.compile(r"<(?![^<>]*>)")
#: Lines longer than this are never an attribution or header line ("On ... wrote:"), so the
#: patterns below, which backtrack over a line, are not tried on them.
_HEADER_LINE_CHARS = 500
_BLOCK_TAGS = frozenset(
    {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "hr"}
)
_SKIP_TAGS = frozenset({"script", "style", "head", "title", "blockquote"})
#: HTML elements mail clients wrap quoted history in.
_QUOTE_CLASSES = ("gmail_quote", "moz-cite-prefix", "yahoo_quoted", "divRplyFwdMsg")

_ATTRIBUTION = re.compile(r"^\s*(On\b.*\bwrote:|Am\b.*\bschrieb.*:|Le\b.*\ba écrit\s*:)\s*$", re.I)
_ATTRIBUTION_START = re.compile(r"^\s*(On|Am|Le)\s+\S.*$")
_ORIGINAL = re.compile(
    r"^\s*-{2,}\s*(Original Message|Forwarded message|Ursprüngliche Nachricht)\s*-{2,}\s*$", re.I
)
_OUTLOOK_FROM = re.compile(r"^\s*\*?(From|Von|De)\s*:\*?\s+\S", re.I)
_OUTLOOK_SENT = re.compile(r"^\s*\*?(Sent|Date|Gesendet|Envoyé)\s*:\*?\s+\S", re.I)
_UNDERSCORES = re.compile(r"^\s*_{10,}\s*$")
_DEVICE_SIGNATURE = re.compile(
    r"^\s*(Sent from my \w+.*|Sent from (Mail|Outlook|Yahoo Mail)\b.*|Get Outlook for \w+.*"
    r"|Sent from Gmail Mobile.*|Von meinem \w+ gesendet.*)\s*$",
    re.I,
)
_VALEDICTION = re.compile(
    r"^\s*((best|kind|warm|warmest)\s+(regards|wishes)|regards|best|cheers|sincerely"
    r"|yours sincerely|yours truly|all the best|thanks|thank you|many thanks|thanks again"
    r"|thanks in advance)\s*[,.!]?\s*$",
    re.I,
)
_THANKS = re.compile(r"^\s*(thanks|thank you|many thanks|thanks again|thanks in advance)", re.I)
#: A valediction followed by more than this many lines is a sentence, not a sign-off.
_SIGNATURE_LINES = 4


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = " ".join(value or "" for name, value in attrs if name in ("class", "id"))
        if self._skip or tag in _SKIP_TAGS or any(c in classes for c in _QUOTE_CLASSES):
            if tag not in ("br", "hr", "img", "meta", "link", "input"):
                self._skip.append(tag)
            return
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self._skip:
            if tag in self._skip:
                while self._skip and self._skip.pop() != tag:
                    pass
            return
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Readable text from an HTML body, without quoted history or styles."""
    parser = _TextExtractor()
    try:
        parser.feed(_STRAY_LT.sub("&lt;", _UNCLOSED_TAG.sub("", html)))
        parser.close()
    except AssertionError:  # html.parser asserts on some malformed markup ("<![bogus")
        parser.parts = [_TAG.sub(" ", html)]
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return _tidy("\n".join(lines))


def strip_quoted(text: str) -> str:
    """The new part of a reply: cut "> " lines, attributions and Outlook headers with all after."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    for index, line in enumerate(lines):
        if len(line) > _HEADER_LINE_CHARS:
            if not line.lstrip().startswith(">"):
                kept.append(line)
            continue
        following = [f for f in lines[index + 1 : index + 5] if len(f) <= _HEADER_LINE_CHARS]
        if _ORIGINAL.match(line) or _ATTRIBUTION.match(line):
            break
        next_line = lines[index + 1] if index + 1 < len(lines) else ""
        if (
            _ATTRIBUTION_START.match(line)
            and 0 < len(next_line) <= _HEADER_LINE_CHARS
            and _ATTRIBUTION.match(f"{line} {next_line}")
        ):
            break
        if _UNDERSCORES.match(line) and any(_OUTLOOK_FROM.match(f) for f in following):
            break
        if _OUTLOOK_FROM.match(line) and any(_OUTLOOK_SENT.match(f) for f in following):
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line)
    return _tidy("\n".join(kept))


def strip_signature(text: str) -> str:
    """Cut a "-- " signature, a device line ("Sent from my iPhone") or a sign-off block.

    A closing "Thanks," is kept: it is the writer's gratitude, which the coach looks for.
    """
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if line.rstrip() in ("--", "-- ") or _DEVICE_SIGNATURE.match(line):
            lines = lines[:index]
            break
    content = [i for i, line in enumerate(lines) if line.strip()]
    for position, index in enumerate(content):
        if _VALEDICTION.match(lines[index]) and len(content) - position - 1 <= _SIGNATURE_LINES:
            tail = lines[index + 1 :]
            if all(len(line) <= 60 for line in tail):
                lines = lines[: index + 1] if _THANKS.match(lines[index]) else lines[:index]
                break
    return _tidy("\n".join(lines))


def clean_body(text: str) -> str:
    return strip_signature(strip_quoted(text))


def _tidy(text: str) -> str:
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip()
