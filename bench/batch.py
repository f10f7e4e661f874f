"""Benchmark: the batch engine on a corpus of a million messages, against the analyzer alone.

1. Builds the corpus once in a temporary folder: a Parquet table of messages stitched into
   conversations (2-30 messages, alternating roles, fixed seed) from real texts in
   ../shared/data: customer turns from Customer-Support-on-Twitter (AmazonHelp) and complaint
   tweets, agent turns from ESConv supporters. 40 agents in 5 teams, 4 channels, two years.
   Each text gets a mention or a sign-off so that no two messages are the same, as in life.
2. Measures the single-process analyzer (`Pipeline.analyze` in a loop, no I/O) on a sample.
3. Runs `calmdesk batch` end to end (read Parquet, analyse, score, write Parquet) on a
   LocalCluster of 1 and then 2 worker processes.

Prints messages/s, per-worker efficiency against the single process (target >= 0.80), the
scaling efficiency from 1 to 2 workers (target >= 0.85) and each worker's peak RSS, which
should not grow with --messages (run a small and a large corpus to see it).

Usage: python bench/batch.py [--messages 1000000] [--sample 100000] [--workers 1 2]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from calmdesk.batch.job import BatchOptions, local_cluster, run_batch
from calmdesk.batch.parquet_input import read_parquet_piece
from calmdesk.batch.plan import Piece
from calmdesk.core.ingest import IngestOptions
from calmdesk.core.pipeline import make_pipeline

CUSTOMER_SOURCES = ("twcs-amazonhelp-sentiment/dev.jsonl", "twitter-complaints/dev.jsonl")
AGENT_SOURCES = ("esconv-strategies/dev.jsonl",)
CHANNELS = ("chat", "email", "twitter", "phone")
TEAMS = ("billing", "returns", "delivery", "accounts", "social")
ROW_GROUP = 10_000
DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def texts(data: Path, files: tuple[str, ...], role: str) -> list[str]:
    out: list[str] = []
    for name in files:
        with (data / name).open(encoding="utf-8") as handle:
            for line in handle:
                row = json.loads(line)
                if row.get("role") == role and row.get("text"):
                    out.append(row["text"])
    return out


def _varied(rng: random.Random, pool: list[str], is_customer: bool) -> str:
    """A pool text made unique the way real ones are (a mention, an agent's sign-off), so the
    analyzer's per-text caches do not flatter either measurement: real text seldom repeats."""
    text = rng.choice(pool)
    if is_customer:
        return f"@user{rng.randrange(10**6)} {text}"
    return f"{text} ^{chr(65 + rng.randrange(26))}{chr(65 + rng.randrange(26))}"


def build_corpus(data: Path, path: Path, messages: int, seed: int = 7) -> tuple[int, int]:
    """Write at least `messages` messages to `path`, a chunk at a time (memory stays flat)."""
    customer = texts(data, CUSTOMER_SOURCES, "customer")
    agent = texts(data, AGENT_SOURCES, "agent")
    rng = random.Random(seed)
    start = datetime(2016, 1, 1, tzinfo=UTC)
    schema = pa.schema(
        [
            ("conversation_id", pa.string()),
            ("message_id", pa.string()),
            ("author", pa.string()),
            ("role", pa.string()),
            ("text", pa.string()),
            ("timestamp", pa.timestamp("us", tz="UTC")),
            ("channel", pa.string()),
            ("team", pa.string()),
        ]
    )
    written = conversations = 0
    rows: dict[str, list[object]] = {name: [] for name in schema.names}
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        while written < messages:
            length = rng.randint(2, 30)
            agent_id = rng.randrange(40)
            when = start + timedelta(minutes=rng.randrange(2 * 365 * 24 * 60))
            channel = rng.choice(CHANNELS)
            for j in range(length):
                is_customer = j % 2 == 0
                rows["conversation_id"].append(f"conv-{conversations}")
                rows["message_id"].append(str(j + 1))
                rows["author"].append(
                    f"cust-{conversations}" if is_customer else f"agent-{agent_id}"
                )
                rows["role"].append("customer" if is_customer else "agent")
                rows["text"].append(_varied(rng, customer if is_customer else agent, is_customer))
                rows["timestamp"].append(when + timedelta(minutes=3 * j))
                rows["channel"].append(channel)
                rows["team"].append(TEAMS[agent_id % len(TEAMS)])
            written += length
            conversations += 1
            if len(rows["text"]) >= 100_000:
                writer.write_table(pa.table(rows, schema=schema), row_group_size=ROW_GROUP)
                rows = {name: [] for name in schema.names}
        if rows["text"]:
            writer.write_table(pa.table(rows, schema=schema), row_group_size=ROW_GROUP)
    return written, conversations


def single_process(path: Path, sample: int) -> tuple[float, float]:
    """Messages per second of wall clock and per CPU second of the analyzer alone, on the first
    `sample` messages of the corpus (the CPU figure is immune to other load on the machine)."""
    groups = max(1, sample // ROW_GROUP)
    convs = read_parquet_piece(Piece(str(path), "parquet", "", 0, groups), IngestOptions())
    pipeline = make_pipeline()
    for conv in convs.conversations[:50]:
        pipeline.analyze(conv)
    count = sum(len(c.messages) for c in convs.conversations)
    wall, cpu = time.perf_counter(), time.process_time()
    for conv in convs.conversations:
        pipeline.analyze(conv)
    return count / (time.perf_counter() - wall), count / (time.process_time() - cpu)


def worker_usage() -> tuple[float, float]:
    """(peak RSS in MiB, CPU seconds) of the calling process."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def batch(path: Path, out: Path, workers: int) -> dict[str, Any]:
    """`calmdesk batch` on `workers` processes: messages/s, and each worker's peak RSS and CPU."""
    from distributed import Client

    with local_cluster(workers) as cluster, Client(cluster) as client:
        before = client.run(worker_usage)
        options = BatchOptions(
            inputs=(str(path),), out=str(out), scheduler=cluster.scheduler_address
        )
        started = time.perf_counter()
        with _progress() as bar:
            task = bar.add_task(f"{workers} worker(s)", total=None)
            result = run_batch(
                options,
                plan_done=lambda total, _: bar.update(task, total=total),
                on_partition=lambda _: bar.advance(task),
            )
        elapsed = time.perf_counter() - started
        after = client.run(worker_usage)
    assert result.complete, result
    cpu = sum(after[w][1] - before[w][1] for w in after)
    return {
        "rate": result.messages / elapsed,
        "cpu_rate": result.messages / cpu,
        "rss": sorted(after[w][0] for w in after),
        "partitions": result.partitions,
        "seconds": elapsed,
    }


def _progress() -> Any:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()
    )


def machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=100_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="calmdesk-bench-") as tmp:
        corpus = Path(tmp) / "corpus.parquet"
        t0 = time.perf_counter()
        messages, conversations = build_corpus(args.data, corpus, args.messages)
        print(f"machine: {machine()}")
        print(
            f"corpus: {messages:,} messages in {conversations:,} conversations, "
            f"{corpus.stat().st_size / 2**20:.0f} MiB Parquet, built in "
            f"{time.perf_counter() - t0:.0f}s"
        )
        print(f"load average before: {os.getloadavg()[0]:.2f} (other processes share the cores)")
        single, single_cpu = single_process(corpus, min(args.sample, messages))
        print(
            f"single process (analyzer only, {min(args.sample, messages):,} messages): "
            f"{single:,.0f} messages/s, {single_cpu:,.0f} per CPU second"
        )
        runs: dict[int, dict[str, Any]] = {}
        for workers in args.workers:
            run = runs[workers] = batch(corpus, Path(tmp) / f"out-{workers}", workers)
            print(
                f"batch, {workers} worker(s): {run['rate']:,.0f} messages/s "
                f"({run['seconds']:.0f}s, {run['partitions']} partitions); per-worker efficiency "
                f"{run['rate'] / workers / single:.2f} wall clock, "
                f"{run['cpu_rate'] / single_cpu:.2f} CPU; peak RSS per worker "
                f"{', '.join(f'{r:.0f}' for r in run['rss'])} MiB"
            )
        if 1 in runs and 2 in runs:
            print(f"scaling efficiency 1->2 workers: {runs[2]['rate'] / (2 * runs[1]['rate']):.2f}")
        print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
