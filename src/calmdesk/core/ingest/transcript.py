"""Plain transcripts as pasted from a call or chat tool: "Customer: text" lines.

A line "Speaker: text" (optionally after a timestamp like "[10:32]" or "10:32 -") starts a
message; lines without a speaker, and indented lines, continue it. A line "=== title ===" or a
line of three or more dashes starts another conversation, so one file can hold several calls.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from calmdesk.core.ingest import budget
from calmdesk.core.ingest.assemble import frozen, participants_for
from calmdesk.core.ingest.errors import IngestError, ReadResult
from calmdesk.core.ingest.options import IngestOptions
from calmdesk.core.ingest.roles import (
    EXPECTED_ROLES,
    is_generic_speaker,
    role_from_speaker,
    role_from_value,
)
from calmdesk.core.ingest.source import decode_text, quoted
from calmdesk.core.ingest.timestamps import parse_iso
from calmdesk.core.model import Conversation, Message, Role

_CLOCK = r"\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AaPp][Mm])?"
_STAMP = (
    r"(?:\[(?P<bracket>[\d:\-T /.+Z]+(?:\s?[AaPp][Mm])?)\]"
    rf"|\((?P<paren>{_CLOCK})\)|(?P<bare>{_CLOCK})\s*[-–—])"
)
SPEAKER_LINE = re.compile(
    rf"^(?:{_STAMP}\s*)?(?P<name>[^\W\d_][\w .'’()#&-]{{0,39}}?)\s*:(?:\s+(?P<text>.*))?$"
)
_RULE = re.compile(r"^\s*-{3,}\s*$")
_MAX_NAME_WORDS = 4


@dataclass
class _Section:
    first_line: int
    title: str | None = None
    preamble: list[str] = field(default_factory=list)
    #: (line, speaker, stamp, text lines)
    turns: list[tuple[int, str, str | None, list[str]]] = field(default_factory=list)


def speaker_of(line: str, speakers: dict[str, Role]) -> re.Match[str] | None:
    """The speaker-line match if `line` starts a message, else None (it continues one)."""
    if line[:1].isspace():
        return None
    match = SPEAKER_LINE.match(line)
    if match is None:
        return None
    name = match["name"].strip()
    known = role_from_speaker(name, speakers) is not None
    looks_like_name = name[0].isupper() and len(name.split()) <= _MAX_NAME_WORDS
    return match if known or looks_like_name else None


def read_transcript(path: Path, data: bytes, options: IngestOptions) -> ReadResult:
    text = decode_text(path, data)
    if isinstance(text, IngestError):
        return ReadResult(errors=(text,))
    source = str(path)
    speakers: dict[str, Role] = {}
    errors: list[IngestError] = []
    for name, value in options.speakers.items():
        role = role_from_value(value)
        if role is None:
            message = f"speaker {name!r}: expected one of {EXPECTED_ROLES}, got {quoted(value)}"
            errors.append(IngestError(source, None, "speakers", message))
        speakers[name.strip().lower()] = role or "customer"
    if errors:
        return ReadResult(errors=tuple(errors))
    sections = [s for s in _sections(text.splitlines(), speakers) if s.turns or s.preamble]
    if not any(s.turns for s in sections):
        message = (
            "no 'Speaker: text' lines found (expected lines like 'Customer: my order is late')"
        )
        return ReadResult(errors=(IngestError(source, None, None, message),))
    results = (
        _conversation(
            path.stem if len(sections) == 1 else f"{path.stem}-{number}",
            section,
            speakers,
            source,
            options,
        )
        for number, section in enumerate(sections, start=1)
    )
    return ReadResult.merge(results)


def _sections(lines: list[str], speakers: dict[str, Role]) -> list[_Section]:
    sections = [_Section(first_line=1)]
    for number, line in enumerate(lines, start=1):
        budget.check(f"line {number}")
        header = line.strip().startswith("===")
        if header or _RULE.match(line):
            title = line.strip().strip("=").strip() if header else None
            sections.append(_Section(first_line=number, title=title or None))
            continue
        current = sections[-1]
        match = speaker_of(line, speakers)
        if match is not None:
            stamp = match["bracket"] or match["paren"] or match["bare"]
            first = [match["text"].strip()] if match["text"] else []
            current.turns.append((number, match["name"].strip(), stamp, first))
        elif current.turns:
            current.turns[-1][3].append(line.strip())
        elif line.strip():
            current.preamble.append(line.strip())
    return sections


def _conversation(
    conv_id: str,
    section: _Section,
    speakers: dict[str, Role],
    source: str,
    options: IngestOptions,
) -> ReadResult:
    if not section.turns:
        message = "no 'Speaker: text' lines in this conversation"
        return ReadResult(
            errors=(IngestError(source, f"line {section.first_line}", None, message),)
        )
    channel = options.channel or "phone"
    messages: list[Message] = []
    errors: list[IngestError] = []
    for number, (line, name, stamp, body) in enumerate(section.turns, start=1):
        role = role_from_speaker(name, speakers)
        if role is None:
            message = (
                f"no role for speaker {name!r}; name it with --speakers "
                f"'{name}=customer' (roles: {EXPECTED_ROLES})"
            )
            errors.append(IngestError(source, f"line {line}", "speaker", message))
            continue
        timestamp = parse_iso(stamp) if stamp else None
        clock = {"time": stamp.strip()} if stamp and timestamp is None else {}
        text = re.sub(r"\n{3,}", "\n\n", "\n".join(body)).strip()
        messages.append(Message(f"m{number}", name, role, text, timestamp, channel, frozen(clock)))
    if errors:
        return ReadResult(errors=tuple(errors))
    customer = next((m.author for m in messages if m.role == "customer"), None)
    metadata: dict[str, str] = {}
    if section.title:
        metadata["title"] = section.title
    if section.preamble:
        metadata["preamble"] = "\n".join(section.preamble)
    conversation = Conversation(
        id=conv_id,
        messages=tuple(messages),
        participants=participants_for(messages),
        customer_id=None if customer is None or is_generic_speaker(customer) else customer,
        channel=channel,
        metadata=frozen(metadata),
    )
    return ReadResult(conversations=(conversation,))
