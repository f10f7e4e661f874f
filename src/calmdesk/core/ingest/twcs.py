"""Customer Support on Twitter (twcs) CSV: one row a tweet, rebuilt into reply threads.

A thread is every tweet reachable through in_response_to_tweet_id links from a root (a tweet
whose parent is not in the file, so orphans start their own thread). Linear in the rows: the
full corpus has millions of tweets.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from calmdesk.core.ingest.assemble import frozen, participants_for
from calmdesk.core.ingest.errors import IngestError, ReadResult, sorted_by_line
from calmdesk.core.ingest.options import IngestOptions
from calmdesk.core.ingest.source import decode_text, quoted
from calmdesk.core.ingest.table import Table
from calmdesk.core.model import Conversation, Message

COLUMNS: tuple[str, ...] = (
    "tweet_id",
    "author_id",
    "inbound",
    "created_at",
    "text",
    "response_tweet_id",
    "in_response_to_tweet_id",
)
#: The columns that tell a twcs file from any other CSV.
SIGNATURE: frozenset[str] = frozenset({"tweet_id", "inbound", "in_response_to_tweet_id"})
_MONTHS = {
    name: f"{number:02d}"
    for number, name in enumerate(
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], 1
    )
}
_NO_METADATA = frozen({})
CREATED_AT_EXPECTED = "expected a Twitter date like 'Tue Oct 31 22:10:47 +0000 2017'"


@dataclass(frozen=True, slots=True)
class _Tweet:
    line: int
    id: str
    author: str
    inbound: bool
    created_at: datetime
    text: str
    parent: str | None


def read_twcs(path: Path, data: bytes, options: IngestOptions) -> ReadResult:
    text = decode_text(path, data)
    if isinstance(text, IngestError):
        return ReadResult(errors=(text,))
    source = str(path)
    table = Table(text, delimiter=",")
    missing = [name for name in COLUMNS if name not in table.header and name != "response_tweet_id"]
    if missing:
        message = f"not a twcs file: no column(s) {', '.join(missing)}"
        return ReadResult(
            errors=sorted_by_line(
                [*table.problems(source), IngestError(source, "line 1", None, message)]
            )
        )
    index = {name: table.header.index(name) for name in COLUMNS if name in table.header}
    tweets: dict[str, _Tweet] = {}
    bad: dict[str, IngestError] = {}  # tweet id -> why its thread is rejected
    loose: list[IngestError] = []
    for line, row in table.rows():
        parsed = _tweet(line, row, index, len(table.header), source)
        if isinstance(parsed, _Tweet):
            if parsed.id in tweets:
                message = (
                    f"duplicate tweet id {parsed.id!r} (first on line {tweets[parsed.id].line})"
                )
                bad.setdefault(parsed.id, IngestError(source, f"line {line}", "tweet_id", message))
            else:
                tweets[parsed.id] = parsed
        else:
            tweet_id, parent, error = parsed
            if tweet_id is None:
                loose.append(error)
                continue
            bad.setdefault(tweet_id, error)
            # Keep the rejected tweet in the graph so its whole thread is found and rejected.
            tweets.setdefault(tweet_id, _placeholder(line, tweet_id, parent))
    for (line, _, cells), error in zip(table.errors, table.problems(source), strict=True):
        # A tweet lost to bad quoting rejects its thread, as any other bad tweet does.
        padded = cells + [""] * (len(table.header) - len(cells))
        tweet_id = _tweet_id(padded[index["tweet_id"]]) or None
        if tweet_id is None:
            loose.append(error)
            continue
        bad.setdefault(tweet_id, error)
        parent = _tweet_id(padded[index["in_response_to_tweet_id"]]) or None
        tweets.setdefault(tweet_id, _placeholder(line, tweet_id, parent))
    threads, cycles = _threads(tweets)
    for tweet_id in cycles:
        message = "reply cycle: this tweet is (indirectly) a reply to itself"
        bad.setdefault(
            tweet_id,
            IngestError(
                source, f"line {tweets[tweet_id].line}", "in_response_to_tweet_id", message
            ),
        )
    conversations: list[Conversation] = []
    errors = list(loose)
    for root, members in threads.items():
        problems = [bad[t.id] for t in members if t.id in bad]
        if problems:
            errors.extend(problems)
        else:
            conversations.append(_conversation(root, members, options))
    if not conversations and not errors:
        errors.append(IngestError(source, None, None, "no tweets after the header"))
    return ReadResult(tuple(conversations), sorted_by_line(errors))


def _placeholder(line: int, tweet_id: str, parent: str | None) -> _Tweet:
    return _Tweet(line, tweet_id, "", False, datetime.min.replace(tzinfo=UTC), "", parent)


def _tweet_id(value: str) -> str:
    """twcs ids as written by pandas may carry '.0' ("119237.0"); the id is the integer."""
    value = value.strip()
    return value[:-2] if value.endswith(".0") else value


def _tweet(
    line: int, row: list[str], index: dict[str, int], width: int, source: str
) -> _Tweet | tuple[str | None, str | None, IngestError]:
    cells = row if len(row) >= width else row + [""] * (width - len(row))
    tweet_id = _tweet_id(cells[index["tweet_id"]]) or None
    parent = _tweet_id(cells[index["in_response_to_tweet_id"]]) or None
    where = f"line {line}"
    if tweet_id is None:
        return None, None, IngestError(source, where, "tweet_id", "empty; every tweet needs an id")
    if len(row) != width:
        message = f"expected {width} columns, got {len(row)} (check the quoting)"
        return tweet_id, parent, IngestError(source, where, None, message)
    inbound = cells[index["inbound"]].strip().lower()
    if inbound not in ("true", "false"):
        message = f"expected True or False, got {quoted(cells[index['inbound']])}"
        return tweet_id, parent, IngestError(source, where, "inbound", message)
    created = parse_created_at(cells[index["created_at"]])
    if created is None:
        message = f"{CREATED_AT_EXPECTED}, got {quoted(cells[index['created_at']])}"
        return tweet_id, parent, IngestError(source, where, "created_at", message)
    author = cells[index["author_id"]].strip()
    if not author:
        return tweet_id, parent, IngestError(source, where, "author_id", "empty")
    return _Tweet(line, tweet_id, author, inbound == "true", created, cells[index["text"]], parent)


def parse_created_at(value: str) -> datetime | None:
    """'Tue Oct 31 22:10:47 +0000 2017' as an aware datetime.

    Rebuilt as ISO text for datetime.fromisoformat: locale-free (strptime's %a/%b are not) and
    fast enough for millions of rows.
    """
    parts = value.split()
    if len(parts) != 6 or parts[1] not in _MONTHS or not parts[2].isdigit():
        return None
    month = _MONTHS[parts[1]]
    try:
        parsed = datetime.fromisoformat(f"{parts[5]}-{month}-{parts[2]:0>2}T{parts[3]}{parts[4]}")
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def _threads(tweets: dict[str, _Tweet]) -> tuple[dict[str, list[_Tweet]], list[str]]:
    """Root id -> its thread's tweets, plus the ids caught in reply cycles. Linear time."""
    root_of: dict[str, str] = {}
    cycles: list[str] = []
    for tweet_id in tweets:
        path: list[str] = []
        on_path: set[str] = set()
        current: str | None = tweet_id
        while current is not None and current not in root_of:
            if current in on_path:
                cycles.append(current)
                break
            path.append(current)
            on_path.add(current)
            parent = tweets[current].parent
            current = parent if parent in tweets else None
        root = root_of[current] if current is not None and current in root_of else path[-1]
        for seen in path:
            root_of[seen] = root
    threads: dict[str, list[_Tweet]] = defaultdict(list)
    for tweet_id, tweet in tweets.items():
        threads[root_of[tweet_id]].append(tweet)
    return threads, cycles


def _depths(members: list[_Tweet]) -> dict[str, int]:
    """How many replies deep each tweet is, so a reply sorts after its parent on equal times."""
    ids = {t.id: t for t in members}
    depth: dict[str, int] = {}
    for tweet in members:
        chain: list[str] = []
        on_chain: set[str] = set()
        current: str | None = tweet.id
        while current is not None and current not in depth and current not in on_chain:
            chain.append(current)
            on_chain.add(current)
            parent = ids[current].parent
            current = parent if parent in ids else None
        base = depth.get(current, -1) if current is not None else -1
        for offset, tweet_id in enumerate(reversed(chain), start=1):
            depth[tweet_id] = base + offset
    return depth


def _conversation(root: str, members: list[_Tweet], options: IngestOptions) -> Conversation:
    depth = _depths(members)
    ordered = sorted(members, key=lambda t: (t.created_at, depth[t.id], t.line))
    channel = options.channel or "twitter"
    messages = tuple(
        Message(
            id=t.id,
            author=t.author,
            role="customer" if t.inbound else "agent",
            text=t.text,
            timestamp=t.created_at,
            channel=channel,
            metadata=frozen({"in_response_to_tweet_id": t.parent}) if t.parent else _NO_METADATA,
        )
        for t in ordered
    )
    root_tweet = next(t for t in members if t.id == root)
    customer = root_tweet.author if root_tweet.inbound else None
    customer = customer or next((m.author for m in messages if m.role == "customer"), None)
    return Conversation(
        id=f"twcs-{root}",
        messages=messages,
        participants=participants_for(messages),
        customer_id=customer,
        channel=channel,
        metadata=frozen({"root_tweet_id": root}),
    )
