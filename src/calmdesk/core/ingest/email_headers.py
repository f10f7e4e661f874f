"""Header values of a parsed email as text, and the addresses in them, in time linear in size.

The stdlib's structured header parser (policy.default) slices its input once per token, so an
80 KB header takes minutes, and it recurses once per nested comment, so "((((" raises
RecursionError; its older address parser (email.utils) recurses the same way. Mail is therefore
parsed with policy.compat32, which keeps header values as raw text, and the few things calmdesk
needs from them are taken here with regular expressions that scan each value once: encoded words
decoded, the sender's address and name, every address of a recipient list, message ids.
"""

from __future__ import annotations

import contextlib
import re
from email.header import decode_header, make_header
from email.message import Message
from email.policy import Compat32

#: An address as mail clients write it: an RFC 5322 dot-atom local part, "@", a domain. Matched
#: whole against the tokens between separators: searched for in a long run of letters, a pattern
#: like this retries from every letter (quadratic).
_ADDRESS = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)*")
_SEPARATORS = re.compile(r'[\s,;:<>()"\[\]]+')
_BRACKETED = re.compile(r"<\s*([^<>@\s]+@[^<>\s]+?)\s*>")
_COMMENT = re.compile(r"\(([^()]*)\)")
_MESSAGE_ID = re.compile(r"<([^<>\s]+)>")
#: Longer encoded-word runs are left as written: a subject or a name is a line, not a page.
_DECODED_CHARS = 4096


#: Content-Type and Content-Disposition are read up to this many characters: the stdlib's
#: parameter parser (used for the charset and the multipart boundary) is quadratic in their length,
#: and real ones are under a few hundred characters.
PARAMETER_HEADER_CHARS = 2048
_PARAMETER_HEADERS = frozenset({"content-type", "content-disposition"})


class _RawHeaders(Compat32):
    """compat32, but a header value is returned exactly as written (8-bit bytes as surrogate
    escapes), never wrapped in a Header object: `_readable` decodes it."""

    def header_fetch_parse(self, name: str, value: str) -> str:
        if name.lower() in _PARAMETER_HEADERS:
            return value[:PARAMETER_HEADER_CHARS]
        return value


#: The policy to parse mail with.
RAW_HEADERS = _RawHeaders()


def header_text(message: Message, name: str) -> str:
    """The header's value (the first, if repeated) as readable text, or "" when absent."""
    values = message.get_all(name)
    return _readable(str(values[0])) if values else ""


def header_texts(message: Message, name: str) -> list[str]:
    """Every value of a header that may repeat (To, Cc)."""
    return [_readable(str(value)) for value in message.get_all(name) or []]


def _readable(raw: str) -> str:
    # compat32 keeps 8-bit header bytes as surrogate escapes; mail clients write them in UTF-8.
    text = raw.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    if "=?" in text and len(text) <= _DECODED_CHARS:
        # an encoded word that does not decode stays as written
        with contextlib.suppress(LookupError, UnicodeError, ValueError, AssertionError):
            text = str(make_header(decode_header(text)))
    return " ".join(text.split())


def sender(value: str) -> tuple[str | None, str]:
    """(display name or None, lower-cased address or "") of a From value.

    "Jane Doe <jane@x.example>", '"Doe, Jane" <jane@x.example>' and "jane@x.example (Jane)".
    """
    bracketed = _BRACKETED.search(value)
    if bracketed is not None:
        address = bracketed[1]
        name = value[: bracketed.start()].strip().strip('"').strip()
    else:
        found = addresses([value])
        address = found[0] if found else ""
        comment = _COMMENT.search(value)
        name = comment[1].strip() if comment else ""
    return name or None, address.strip().lower()


def addresses(values: list[str]) -> list[str]:
    """Every address in recipient lists (To, Cc), lower-cased, in order."""
    return [
        token.lower()
        for value in values
        for token in _SEPARATORS.split(value)
        if "@" in token and _ADDRESS.fullmatch(token)
    ]


def message_ids(value: str) -> list[str]:
    """The <ids> in a header; links without angle brackets are too loose to trust."""
    return _MESSAGE_ID.findall(value)
