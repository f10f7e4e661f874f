"""The figures of the report, computed with Arrow over the batch's Parquet tables.

Only the columns each figure needs are read, and only the recorded (finished) partition files,
so the report works on a run of millions of messages and never counts a half-written partition.
The messages table is read only for the handful of conversations the report quotes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

from calmdesk.batch.manifest import MANIFEST
from calmdesk.core.detect.base import PRESENT

CONVERSATION_COLUMNS = [
    "conversation_id",
    "channel",
    "team",
    "agents",
    "started_at",
    "messages",
    "score",
    "peak_risk",
    "escalated",
    "deescalated",
    "criteria",
    "antipatterns",
]
#: Agents with fewer conversations than this are left out of the per-agent chart (noise).
MIN_AGENT_CONVERSATIONS = 3
EXAMPLES = 3


@dataclass(frozen=True)
class Rate:
    key: str
    conversations: int
    escalated: float
    deescalated: float


@dataclass(frozen=True)
class AntiPattern:
    label: str
    hits: int
    conversations: int
    examples: list[tuple[str, str]]  # (conversation id, quoted text)


@dataclass(frozen=True)
class Coverage:
    criterion: str
    kind: str
    passed: int
    applicable: int

    @property
    def share(self) -> float:
        return self.passed / self.applicable if self.applicable else 0.0


@dataclass
class Quoted:
    """A conversation shown in full: the worst and best handled ones."""

    anchor: str
    conversation_id: str
    score: float
    peak_risk: float
    escalated: bool
    deescalated: bool
    channel: str
    team: str
    agents: list[str]
    messages: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class ReportData:
    conversations: int
    messages: int
    errors: int
    escalation_rate: float
    deescalation_rate: float
    mean_score: float | None
    period: tuple[datetime, datetime] | None
    bucket: str
    over_time: list[Rate]
    by_channel: list[Rate]
    by_team: list[Rate]
    by_agent: list[Rate]
    antipatterns: list[AntiPattern]
    coverage: list[Coverage]
    worst: list[Quoted]
    best: list[Quoted]


def part_files(folder: Path, table: str) -> list[str]:
    """The finished partition files of a table, as the manifest records them."""
    path = folder / MANIFEST
    if not path.exists():
        raise FileNotFoundError(
            f"{folder}: no {MANIFEST}; is this the --out folder of a batch run?"
        )
    doc = json.loads(path.read_text("utf-8"))
    return [
        str(folder / name)
        for entry in doc.get("partitions", {}).values()
        for name in entry.get("files", [])
        if name.startswith(f"{table}/")
    ]


def load(folder: Path, *, top: int = 10) -> ReportData:
    files = part_files(folder, "conversations")
    if not files:
        raise ValueError(f"{folder}: no finished partitions yet; run calmdesk batch first")
    table = ds.dataset(files, format="parquet").to_table(columns=CONVERSATION_COLUMNS)
    doc = json.loads((folder / MANIFEST).read_text("utf-8"))
    errors = sum(int(e.get("errors", 0)) for e in doc.get("partitions", {}).values())
    flags = table.select(["escalated", "deescalated"])
    bucket, over_time = _over_time(table)
    scores = table["score"].drop_null()
    worst, best = _quoted(folder, table, top)
    return ReportData(
        conversations=table.num_rows,
        messages=int(pc.sum(table["messages"]).as_py() or 0),
        errors=errors,
        escalation_rate=_mean(flags["escalated"]),
        deescalation_rate=_mean(flags["deescalated"]),
        mean_score=float(pc.mean(scores).as_py()) if len(scores) else None,
        period=_period(table),
        bucket=bucket,
        over_time=over_time,
        by_channel=_rates(table, "channel"),
        by_team=_rates(table, "team"),
        by_agent=_agent_rates(table),
        antipatterns=_antipatterns(table),
        coverage=_coverage(table),
        worst=worst,
        best=best,
    )


def _mean(column: pa.ChunkedArray) -> float:
    value = pc.mean(pc.cast(column, pa.float64())).as_py()
    return float(value) if value is not None else 0.0


def _rates(table: pa.Table, key: str, *, minimum: int = 1) -> list[Rate]:
    """Escalation and de-escalation rates per value of `key`, busiest first."""
    data = pa.table(
        {
            "key": table[key],
            "esc": pc.cast(table["escalated"], pa.float64()),
            "de": pc.cast(table["deescalated"], pa.float64()),
        }
    )
    grouped = data.group_by("key").aggregate([("esc", "mean"), ("de", "mean"), ("key", "count")])
    rows = [
        Rate(str(r["key"]), int(r["key_count"]), float(r["esc_mean"]), float(r["de_mean"]))
        for r in grouped.to_pylist()
        if r["key"] is not None and r["key_count"] >= minimum
    ]
    return sorted(rows, key=lambda r: (-r.conversations, r.key))


def _agent_rates(table: pa.Table, limit: int = 20) -> list[Rate]:
    """Per company author; a conversation counts for every agent who wrote in it."""
    parents = pc.list_parent_indices(table["agents"])
    flat = pa.table(
        {
            "agent": pc.list_flatten(table["agents"]),
            "escalated": pc.take(table["escalated"], parents),
            "deescalated": pc.take(table["deescalated"], parents),
        }
    )
    return _rates(flat, "agent", minimum=MIN_AGENT_CONVERSATIONS)[:limit]


def _over_time(table: pa.Table) -> tuple[str, list[Rate]]:
    dated = table.filter(pc.is_valid(table["started_at"]))
    if dated.num_rows == 0:
        return "month", []
    first, last = pc.min(dated["started_at"]).as_py(), pc.max(dated["started_at"]).as_py()
    span = (last - first).days
    unit = "day" if span <= 62 else "week" if span <= 730 else "month"
    buckets = pc.floor_temporal(dated["started_at"], unit=unit)
    labelled = dated.append_column("bucket", buckets)
    rates = _rates(labelled, "bucket")
    fmt = "%Y-%m" if unit == "month" else "%Y-%m-%d"
    out = [
        Rate(
            datetime.fromisoformat(r.key).strftime(fmt), r.conversations, r.escalated, r.deescalated
        )
        for r in sorted(rates, key=lambda r: r.key)
    ]
    return unit, out


def _period(table: pa.Table) -> tuple[datetime, datetime] | None:
    first, last = pc.min(table["started_at"]).as_py(), pc.max(table["started_at"]).as_py()
    return (first, last) if first is not None and last is not None else None


def _antipatterns(table: pa.Table, limit: int = 12) -> list[AntiPattern]:
    column = table["antipatterns"]
    parents = pc.list_parent_indices(column)
    hits = pc.list_flatten(column)
    if len(hits) == 0:
        return []
    flat = pa.table(
        {
            "label": pc.struct_field(hits, "label"),
            "text": pc.struct_field(hits, "text"),
            "conversation_id": pc.take(table["conversation_id"], parents),
        }
    )
    counts = flat.group_by("label").aggregate(
        [("label", "count"), ("conversation_id", "count_distinct")]
    )
    result = []
    for row in sorted(counts.to_pylist(), key=lambda r: -r["label_count"])[:limit]:
        of_label = flat.filter(pc.equal(flat["label"], row["label"])).slice(0, 200)
        examples: dict[str, tuple[str, str]] = {}
        for ex in of_label.to_pylist():
            text = (ex["text"] or "").strip()
            if text and text.lower() not in examples:
                examples[text.lower()] = (ex["conversation_id"], text)
            if len(examples) >= EXAMPLES:
                break
        result.append(
            AntiPattern(
                row["label"],
                int(row["label_count"]),
                int(row["conversation_id_count_distinct"]),
                list(examples.values()),
            )
        )
    return result


def _coverage(table: pa.Table) -> list[Coverage]:
    """Share of conversations passing each criterion, among those where it applies."""
    hits = pc.list_flatten(table["criteria"])
    if len(hits) == 0:
        return []
    flat = pa.table(
        {
            "id": pc.struct_field(hits, "id"),
            "kind": pc.struct_field(hits, "kind"),
            "verdict": pc.struct_field(hits, "verdict"),
        }
    )
    counts = flat.group_by(["id", "kind", "verdict"]).aggregate([("id", "count")])
    tally: dict[tuple[str, str], dict[str, int]] = {}
    order: list[tuple[str, str]] = []
    for row in counts.to_pylist():
        key = (row["id"], row["kind"])
        if key not in tally:
            order.append(key)
        tally.setdefault(key, {})[row["verdict"]] = int(row["id_count"])
    return [
        Coverage(cid, kind, v.get("pass", 0), v.get("pass", 0) + v.get("fail", 0))
        for (cid, kind), v in ((k, tally[k]) for k in order)
    ]


def _quoted(folder: Path, table: pa.Table, top: int) -> tuple[list[Quoted], list[Quoted]]:
    scored = table.filter(pc.is_valid(table["score"]))
    worst = scored.sort_by([("score", "ascending"), ("peak_risk", "descending")]).slice(0, top)
    best = scored.sort_by([("score", "descending"), ("peak_risk", "ascending")]).slice(0, top)
    views = [_view(f"worst-{i + 1}", r) for i, r in enumerate(worst.to_pylist())]
    views += [_view(f"best-{i + 1}", r) for i, r in enumerate(best.to_pylist())]
    ids = sorted({v.conversation_id for v in views})
    if ids:
        messages = (
            ds.dataset(part_files(folder, "messages"), format="parquet")
            .to_table(
                columns=["conversation_id", "seq", "author", "role", "text", "risk", "labels"],
                filter=pc.field("conversation_id").isin(ids),
            )
            .sort_by([("conversation_id", "ascending"), ("seq", "ascending")])
        )
        by_id: dict[str, list[dict[str, Any]]] = {}
        for m in messages.to_pylist():
            m["labels"] = [lab["name"] for lab in m["labels"] or [] if lab["confidence"] >= PRESENT]
            by_id.setdefault(m["conversation_id"], []).append(m)
        for view in views:
            view.messages = by_id.get(view.conversation_id, [])
    return views[: len(worst)], views[len(worst) :]


def _view(anchor: str, row: dict[str, Any]) -> Quoted:
    return Quoted(
        anchor=anchor,
        conversation_id=row["conversation_id"],
        score=float(row["score"]),
        peak_risk=float(row["peak_risk"] or 0.0),
        escalated=bool(row["escalated"]),
        deescalated=bool(row["deescalated"]),
        channel=row["channel"] or "",
        team=row["team"] or "",
        agents=list(row["agents"] or []),
    )
