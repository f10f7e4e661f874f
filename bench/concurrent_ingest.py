"""Benchmark: concurrent ingest on SQLite and PostgreSQL (issue 13, faults 8 and 9).

Two loads against the app in this process (several threads, each with its own client):
- "opposite order": rounds of two simultaneous requests carrying the same conversations, one in
  the reverse order of the other (the deadlock of fault 8);
- "shuffled": messages of a few conversations, one per request, shuffled, from several clients
  (the order-number, label and audit mix-up of fault 9).
For each it prints the answers by status, how many write attempts lost a race and were retried,
and what the store holds afterwards: conversations whose order numbers repeat or skip, messages
audited never or more than once, conversations with more than one case, whether the audit chain
verifies. PostgreSQL runs in a throw-away database on the server given.

Usage: python bench/concurrent_ingest.py [--messages 1000] [--conversations 20] [--clients 6]
       [--rounds 20] [--backend sqlite --backend postgres] [--pg postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import logging
import random
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from scratch import database, secrets_folder
from sqlalchemy import func, select

from calmdesk.service.settings import Settings
from calmdesk.store import audit_verify, keys
from calmdesk.store.models import ConversationRow, MessageRow
from calmdesk.store.models_case import AuditEntry, Case
from calmdesk.web.app import create_app

TEXTS = (
    "I want to speak to a manager right now.",
    "Thanks, my order number is 12345.",
    "Where is my parcel?",
)


class RetryCounter(logging.Handler):
    """Counts the retry module's 'lost a race' and 'gave up' records."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.counts: Counter[str] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        self.counts["gave up" if record.levelno >= logging.WARNING else "retried"] += 1


def _doc(conv: str, message: str, n: int) -> dict[str, Any]:
    author = f"cust-{conv}"
    return {
        "id": conv,
        "customer_id": author,
        "messages": [
            {"id": message, "author": author, "role": "customer", "text": TEXTS[n % len(TEXTS)]}
        ],
    }


def _send(app: FastAPI, headers: dict[str, str], bodies: list[Any], clients: int) -> Counter[int]:
    local = threading.local()

    def post(body: Any) -> int:
        if not hasattr(local, "client"):
            local.client = TestClient(app, raise_server_exceptions=False)
        return int(local.client.post("/ingest", json=body, headers=headers).status_code)

    with ThreadPoolExecutor(clients) as pool:
        return Counter(pool.map(post, bodies))


def opposite_order(app: FastAPI, headers: dict[str, str], rounds: int) -> Counter[int]:
    convs = [f"pair-{i}" for i in range(6)]
    statuses: Counter[int] = Counter()
    for r in range(rounds):
        body = [_doc(c, f"m{r}", r) for c in convs]
        statuses += _send(app, headers, [body, body[::-1]], clients=2)
    return statuses


def shuffled(
    app: FastAPI, headers: dict[str, str], messages: int, conversations: int, clients: int
) -> Counter[int]:
    bodies = [_doc(f"conv-{i % conversations}", f"m{i}", i) for i in range(messages)]
    random.Random(13).shuffle(bodies)
    return _send(app, headers, bodies, clients)


def store_faults(app: FastAPI) -> dict[str, Any]:
    with app.state.sessions() as s:
        bad_order = 0
        for conv_id in s.scalars(select(ConversationRow.id)):
            seqs = sorted(
                s.scalars(select(MessageRow.seq).where(MessageRow.conversation_id == conv_id))
            )
            bad_order += seqs != list(range(1, len(seqs) + 1))
        created = Counter(
            s.scalars(
                select(AuditEntry.entity_id).where(
                    AuditEntry.entity == "message", AuditEntry.action == "created"
                )
            )
        )
        ids = [str(i) for i in s.scalars(select(MessageRow.id))]
        cases = Counter(s.scalars(select(Case.conversation_id)))
        return {
            "conversations": s.scalar(select(func.count(ConversationRow.id))),
            "messages": len(ids),
            "conversations with repeated or missing seq": bad_order,
            "messages never audited": sum(1 for i in ids if created[i] == 0),
            "messages audited twice or more": sum(1 for i in ids if created[i] > 1),
            "conversations with more than one case": sum(1 for n in cases.values() if n > 1),
            "audit chain and rows verify": all(r.ok for r in audit_verify.check_desk(s)),
        }


def run(backend: str, args: argparse.Namespace, counter: RetryCounter) -> None:
    with database(backend, args.pg) as url:
        if url is None:
            return
        app = create_app(Settings(database_url=url))
        with app.state.sessions() as s:
            made = keys.create_key(
                session=s, team="support", role="agent", name="bench", now=app.state.clock()
            )
            s.commit()
        headers = {"X-API-Key": made.token}
        for name, load in (
            ("opposite order", lambda: opposite_order(app, headers, args.rounds)),
            (
                "shuffled",
                lambda: shuffled(app, headers, args.messages, args.conversations, args.clients),
            ),
        ):
            counter.counts.clear()
            start = time.perf_counter()
            statuses = load()
            took = time.perf_counter() - start
            answered = sum(statuses.values())
            print(
                f"{backend:8} {name:15} {answered} requests in {took:.1f} s "
                f"({answered / took:.0f}/s); status {dict(sorted(statuses.items()))}; "
                f"attempts retried {counter.counts['retried']}, gave up {counter.counts['gave up']}"
            )
        for key, value in store_faults(app).items():
            print(f"{backend:8}   {key}: {value}")
        app.state.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--conversations", type=int, default=20)
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--backend", action="append", choices=["sqlite", "postgres"])
    parser.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432")
    args = parser.parse_args()
    counter = RetryCounter()
    logger = logging.getLogger("calmdesk.store.retry")
    logger.addHandler(counter)
    logger.setLevel(logging.INFO)
    logging.getLogger("calmdesk.store.retry").propagate = False
    with secrets_folder():
        for backend in args.backend or ["sqlite", "postgres"]:
            run(backend, args, counter)


if __name__ == "__main__":
    main()
