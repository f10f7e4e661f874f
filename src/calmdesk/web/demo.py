"""Demo data: the bundled example conversations as a live queue, plus weeks of generated history.

`calmdesk serve --demo` calls `load`, so every page has something real to show on a fresh
machine. The live queue is the 16 bundled conversations, each cut after a customer message so
there is a reply to write. The history is *generated* from the same conversations by shifting
their times, customers and agents (a seeded random generator, so the same seed and day give the
same data); the pages say so. Everything goes through the same ingest and case code as the API,
so cases, SLA timers, the audit chain and the metrics are the real ones.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from calmdesk.core.ingest import IngestOptions, read_paths
from calmdesk.core.model import Conversation, Message
from calmdesk.core.pipeline import Pipeline
from calmdesk.store import case_changes, conversations, customers, keys
from calmdesk.store.models import ApiKey, ConversationRow, Team
from calmdesk.store.models_case import Case

TEAM = "support"
#: weeks of generated history (the dashboard shows six by default)
WEEKS = 6
#: generated cases younger than this many days are left part-way through the workflow
RECENT_DAYS = 5
#: the live queue is stored as if it came through POST /ingest, so posting a customer message
#: with the same conversation id (e.g. "demo-10-roaming-abuse") continues it in the console
LIVE_SOURCE = "api"
HISTORY_SOURCE = "demo-history"
ACTOR = "demo-loader"
#: who logs in to the demo: an agent and a supervisor of the demo team
DEMO_USERS = (("agent", "sam"), ("supervisor", "grace"))
#: agents of the generated history, with how often each one handles a case badly
AGENTS: dict[str, float] = {
    "kevin": 0.7,
    "elena": 0.15,
    "raj": 0.25,
    "claire": 0.1,
    "brent": 0.8,
    "nadia": 0.35,
    "sam": 0.4,
}
FIRST_NAMES = ("Ada", "Noor", "Luis", "Mina", "Femi", "Ola", "Jonas", "Ana", "Keiko", "Ravi")
LAST_NAMES = ("Okoro", "Silva", "Berg", "Haddad", "Kim", "Novak", "Reyes", "Patel", "Moreau")


@dataclass(frozen=True, slots=True)
class DemoSummary:
    live: int
    history: int
    weeks: int
    seed: int
    #: when the demo data was loaded (its live queue ends then)
    loaded_at: datetime | None = None

    @property
    def note(self) -> str:
        return (
            f"Demo data: the {self.live} bundled example conversations, plus {self.history} "
            f"generated from them over {self.weeks} weeks (times, customers and agents shifted; "
            f"seed {self.seed})."
        )


def example_files() -> list[Path]:
    folder = Path(str(resources.files("calmdesk.examples").joinpath("conversations")))
    return sorted(folder.glob("*.json"))


def bundled() -> tuple[Conversation, ...]:
    result = read_paths(example_files(), IngestOptions())
    if result.errors:  # the bundled files are tested; a broken install should say so plainly
        raise RuntimeError(f"bundled example conversations do not load: {result.errors[0]}")
    return result.conversations


def _shift(conv: Conversation, end: datetime) -> tuple[Message, ...]:
    """The messages moved in time so the last one is at `end`, gaps kept."""
    stamps = [m.timestamp for m in conv.messages if m.timestamp is not None]
    last = max(stamps) if stamps else end
    out = []
    for i, m in enumerate(conv.messages):
        at = m.timestamp or (last - timedelta(minutes=len(conv.messages) - i))
        out.append(replace(m, timestamp=end - (last - at)))
    return tuple(out)


def live_cut(conv: Conversation) -> Conversation:
    """The conversation up to its second customer message (first if there is one only), so the
    agent has a reply to write; a conversation that opens with a bot keeps the bot's turn."""
    seen = 0
    cut = len(conv.messages)
    for i, m in enumerate(conv.messages):
        if m.is_customer:
            seen += 1
            cut = i + 1
            if seen == 2:
                break
    return replace(conv, messages=conv.messages[:cut])


def _relationship(conv: Conversation) -> Mapping[str, Any]:
    meta = conv.metadata.get("customer")
    return meta if isinstance(meta, Mapping) else {}


def _customer_name(conv: Conversation) -> str | None:
    person = next((p for p in conv.participants if p.role == "customer"), None)
    return person.name if person else None


def _store(
    session: Session,
    team: Team,
    pipeline: Pipeline,
    conv: Conversation,
    *,
    source: str,
    customer_key: str,
    name: str | None,
    relationship: Mapping[str, Any],
    now: datetime,
) -> ConversationRow:
    """One conversation through the real ingest path, with the customer's relationship set."""
    result = conversations.ingest(
        session=session,
        team=team,
        source=source,
        conversation=conv,
        identities=[("external", customer_key)],
        customer_name=name,
        pipeline=pipeline,
        actor=ACTOR,
        now=now,
    )
    row = result.conversation
    customer = customers.get(session=session, team=team.name, customer_id=row.customer_id or 0)
    if customer is not None and relationship and customer.customer_since is None:
        years = float(relationship.get("tenure_years", 0) or 0)
        customers.update_fields(
            session=session,
            customer=customer,
            changes={
                "tier": str(relationship.get("tier", "standard")),
                "value": float(relationship.get("lifetime_value", 0) or 0),
                "customer_since": now - timedelta(days=round(365.25 * years) + 30),
            },
            actor=ACTOR,
            now=now,
        )
        goodwill = float(relationship.get("goodwill_given", 0) or 0)
        if goodwill:
            customers.give_goodwill(
                session=session,
                customer=customer,
                amount=goodwill,
                reason="goodwill before this case (demo data)",
                actor=ACTOR,
                now=now,
            )
    return row


def _rename_agents(conv: Conversation, agent: str) -> Conversation:
    """Every agent turn of the conversation credited to one agent of the demo team."""
    msgs = tuple(replace(m, author=agent) if m.role == "agent" else m for m in conv.messages)
    return replace(conv, messages=msgs)


def _work_case(session: Session, case: Case, rng: random.Random, now: datetime) -> None:
    """Move a historical case along the workflow at plausible times; the last few days' cases
    stay open part-way, so the queue shows every state and some SLA breaches."""
    at = case.opened_at
    budget_ack = (case.ack_due - case.opened_at).total_seconds() / 60
    steps = ["acknowledged", "solution_offered", "solution_accepted", "resolved", "closed"]
    if now - case.opened_at < timedelta(days=RECENT_DAYS):
        steps = steps[: rng.randint(0, len(steps) - 1)]
    for i, state in enumerate(steps):
        minutes = budget_ack * rng.uniform(0.2, 1.4) if i == 0 else rng.uniform(20, 600)
        at = at + timedelta(minutes=minutes)
        if at >= now:
            return
        if state == "resolved" and rng.random() < 0.3:
            case_changes.transition(
                session=session, case=case, to="fact_finding", actor=ACTOR, now=at
            )
        case_changes.transition(session=session, case=case, to=state, actor=ACTOR, now=at)
        if state == "acknowledged":  # the first action item is what acknowledging does
            for item in case.actions[:1]:
                case_changes.update_action(
                    session=session,
                    case=case,
                    item=item,
                    changes={"status": "done"},
                    actor=ACTOR,
                    now=at,
                )


def _history(
    session: Session,
    team: Team,
    pipeline: Pipeline,
    examples: Sequence[Conversation],
    now: datetime,
    *,
    weeks: int,
    seed: int,
) -> int:
    rng = random.Random(seed)
    good = [c for c in examples if c.metadata.get("handling") == "good"]
    bad = [c for c in examples if c.metadata.get("handling") != "good"]
    day0 = (now - timedelta(days=7 * weeks)).replace(hour=0, minute=0, second=0, microsecond=0)
    planned: list[tuple[datetime, Conversation, str]] = []
    for day in range(7 * weeks):
        date = day0 + timedelta(days=day)
        for _ in range(rng.randint(2, 5) if date.weekday() < 5 else rng.randint(0, 2)):
            end = date + timedelta(hours=rng.uniform(8, 19))
            if end >= now - timedelta(hours=1):
                continue
            agent = rng.choice(sorted(AGENTS))
            pool = bad if rng.random() < AGENTS[agent] else good
            planned.append((end, rng.choice(pool), agent))
    planned.sort(key=lambda p: p[0])
    for n, (end, example, agent) in enumerate(planned):
        reuse = rng.random() < 0.15  # a returning customer: the relationship card shows it
        key = example.customer_id if reuse and example.customer_id else f"gen-cust-{n:04d}"
        name = (
            _customer_name(example)
            if reuse
            else f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        )
        relationship = dict(_relationship(example))
        if not reuse:
            relationship["tenure_years"] = rng.randint(0, 12)
            relationship["lifetime_value"] = round(rng.uniform(40, 6000), 2)
            relationship["tier"] = rng.choice(("standard", "standard", "silver", "gold", "vip"))
            relationship["goodwill_given"] = 0
        conv = replace(
            _rename_agents(example, agent),
            id=f"gen-{n:04d}-{example.id.removeprefix('demo-')}",
            customer_id=key,
            messages=_shift(_rename_agents(example, agent), end),
        )
        row = _store(
            session,
            team,
            pipeline,
            conv,
            source=HISTORY_SOURCE,
            customer_key=key,
            name=name,
            relationship=relationship,
            now=end,
        )
        case = session.scalar(select(Case).where(Case.conversation_id == row.id))
        if case is not None:
            _work_case(session, case, rng, now)
    return len(planned)


def is_loaded(session: Session, team: str = TEAM) -> bool:
    q = select(func.count(ConversationRow.id)).where(
        ConversationRow.team == team, ConversationRow.source == HISTORY_SOURCE
    )
    return bool(session.scalar(q))


def summary(session: Session, *, weeks: int, seed: int, team: str = TEAM) -> DemoSummary:
    def count(source: str, prefix: str) -> int:
        q = select(func.count(ConversationRow.id)).where(
            ConversationRow.team == team,
            ConversationRow.source == source,
            ConversationRow.external_id.startswith(prefix),
        )
        return session.scalar(q) or 0

    loaded_at = session.scalar(
        select(func.max(ConversationRow.created_at)).where(
            ConversationRow.team == team, ConversationRow.source == LIVE_SOURCE
        )
    )
    return DemoSummary(
        count(LIVE_SOURCE, "demo-"), count(HISTORY_SOURCE, "gen-"), weeks, seed, loaded_at
    )


def load(
    session: Session, pipeline: Pipeline, now: datetime, *, weeks: int = WEEKS, seed: int = 7
) -> DemoSummary:
    """Load the demo team's data once (a second call finds it and changes nothing); commits."""
    if is_loaded(session):
        return summary(session, weeks=weeks, seed=seed)
    team = keys.ensure_team(session=session, name=TEAM)
    examples = bundled()
    _history(session, team, pipeline, examples, now, weeks=weeks, seed=seed)
    for i, example in enumerate(examples):
        end = now - timedelta(minutes=4 * (len(examples) - i))
        conv = replace(live_cut(example), messages=_shift(live_cut(example), end))
        _store(
            session,
            team,
            pipeline,
            conv,
            source=LIVE_SOURCE,
            customer_key=example.customer_id or example.id,
            name=_customer_name(example),
            relationship=_relationship(example),
            now=end,
        )
    session.commit()
    return summary(session, weeks=weeks, seed=seed)


def demo_keys(session: Session, now: datetime) -> list[tuple[str, str, str]]:
    """Fresh keys for the demo users, (role, name, token); earlier demo keys are revoked, so
    only the keys printed by this start work."""
    keys.ensure_team(session=session, name=TEAM)
    names = {name for _, name in DEMO_USERS}
    for old in session.scalars(select(ApiKey).where(ApiKey.team == TEAM, ApiKey.name.in_(names))):
        if old.revoked_at is None:
            old.revoked_at = now
    made = []
    for role, name in DEMO_USERS:
        new = keys.create_key(session=session, team=TEAM, role=role, name=name, now=now)
        made.append((role, name, new.token))
    session.commit()
    return made
