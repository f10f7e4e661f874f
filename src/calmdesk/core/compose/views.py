"""Plain-JSON views of suggestions and self-check results, shared by the CLI and the API."""

from __future__ import annotations

from typing import Any

from calmdesk.core.compose.selfcheck import CheckResult
from calmdesk.core.compose.suggest import Suggestion


def check_dict(result: CheckResult) -> dict[str, Any]:
    return {
        "passed": result.passed,
        "met": list(result.met),
        "problems": [
            {"kind": p.kind, "name": p.name, "rule": p.rule, "detail": p.detail}
            for p in result.problems
        ],
    }


def suggestion_dict(s: Suggestion) -> dict[str, Any]:
    sit = s.situation
    return {
        "conversation_id": sit.analysis.conversation.id,
        "draft": s.text,
        "engine": s.engine,
        "seed": s.seed,
        "attempts": s.attempts,
        "fallback": s.fallback or None,
        "mode": sit.mode,
        "channel": sit.channel,
        "issue_type": sit.issue.id,
        "knowledge_entry": sit.knowledge.id if sit.knowledge else None,
        "emotion": sit.feeling,
        "supervisor_requested": sit.supervisor_pending,
        "self_check": check_dict(s.check),
    }
