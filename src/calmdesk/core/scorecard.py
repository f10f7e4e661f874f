"""The conversation scorecard: each playbook criterion pass / fail / n/a with its evidence.

Criteria come from the rubric; the scorecard only reads labels and the walk's state, so a team's
own rubric needs no code.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from calmdesk.core.annotate import State
from calmdesk.core.detect.base import MessageAnalysis
from calmdesk.core.model import Span
from calmdesk.core.rubric import Criterion, OrderingRule, Rubric

Verdict = Literal["pass", "fail", "n/a"]


@dataclass(frozen=True, slots=True)
class Evidence:
    message_id: str
    label: str
    spans: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True)
class CriterionResult:
    id: str
    kind: str  # "criterion" or "ordering"
    verdict: Verdict
    weight: float
    rule: str
    description: str
    evidence: tuple[Evidence, ...] = ()
    note: str = ""


@dataclass(frozen=True, slots=True)
class AntiPatternHit:
    message_id: str
    label: str
    confidence: float
    spans: tuple[Span, ...]
    penalty: float


@dataclass(frozen=True, slots=True)
class Scorecard:
    results: tuple[CriterionResult, ...]
    antipatterns: tuple[AntiPatternHit, ...]
    #: 0-100, None when the conversation has no company reply to judge
    score: float | None
    rubric: str

    def result(self, cid: str) -> CriterionResult:
        return next(r for r in self.results if r.id == cid)

    @property
    def failed(self) -> tuple[CriterionResult, ...]:
        return tuple(r for r in self.results if r.verdict == "fail")


def _evidence(ma: MessageAnalysis, label: str) -> Evidence:
    lab = ma.get(label)
    return Evidence(ma.message.id, label, lab.spans if lab else ())


def _start_index(applies: str, msgs: Sequence[MessageAnalysis], final: State) -> int | None:
    """Index from which company messages count, or None when the rule does not apply."""
    if applies == "always":
        return 0
    if applies == "escalated":
        return 0 if final.escalated else None
    wanted = applies.removeprefix("customer:")
    for i, ma in enumerate(msgs):
        if ma.message.is_customer and ma.has(wanted):
            return i
    return None


def _satisfies(ma: MessageAnalysis, c: Criterion) -> bool:
    if not ma.message.is_company or not ma.has(c.label):
        return False
    if c.label == "supervisor_offer" and ma.message.role == "supervisor":
        return True
    return c.min_value is None or ma.value(c.label) >= c.min_value


def _result_for(entry: Criterion | OrderingRule) -> Callable[..., CriterionResult]:
    """A constructor of results for one rubric entry: verdict, evidence and note vary."""
    kind = "criterion" if isinstance(entry, Criterion) else "ordering"

    def result(
        verdict: Verdict, evidence: tuple[Evidence, ...] = (), note: str = ""
    ) -> CriterionResult:
        return CriterionResult(
            entry.id, kind, verdict, entry.weight, entry.rule, entry.description, evidence, note
        )

    return result


def _criterion(c: Criterion, msgs: Sequence[MessageAnalysis], final: State) -> CriterionResult:
    result = _result_for(c)

    start = _start_index(c.applies, msgs, final)
    if start is None:
        return result("n/a")
    later = msgs[start:]
    hits = [ma for ma in later if _satisfies(ma, c)]
    if c.label == "supervisor_offer" and not hits:
        hits = [ma for ma in later if ma.message.role == "supervisor"]
    if hits:
        return result("pass", tuple(_evidence(ma, c.label) for ma in hits[:3]))
    near = [ma for ma in later if ma.message.is_company and ma.has(c.label)]
    if near and c.min_value is not None:
        best = max(ma.value(c.label) for ma in near)
        return result("fail", (_evidence(near[0], c.label),), f"{best:g} < {c.min_value:g} needed")
    return result("fail")


def _first(msgs: Sequence[MessageAnalysis], label: str) -> int | None:
    return next((i for i, ma in enumerate(msgs) if ma.message.is_company and ma.has(label)), None)


def _ordering(
    o: OrderingRule, msgs: Sequence[MessageAnalysis], states: Sequence[State], final: State
) -> CriterionResult:
    result = _result_for(o)

    if _start_index(o.applies, msgs, final) is None:
        return result("n/a")
    if o.kind == "before":
        then = _first(msgs, o.then)
        if then is None:
            return result("n/a", note=f"no {o.then}")
        first = _first(msgs[: then + 1], o.first)
        if first is None:
            return result("fail", (_evidence(msgs[then], o.then),), f"{o.then} without {o.first}")
        return result("pass", (_evidence(msgs[first], o.first), _evidence(msgs[then], o.then)))
    if o.kind == "no_fact_finding_before_solution":
        early = [
            ma
            for ma, st in zip(msgs, states, strict=True)
            if ma.message.is_company and ma.has("suspicion") and not st.solution_accepted
        ]
        if early:
            return result("fail", tuple(_evidence(ma, "suspicion") for ma in early[:3]))
        return result("pass")
    # at_close
    company = [ma for ma in msgs if ma.message.is_company]
    if not company:
        return result("n/a")
    tail = company[-o.window :]
    missing = [lab for lab in o.labels if not any(ma.has(lab) for ma in tail)]
    found = tuple(_evidence(ma, lab) for lab in o.labels for ma in tail if ma.has(lab))
    if missing:
        return result("fail", found, "missing at the close: " + ", ".join(missing))
    return result("pass", found)


def score_conversation(
    msgs: Sequence[MessageAnalysis], states: Sequence[State], rubric: Rubric
) -> Scorecard:
    """Judge the company's handling of one conversation against `rubric`."""
    final = states[-1].after(msgs[-1]) if msgs else State()
    results = [_criterion(c, msgs, final) for c in rubric.criteria]
    results += [_ordering(o, msgs, states, final) for o in rubric.ordering]
    hits = tuple(
        AntiPatternHit(
            ma.message.id, lab.name, lab.confidence, lab.spans, rubric.penalties[lab.name]
        )
        for ma in msgs
        if ma.message.is_company
        for lab in ma.present()
        if lab.name in rubric.penalties
    )
    if not any(ma.message.is_company for ma in msgs):
        return Scorecard(tuple(results), hits, None, rubric.source)
    applicable = [r for r in results if r.verdict != "n/a"]
    total = sum(r.weight for r in applicable)
    earned = sum(r.weight for r in applicable if r.verdict == "pass")
    base = 100.0 * earned / total if total else 100.0
    penalty = min(rubric.penalty_cap, sum(h.penalty for h in hits))
    return Scorecard(tuple(results), hits, round(max(0.0, base - penalty), 1), rubric.source)
