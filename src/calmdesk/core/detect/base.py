"""The detector contract: a named function from (message, context) to labels.

Detectors are plain functions wrapped in a `Detector` record that says which roles they read and
which labels they may assign, so the pipeline can skip them cheaply and a team can swap one
implementation of a label for another by name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from calmdesk.core.model import Conversation, Label, Message

#: A label counts as present from this confidence on, unless a caller says otherwise.
PRESENT = 0.5

#: `Context.learned` of a pipeline that runs the rules only.
NO_SCORES: Mapping[str, float] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class MessageAnalysis:
    """One message with its labels and the escalation risk after it."""

    message: Message
    labels: tuple[Label, ...]
    risk: float = 0.0
    #: the first label of each name, built on first lookup (the walk, scorecard and forecaster
    #: ask for labels by name dozens of times per message)
    _by_name: dict[str, Label] | None = field(default=None, repr=False, compare=False, kw_only=True)

    def get(self, name: str) -> Label | None:
        by_name = self._by_name
        if by_name is None:
            by_name = {}
            for lab in self.labels:
                by_name.setdefault(lab.name, lab)
            object.__setattr__(self, "_by_name", by_name)
        return by_name.get(name)

    def has(self, name: str, threshold: float = PRESENT) -> bool:
        lab = self.get(name)
        return lab is not None and lab.confidence >= threshold

    def value(self, name: str, default: float = 0.0) -> float:
        lab = self.get(name)
        return default if lab is None or lab.value is None else lab.value

    def present(self, threshold: float = PRESENT) -> tuple[Label, ...]:
        return tuple(lab for lab in self.labels if lab.confidence >= threshold)

    def with_risk(self, risk: float) -> MessageAnalysis:
        """The same analysis with the escalation risk after it."""
        return MessageAnalysis(self.message, self.labels, risk, _by_name=self._by_name)


@dataclass(frozen=True, slots=True)
class Context:
    """What a detector may know about the conversation before the message it reads.

    The flags are kept by the pipeline as it walks the conversation, so detectors that depend on
    the order of events (premature fact-finding, tone matching, paraphrase) need not rescan it.
    """

    conversation: Conversation
    index: int
    prior: Sequence[MessageAnalysis] = ()
    #: the customer has shown negative emotion or an escalation signal so far
    escalated: bool = False
    #: a company message has offered a solution (alternatives or a concrete next step)
    solution_offered: bool = False
    #: the customer accepted an offered solution
    solution_accepted: bool = False
    #: the customer asked for a supervisor
    supervisor_requested: bool = False
    #: labels already given to this message by detectors that ran before, in registry order
    current: Sequence[Label] = ()
    #: the learned heads' scores for this message (embedding logits by label, the sentiment
    #: head's class logits), computed for the whole conversation before the walk; empty when
    #: the pipeline runs the rules only (core/learned/combine.py `LearnedScorer.score`)
    learned: Mapping[str, float] = field(default_factory=lambda: NO_SCORES)

    def last(self, *, customer: bool) -> MessageAnalysis | None:
        """The latest earlier message from the customer (or from the company)."""
        for ma in reversed(self.prior):
            if ma.message.is_customer == customer:
                return ma
        return None

    def seen(self, name: str, *, customer: bool, threshold: float = PRESENT) -> bool:
        """Whether any earlier customer (or company) message carries the label."""
        return any(
            ma.message.is_customer == customer and ma.has(name, threshold) for ma in self.prior
        )

    def current_has(self, name: str, threshold: float = PRESENT) -> bool:
        return any(lab.name == name and lab.confidence >= threshold for lab in self.current)


def empty_context(message: Message) -> Context:
    """A context for a message read on its own (a draft, a single tweet)."""
    return Context(conversation=Conversation(id="", messages=(message,)), index=0)


DetectFn = Callable[[Message, Context], list[Label]]


@dataclass(frozen=True, slots=True)
class Detector:
    name: str
    #: "customer" for customer messages, "company" for agent, bot and supervisor messages
    side: str
    #: the label names this detector may assign
    assigns: tuple[str, ...]
    fn: DetectFn
    #: a merge step: its labels replace the labels of the same names given so far to the
    #: message (the learned heads combining with a rule detector's answer)
    replaces: bool = False

    def applies(self, message: Message) -> bool:
        return message.is_customer if self.side == "customer" else message.is_company

    def __call__(self, message: Message, context: Context) -> list[Label]:
        return self.fn(message, context)
