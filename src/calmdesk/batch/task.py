"""The work one Dask task does: read a partition, analyse it, write its Parquet files.

The pipeline is built once per worker process and reused by every task that lands there
(building it compiles the detectors' patterns and loads the rubric). Files are written under a
hidden temporary name and renamed into place when complete, so a killed task never leaves a
partial file that looks finished. A task returns only a small summary: results travel through
the output files, never through the scheduler.
"""

from __future__ import annotations

import os
import time
import uuid
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from fsspec.core import url_to_fs

from calmdesk.batch.manifest import part_file
from calmdesk.batch.plan import Partition
from calmdesk.batch.rows import TableBuilder, errors_table
from calmdesk.batch.sources import read_partition
from calmdesk.core.ingest import IngestError, IngestOptions
from calmdesk.core.pipeline import Pipeline, make_pipeline
from calmdesk.core.rubric import Rubric

#: Errors carried back in the summary for the terminal; all of them go to the errors table.
SUMMARY_ERRORS = 20
ROW_GROUP = 50_000


@dataclass(frozen=True)
class TaskConfig:
    out: str
    options: IngestOptions
    #: The rubric itself, loaded and checked by the driver: workers may not see its file.
    rubric: Rubric | None = None
    rubric_key: str = "default"


_PIPELINES: dict[str, Pipeline] = {}


def worker_pipeline(config: TaskConfig) -> Pipeline:
    """One pipeline per worker process (and per rubric), not per task or conversation."""
    if config.rubric_key not in _PIPELINES:
        _PIPELINES[config.rubric_key] = make_pipeline(rubric=config.rubric)
    return _PIPELINES[config.rubric_key]


def run_partition(part: Partition, config: TaskConfig) -> dict[str, Any]:
    started = time.perf_counter()
    pipeline = worker_pipeline(config)
    builder = TableBuilder()
    errors: list[IngestError] = []
    for source, result in read_partition(part, config.options):
        errors.extend(result.errors)
        for conversation in result.conversations:
            try:
                analysis = pipeline.analyze(conversation)
            except Exception as exc:  # one bad record must not fail the partition
                errors.append(
                    IngestError(
                        source,
                        f"conversation {conversation.id!r}",
                        None,
                        f"analysis failed: {type(exc).__name__}: {exc}",
                    )
                )
                continue
            builder.add(analysis, source)
    messages, conversations = builder.tables()
    fs, root = url_to_fs(config.out)
    files = [
        _write(fs, root, "messages", part.fingerprint, messages),
        _write(fs, root, "conversations", part.fingerprint, conversations),
    ]
    if errors:
        files.append(_write(fs, root, "errors", part.fingerprint, errors_table(errors)))
    return {
        "fingerprint": part.fingerprint,
        "files": files,
        "inputs": sorted({p.url for p in part.pieces}),
        "messages": messages.num_rows,
        "conversations": conversations.num_rows,
        "errors": len(errors),
        "first_errors": [str(e) for e in errors[:SUMMARY_ERRORS]],
        "seconds": round(time.perf_counter() - started, 3),
        "pid": os.getpid(),
    }


def _write(fs: Any, root: str, table: str, fingerprint: str, data: pa.Table) -> str:
    name = part_file(table, fingerprint)
    final = f"{root}/{name}"
    tmp = f"{root}/{table}/.{uuid.uuid4().hex}.tmp"
    fs.makedirs(f"{root}/{table}", exist_ok=True)
    with fs.open(tmp, "wb") as handle:
        pq.write_table(data, handle, compression="zstd", row_group_size=ROW_GROUP)
    fs.mv(tmp, final)
    return name
