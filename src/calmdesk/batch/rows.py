"""The output tables: Arrow schemas, and a builder that turns analyses into their rows.

Schemas are fixed here, not inferred, so every partition file has the same columns and types
(an all-null column in one partition must not change its type) and downstream readers (pyarrow,
Dask, DuckDB, Spark) see one table. Rows are built column by column as analyses arrive, so a
partition never holds its analyses, only their compact columns.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pyarrow as pa

from calmdesk.core.ingest import IngestError
from calmdesk.core.pipeline import Analysis

UNASSIGNED = "unassigned"
_TS = pa.timestamp("us", tz="UTC")
_SPAN = pa.struct([("start", pa.int32()), ("end", pa.int32())])
_LABEL = pa.struct(
    [
        ("name", pa.string()),
        ("confidence", pa.float32()),
        ("value", pa.float32()),
        ("spans", pa.list_(_SPAN)),
    ]
)
_CRITERION = pa.struct(
    [("id", pa.string()), ("kind", pa.string()), ("verdict", pa.string()), ("weight", pa.float32())]
)
_ANTIPATTERN = pa.struct(
    [
        ("message_id", pa.string()),
        ("label", pa.string()),
        ("confidence", pa.float32()),
        ("penalty", pa.float32()),
        ("text", pa.string()),
    ]
)

MESSAGES = pa.schema(
    [
        ("conversation_id", pa.string()),
        ("seq", pa.int32()),
        ("message_id", pa.string()),
        ("author", pa.string()),
        ("role", pa.string()),
        ("channel", pa.string()),
        ("team", pa.string()),
        ("timestamp", _TS),
        ("text", pa.string()),
        ("risk", pa.float32()),
        ("sentiment", pa.float32()),
        ("intensity", pa.float32()),
        ("labels", pa.list_(_LABEL)),
    ]
)

CONVERSATIONS = pa.schema(
    [
        ("conversation_id", pa.string()),
        ("source", pa.string()),
        ("customer_id", pa.string()),
        ("channel", pa.string()),
        ("team", pa.string()),
        ("agents", pa.list_(pa.string())),
        ("started_at", _TS),
        ("ended_at", _TS),
        ("messages", pa.int32()),
        ("customer_messages", pa.int32()),
        ("score", pa.float32()),
        ("risk", pa.float32()),
        ("peak_risk", pa.float32()),
        ("first_sentiment", pa.float32()),
        ("last_sentiment", pa.float32()),
        ("mood_change", pa.float32()),
        ("mood_recovered", pa.bool_()),
        ("customer_apologised", pa.bool_()),
        ("customer_thanked", pa.bool_()),
        ("deescalated", pa.bool_()),
        ("resolved", pa.bool_()),
        ("escalated", pa.bool_()),
        ("escalated_by", pa.list_(pa.string())),
        ("criteria", pa.list_(_CRITERION)),
        ("antipatterns", pa.list_(_ANTIPATTERN)),
    ]
)

ERRORS = pa.schema(
    [
        ("path", pa.string()),
        ("location", pa.string()),
        ("field", pa.string()),
        ("message", pa.string()),
    ]
)


def team_of(metadata: Mapping[str, Any], fallback: str | None = None) -> str:
    value = metadata.get("team")
    return str(value) if value not in (None, "") else (fallback or UNASSIGNED)


class TableBuilder:
    """Columns for one partition's messages and conversations, filled one analysis at a time."""

    def __init__(self) -> None:
        self.messages: dict[str, list[Any]] = {name: [] for name in MESSAGES.names}
        self.conversations: dict[str, list[Any]] = {name: [] for name in CONVERSATIONS.names}

    def add(self, a: Analysis, source: str) -> None:
        conv = a.conversation
        company = [m for m in conv.messages if m.is_company]
        team = team_of(conv.metadata, next((team_of(m.metadata) for m in company), None))
        texts: dict[str, str] = {}
        m_cols = self.messages
        for seq, ma in enumerate(a.messages):
            msg = ma.message
            texts[msg.id] = msg.text
            m_cols["conversation_id"].append(conv.id)
            m_cols["seq"].append(seq)
            m_cols["message_id"].append(msg.id)
            m_cols["author"].append(msg.author)
            m_cols["role"].append(msg.role)
            m_cols["channel"].append(msg.channel)
            m_cols["team"].append(team_of(msg.metadata, team))
            m_cols["timestamp"].append(msg.timestamp)  # Arrow converts to UTC
            m_cols["text"].append(msg.text)
            m_cols["risk"].append(ma.risk)
            sentiment = ma.get("sentiment")
            intensity = ma.get("intensity")
            m_cols["sentiment"].append(sentiment.value if sentiment else None)
            m_cols["intensity"].append(intensity.value if intensity else None)
            m_cols["labels"].append(
                [
                    {
                        "name": lab.name,
                        "confidence": lab.confidence,
                        "value": lab.value,
                        "spans": [{"start": s.start, "end": s.end} for s in lab.spans],
                    }
                    for lab in ma.labels
                ]
            )
        self._add_conversation(a, source, team, texts)

    def _add_conversation(self, a: Analysis, source: str, team: str, texts: dict[str, str]) -> None:
        conv, out, card = a.conversation, a.outcome, a.scorecard
        stamps = [m.timestamp for m in conv.messages if m.timestamp is not None]
        agents = dict.fromkeys(m.author for m in conv.messages if m.is_company)
        row: dict[str, Any] = {
            "conversation_id": conv.id,
            "source": source,
            "customer_id": conv.customer_id,
            "channel": conv.channel,
            "team": team,
            "agents": list(agents),
            "started_at": min(stamps) if stamps else None,
            "ended_at": max(stamps) if stamps else None,
            "messages": len(conv.messages),
            "customer_messages": sum(1 for m in conv.messages if m.is_customer),
            "score": card.score,
            "risk": a.risk,
            "peak_risk": a.peak_risk,
            "first_sentiment": out.first_sentiment,
            "last_sentiment": out.last_sentiment,
            "mood_change": out.mood_change,
            "mood_recovered": out.mood_recovered,
            "customer_apologised": out.customer_apologised,
            "customer_thanked": out.customer_thanked,
            "deescalated": out.deescalated,
            "resolved": out.resolved,
            "escalated": out.escalated,
            "escalated_by": list(out.escalated_by),
            "criteria": [
                {"id": r.id, "kind": r.kind, "verdict": r.verdict, "weight": r.weight}
                for r in card.results
            ],
            "antipatterns": [
                {
                    "message_id": h.message_id,
                    "label": h.label,
                    "confidence": h.confidence,
                    "penalty": h.penalty,
                    "text": h.spans[0].text if h.spans else texts.get(h.message_id, "")[:200],
                }
                for h in card.antipatterns
            ],
        }
        for name, value in row.items():
            self.conversations[name].append(value)

    def tables(self) -> tuple[pa.Table, pa.Table]:
        return (
            pa.Table.from_pydict(self.messages, schema=MESSAGES),
            pa.Table.from_pydict(self.conversations, schema=CONVERSATIONS),
        )


def errors_table(errors: list[IngestError]) -> pa.Table:
    return pa.Table.from_pylist(
        [
            {"path": e.path, "location": e.location, "field": e.field, "message": e.message}
            for e in errors
        ],
        schema=ERRORS,
    )
