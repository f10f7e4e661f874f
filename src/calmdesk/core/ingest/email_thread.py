"""Email: .eml files and mbox archives, threaded into conversations.

Threads come from Message-ID / In-Reply-To / References (union-find over the ids, so a reply
whose parent is missing still joins its siblings). The subject is a fallback only for a message
with no such headers that still looks like a reply ("Re: ..."), and only into a thread that
shares an address with it: two customers who both write "Order late" are two cases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message as MailMessage
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from pathlib import Path

from calmdesk.core.ingest import budget
from calmdesk.core.ingest.assemble import duplicate_ids, frozen, participants_for
from calmdesk.core.ingest.email_headers import (
    RAW_HEADERS,
    addresses,
    header_text,
    header_texts,
    message_ids,
    sender,
)
from calmdesk.core.ingest.email_text import clean_body, html_to_text
from calmdesk.core.ingest.errors import IngestError, ReadResult, file_error
from calmdesk.core.ingest.options import IngestOptions
from calmdesk.core.ingest.source import quoted
from calmdesk.core.model import Conversation, Message, Role

#: Local parts that mean "the company" when no support addresses are configured.
DEFAULT_SUPPORT_MAILBOXES = ("support", "help", "care", "service", "noreply", "no-reply")
_REPLY_PREFIX = re.compile(r"^\s*((re|fwd?|aw|wg|sv|antw)\s*(\[\d+\])?\s*:\s*)+", re.I)
DATE_EXPECTED = "expected an RFC 5322 date like 'Tue, 5 Mar 2024 10:02:00 +0000'"
#: multipart levels followed to find the body; real mail nests three or four
_MAX_PART_DEPTH = 16


@dataclass
class _Mail:
    index: int
    location: str | None
    key: str  # the Message-ID, or a stand-in unique in the file
    links: list[str] = field(default_factory=list)
    subject: str = ""
    sender: str = ""
    sender_name: str | None = None
    recipients: list[str] = field(default_factory=list)
    timestamp: datetime | None = None
    text: str = ""
    error: IngestError | None = None


def read_email(path: Path, data: bytes, options: IngestOptions) -> ReadResult:
    source = str(path)
    if not data.strip():
        return file_error(source, "file is empty")
    chunks = split_mbox(data) if is_mbox(path, data) else [(None, data)]
    mails: list[_Mail] = []
    loose: list[IngestError] = []
    for index, (line, chunk) in enumerate(chunks, start=1):
        location = None if line is None else f"message {index} (line {line})"
        budget.check(location or "the message")
        mail = _parse(index, location, chunk, source)
        if isinstance(mail, IngestError):
            loose.append(mail)
        else:
            mails.append(mail)
    conversations: list[Conversation] = []
    errors = list(loose)
    for thread in _threads(mails):
        built = _conversation(thread, source, options)
        if isinstance(built, Conversation):
            conversations.append(built)
        else:
            errors.extend(built)
    return ReadResult(tuple(conversations), tuple(errors))


def is_mbox(path: Path, data: bytes) -> bool:
    return path.suffix.lower() == ".mbox" or data.startswith(b"From ")


def split_mbox(data: bytes) -> list[tuple[int, bytes]]:
    """(line of the "From " separator, message bytes); a separator follows a blank line.

    Requiring the blank line keeps an unescaped "From here on..." in a body from splitting it.
    """
    chunks: list[tuple[int, bytes]] = []
    current: list[bytes] = []
    start = 1
    previous_blank = True
    for number, line in enumerate(data.splitlines(keepends=True), start=1):
        if line.startswith(b"From ") and previous_blank:
            if any(part.strip() for part in current):
                chunks.append((start, b"".join(current)))
            current, start = [], number
        else:
            current.append(line[1:] if line.startswith(b">From ") else line)
        previous_blank = not line.strip()
    if any(part.strip() for part in current):
        chunks.append((start, b"".join(current)))
    return chunks


def _parse(index: int, location: str | None, chunk: bytes, source: str) -> _Mail | IngestError:
    # compat32 keeps header values as raw text (email_headers says why). The parser can still
    # raise on some malformed input (deeply nested parts); a bad message must become an error
    # for that message, never a crash of the whole read.
    try:
        message = BytesParser(policy=RAW_HEADERS).parsebytes(chunk)
        return _mail(index, location, message, source)
    except Exception as exc:
        return IngestError(source, location, None, f"unreadable email: {type(exc).__name__}: {exc}")


def _mail(index: int, location: str | None, message: MailMessage, source: str) -> _Mail:
    raw_id = header_text(message, "Message-ID")
    own = message_ids(raw_id) or raw_id.split()
    links = message_ids(header_text(message, "In-Reply-To")) + message_ids(
        header_text(message, "References")
    )
    mail = _Mail(index, location, own[0] if own else f"m{index}", links)
    mail.subject = header_text(message, "Subject")
    name, mail.sender = sender(header_text(message, "From"))
    mail.sender_name = name
    mail.recipients = addresses(header_texts(message, "To") + header_texts(message, "Cc"))
    if not mail.sender or "@" not in mail.sender:
        mail.error = IngestError(source, location, "From", "missing or without an email address")
        return mail
    date = message.get("Date")
    if date is not None:
        text = header_text(message, "Date")
        try:
            stamp = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            stamp = None
        if stamp is None:
            mail.error = IngestError(
                source, location, "Date", f"{DATE_EXPECTED}, got {quoted(text)}"
            )
            return mail
        mail.timestamp = stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=UTC)
    mail.text = _body(message)
    return mail


def _body(message: MailMessage) -> str:
    """text/plain if there is one, else the HTML part as text; quotes and signature cut."""
    part = _body_part(message)
    if part is None:
        return ""
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset() or "utf-8"
    try:
        content = payload.decode(charset, "replace")
    except LookupError:  # a charset Python does not know
        content = payload.decode("utf-8", "replace")
    if part.get_content_subtype() == "html":
        content = html_to_text(content)
    return clean_body(content)


def _body_part(message: MailMessage) -> MailMessage | None:
    """The first inline text/plain part, else the first inline text/html, as get_body picks
    them: attachments and attached messages (message/rfc822) are not the body."""
    html: MailMessage | None = None
    stack: list[tuple[MailMessage, int]] = [(message, 0)]
    while stack:
        part, depth = stack.pop()
        if part.is_multipart():
            children = part.get_payload()
            if depth < _MAX_PART_DEPTH and isinstance(children, list):
                stack.extend(
                    (child, depth + 1)
                    for child in reversed(children)
                    if isinstance(child, MailMessage)
                )
            continue
        disposition = str(part.get("Content-Disposition") or "").strip().lower()
        if disposition.startswith("attachment"):
            continue
        kind = part.get_content_type()
        if kind == "text/plain":
            return part
        if kind == "text/html" and html is None:
            html = part
    return html


def normalised_subject(subject: str) -> str:
    """ "Re: AW: Fwd: Order late" -> "order late": what makes two subjects the same thread."""
    return _REPLY_PREFIX.sub("", subject).strip().lower()


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        root = self.parent.setdefault(item, item)
        while root != self.parent[root]:
            root = self.parent[root]
        while item != root:  # path compression keeps long threads linear
            item, self.parent[item] = self.parent[item], root
        return root

    def union(self, a: str, b: str) -> None:
        self.parent[self.find(a)] = self.find(b)


def _threads(mails: list[_Mail]) -> list[list[_Mail]]:
    links = _UnionFind()
    for mail in mails:
        links.find(mail.key)
        for other in mail.links:
            links.union(other, mail.key)
    # The first two mails (in file order) with each (subject, address): a reply joins the
    # first of them that is not itself. An index, not a scan of every mail with the subject,
    # keeps an mbox of thousands of "Re: Order late" linear.
    first_two: dict[tuple[str, str], list[_Mail]] = {}
    for mail in mails:
        subject = normalised_subject(mail.subject)
        for person in _people(mail):
            found = first_two.setdefault((subject, person), [])
            if len(found) < 2:
                found.append(mail)
    for mail in mails:
        if mail.links or not _REPLY_PREFIX.match(mail.subject):
            continue
        subject = normalised_subject(mail.subject)
        candidates = (
            next((m for m in first_two[(subject, person)] if m is not mail), None)
            for person in _people(mail)
        )
        earlier = min((m for m in candidates if m is not None), key=lambda m: m.index, default=None)
        if earlier is not None:
            links.union(mail.key, earlier.key)
    threads: dict[str, list[_Mail]] = {}
    for mail in mails:
        threads.setdefault(links.find(mail.key), []).append(mail)
    return list(threads.values())


def _people(mail: _Mail) -> set[str]:
    return {mail.sender, *mail.recipients} - {""}


def is_support(address: str, support_addresses: tuple[str, ...]) -> bool:
    """Whether `address` is the company side: configured addresses or domains, else a
    support-like mailbox name (support@, help@, care@, service@, noreply@)."""
    address = address.lower()
    if support_addresses:
        for entry in (e.strip().lower() for e in support_addresses):
            if address == entry or (entry.startswith("@") and address.endswith(entry)):
                return True
        return False
    return address.split("@", 1)[0] in DEFAULT_SUPPORT_MAILBOXES


def _conversation(
    thread: list[_Mail], source: str, options: IngestOptions
) -> Conversation | list[IngestError]:
    errors = [m.error for m in thread if m.error is not None]
    if errors:
        return errors
    if all(m.timestamp is not None for m in thread):
        thread = sorted(thread, key=lambda m: (m.timestamp, m.index))
    channel = options.channel or "email"
    messages: list[Message] = []
    for mail in thread:
        role: Role = "agent" if is_support(mail.sender, options.support_addresses) else "customer"
        metadata = {"subject": mail.subject, "to": tuple(mail.recipients)}
        messages.append(
            Message(
                mail.key, mail.sender, role, mail.text, mail.timestamp, channel, frozen(metadata)
            )
        )
    for position, dup in duplicate_ids(m.id for m in messages):
        message = f"duplicate Message-ID {dup!r} in one thread"
        errors.append(IngestError(source, thread[position].location, "Message-ID", message))
    if errors:
        return errors
    names = {m.sender: m.sender_name for m in thread if m.sender_name}
    return Conversation(
        id=messages[0].id,
        messages=tuple(messages),
        participants=participants_for(messages, names=names),
        customer_id=next((m.author for m in messages if m.role == "customer"), None),
        channel=channel,
        metadata=frozen({"subject": normalised_subject(thread[0].subject)}),
    )
