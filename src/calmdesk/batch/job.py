"""The batch driver: plan the partitions, skip the finished ones, run the rest on Dask, and keep
the manifest current after every partition so a run can stop at any moment and resume.

Dask does the scheduling: a LocalCluster of single-threaded worker processes (analysis is pure
Python, so processes, not threads, use the cores) or an existing cluster at `--scheduler`.
"synchronous" runs the partitions in this process one after another, for debugging and tests.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from fsspec.core import url_to_fs

import calmdesk
from calmdesk.batch.manifest import TABLES, Manifest
from calmdesk.batch.plan import Partition, plan_partitions
from calmdesk.batch.rows import errors_table
from calmdesk.batch.task import TaskConfig, run_partition
from calmdesk.core.ingest import IngestError, IngestOptions
from calmdesk.core.rubric import load_rubric

SYNCHRONOUS = "synchronous"
PLAN_ERRORS = "errors/part-plan.parquet"

#: Called after each partition: (summary of the partition, or None when it was skipped).
OnPartition = Callable[[dict[str, Any] | None], None]


@dataclass(frozen=True)
class BatchOptions:
    inputs: tuple[str, ...]
    out: str
    ingest: IngestOptions = field(default_factory=IngestOptions)
    partition_bytes: int = 4 * 2**20
    partition_rows: int = 20_000
    scheduler: str | None = None
    workers: int | None = None
    rubric: str | None = None
    #: stop cleanly after this many partitions (to rehearse an interruption)
    stop_after: int | None = None


@dataclass
class BatchResult:
    partitions: int = 0
    skipped: int = 0
    computed: int = 0
    failed: list[str] = field(default_factory=list)
    messages: int = 0
    conversations: int = 0
    errors: int = 0
    first_errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    stopped: bool = False

    @property
    def complete(self) -> bool:
        return not self.stopped and not self.failed


def settings_of(options: BatchOptions) -> dict[str, Any]:
    """What, besides the input bytes, changes the output: a change means a fresh run."""
    rubric = Path(options.rubric).read_bytes() if options.rubric else b""
    return {
        "calmdesk": calmdesk.__version__,
        "ingest": asdict(options.ingest),
        "rubric": hashlib.sha256(rubric).hexdigest()[:16],
    }


def task_config(options: BatchOptions, settings: dict[str, Any]) -> TaskConfig:
    """Raises RubricError before any work starts when the rubric is bad."""
    rubric = load_rubric(Path(options.rubric)) if options.rubric else None
    return TaskConfig(options.out, options.ingest, rubric, settings["rubric"])


def run_batch(
    options: BatchOptions,
    *,
    plan_done: Callable[[int, int], None] | None = None,
    on_partition: OnPartition | None = None,
) -> BatchResult:
    started = time.perf_counter()
    settings = settings_of(options)
    config = task_config(options, settings)
    plan = plan_partitions(
        options.inputs,
        target_bytes=options.partition_bytes,
        target_rows=options.partition_rows,
        fmt=options.ingest.format,
        settings=settings,
    )
    fs, root = url_to_fs(options.out)
    fs.makedirs(root, exist_ok=True)
    manifest = Manifest.load(fs, root)
    wanted = {p.fingerprint for p in plan.partitions}
    manifest.keep_only(wanted)
    _clean(fs, root, wanted)
    _write_plan_errors(fs, root, plan.errors)
    pending = [p for p in plan.partitions if not manifest.done(p.fingerprint)]
    result = BatchResult(partitions=len(plan.partitions))
    result.skipped = len(plan.partitions) - len(pending)
    if plan_done:
        plan_done(len(plan.partitions), result.skipped)
    with _runner(options if pending else replace(options, scheduler=SYNCHRONOUS)) as run:
        for fingerprint, summary in run(pending, config):
            if isinstance(summary, str):
                result.failed.append(f"partition {fingerprint}: {summary}")
            else:
                manifest.record(summary)
                manifest.save()
                result.computed += 1
            if on_partition:
                on_partition(summary if isinstance(summary, dict) else None)
            if options.stop_after is not None and result.computed >= options.stop_after:
                result.stopped = result.computed < len(pending)
                break
    totals = manifest.totals()
    result.messages, result.conversations = totals["messages"], totals["conversations"]
    result.errors = totals["errors"] + len(plan.errors)
    result.first_errors = [str(e) for e in plan.errors] + [
        line
        for part in plan.partitions
        for line in manifest.partitions.get(part.fingerprint, {}).get("first_errors", [])
    ]
    result.seconds = time.perf_counter() - started
    return result


#: (fingerprint, the task's summary or why it failed) for each partition, as they finish.
Outcomes = Iterator[tuple[str, dict[str, Any] | str]]
Runner = Callable[[list[Partition], TaskConfig], Outcomes]


@contextlib.contextmanager
def _runner(options: BatchOptions) -> Iterator[Runner]:
    if options.scheduler == SYNCHRONOUS:
        yield _run_here
        return
    from distributed import Client

    if options.scheduler:
        with Client(options.scheduler) as client:
            yield _distributed(client)
        return
    with (
        local_cluster(options.workers or os.cpu_count() or 1) as cluster,
        Client(cluster) as client,
    ):
        yield _distributed(client)


@contextlib.contextmanager
def local_cluster(workers: int) -> Iterator[Any]:
    """A LocalCluster of single-threaded worker processes, as `calmdesk batch` starts one."""
    import dask
    from distributed import LocalCluster

    # the statistical profiler samples each running task's stack 100 times a second; only the
    # dashboard reads it, and pure-Python analysis pays for it
    with (
        dask.config.set({"distributed.worker.profile.enabled": False}),
        LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
            silence_logs=40,
        ) as cluster,
    ):
        yield cluster


def _run_here(parts: list[Partition], config: TaskConfig) -> Outcomes:
    for part in parts:
        yield part.fingerprint, run_partition(part, config)


def _distributed(client: Any) -> Runner:
    from distributed import as_completed

    def run(parts: list[Partition], config: TaskConfig) -> Outcomes:
        if not parts:
            return
        futures = client.map(
            run_partition,
            parts,
            config=config,
            key=[f"calmdesk-partition-{p.fingerprint}" for p in parts],
            pure=False,
        )
        names = {f.key: p.fingerprint for f, p in zip(futures, parts, strict=True)}
        try:
            for future in as_completed(futures):
                if future.status == "finished":
                    yield names[future.key], future.result()
                else:
                    exc = future.exception()
                    yield names[future.key], f"{type(exc).__name__}: {exc}"
        finally:
            client.cancel(futures)

    return run


def _clean(fs: Any, root: str, wanted: set[str]) -> None:
    """Remove temporary files of killed tasks and parts of partitions no longer planned."""
    for table in TABLES:
        folder = f"{root}/{table}"
        if not fs.exists(folder):
            continue
        for path in fs.ls(folder, detail=False):
            name = path.rsplit("/", 1)[-1]
            stale_part = (
                name.startswith("part-")
                and name != PLAN_ERRORS.rsplit("/", 1)[-1]
                and name.removeprefix("part-").removesuffix(".parquet") not in wanted
            )
            if (name.startswith(".") and name.endswith(".tmp")) or stale_part:
                fs.rm(path)


def _write_plan_errors(fs: Any, root: str, errors: list[IngestError]) -> None:
    """Errors found before any task ran (missing files, bad globs), kept beside the others."""
    import pyarrow.parquet as pq

    path = f"{root}/{PLAN_ERRORS}"
    if not errors:
        if fs.exists(path):
            fs.rm(path)
        return
    fs.makedirs(f"{root}/errors", exist_ok=True)
    with fs.open(path, "wb") as handle:
        pq.write_table(errors_table(errors), handle)
