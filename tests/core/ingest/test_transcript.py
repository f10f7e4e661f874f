from datetime import UTC, datetime

import pytest

from .helpers import Read, error_texts, messages

CALL = """
Customer: My refund is six weeks late.
Agent: As I said, it takes eight weeks.
Customer: Don't read me the policy.
"""


def test_transcript_reads_speakers_roles_and_order(read: Read) -> None:
    result = read("call.txt", CALL)
    assert result.errors == ()
    (conversation,) = result.conversations
    assert conversation.id == "call"
    assert conversation.channel == "phone"
    assert [m.id for m in conversation.messages] == ["m1", "m2", "m3"]
    assert messages(result) == [
        ("Customer", "customer", "My refund is six weeks late."),
        ("Agent", "agent", "As I said, it takes eight weeks."),
        ("Customer", "customer", "Don't read me the policy."),
    ]


@pytest.mark.parametrize(
    ("speaker", "role"),
    [
        ("Customer", "customer"),
        ("Client", "customer"),
        ("Caller", "customer"),
        ("user", "customer"),
        ("Agent", "agent"),
        ("Rep", "agent"),
        ("Support", "agent"),
        ("Advisor", "agent"),
        ("Agent 2", "agent"),
        ("Customer (Dana)", "customer"),
        ("Supervisor", "supervisor"),
        ("Manager", "supervisor"),
        ("Bot", "bot"),
        ("Assistant", "bot"),
    ],
)
def test_transcript_default_speaker_roles(read: Read, speaker: str, role: str) -> None:
    assert messages(read("a.txt", f"{speaker}: hello\n"))[0][1] == role


def test_transcript_speakers_option_names_people(read: Read) -> None:
    text = "Dana: Where is my order?\nSam: Let me check.\nCustomer: (someone else)\n"
    result = read("a.txt", text, speakers={"Dana": "customer", "sam": "agent"})
    assert [m.role for m in result.conversations[0].messages] == ["customer", "agent", "customer"]
    assert result.conversations[0].customer_id == "Dana"


def test_transcript_speakers_option_overrides_default(read: Read) -> None:
    result = read("a.txt", "Assistant: hi\n", speakers={"Assistant": "agent"})
    assert messages(result)[0][1] == "agent"


def test_transcript_generic_customer_name_is_no_customer_id(read: Read) -> None:
    assert read("a.txt", CALL).conversations[0].customer_id is None


def test_transcript_unknown_speaker_names_line_and_suggests_speakers(read: Read) -> None:
    result = read("call.txt", "Customer: hi\nDana: where is it?\n")
    assert result.conversations == ()
    assert error_texts(result) == [
        "call.txt: line 2: field 'speaker': no role for speaker 'Dana'; name it with --speakers "
        "'Dana=customer' (roles: customer, agent, bot, supervisor)"
    ]


def test_transcript_bad_speakers_option_is_an_error(read: Read) -> None:
    result = read("a.txt", CALL, speakers={"Dana": "boss"})
    assert error_texts(result) == [
        "a.txt: field 'speakers': speaker 'Dana': expected one of customer, agent, bot, "
        "supervisor, got 'boss'"
    ]


def test_transcript_following_lines_continue_a_message(read: Read) -> None:
    text = "Customer: first line\nsecond line\n  indented: still me\n\nAgent: ok\n"
    assert messages(read("a.txt", text))[0][2] == "first line\nsecond line\nindented: still me"


def test_transcript_speaker_alone_on_a_line_takes_following_text(read: Read) -> None:
    assert (
        messages(read("a.txt", "Customer:\nI am furious.\nAgent: sorry\n"))[0][2] == "I am furious."
    )


@pytest.mark.parametrize(
    "line",
    [
        "[10:32] Customer: hi",
        "[10:32:05] Customer: hi",
        "10:32 - Customer: hi",
        "(10:32) Customer: hi",
        "10:32 AM - Customer: hi",
    ],
)
def test_transcript_accepts_leading_clock_times(read: Read, line: str) -> None:
    message = read("a.txt", line + "\n").conversations[0].messages[0]
    assert (message.role, message.text, message.timestamp) == ("customer", "hi", None)
    assert message.metadata["time"].startswith("10:32")


def test_transcript_full_date_time_becomes_the_timestamp(read: Read) -> None:
    message = read("a.txt", "[2024-03-05 10:32] Customer: hi\n").conversations[0].messages[0]
    assert message.timestamp == datetime(2024, 3, 5, 10, 32, tzinfo=UTC)


def test_transcript_headers_and_rules_split_conversations(read: Read) -> None:
    text = "=== Call 1 ===\nCustomer: a\nAgent: b\n\n---\n\nCaller: c\n\n=== Call 3 ===\nRep: d\n"
    result = read("calls.txt", text)
    assert [c.id for c in result.conversations] == ["calls-1", "calls-2", "calls-3"]
    assert [c.metadata.get("title") for c in result.conversations] == ["Call 1", None, "Call 3"]


def test_transcript_bad_conversation_is_rejected_and_others_kept(read: Read) -> None:
    text = "=== one ===\nCustomer: a\n=== two ===\nCustomer: b\nZed: c\n"
    result = read("calls.txt", text)
    assert [c.id for c in result.conversations] == ["calls-1"]
    assert [e.location for e in result.errors] == ["line 5"]


def test_transcript_text_before_first_speaker_is_kept_as_preamble(read: Read) -> None:
    result = read("a.txt", "Call with Dana, 5 March\nCustomer: hi\n")
    assert result.conversations[0].metadata["preamble"] == "Call with Dana, 5 March"


def test_transcript_channel_option_overrides_phone(read: Read) -> None:
    assert read("a.txt", CALL, channel="chat").conversations[0].messages[0].channel == "chat"


def test_transcript_without_speaker_lines_is_an_error(read: Read) -> None:
    assert error_texts(read("a.txt", "just some notes\nabout a call\n")) == [
        "a.txt: no 'Speaker: text' lines found (expected lines like 'Customer: my order is late')"
    ]


def test_transcript_lowercase_word_with_colon_continues_the_message(read: Read) -> None:
    text = "Agent: see https://shop.example/help\nnote: this is part of it\n"
    assert (
        messages(read("a.txt", text))[0][2]
        == "see https://shop.example/help\nnote: this is part of it"
    )
