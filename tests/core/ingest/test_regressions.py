"""Inputs that once crashed a reader, hung it or took seconds: each is read again, within 2 s.

regressions/ holds the small ones as files (named for what they exercise); the slow ones are
made here at the size they were reported at, as a file of that size is no use in the repo.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from calmdesk.core.ingest import IngestOptions, detect_format

from .fuzzing import check_read

REGRESSIONS = Path(__file__).parent / "regressions"
#: file -> the conversations it must still give (the good ones next to the bad)
EXPECTED = {
    "lone_surrogate_text.jsonl": ["ok", "s"],
    "nul_and_noncharacters.json": ["n\ufffd"],
    "huge_integer.json": ["ok"],
    "deep_nesting.jsonl": ["ok"],
    "deep_nesting_in_a_list.json": ["ok", "after"],
    "unbalanced_quote.csv": ["t2", "t3"],
    "nested_comment_header.eml": ["m1"],
    "eight_bit_headers.eml": ["m1"],
    "multipart_no_boundary.mbox": ["m1", "m2"],
}
SECONDS = 2.0


def _read_timed(kind: str, path: Path, data: bytes) -> float:
    start = time.perf_counter()
    check_read(kind, str(path), data, IngestOptions(file_seconds=None))
    return time.perf_counter() - start


@pytest.mark.parametrize("name", sorted(p.name for p in REGRESSIONS.iterdir()))
def test_regressions_saved_input_reads_within_the_deadline(name: str) -> None:
    path = REGRESSIONS / name
    assert _read_timed(detect_format(path), path, path.read_bytes()) < SECONDS
    assert name in EXPECTED, "say which conversations the new regression file must give"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_regressions_saved_input_keeps_its_good_conversations(name: str) -> None:
    from calmdesk.core.ingest import read_path

    result = read_path(REGRESSIONS / name)
    assert [c.id for c in result.conversations] == EXPECTED[name]


def _header(name: str, unit: str, size: int) -> bytes:
    return f"From: dana@example.com\n{name}: {unit * (size // len(unit))}\n\nhello\n".encode()


SLOW_ONCE = {
    # 80 KB .eml headers: 65 s in the audit, 17 s here, in the stdlib's header parsers
    "eml To commas": ("email", "a.eml", _header("To", "a,", 80_000)),
    "eml To quoted words": ("email", "a.eml", _header("To", '"a" ', 80_000)),
    "eml To dots": ("email", "a.eml", _header("To", "a.b.", 80_000)),
    "eml Content-Type": ("email", "a.eml", _header("Content-Type", "text/plain; a=b; ", 80_000)),
    "eml Cc list": ("email", "a.eml", _header("Cc", "Dana <d@example.com>, ", 80_000)),
    "eml html tags": (
        "email",
        "a.eml",
        b"From: d@example.com\nContent-Type: text/html\n\n" + b"<a" * 40_000,
    ),
    # a bad quote on every row: each restarts the reader, which must not copy the rest
    "csv a bad quote on every row": (
        "csv",
        "a.csv",
        b"conversation_id,role,text\n" + b'c,customer,"a"b\n' * 20_000,
    ),
    # every "Re:" reply was compared with every mail of its subject: 5 s for 150 KB
    "mbox same subject": (
        "email",
        "a.mbox",
        b"".join(
            b"From x Tue Mar  5 10:02:00 2024\nFrom: u%d@example.com\nSubject: Re: late\n\nhi\n\n"
            % n
            for n in range(2500)
        ),
    ),
    # one long body line the attribution pattern ("Am ... schrieb ...:") backtracked over
    "eml attribution-like line": (
        "email",
        "a.eml",
        b"From: d@example.com\n\n" + b"Am x schrieb " * 15_000,
    ),
}


@pytest.mark.parametrize("name", sorted(SLOW_ONCE))
def test_regressions_input_once_slow_reads_within_the_deadline(name: str) -> None:
    kind, file_name, data = SLOW_ONCE[name]
    assert _read_timed(kind, Path(file_name), data) < SECONDS
