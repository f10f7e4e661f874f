"""Benchmark: throughput and per-conversation latency of `analyze` on one core.

Two sets are measured:
- "examples": the bundled example conversations (always present);
- "twitter": conversations stitched from real tweets in ../shared/data (customer turns from the
  Customer-Support-on-Twitter and Twitter-complaints sets, agent turns from ESConv supporters);
- "real-texts": the same plus the longer RSICS customer requests and AnnoMI therapist turns.
Both have 2-30 messages a conversation, alternating roles, fixed seed, each text used once (so
no per-text cache helps). The texts are real; the pairing is not, which does not matter for
speed.

With the encoder (the default), the same run also measures the bare ONNX forward pass over the
same messages (tokenising included, batched per conversation as the pipeline does), so the
pipeline's own cost around the encoder is read against it, and the latency of one message
analysed on its own (a draft check, a webhook with one new tweet) at p50 / p99.
`--compare fast` adds another mode's row for each set in the same run.

Usage: python bench/analyze.py [--data ../shared/data] [--conversations 600] [--repeat 3]
       python bench/analyze.py --compare fast --compare rules
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import time
from pathlib import Path

from calmdesk.cli.app import example_dir
from calmdesk.core.ingest import IngestOptions, read_paths
from calmdesk.core.model import Conversation, Message
from calmdesk.core.modes import DEFAULT_MODE, MODES
from calmdesk.core.pipeline import make_pipeline

CUSTOMER_SOURCES = (
    "twcs-amazonhelp-sentiment/dev.jsonl",
    "twitter-complaints/dev.jsonl",
    "rsics-relational/dev.jsonl",
)
AGENT_SOURCES = ("esconv-strategies/dev.jsonl", "annomi-counselling/dev.jsonl")
#: The Twitter-support set: customer tweets only, agent turns of peer-support chat (short).
TWEET_SOURCES = CUSTOMER_SOURCES[:2]


def _texts(data: Path, files: tuple[str, ...], role: str) -> list[str]:
    out: list[str] = []
    for name in files:
        path = data / name
        if not path.exists():
            continue
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                if row.get("role") == role and row.get("text"):
                    out.append(row["text"])
    return out


def stitched(
    data: Path,
    n: int,
    seed: int = 7,
    customer_sources: tuple[str, ...] = CUSTOMER_SOURCES,
    agent_sources: tuple[str, ...] = AGENT_SOURCES,
) -> list[Conversation]:
    """Up to `n` conversations; texts drawn without replacement, so no per-text cache helps."""
    rng = random.Random(seed)
    pools = {
        "customer": sorted(set(_texts(data, customer_sources, "customer"))),
        "agent": sorted(set(_texts(data, agent_sources, "agent"))),
    }
    for pool in pools.values():
        rng.shuffle(pool)
    convs = []
    for i in range(n):
        length = rng.randint(2, 30)
        roles = ["customer" if j % 2 == 0 else "agent" for j in range(length)]
        if any(len(pools[r]) < roles.count(r) for r in pools):
            break
        msgs = [
            Message(id=f"m{j + 1}", author=role, role=role, text=pools[role].pop())  # type: ignore[arg-type]
            for j, role in enumerate(roles)
        ]
        convs.append(Conversation(id=f"bench-{i}", messages=tuple(msgs)))
    return convs


def measure(
    name: str, convs: list[Conversation], repeat: int, mode: str = DEFAULT_MODE
) -> dict[str, float | str | int]:
    pipeline = make_pipeline(mode=mode)
    for c in convs[:20]:  # warm caches (VADER lexicon, regexes)
        pipeline.analyze(c)
    latencies: list[float] = []
    total_msgs = sum(len(c.messages) for c in convs) * repeat
    start, cpu_start = time.perf_counter(), time.process_time()
    for _ in range(repeat):
        for c in convs:
            t0 = time.perf_counter()
            pipeline.analyze(c)
            latencies.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    q = statistics.quantiles(latencies, n=100)
    return {
        "set": name,
        "conversations": len(convs),
        "messages": total_msgs // repeat,
        "messages_per_s": round(total_msgs / elapsed),
        # per CPU-second: steadier than wall time when neighbours steal the core
        "messages_per_cpu_s": round(total_msgs / cpu),
        "p50_ms": round(q[49] * 1000, 2),
        "p95_ms": round(q[94] * 1000, 2),
        "mean_msgs_per_conversation": round(total_msgs / repeat / len(convs), 1),
    }


def bare_forward(name: str, convs: list[Conversation]) -> dict[str, float | str | int]:
    """The encoder alone: its inputs built and run per conversation, nothing else."""
    from calmdesk.core.encoder.inputs import inputs_of
    from calmdesk.core.encoder.judge import shipped_judge

    judge = shipped_judge()
    for c in convs[:20]:
        judge.logits(inputs_of(c))
    n = sum(len(c.messages) for c in convs)
    start, cpu_start = time.perf_counter(), time.process_time()
    for c in convs:
        judge.logits(inputs_of(c))
    elapsed = time.perf_counter() - start
    return {
        "set": name,
        "what": "ONNX forward only",
        "messages": n,
        "messages_per_s": round(n / elapsed),
        "messages_per_cpu_s": round(n / (time.process_time() - cpu_start)),
    }


def single_message(convs: list[Conversation], mode: str, n: int = 400) -> dict[str, float]:
    """Latency of analysing one message alone (p50 / p99 over `n` customer messages)."""
    pipeline = make_pipeline(mode=mode)
    msgs = [m for c in convs for m in c.messages][:n]
    lat = []
    for i, m in enumerate(msgs):
        conv = Conversation(id=f"one-{i}", messages=(m,))
        t0 = time.perf_counter()
        pipeline.analyze(conv)
        lat.append(time.perf_counter() - t0)
    q = statistics.quantiles(lat, n=100)
    return {
        "messages": len(msgs),
        "p50_ms": round(q[49] * 1000, 2),
        "p99_ms": round(q[98] * 1000, 2),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument(
        "--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data"
    )
    ap.add_argument("--conversations", type=int, default=600)
    ap.add_argument(
        "--repeat", type=int, default=1, help="passes over each set (later passes hit text caches)"
    )
    ap.add_argument(
        "--detectors", choices=MODES, default=DEFAULT_MODE, help="the mode measured (encoder)"
    )
    ap.add_argument(
        "--compare", choices=MODES, action="append", default=[], help="more modes, same run"
    )
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    modes = [args.detectors, *[m for m in args.compare if m != args.detectors]]
    sets = [
        (
            "examples",
            list(read_paths(sorted(example_dir().glob("*.json")), IngestOptions()).conversations),
        )
    ]
    tweets = stitched(
        args.data,
        args.conversations,
        customer_sources=TWEET_SOURCES,
        agent_sources=AGENT_SOURCES[:1],
    )
    if tweets:
        sets.append(("twitter", tweets))
    real = stitched(args.data, args.conversations)
    if real:
        sets.append(("real-texts", real))
    else:
        print(f"(no data under {args.data}: real-texts set skipped)")
    rows = []
    bare = []
    for name, convs in sets:
        for mode in modes:
            rows.append({"mode": mode, **measure(name, convs, args.repeat, mode)})
        if "encoder" in modes:
            bare.append(bare_forward(name, convs))
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, one core used"
    )
    print(
        f"{'set':<12} {'mode':<8} {'convs':>6} {'msgs':>7} {'msgs/conv':>9} {'msgs/s':>8} "
        f"{'msgs/cpu-s':>10} {'p50 ms':>7} {'p95 ms':>7}"
    )
    for r in rows:
        print(
            f"{r['set']:<12} {r['mode']:<8} {r['conversations']:>6} {r['messages']:>7} "
            f"{r['mean_msgs_per_conversation']:>9} {r['messages_per_s']:>8} "
            f"{r['messages_per_cpu_s']:>10} {r['p50_ms']:>7} {r['p95_ms']:>7}"
        )
    for b in bare:
        pipe = next(r for r in rows if r["set"] == b["set"] and r["mode"] == "encoder")
        overhead = float(b["messages_per_cpu_s"]) / float(pipe["messages_per_cpu_s"]) - 1
        print(
            f"{b['set']:<12} bare ONNX forward: {b['messages_per_s']} msgs/s "
            f"({b['messages_per_cpu_s']} per cpu-s); the pipeline around it costs "
            f"{100 * overhead:+.0f} % (per cpu-s)"
        )
    for mode in modes:
        one = single_message(tweets or sets[0][1], mode)
        print(
            f"one message alone ({mode}, {one['messages']} messages): "
            f"p50 {one['p50_ms']} ms, p99 {one['p99_ms']} ms"
        )


if __name__ == "__main__":
    main()
