"""Plain-JSON views of analyses, for `--json` output, the API and Parquet rows.

One function per type, each returning only JSON types, so every consumer sees the same shape.
"""

from __future__ import annotations

from typing import Any

from calmdesk.core.detect.base import MessageAnalysis
from calmdesk.core.model import Label, Span
from calmdesk.core.outcome import Outcome
from calmdesk.core.pipeline import Analysis
from calmdesk.core.scorecard import Scorecard


def span_dict(s: Span) -> dict[str, Any]:
    return {"start": s.start, "end": s.end, "text": s.text}


def label_dict(lab: Label) -> dict[str, Any]:
    out: dict[str, Any] = {"name": lab.name, "confidence": lab.confidence}
    if lab.value is not None:
        out["value"] = lab.value
    out["spans"] = [span_dict(s) for s in lab.spans]
    out["detector"] = lab.detector
    return out


def message_dict(ma: MessageAnalysis) -> dict[str, Any]:
    m = ma.message
    return {
        "id": m.id,
        "author": m.author,
        "role": m.role,
        "channel": m.channel,
        "timestamp": m.timestamp.isoformat() if m.timestamp else None,
        "text": m.text,
        "labels": [label_dict(lab) for lab in ma.labels],
        "risk": ma.risk,
    }


def scorecard_dict(sc: Scorecard) -> dict[str, Any]:
    return {
        "score": sc.score,
        "rubric": sc.rubric,
        "criteria": [
            {
                "id": r.id,
                "kind": r.kind,
                "verdict": r.verdict,
                "weight": r.weight,
                "rule": r.rule,
                "description": r.description,
                "note": r.note,
                "evidence": [
                    {
                        "message_id": e.message_id,
                        "label": e.label,
                        "spans": [span_dict(s) for s in e.spans],
                    }
                    for e in r.evidence
                ],
            }
            for r in sc.results
        ],
        "antipatterns": [
            {
                "message_id": h.message_id,
                "label": h.label,
                "confidence": h.confidence,
                "penalty": h.penalty,
                "spans": [span_dict(s) for s in h.spans],
            }
            for h in sc.antipatterns
        ],
    }


def outcome_dict(o: Outcome) -> dict[str, Any]:
    return {
        "trajectory": list(o.trajectory),
        "first_sentiment": o.first_sentiment,
        "last_sentiment": o.last_sentiment,
        "mood_change": o.mood_change,
        "mood_recovered": o.mood_recovered,
        "customer_apologised": o.customer_apologised,
        "customer_thanked": o.customer_thanked,
        "deescalated": o.deescalated,
        "resolved": o.resolved,
        "escalated": o.escalated,
        "escalated_by": list(o.escalated_by),
    }


def analysis_dict(a: Analysis, *, messages: bool = True) -> dict[str, Any]:
    c = a.conversation
    out: dict[str, Any] = {
        "conversation_id": c.id,
        "customer_id": c.customer_id,
        "channel": c.channel,
        "participants": [{"id": p.id, "role": p.role, "name": p.name} for p in c.participants],
        "risk": a.risk,
        "peak_risk": a.peak_risk,
        "scorecard": scorecard_dict(a.scorecard),
        "outcome": outcome_dict(a.outcome),
    }
    if messages:
        out["messages"] = [message_dict(ma) for ma in a.messages]
    return out
