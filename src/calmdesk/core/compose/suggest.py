"""Draft the next reply with an engine, and return it only once calmdesk's own check passes.

Engines sit behind one small interface (`Engine.draft`); the loop here owns the rule that no
draft leaves unchecked: a failing draft is regenerated with the next seed, and if every attempt
fails the best one is returned with its problems listed, never silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from calmdesk.core.compose.config import TeamConfig
from calmdesk.core.compose.reading import Situation, read_situation
from calmdesk.core.compose.selfcheck import CheckResult, check
from calmdesk.core.compose.template import template_draft
from calmdesk.core.model import Conversation
from calmdesk.core.pipeline import Pipeline

#: How many seeds the template engine may try before giving up.
ATTEMPTS = 6


class Engine(Protocol):
    @property
    def name(self) -> str: ...

    def draft(self, sit: Situation, team: TeamConfig, seed: int) -> str: ...


@dataclass(frozen=True, slots=True)
class TemplateEngine:
    name: str = "template"

    def draft(self, sit: Situation, team: TeamConfig, seed: int) -> str:
        return template_draft(sit, team, seed)


@dataclass(frozen=True, slots=True)
class Suggestion:
    text: str
    engine: str
    seed: int
    attempts: int
    check: CheckResult
    situation: Situation
    #: why another engine's draft was not used (LLM failure, timeout, failed check), if so
    fallback: str = ""

    @property
    def passed(self) -> bool:
        return self.check.passed


def scope_for(sit: Situation) -> str:
    """An open case is answered as a whole; a content customer only needs their turn answered."""
    return "turn" if sit.mode == "close" else "conversation"


def draft_checked(
    engine: Engine,
    sit: Situation,
    team: TeamConfig,
    pipeline: Pipeline,
    *,
    seed: int,
    attempts: int = ATTEMPTS,
) -> Suggestion:
    """The first draft that passes the check, else the one with the fewest problems."""
    conv = sit.analysis.conversation
    best: Suggestion | None = None
    for i in range(attempts):
        text = engine.draft(sit, team, seed + i)
        result = check(pipeline, conv, text, scope=scope_for(sit), analysis=sit.analysis)
        current = Suggestion(text, engine.name, seed + i, i + 1, result, sit)
        if result.passed:
            return current
        if best is None or len(result.problems) < len(best.check.problems):
            best = current
    assert best is not None
    return Suggestion(best.text, best.engine, best.seed, attempts, best.check, sit, best.fallback)


def suggest(
    conversation: Conversation,
    team: TeamConfig,
    pipeline: Pipeline,
    *,
    seed: int = 0,
    engine: Engine | None = None,
) -> Suggestion:
    """The checked next reply to `conversation` (template engine unless another is given)."""
    sit = read_situation(pipeline.analyze(conversation), team)
    chosen = engine or TemplateEngine()
    if chosen.name == "template":
        return draft_checked(chosen, sit, team, pipeline, seed=seed)
    return _with_fallback(chosen, sit, team, pipeline, seed=seed)


def _with_fallback(
    engine: Engine, sit: Situation, team: TeamConfig, pipeline: Pipeline, *, seed: int
) -> Suggestion:
    """Any non-template engine: one attempt, then the template engine, saying why."""
    try:
        text = engine.draft(sit, team, seed)
    except Exception as exc:  # an engine failure of any kind must not lose the reply
        reason = f"{engine.name} engine failed ({exc}); used the template engine"
    else:
        conv = sit.analysis.conversation
        result = check(pipeline, conv, text, scope=scope_for(sit), analysis=sit.analysis)
        if result.passed:
            return Suggestion(text, engine.name, seed, 1, result, sit)
        failed = ", ".join(p.name for p in result.problems)
        reason = f"{engine.name} draft failed the self-check ({failed}); used the template engine"
    fallback = draft_checked(TemplateEngine(), sit, team, pipeline, seed=seed)
    return Suggestion(
        fallback.text,
        fallback.engine,
        fallback.seed,
        fallback.attempts,
        fallback.check,
        sit,
        reason,
    )
