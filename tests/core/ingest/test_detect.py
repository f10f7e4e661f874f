from pathlib import Path

import pytest

from calmdesk.core.ingest import detect_format

from .helpers import EXAMPLES, Write


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("conversation.json", "json"),
        ("conversations.jsonl", "jsonl"),
        ("helpdesk_export.csv", "csv"),
        ("twcs_sample.csv", "twcs"),
        ("support_inbox.mbox", "email"),
        ("refund_complaint.eml", "email"),
        ("phone_call.txt", "transcript"),
    ],
)
def test_detect_each_sample(name: str, expected: str) -> None:
    assert detect_format(EXAMPLES / name) == expected


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("export", '{"id": "c", "messages": []}', "json"),
        ("export", '{"id": "a"}\n{"id": "b"}\n', "jsonl"),
        ("export.json", '{"id": "a"}\n{"id": "b"}\n', "jsonl"),
        ("export.json", '{\n  "id": "a"\n}\n', "json"),
        ("Inbox", "From dana@example.net Tue Mar  5 09:14:22 2024\nFrom: x\n", "email"),
        ("notes.txt", "From dana@example.net Tue Mar  5 09:14:22 2024\nFrom: x\n", "email"),
        ("message", "Received: by mx\nFrom: a@b.c\nTo: d@e.f\nSubject: x\n\nbody\n", "email"),
        ("call", "Customer: hi\nAgent: hello\n", "transcript"),
        ("dump", "tweet_id,author_id,inbound,created_at,text,in_response_to_tweet_id\n", "twcs"),
        ("export.tsv", "role\ttext\n", "csv"),
        ("data.bin", "\x00\x01\x02", "unknown"),
        ("readme", "Just some words.\n", "unknown"),
    ],
)
def test_detect_by_content_when_the_name_is_not_enough(
    write: Write, name: str, content: str, expected: str
) -> None:
    assert detect_format(write(name, content)) == expected


def test_detect_missing_file_falls_back_to_extension(tmp_path: Path) -> None:
    assert detect_format(tmp_path / "gone.jsonl") == "jsonl"
    assert detect_format(tmp_path / "gone") == "unknown"
