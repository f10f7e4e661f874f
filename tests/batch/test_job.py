"""The batch job: its tables, its bad-record handling and how it resumes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from batch_helpers import (
    ANGRY,
    CALM,
    CONVERSATIONS,
    MESSAGES,
    conversation,
    run,
    table,
    write_jsonl,
)

from calmdesk.batch.rows import CONVERSATIONS as CONVERSATION_SCHEMA
from calmdesk.batch.rows import MESSAGES as MESSAGE_SCHEMA


def test_job_writes_messages_and_conversations_tables(inputs: Path, tmp_path: Path):
    out = tmp_path / "out"
    result = run([inputs], out)
    messages, conversations = table(out, "messages"), table(out, "conversations")
    assert messages.schema.names == MESSAGE_SCHEMA.names
    assert conversations.schema.names == CONVERSATION_SCHEMA.names
    assert (messages.num_rows, conversations.num_rows) == (MESSAGES, CONVERSATIONS)
    assert (result.messages, result.conversations) == (MESSAGES, CONVERSATIONS)
    rows = {r["conversation_id"]: r for r in conversations.to_pylist()}
    assert rows["a1"]["agents"] == ["agent-4"] and rows["a1"]["team"] == "billing"
    assert rows["a1"]["escalated"]  # a supervisor request is the plainest escalation
    assert all(0 <= r["score"] <= 100 for r in rows.values())
    labelled = [m for m in messages.to_pylist() if m["labels"]]
    assert labelled and all(0 <= lab["confidence"] <= 1 for m in labelled for lab in m["labels"])


def test_job_reports_bad_record_with_location_and_skips_it(inputs: Path, tmp_path: Path):
    out = tmp_path / "out"
    result = run([inputs], out)
    assert result.errors == 1 and result.complete
    errors = table(out, "errors").to_pylist()
    assert [(Path(e["path"]).name, e["location"]) for e in errors] == [("a.jsonl", "line 3")]
    assert "not valid JSON" in errors[0]["message"]
    assert "a.jsonl: line 3" in result.first_errors[0]


def test_job_reads_globs_and_reports_missing_inputs(inputs: Path, tmp_path: Path):
    out = tmp_path / "out"
    result = run([str(inputs / "b*.jsonl"), tmp_path / "nope.jsonl"], out)
    assert result.conversations == 3
    assert any("nope.jsonl: no such file" in line for line in result.first_errors)


def test_job_resumes_without_redoing_finished_partitions(inputs: Path, tmp_path: Path):
    out = tmp_path / "out"
    first = run([inputs], out, partition_bytes=700, stop_after=2)
    assert first.stopped and first.computed == 2
    done = {p: p.stat().st_mtime_ns for p in (out / "conversations").glob("part-*.parquet")}
    assert len(done) == 2
    second = run([inputs], out, partition_bytes=700)
    assert second.complete and second.skipped == 2
    assert second.computed == second.partitions - 2
    assert all(p.stat().st_mtime_ns == mtime for p, mtime in done.items())
    assert table(out, "conversations").num_rows == CONVERSATIONS
    assert table(out, "messages").num_rows == MESSAGES


def test_job_recomputes_only_a_lost_partition_file(inputs: Path, tmp_path: Path):
    out = tmp_path / "out"
    run([inputs], out, partition_bytes=700)
    parts = sorted((out / "messages").glob("part-*.parquet"))
    kept = {p: p.stat().st_mtime_ns for p in parts[1:]}
    parts[0].unlink()
    again = run([inputs], out, partition_bytes=700)
    assert again.computed == 1 and again.skipped == again.partitions - 1
    assert parts[0].exists()
    assert all(p.stat().st_mtime_ns == mtime for p, mtime in kept.items())


def test_job_redoes_a_file_that_changed(inputs: Path, tmp_path: Path):
    out = tmp_path / "out"
    run([inputs], out)
    changed = inputs / "c.jsonl"
    write_jsonl(changed, [conversation("c9", CALM, day=20, team="returns")])
    os.utime(changed, ns=(1, 1))
    again = run([inputs], out)
    ids = set(table(out, "conversations")["conversation_id"].to_pylist())
    assert again.computed >= 1 and "c9" in ids and "c0" not in ids


def test_job_cuts_big_jsonl_on_line_ends_and_keeps_file_line_numbers(tmp_path: Path):
    records = [
        conversation(f"k{i}", ANGRY if i % 2 else CALM, day=1 + i % 28, team="t") for i in range(40)
    ]
    source = write_jsonl(tmp_path / "big.jsonl", records, broken_at=33)
    out = tmp_path / "out"
    result = run([source], out, partition_bytes=2000)
    assert result.partitions > 5
    ids = table(out, "conversations")["conversation_id"].to_pylist()
    assert sorted(ids) == sorted(f"k{i}" for i in range(40))
    assert [e["location"] for e in table(out, "errors").to_pylist()] == ["line 34"]


def _message_rows(convs: list[dict]) -> list[dict]:
    return [
        {
            "conversation_id": c["id"],
            "message_id": m["id"],
            "author": m["author"],
            "role": m["role"],
            "text": m["text"],
            "timestamp": m["timestamp"],
            "team": c["metadata"]["team"],
        }
        for c in convs
        for m in c["messages"]
    ]


def test_job_reads_parquet_messages_across_row_groups(tmp_path: Path):
    convs = [
        conversation(f"p{i}", ANGRY if i % 2 else CALM, day=1 + i, team="care") for i in range(6)
    ]
    rows = _message_rows(convs)
    rows[7]["role"] = "robot"  # p2's second message: its conversation is rejected whole
    source = tmp_path / "messages.parquet"
    pq.write_table(pa.Table.from_pylist(rows), source, row_group_size=4)  # groups cut conversations
    out = tmp_path / "out"
    result = run([source], out, partition_rows=1)  # one row group per partition
    assert result.partitions == 5
    conversations = table(out, "conversations")
    assert sorted(conversations["conversation_id"].to_pylist()) == ["p0", "p1", "p3", "p4", "p5"]
    assert set(conversations["messages"].to_pylist()) == {3}
    assert set(conversations["team"].to_pylist()) == {"care"}
    errors = table(out, "errors").to_pylist()
    assert [(e["location"], e["field"]) for e in errors] == [("row 8", "role")]


def test_job_reads_a_parquet_channel_column_of_numbers(tmp_path: Path):
    """Exports number their channels; the core wants text, so the reader gives it text."""
    rows = _message_rows([conversation("n1", ANGRY, day=1, team="care")])
    for row in rows:
        row["channel"] = 7
    source = tmp_path / "messages.parquet"
    pq.write_table(pa.Table.from_pylist(rows), source)
    result = run([source], tmp_path / "out")
    assert result.complete and result.conversations == 1


def test_job_runs_on_a_local_cluster_of_processes(inputs: Path, tmp_path: Path):
    out = tmp_path / "out"
    result = run([inputs], out, scheduler=None, workers=2, partition_bytes=700)
    assert result.complete and result.conversations == CONVERSATIONS
    manifest = json.loads((out / "_manifest.json").read_text())
    pids = {entry["pid"] for entry in manifest["partitions"].values()}
    assert os.getpid() not in pids


def test_job_reads_fsspec_urls(tmp_path: Path):
    import fsspec

    records = [conversation(f"m{i}", CALM, day=1 + i, team="t") for i in range(3)]
    lines = "\n".join(json.dumps(r) for r in records) + "\n"
    fs = fsspec.filesystem("memory")
    fs.pipe("/calmdesk-test/chats.jsonl", lines.encode())
    try:
        out = tmp_path / "out"
        result = run(["memory://calmdesk-test/*.jsonl"], out)
        sources = set(table(out, "conversations")["source"].to_pylist())
    finally:
        fs.rm("/calmdesk-test", recursive=True)
    assert result.conversations == 3
    (source,) = sources  # the URL, so workers elsewhere can open it again
    assert source.startswith("memory://") and source.endswith("calmdesk-test/chats.jsonl")
