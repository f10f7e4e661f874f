from datetime import UTC, datetime, timedelta, timezone

import pytest

from .helpers import Read, error_texts, messages


def mail(
    mid: str | None,
    sender: str,
    body: str,
    *,
    subject: str = "Order late",
    date: str | None = "Tue, 05 Mar 2024 09:00:00 +0000",
    reply_to: str | None = None,
    references: str | None = None,
    to: str = "care@shop.example",
) -> str:
    headers = [f"From: {sender}", f"To: {to}", f"Subject: {subject}"]
    headers += [f"Date: {date}"] if date else []
    headers += [f"Message-ID: <{mid}>"] if mid else []
    headers += [f"In-Reply-To: <{reply_to}>"] if reply_to else []
    headers += [f"References: {references}"] if references else []
    return "\n".join(headers) + "\n\n" + body.strip() + "\n"


def mbox(*mails: str) -> str:
    return "\n".join(f"From sender@example Tue Mar  5 09:00:00 2024\n{m}" for m in mails)


DANA = "Dana Whitfield <dana@example.net>"
SAM = "Sam Ortiz <care@shop.example>"


def test_email_thread_links_replies_by_headers_in_date_order(read: Read) -> None:
    text = mbox(
        mail(
            "3@x",
            DANA,
            "Thank you.",
            date="Tue, 05 Mar 2024 12:00:00 +0000",
            reply_to="2@x",
            references="<1@x> <2@x>",
            subject="Re: Order late",
        ),
        mail("1@x", DANA, "Where is my order?"),
        mail(
            "2@x",
            SAM,
            "Sorry, it ships today.",
            date="Tue, 05 Mar 2024 10:00:00 +0000",
            reply_to="1@x",
            subject="Re: Order late",
        ),
    )
    result = read("inbox.mbox", text)
    assert result.errors == ()
    (conversation,) = result.conversations
    assert conversation.id == "1@x"
    assert conversation.channel == "email"
    assert conversation.customer_id == "dana@example.net"
    assert messages(result) == [
        ("dana@example.net", "customer", "Where is my order?"),
        ("care@shop.example", "agent", "Sorry, it ships today."),
        ("dana@example.net", "customer", "Thank you."),
    ]
    assert conversation.participant("dana@example.net").name == "Dana Whitfield"  # type: ignore[union-attr]


def test_email_thread_reply_to_a_missing_message_still_joins_through_references(
    read: Read,
) -> None:
    text = mbox(
        mail("1@x", DANA, "Where is my order?"),
        mail(
            "3@x",
            DANA,
            "Hello??",
            reply_to="2@missing",
            references="<1@x> <2@missing>",
            subject="Re: Order late",
        ),
    )
    assert len(read("inbox.mbox", text).conversations) == 1


def test_email_thread_separate_customers_are_separate_threads(read: Read) -> None:
    text = mbox(mail("1@x", DANA, "Order late"), mail("9@y", "lee@example.org", "Order late too"))
    assert len(read("inbox.mbox", text).conversations) == 2


@pytest.mark.parametrize("prefix", ["Re: ", "RE: ", "Fwd: ", "AW: ", "Re: Re: "])
def test_email_thread_subject_fallback_joins_headerless_reply(read: Read, prefix: str) -> None:
    text = mbox(
        mail("1@x", DANA, "Where is my order?"),
        mail(
            "2@x",
            DANA,
            "Hello??",
            subject=f"{prefix}Order late",
            date="Tue, 05 Mar 2024 11:00:00 +0000",
        ),
    )
    assert len(read("inbox.mbox", text).conversations) == 1


def test_email_thread_subject_fallback_needs_a_shared_address(read: Read) -> None:
    text = mbox(
        mail("1@x", DANA, "Where is my order?", to="care@shop.example"),
        mail("2@x", "lee@example.org", "Me too", subject="Re: Order late", to="sales@shop.example"),
    )
    assert len(read("inbox.mbox", text).conversations) == 2


def test_email_thread_subject_fallback_never_overrides_headers(read: Read) -> None:
    text = mbox(
        mail("1@x", DANA, "First case"),
        mail("5@x", DANA, "Second case", subject="Other"),
        mail("6@x", SAM, "About the second", subject="Re: Order late", reply_to="5@x"),
    )
    result = read("inbox.mbox", text)
    assert [len(c.messages) for c in result.conversations] == [1, 2]


@pytest.mark.parametrize(
    ("support", "sender", "role"),
    [
        ((), "support@shop.example", "agent"),
        ((), "help@shop.example", "agent"),
        ((), "Care@Shop.Example", "agent"),
        ((), "noreply@shop.example", "agent"),
        ((), "sam.ortiz@shop.example", "customer"),
        (("@shop.example",), "sam.ortiz@shop.example", "agent"),
        (("sam.ortiz@shop.example",), "Sam.Ortiz@shop.example", "agent"),
        (("@shop.example",), "support@other.example", "customer"),
        (("@shop.example",), "dana@example.net", "customer"),
    ],
)
def test_email_thread_support_addresses_decide_the_agent(
    read: Read, support: tuple[str, ...], sender: str, role: str
) -> None:
    result = read("a.eml", mail("1@x", sender, "Hello"), support_addresses=support)
    assert result.conversations[0].messages[0].role == role


def test_email_thread_timestamps_are_aware(read: Read) -> None:
    text = mbox(
        mail("1@x", DANA, "a", date="Tue, 05 Mar 2024 09:00:00 +0100"),
        mail("2@x", SAM, "b", date="Tue, 05 Mar 2024 09:30:00 -0000", reply_to="1@x"),
    )
    first, second = read("inbox.mbox", text).conversations[0].messages
    assert first.timestamp == datetime(2024, 3, 5, 9, tzinfo=timezone(timedelta(hours=1)))
    assert second.timestamp == datetime(2024, 3, 5, 9, 30, tzinfo=UTC)


def test_email_thread_strips_quotes_and_signature_from_each_message(read: Read) -> None:
    body = """
    Still nothing arrived.

    Sent from my iPhone

    On Tue, 5 Mar 2024 at 10:00, Sam Ortiz <care@shop.example> wrote:
    > Sorry, it ships today.
    """
    result = read("a.eml", mail("1@x", DANA, body.replace("\n    ", "\n")))
    assert messages(result) == [("dana@example.net", "customer", "Still nothing arrived.")]


def test_email_thread_prefers_plain_text_and_converts_html_only(read: Read) -> None:
    html_only = (
        "From: care@shop.example\nTo: dana@example.net\nSubject: Re: Order late\n"
        "Message-ID: <h@x>\nContent-Type: text/html; charset=utf-8\n\n"
        "<p>Dear Dana,</p><p>We&rsquo;re sorry.</p><blockquote>old text</blockquote>\n"
    )
    assert messages(read("a.eml", html_only))[0][2] == "Dear Dana,\n\nWe’re sorry."
    alternative = (
        "From: care@shop.example\nSubject: x\nMessage-ID: <a@x>\nMIME-Version: 1.0\n"
        'Content-Type: multipart/alternative; boundary="b"\n\n'
        "--b\nContent-Type: text/plain\n\nPlain words\n"
        "--b\nContent-Type: text/html\n\n<p>HTML words</p>\n--b--\n"
    )
    assert messages(read("b.eml", alternative))[0][2] == "Plain words"


def test_email_thread_bad_date_rejects_thread_and_names_message(read: Read) -> None:
    text = mbox(
        mail("1@x", DANA, "Where is my order?"),
        mail("2@x", SAM, "Sorry", date="yesterday", reply_to="1@x"),
        mail("7@y", "lee@example.org", "Charged twice", subject="Billing"),
    )
    result = read("inbox.mbox", text)
    assert [c.id for c in result.conversations] == ["7@y"]
    assert error_texts(result) == [
        "inbox.mbox: message 2 (line 10): field 'Date': expected an RFC 5322 date like "
        "'Tue, 5 Mar 2024 10:02:00 +0000', got 'yesterday'"
    ]


def test_email_thread_missing_sender_is_an_error(read: Read) -> None:
    result = read("a.eml", "Subject: hi\nMessage-ID: <1@x>\n\nhello\n")
    assert error_texts(result) == ["a.eml: field 'From': missing or without an email address"]


def test_email_thread_duplicate_message_id_is_an_error(read: Read) -> None:
    text = mbox(mail("1@x", DANA, "a"), mail("1@x", DANA, "b"))
    assert error_texts(read("inbox.mbox", text)) == [
        "inbox.mbox: message 2 (line 10): field 'Message-ID': "
        "duplicate Message-ID '1@x' in one thread"
    ]


def test_email_thread_message_without_id_or_date_still_reads(read: Read) -> None:
    result = read("a.eml", mail(None, DANA, "Hello", date=None))
    assert result.errors == ()
    message = result.conversations[0].messages[0]
    assert (message.id, message.timestamp) == ("m1", None)


def test_email_thread_mbox_without_messages_is_an_error(read: Read) -> None:
    assert error_texts(read("a.mbox", "\n\n  \n")) == ["a.mbox: file is empty"]
