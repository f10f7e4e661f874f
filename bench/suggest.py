"""Template-engine speed on a 30-message conversation: drafts per second and p95 latency.

Three figures, because a draft's cost has three parts: the template alone (wording), the
self-check (one more analysis of the conversation with the draft appended), and the whole
`suggest` call a user waits for (analysis + draft + self-check). Target: p95 < 20 ms for
`suggest` end to end.

    .venv/bin/python bench/suggest.py [--runs 300]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from calmdesk.core.compose.config import load_team
from calmdesk.core.compose.reading import read_situation
from calmdesk.core.compose.selfcheck import check
from calmdesk.core.compose.suggest import scope_for, suggest
from calmdesk.core.compose.template import template_draft
from calmdesk.core.model import Conversation, Message, Participant
from calmdesk.core.pipeline import make_pipeline

CUSTOMER = [
    "My stroller (order #48213-RT) arrived with the frame snapped. I need it by Friday.",
    "This is the second time I've asked. Nobody has told me anything and I'm really upset.",
    "I've kept screenshots of every message. If this isn't sorted I'll leave a review.",
    "Why does it take so long? I've been a customer for six years.",
    "I'm honestly exhausted by this. Can someone just fix it?",
]
AGENT = [
    "I'm so sorry, that must be really stressful. Let me look into it.",
    "Thank you for your patience. I've asked the warehouse for an update.",
    "I understand how frustrating this is. I'll check with the courier today.",
    "I can send a replacement or refund you in full, whichever you prefer.",
    "I'll personally follow up with you by tomorrow morning.",
]


def thirty_messages() -> Conversation:
    msgs = []
    for i in range(30):
        customer = i % 2 == 0
        bank = CUSTOMER if customer else AGENT
        msgs.append(
            Message(
                id=f"m{i}",
                author="dana" if customer else "sam",
                role="customer" if customer else "agent",
                text=bank[(i // 2) % len(bank)],
                channel="chat",
            )
        )
    people = (Participant("dana", "customer", "Dana Reyes"), Participant("sam", "agent", "Sam"))
    meta = {"customer": {"tenure_years": 6, "tier": "gold", "lifetime_value": 3000}}
    return Conversation("bench-30", tuple(msgs), people, channel="chat", metadata=meta)


def measure(fn: Callable[[int], object], runs: int) -> list[float]:
    for i in range(10):  # warm caches the way a running service has them warm
        fn(i)
    out = []
    for i in range(runs):
        t0 = time.perf_counter()
        fn(i)
        out.append((time.perf_counter() - t0) * 1000.0)
    return out


def report(name: str, ms: list[float]) -> None:
    p95 = statistics.quantiles(ms, n=100)[94]
    rate = 1000.0 / statistics.mean(ms)
    print(
        f"{name:<28} {rate:9.0f} drafts/s   p50 {statistics.median(ms):6.2f} ms   "
        f"p95 {p95:6.2f} ms   max {max(ms):6.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    runs = parser.parse_args().runs
    conv = thirty_messages()
    pipeline = make_pipeline()
    team = load_team()
    sit = read_situation(pipeline.analyze(conv), team)
    text = template_draft(sit, team, 0)
    print(f"30-message conversation, {runs} runs, seeds vary per run")
    report("template draft only", measure(lambda s: template_draft(sit, team, s), runs))
    scope = scope_for(sit)
    report("self-check, full re-analysis", measure(lambda s: check(pipeline, conv, text), runs))
    report(
        "self-check, draft only",
        measure(lambda s: check(pipeline, conv, text, scope=scope, analysis=sit.analysis), runs),
    )
    ms = measure(lambda s: suggest(conv, team, pipeline, seed=s), runs)
    report("suggest end to end", ms)
    p95 = statistics.quantiles(ms, n=100)[94]
    print(f"target p95 < 20 ms end to end: {'met' if p95 < 20 else 'NOT met'} ({p95:.2f} ms)")


if __name__ == "__main__":
    main()
