"""Benchmark: reading time against input size for every reader, typical and hostile inputs.

Each input is made at 10 KB, 100 KB and 1 MB (--sizes) and read through `read_path` as the CLI
reads it; the table shows the seconds, the microseconds per KB, and `growth`, the time at the
largest size over the time at the one before, divided by their size ratio: about 1 is linear,
the size ratio (10) would be quadratic (the smallest size also pays one-time costs, so it is
left out of the ratio). The hostile inputs are the shapes that were quadratic or
recursive before: long and nested address headers, thousands of "Re:" replies in one mbox,
unclosed HTML tags, a cell longer than the csv module's limit, one very long line.

Usage: python bench/readers.py [--sizes 10,100,1000] [--only mbox]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from calmdesk.core.ingest import IngestOptions, read_path

Maker = Callable[[int], str]

CONVERSATION = {
    "id": "c",
    "messages": [
        {"id": "m1", "author": "dana", "role": "customer", "text": "My order is late again."},
        {"id": "m2", "author": "sam", "role": "agent", "text": "I'm sorry, it ships today."},
    ],
}
MAIL = (
    "From: Dana <dana@example.com>\nTo: support@shop.example\nSubject: Re: Order late\n"
    "Date: Tue, 5 Mar 2024 10:02:00 +0000\nMessage-ID: <{n}@example.com>\n\n"
    "Where is my order? It is late again.\n\n"
)


def _repeat(unit: Callable[[int], str], size: int) -> str:
    parts, total, n = [], 0, 0
    while total < size:
        piece = unit(n)
        parts.append(piece)
        total += len(piece)
        n += 1
    return "".join(parts)


def _json(size: int) -> str:
    return (
        "[" + _repeat(lambda n: json.dumps({**CONVERSATION, "id": f"c{n}"}) + ",", size)[:-1] + "]"
    )


def _jsonl(size: int) -> str:
    return _repeat(lambda n: json.dumps({**CONVERSATION, "id": f"c{n}"}) + "\n", size)


def _csv(size: int) -> str:
    return "conversation_id,role,text\n" + _repeat(
        lambda n: f'c{n // 2},{"customer" if n % 2 == 0 else "agent"},"Late again, {n}"\n', size
    )


def _csv_long_cell(size: int) -> str:
    return f'conversation_id,role,text\nc1,customer,"{"late " * (size // 5)}"\n'


def _twcs(size: int) -> str:
    header = (
        "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
    )
    return header + _repeat(
        lambda n: (
            f"{n},u{n % 7},{'True' if n % 2 else 'False'},"
            f"Tue Oct 31 22:10:47 +0000 2017,@brand late again {n},,{n - 1 if n % 3 else ''}\n"
        ),
        size,
    )


def _transcript(size: int) -> str:
    return _repeat(lambda n: f"Customer: where is my order {n}\nAgent: sorry, today.\n", size)


def _transcript_one_line(size: int) -> str:
    return "Customer: " + "late " * (size // 5)


def _mbox(size: int) -> str:
    return _repeat(
        lambda n: "From dana@example.com Tue Mar  5 10:02:00 2024\n" + MAIL.format(n=n), size
    )


def _mbox_strangers(size: int) -> str:
    """Thousands of replies with one subject and no shared address: each was compared with
    every other before."""
    return _repeat(
        lambda n: (
            f"From x Tue Mar  5 10:02:00 2024\nFrom: u{n}@example.com\n"
            "Subject: Re: Order late\n\nhi\n\n"
        ),
        size,
    )


def _eml_header(header: str, unit: str) -> Maker:
    def make(size: int) -> str:
        return f"From: dana@example.com\n{header}: {unit * (size // len(unit))}\n\nhello\n"

    return make


def _eml_html(size: int) -> str:
    return "From: dana@example.com\nContent-Type: text/html\n\n<p>Hello</p>" + "<a" * (size // 2)


INPUTS: dict[str, tuple[str, Maker]] = {
    "json": (".json", _json),
    "jsonl": (".jsonl", _jsonl),
    "csv": (".csv", _csv),
    "csv one long cell": (".csv", _csv_long_cell),
    "twcs": (".csv", _twcs),
    "transcript": (".txt", _transcript),
    "transcript one line": (".txt", _transcript_one_line),
    "mbox": (".mbox", _mbox),
    "mbox same subject, strangers": (".mbox", _mbox_strangers),
    "eml Cc list": (".eml", _eml_header("Cc", "Dana <d@example.com>, ")),
    "eml To commas": (".eml", _eml_header("To", "a,")),
    "eml Cc nested comments": (".eml", _eml_header("Cc", "(")),
    "eml References": (".eml", _eml_header("References", "<a@example.com> ")),
    "eml Subject encoded words": (".eml", _eml_header("Subject", "=?utf-8?q?Caf=C3=A9?= ")),
    "eml Content-Type params": (".eml", _eml_header("Content-Type", "text/plain; a=b; ")),
    "eml unclosed html tags": (".eml", _eml_html),
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sizes", default="10,100,1000", help="input sizes in KB")
    ap.add_argument("--only", default="", help="only inputs whose name contains this")
    args = ap.parse_args()
    sizes = [int(s) * 1000 for s in args.sizes.split(",")]
    options = IngestOptions(file_seconds=None)
    header = " ".join(f"{s // 1000:>7} KB" for s in sizes)
    print(f"{'input':<30} {header}  {'µs/KB at max':>12}  growth")
    with tempfile.TemporaryDirectory() as folder:
        for name, (suffix, make) in INPUTS.items():
            if args.only not in name:
                continue
            seconds = []
            for size in sizes:
                path = Path(folder) / f"input{suffix}"
                path.write_text(make(size), encoding="utf-8")
                start = time.perf_counter()
                result = read_path(path, options)
                seconds.append(time.perf_counter() - start)
                assert result.conversations or result.errors
            per_kb = seconds[-1] / (sizes[-1] / 1000) * 1e6
            before = seconds[-2] if len(seconds) > 1 else seconds[-1]
            ratio = sizes[-1] / sizes[-2] if len(sizes) > 1 else 1
            growth = (seconds[-1] / max(before, 1e-6)) / ratio
            cells = " ".join(f"{s:>9.3f}s" for s in seconds)
            print(f"{name:<30} {cells}  {per_kb:>12.0f}  {growth:>6.2f}", flush=True)


if __name__ == "__main__":
    main()
