from datetime import UTC, datetime, timedelta, timezone

import pytest

from calmdesk.core.ingest.twcs import parse_created_at

from .helpers import Read, error_texts

HEADER = "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"


def tweet(tid: int, author: str, inbound: bool, minute: int, text: str, parent: str = "") -> str:
    stamp = f"Tue Oct 31 22:{minute:02d}:00 +0000 2017"
    return f"{tid},{author},{inbound},{stamp},{text},,{parent}\n"


THREAD = (
    HEADER
    + tweet(1, "115712", True, 10, "@AmazonHelp parcel missing AGAIN")
    + tweet(2, "AmazonHelp", False, 12, "@115712 So sorry! Can you DM us?", "1.0")
    + tweet(3, "115712", True, 15, "@AmazonHelp I already did", "2.0")
)


def test_twcs_rebuilds_thread_with_roles_and_ids(read: Read) -> None:
    result = read("twcs.csv", THREAD)
    assert result.errors == ()
    (conversation,) = result.conversations
    assert conversation.id == "twcs-1"
    assert conversation.channel == "twitter"
    assert conversation.customer_id == "115712"
    assert [(m.id, m.author, m.role) for m in conversation.messages] == [
        ("1", "115712", "customer"),
        ("2", "AmazonHelp", "agent"),
        ("3", "115712", "customer"),
    ]
    assert conversation.messages[0].timestamp == datetime(2017, 10, 31, 22, 10, tzinfo=UTC)


def test_twcs_orders_branches_by_time_and_replies_after_parents(read: Read) -> None:
    text = (
        HEADER
        + tweet(5, "AmazonHelp", False, 20, "second reply", "1")  # listed before its parent
        + tweet(1, "115712", True, 10, "root")
        + tweet(2, "AmazonHelp", False, 12, "first reply", "1")
        + tweet(3, "115712", True, 12, "reply to first reply in the same minute", "2")
    )
    (conversation,) = read("twcs.csv", text).conversations
    assert [m.id for m in conversation.messages] == ["1", "2", "3", "5"]


def test_twcs_orphan_starts_its_own_thread(read: Read) -> None:
    text = (
        THREAD
        + tweet(9, "AmazonHelp", False, 30, "@999 Sorry to hear that", "8")
        + tweet(10, "999", True, 31, "@AmazonHelp thanks", "9")
    )
    result = read("twcs.csv", text)
    assert [c.id for c in result.conversations] == ["twcs-1", "twcs-9"]
    orphan = result.conversations[1]
    assert orphan.customer_id == "999"
    assert orphan.messages[0].metadata == {"in_response_to_tweet_id": "8"}


def test_twcs_channel_option_overrides_twitter(read: Read) -> None:
    assert read("twcs.csv", THREAD, channel="social").conversations[0].channel == "social"


@pytest.mark.parametrize(
    ("row", "error"),
    [
        (
            "4,115712,maybe,Tue Oct 31 22:20:00 +0000 2017,hi,,3\n",
            "twcs.csv: line 5: field 'inbound': expected True or False, got 'maybe'",
        ),
        (
            "4,115712,True,31/10/2017 22:20,hi,,3\n",
            "twcs.csv: line 5: field 'created_at': expected a Twitter date like "
            "'Tue Oct 31 22:10:47 +0000 2017', got '31/10/2017 22:20'",
        ),
        (
            "4,,True,Tue Oct 31 22:20:00 +0000 2017,hi,,3\n",
            "twcs.csv: line 5: field 'author_id': empty",
        ),
        (
            "2,115712,True,Tue Oct 31 22:20:00 +0000 2017,hi,,\n",
            "twcs.csv: line 5: field 'tweet_id': duplicate tweet id '2' (first on line 3)",
        ),
    ],
    ids=["inbound", "created_at", "author", "duplicate"],
)
def test_twcs_bad_tweet_rejects_its_thread_and_keeps_others(
    read: Read, row: str, error: str
) -> None:
    other = tweet(50, "777", True, 40, "@AmazonHelp unrelated complaint")
    result = read("twcs.csv", THREAD + row + other)
    assert [c.id for c in result.conversations] == ["twcs-50"]
    assert error_texts(result) == [error]


def test_twcs_reply_cycle_is_an_error(read: Read) -> None:
    text = HEADER + tweet(1, "a", True, 1, "x", "2") + tweet(2, "b", False, 2, "y", "1")
    result = read("twcs.csv", text)
    assert result.conversations == ()
    assert "reply cycle" in error_texts(result)[0]


def test_twcs_missing_columns_is_a_file_error(read: Read) -> None:
    text = "tweet_id,author_id,inbound,text,in_response_to_tweet_id\n1,a,True,hi,\n"
    assert error_texts(read("twcs.csv", text, format="twcs")) == [
        "twcs.csv: line 1: not a twcs file: no column(s) created_at"
    ]


def test_twcs_long_reply_chain_reads_without_recursion_or_quadratic_work(read: Read) -> None:
    rows = [tweet(1, "u", True, 0, "root")]
    rows += [
        tweet(i, "u" if i % 2 else "Brand", bool(i % 2), 0, "t", str(i - 1))
        for i in range(2, 30_001)
    ]
    result = read("twcs.csv", HEADER + "".join(rows))
    assert result.errors == ()
    assert len(result.conversations[0].messages) == 30_000
    assert result.conversations[0].messages[-1].id == "30000"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Tue Oct 31 22:10:47 +0000 2017", datetime(2017, 10, 31, 22, 10, 47, tzinfo=UTC)),
        (
            "Wed Nov 01 08:12:09 -0500 2017",
            datetime(2017, 11, 1, 8, 12, 9, tzinfo=timezone(timedelta(hours=-5))),
        ),
        ("Wed Nov 1 08:12:09 +0000 2017", datetime(2017, 11, 1, 8, 12, 9, tzinfo=UTC)),
        ("2017-10-31 22:10:47", None),
        ("Tue Foo 31 22:10:47 +0000 2017", None),
        ("Tue Feb 30 22:10:47 +0000 2017", None),
        ("Tue Oct 31 22:10:47 2017", None),
        ("", None),
    ],
)
def test_twcs_parse_created_at(value: str, expected: datetime | None) -> None:
    assert parse_created_at(value) == expected


def test_twcs_tweet_lost_to_an_unbalanced_quote_is_reported_and_later_tweets_read(
    read: Read,
) -> None:
    broken = '4,115712,True,Tue Oct 31 22:20:00 +0000 2017,"@AmazonHelp hello?,,3.0\n'
    later = tweet(50, "777", True, 40, '"@AmazonHelp ""unrelated"" complaint"')
    result = read("twcs.csv", THREAD + broken + later)
    assert [c.id for c in result.conversations] == ["twcs-1", "twcs-50"]
    assert [m.text for m in result.conversations[1].messages] == [
        '@AmazonHelp "unrelated" complaint'
    ]
    assert error_texts(result)[0].startswith("twcs.csv: line 5: unbalanced quote")
