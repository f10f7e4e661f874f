"""Judge a draft with calmdesk's own analysis before anyone sees it.

The draft is appended to the conversation as the next company message and the whole thing is
analysed, so every detector reads it in context (premature fact-finding, tone matching and
paraphrase all depend on what came before). The verdict then looks at the draft alone:
- no anti-pattern label present on it;
- every scorecard criterion that applies to the turn it answers is met *by the draft*: the
  rubric is scored over the customer messages of that turn plus the draft, so earlier agent
  mistakes (which no draft can undo) neither fail it nor pass it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from calmdesk.core.annotate import State, label_message
from calmdesk.core.detect.base import MessageAnalysis
from calmdesk.core.model import Conversation, Message
from calmdesk.core.pipeline import Analysis, Pipeline
from calmdesk.core.scorecard import score_conversation
from calmdesk.core.taxonomy import AGENT_ANTIPATTERNS, NEGATIVE_EMOTIONS

DRAFT_ID = "calmdesk-draft"


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason a draft failed: an anti-pattern or an unmet criterion, with its rule."""

    kind: str  # "antipattern" or "criterion"
    name: str
    rule: str
    detail: str


@dataclass(frozen=True, slots=True)
class CheckResult:
    draft: MessageAnalysis
    problems: tuple[Problem, ...]
    met: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.problems


def with_draft(conversation: Conversation, text: str) -> Conversation:
    """The conversation with `text` as the next company message, on the latest channel.

    The draft speaks as the latest company speaker: once a supervisor has taken over, the
    reply is theirs (and a supervisor's reply honours a supervisor request, P5).
    """
    last = conversation.messages[-1] if conversation.messages else None
    speaker = next((m for m in reversed(conversation.messages) if m.is_company), None)
    msg = Message(
        id=DRAFT_ID,
        author=speaker.author if speaker else "agent",
        role="supervisor" if speaker and speaker.role == "supervisor" else "agent",
        text=text,
        channel=last.channel if last else conversation.channel,
    )
    return replace(conversation, messages=(*conversation.messages, msg))


def _judged(msgs: Sequence[MessageAnalysis], scope: str) -> list[MessageAnalysis]:
    """Customer messages the draft answers, plus the draft (the last of `msgs`).

    "conversation": every customer message (the case is still open: all of it is answered);
    "turn": the customer's latest turn, plus an unanswered supervisor request if any (P5).
    """
    draft = msgs[-1]
    customers = [ma for ma in msgs[:-1] if ma.message.is_customer]
    if scope == "conversation":
        return [*customers, draft]
    turn: list[MessageAnalysis] = []
    for ma in reversed(msgs[:-1]):
        if not ma.message.is_customer:
            if turn:
                break
            continue
        turn.insert(0, ma)
    asked = [ma for ma in customers if ma.has("supervisor_request") and ma not in turn]
    return [*asked[-1:], *(_settled(ma) for ma in turn), draft]


def _settled(ma: MessageAnalysis) -> MessageAnalysis:
    """A pleased customer's message without `time_pressure`: a deadline named while thanking
    us ("you've saved the whole weekend") is not an escalation to answer with five steps."""
    pleased = ma.has("gratitude") or ma.has("satisfaction")
    if not pleased or not ma.has("time_pressure") or any(ma.has(n) for n in NEGATIVE_EMOTIONS):
        return ma
    kept = tuple(lab for lab in ma.labels if lab.name != "time_pressure")
    return MessageAnalysis(ma.message, kept, ma.risk)


def check(
    pipeline: Pipeline,
    conversation: Conversation,
    text: str,
    *,
    scope: str = "conversation",
    analysis: Analysis | None = None,
) -> CheckResult:
    """Analyse `text` as the next reply in `conversation` and list what is wrong with it.

    Give the conversation's `analysis` when you have it: only the draft is then labelled (with
    the same detectors, context and state a full re-analysis would give it), which is what
    keeps a suggestion inside its latency budget.
    """
    if analysis is None:
        analysis = pipeline.analyze(conversation)
    extended = with_draft(conversation, text)
    state = State()
    for ma in analysis.messages:
        state = state.after(ma)
    labels = label_message(
        extended.messages[-1],
        pipeline.detectors,
        conversation=extended,
        index=len(analysis.messages),
        prior=analysis.messages,
        state=state,
    )
    msgs = (*analysis.messages, MessageAnalysis(extended.messages[-1], labels))
    return judge(pipeline, msgs, scope=scope)


def judge(pipeline: Pipeline, msgs: Sequence[MessageAnalysis], *, scope: str) -> CheckResult:
    """The verdict on the last of `msgs` (the draft), the rest being its conversation."""
    draft = msgs[-1]
    problems = [
        Problem("antipattern", lab.name, "", AGENT_ANTIPATTERNS[lab.name])
        for lab in draft.present()
        if lab.name in AGENT_ANTIPATTERNS
    ]
    judged = _judged(msgs, scope)
    card = score_conversation(judged, _states(judged), pipeline.rubric)
    met = []
    for r in card.results:
        if r.verdict == "fail":
            problems.append(Problem("criterion", r.id, r.rule, r.note or r.description))
        elif r.verdict == "pass":
            met.append(r.id)
    return CheckResult(draft, tuple(problems), tuple(met))


def _states(msgs: Sequence[MessageAnalysis]) -> list[State]:
    out, state = [], State()
    for ma in msgs:
        out.append(state)
        state = state.after(ma)
    return out
