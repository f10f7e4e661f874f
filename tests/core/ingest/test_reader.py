from pathlib import Path

from calmdesk.core.ingest import IngestOptions, read_path, read_paths

from .helpers import Read, Write, error_texts

GOOD_JSON = (
    '{"id": "c", "messages": [{"id": "1", "author": "a", "role": "customer", "text": "hi"}]}'
)


def test_reader_missing_file_is_an_error(tmp_path: Path) -> None:
    result = read_path(tmp_path / "nope.json")
    assert error_texts(result) == [f"{tmp_path / 'nope.json'}: no such file"]


def test_reader_empty_file_is_an_error(read: Read) -> None:
    assert error_texts(read("a.csv", "  \n\n")) == ["a.csv: file is empty"]


def test_reader_undecodable_file_names_the_line(read: Read) -> None:
    result = read("a.txt", b"Customer: hi\nAgent: caf\xe9\n")
    assert error_texts(result) == [
        "a.txt: line 2: not UTF-8 text (byte 0xe9); save the file as UTF-8"
    ]


def test_reader_accepts_a_utf8_byte_order_mark(read: Read) -> None:
    assert read("a.csv", "\ufeffrole,text\ncustomer,hi\n".encode()).errors == ()


def test_reader_unknown_format_option_is_an_error(read: Read) -> None:
    assert error_texts(read("a.json", GOOD_JSON, format="xml")) == [
        "a.json: unknown format 'xml'; expected one of json, jsonl, csv, twcs, email, transcript"
    ]


def test_reader_undetectable_format_is_an_error(read: Read) -> None:
    assert error_texts(read("notes", "just words\n")) == [
        "notes: cannot tell the format; name it with --format (one of json, jsonl, csv, twcs, "
        "email, transcript)"
    ]


def test_reader_format_option_overrides_detection(read: Read) -> None:
    result = read("call.log", "Customer: hi\n", format="transcript")
    assert result.errors == () and len(result.conversations) == 1


def test_reader_walks_directories_skipping_hidden_and_unknown_files(write: Write) -> None:
    write("data/a.json", GOOD_JSON)
    write("data/sub/b.txt", "Customer: hi\n")
    write("data/.hidden/c.json", "broken")
    write("data/.d.json", "broken")
    write("data/README.md", "# notes")
    result = read_paths([Path("data")])
    assert result.errors == ()
    assert [c.id for c in result.conversations] == ["c", "b"]


def test_reader_read_path_on_a_directory_walks_it(write: Write) -> None:
    write("data/a.json", GOOD_JSON)
    assert len(read_path(Path("data")).conversations) == 1


def test_reader_directory_without_conversation_files_is_an_error(write: Write) -> None:
    write("data/README.md", "# notes")
    assert error_texts(read_paths([Path("data")]))[0].startswith("data: no conversation files")


def test_reader_read_paths_keeps_good_files_beside_bad_ones(write: Write) -> None:
    good, bad = write("good.json", GOOD_JSON), write("bad.json", "{")
    result = read_paths([bad, good, Path("missing.csv")], IngestOptions())
    assert [c.id for c in result.conversations] == ["c"]
    assert [e.path for e in result.errors] == ["bad.json", "missing.csv"]


def test_reader_file_over_the_size_limit_is_refused_unread(read: Read) -> None:
    result = read("big.txt", "Customer: hello\n" * 1000, max_file_bytes=10_000)
    assert error_texts(result) == [
        "big.txt: file is 16.0 kB, over the limit of 10.0 kB for one file "
        "(split it, or raise the limit with --max-file-size)"
    ]


def test_reader_file_over_the_time_budget_is_reported_where_it_stopped(read: Read) -> None:
    result = read("slow.txt", "Customer: hello\nAgent: hi\n", file_seconds=0)
    assert result.conversations == ()
    assert error_texts(result) == [
        "slow.txt: stopped at line 1: reading took longer than 0 s, the limit for one file; "
        "nothing of it was kept (split it, or raise the limit with --file-timeout)"
    ]
