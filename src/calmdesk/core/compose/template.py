"""The offline template engine: a five-step reply (P3) assembled from phrase banks and slots.

Deterministic for a seed (one `random.Random` picks every phrasing and the option order), and
grounded: slots are filled only from the `Situation` (the conversation and customer record),
the knowledge base and the remedy catalogue, so it cannot invent an order number, amount or date.
Fact-finding questions are never asked here: the draft resolves first (P1).
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from calmdesk.core.compose import phrases as P
from calmdesk.core.compose.config import TeamConfig
from calmdesk.core.compose.reading import Situation
from calmdesk.core.compose.remedies import choose_offers

#: Channels where the reply must be short (a public post).
SHORT_CHANNELS = frozenset({"twitter", "x", "social", "sms", "instagram", "facebook"})


def _years(tenure: float) -> str:
    return str(int(tenure)) if tenure == int(tenure) else f"{tenure:g}"


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def _slots(sit: Situation, team: TeamConfig, rng: random.Random) -> dict[str, str]:
    restated = rng.choice(sit.issue.restate).replace("{item}", sit.item)
    deadline = ""
    if sit.deadline:
        deadline = rng.choice(P.DEADLINE).format(deadline=sit.deadline)
    kb = sit.knowledge
    return {
        "feeling": sit.feeling,
        "situation": sit.situation_word,
        "emotion": sit.emotion_noun,
        "restated": restated,
        "deadline": deadline,
        "years": _years(sit.customer.tenure_years),
        "explanation": kb.explanation if kb else "",
        "prevention": kb.prevention if kb and kb.prevention else "",
        "supervisor_eta": team.supervisor_eta,
    }


def _lower_first(text: str) -> str:
    """'Refunds take 10 days.' -> 'refunds take 10 days' (names and 'I' keep their capital)."""
    text = text.rstrip(".!? ")
    first = text.split(" ", 1)[0]
    if first in {"I", "I'm", "I'll", "I've"} or first[1:2].isupper() or not first[1:].islower():
        return text
    return text[:1].lower() + text[1:]


def _context(rng: random.Random, slots: dict[str, str], carry: Sequence[str]) -> list[str]:
    """The company's perspective: the knowledge base entry, else the agent's own facts."""
    lines = [_sentence_case(c) for c in carry]
    if slots["explanation"]:
        return [_pick(rng, P.EXPLANATION, slots), *lines]
    if lines:
        framed = rng.choice(P.EXPLANATION).format(explanation=_lower_first(lines[0]))
        return [framed, *lines[1:]]
    return []


def _pick(rng: random.Random, bank: Sequence[str], slots: dict[str, str]) -> str:
    return rng.choice(bank).format(**slots)


def _acknowledge(sit: Situation, rng: random.Random, slots: dict[str, str]) -> list[str]:
    out = [_pick(rng, P.EMPATHY, slots), _pick(rng, P.UNDERSTANDING, slots)]
    out.append(_pick(rng, P.VALIDATION, slots))
    if sit.customer.tenure_years >= 2:
        out.append(_pick(rng, P.HISTORY, slots))
    return out


def _options(
    sit: Situation, team: TeamConfig, rng: random.Random, *, short: bool
) -> tuple[list[str], str]:
    """The alternatives as text lines, and the goodwill sentence ('' when none is earned)."""
    options, gesture = choose_offers(
        team, sit.issue.id, sit.customer, rng, text=sit.customer_text, most=2 if short else 3
    )
    extra = ""
    if gesture is not None and not short:
        extra = rng.choice(P.GESTURE).format(gesture=gesture.offer, why=gesture.why)
    if short:
        joined = ", or ".join(f"{o.offer} {o.remedy.eta}" for o in options)
        return [f"I can {joined}, whichever you prefer."], extra
    lines = [rng.choice(P.OPTIONS_INTRO)]
    for n, o in enumerate(options, 1):
        lines.append(P.OPTION.format(n=n, offer=o.offer, eta=o.remedy.eta, why=o.why))
    return lines, extra


def _frame(sit: Situation, team: TeamConfig, body: list[str], rng: random.Random) -> str:
    """Greeting and sign-off by channel: an email is a letter, a tweet is one paragraph."""
    if sit.channel in SHORT_CHANNELS:
        return " ".join(line for line in body if line)
    name = sit.customer.name
    paragraphs = [p for p in body if p]
    if name:
        bank = P.GREETING["email" if sit.channel == "email" else "chat"]
        paragraphs.insert(0, rng.choice(bank).format(name=name))
    if sit.channel == "email":
        paragraphs.append(team.sign_off + ("\n" + sit.agent_name if sit.agent_name else ""))
    return "\n\n".join(paragraphs)


def resolve_draft(sit: Situation, team: TeamConfig, seed: int, carry: Sequence[str] = ()) -> str:
    """Empathy -> explanation -> alternatives -> expectations -> apology and thanks.

    `carry` holds sentences of the agent's own (from a rewrite) that keep its facts; they go
    right after the explanation, where context belongs.
    """
    rng = random.Random(seed)
    if sit.channel in SHORT_CHANNELS:
        return _short_draft(sit, team, rng, carry)
    slots = _slots(sit, team, rng)
    paragraphs = [" ".join(_acknowledge(sit, rng, slots))]
    if sit.supervisor_pending:
        paragraphs.append(_pick(rng, P.SUPERVISOR, slots))
    paragraphs.append(" ".join(_context(rng, slots, carry)))
    lines, gesture = _options(sit, team, rng, short=False)
    paragraphs.append("\n".join(lines))
    expect = [_pick(rng, P.NEXT_STEPS, slots), gesture, _pick(rng, P.OWNERSHIP, slots)]
    if slots["prevention"]:
        expect.append(_pick(rng, P.PREVENTION, slots))
    paragraphs.append(" ".join(s for s in expect if s))
    paragraphs.append(_pick(rng, P.CLOSING, slots))
    return _frame(sit, team, paragraphs, rng)


def _short_draft(sit: Situation, team: TeamConfig, rng: random.Random, carry: Sequence[str]) -> str:
    """The five steps in one short sentence each, for a public post."""
    slots = _slots(sit, team, rng)
    short = P.SHORT
    parts = [_pick(rng, short[step], slots) for step in ("empathy", "understanding", "validation")]
    if sit.supervisor_pending:
        parts.append(_pick(rng, P.SUPERVISOR, slots))
    if slots["explanation"]:
        parts.append(_pick(rng, short["explanation"], slots))
    parts += [_sentence_case(c) for c in carry]
    if not slots["explanation"] and carry:
        parts = [*parts[: -len(carry)], *_context(rng, slots, carry)]
    lines, _ = _options(sit, team, rng, short=True)
    parts += lines
    parts += [_pick(rng, short["ownership"], slots), _pick(rng, short["closing"], slots)]
    return _frame(sit, team, parts, rng)


def close_draft(sit: Situation, team: TeamConfig, seed: int) -> str:
    """The customer is content: thank them, confirm follow-up and prevention, apologise once."""
    rng = random.Random(seed)
    slots = _slots(sit, team, rng)
    latest = sit.latest
    first = [_pick(rng, P.THANKS_BACK, slots)]
    if latest is not None and latest.has("apology"):
        first.append(_pick(rng, P.NO_APOLOGY_NEEDED, slots))
    paragraphs = [" ".join(first)]
    if sit.supervisor_pending:
        paragraphs.append(_pick(rng, P.SUPERVISOR, slots))
    if latest is not None and "?" in latest.message.text and slots["explanation"]:
        paragraphs.append(_pick(rng, P.ANSWER, slots))
    follow = [_pick(rng, P.FOLLOW_UP, slots)]
    if slots["prevention"]:
        follow.append(_pick(rng, P.PREVENTION, slots))
    paragraphs.append(" ".join(follow))
    paragraphs.append(_pick(rng, P.CLOSE_APOLOGY, slots))
    return _frame(sit, team, paragraphs, rng)


def template_draft(sit: Situation, team: TeamConfig, seed: int) -> str:
    if sit.mode == "close":
        return close_draft(sit, team, seed)
    return resolve_draft(sit, team, seed)


def carry_draft(sit: Situation, seed: int, carry: Sequence[str]) -> str:
    """A rewrite with no conversation to answer: acknowledge, keep the agent's facts as context,
    own the next step, apologise and thank. No options: none can be chosen without a case."""
    rng = random.Random(seed)
    slots = {"feeling": sit.feeling, "situation": sit.situation_word, "explanation": ""}
    first = [_pick(rng, P.EMPATHY, slots), _pick(rng, P.VALIDATION, slots)]
    body = [" ".join(first), " ".join(_context(rng, slots, carry))]
    body += [_pick(rng, P.OWNERSHIP, slots), _pick(rng, P.CLOSING, slots)]
    return "\n\n".join(b for b in body if b)
