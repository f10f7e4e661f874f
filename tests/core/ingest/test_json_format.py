import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from .helpers import Read, error_texts, messages

MESSAGES = [
    {"id": "1", "author": "c1", "role": "customer", "text": "Where is my refund?"},
    {"id": "2", "author": "a1", "role": "agent", "text": "I'm sorry, let me check now."},
]


def conv(conv_id: str = "c-1", **extra: object) -> dict[str, object]:
    return {"id": conv_id, "messages": MESSAGES, **extra}


@pytest.mark.parametrize(
    "document",
    [conv(), [conv()], {"conversations": [conv()]}],
    ids=["object", "list", "wrapped"],
)
def test_json_format_reads_every_documented_shape(read: Read, document: object) -> None:
    result = read("c.json", json.dumps(document))
    assert result.errors == ()
    assert [c.id for c in result.conversations] == ["c-1"]
    assert messages(result) == [
        ("c1", "customer", "Where is my refund?"),
        ("a1", "agent", "I'm sorry, let me check now."),
    ]


def test_json_format_takes_role_from_listed_participant(read: Read) -> None:
    document = {
        "id": "c-1",
        "participants": [
            {"id": "c1", "role": "customer", "name": "Dana"},
            {"id": "a1", "role": "agent"},
        ],
        "messages": [
            {"id": "1", "author": "c1", "text": "Hi"},
            {"id": "2", "author": "a1", "text": "Hello"},
        ],
    }
    result = read("c.json", json.dumps(document))
    conversation = result.conversations[0]
    assert [m.role for m in conversation.messages] == ["customer", "agent"]
    assert conversation.participant("c1") is not None
    assert conversation.participant("c1").name == "Dana"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("stamp", "expected"),
    [
        ("2024-03-05T14:02:00Z", datetime(2024, 3, 5, 14, 2, tzinfo=UTC)),
        ("2024-03-05T14:02:00", datetime(2024, 3, 5, 14, 2, tzinfo=UTC)),
        ("2024-03-05 14:02", datetime(2024, 3, 5, 14, 2, tzinfo=UTC)),
        (
            "2024-03-05T14:02:00+02:00",
            datetime(2024, 3, 5, 14, 2, tzinfo=timezone(timedelta(hours=2))),
        ),
    ],
)
def test_json_format_parses_timestamps_as_aware_naive_meaning_utc(
    read: Read, stamp: str, expected: datetime
) -> None:
    message = {"id": "1", "author": "c1", "role": "customer", "text": "Hi", "timestamp": stamp}
    result = read("c.json", json.dumps({"id": "c", "messages": [message]}))
    timestamp = result.conversations[0].messages[0].timestamp
    assert timestamp == expected
    assert timestamp is not None and timestamp.tzinfo is not None


def test_json_format_channel_defaults_to_chat_and_follows_conversation(read: Read) -> None:
    plain = read("a.json", json.dumps(conv())).conversations[0]
    emailed = read("b.json", json.dumps(conv(channel="email"))).conversations[0]
    assert plain.channel == "chat" and plain.messages[0].channel == "chat"
    assert emailed.channel == "email" and emailed.messages[0].channel == "email"


def test_json_format_channel_option_overrides_input(read: Read) -> None:
    result = read("a.json", json.dumps(conv(channel="email")), channel="phone")
    assert result.conversations[0].channel == "phone"
    assert {m.channel for m in result.conversations[0].messages} == {"phone"}


def test_json_format_customer_id_given_or_first_customer_author(read: Read) -> None:
    assert (
        read("a.json", json.dumps(conv(customer_id="cust-9"))).conversations[0].customer_id
        == "cust-9"
    )
    assert read("b.json", json.dumps(conv())).conversations[0].customer_id == "c1"


def test_json_format_integer_ids_become_strings(read: Read) -> None:
    document = {"id": 17, "messages": [{"id": 1, "author": 42, "role": "customer", "text": "Hi"}]}
    conversation = read("a.json", json.dumps(document)).conversations[0]
    assert (conversation.id, conversation.messages[0].id, conversation.messages[0].author) == (
        "17",
        "1",
        "42",
    )


def test_json_format_keeps_metadata_read_only(read: Read) -> None:
    document = conv(metadata={"source": "zendesk"})
    conversation = read("a.json", json.dumps(document)).conversations[0]
    assert conversation.metadata == {"source": "zendesk"}
    with pytest.raises(TypeError):
        conversation.metadata["source"] = "x"  # type: ignore[index]


@pytest.mark.parametrize(
    ("message", "error"),
    [
        (
            {"id": "1", "author": "c1", "role": "client", "text": "Hi"},
            "c.json: record 2: field 'messages[0].role': expected one of customer, agent, bot, "
            "supervisor, got 'client'",
        ),
        (
            {"id": "1", "author": "c1", "role": "customer"},
            "c.json: record 2: field 'messages[0].text': missing; it is required",
        ),
        (
            {"id": "1", "author": "c1", "role": "customer", "text": 5},
            "c.json: record 2: field 'messages[0].text': expected string, got number 5",
        ),
        (
            {"id": "1", "author": "c1", "role": "customer", "text": "Hi", "sender": "x"},
            "c.json: record 2: field 'messages[0].sender': unknown field; expected one of id, "
            "author, role, text, timestamp, channel, metadata (put anything else in metadata)",
        ),
        (
            {"id": "1", "author": "c1", "role": "customer", "text": "Hi", "timestamp": "yesterday"},
            "c.json: record 2: field 'messages[0].timestamp': expected an ISO 8601 date-time like "
            "'2024-03-05T14:02:00Z', got 'yesterday'",
        ),
        (
            {"id": "1", "author": "c1", "text": "Hi"},
            "c.json: record 2: field 'messages[0].role': missing, and author 'c1' is not a "
            "listed participant",
        ),
    ],
    ids=["role", "missing-text", "text-type", "unknown-field", "timestamp", "no-role"],
)
def test_json_format_bad_record_names_record_field_and_expectation(
    read: Read, message: dict[str, object], error: str
) -> None:
    result = read("c.json", json.dumps([conv("good"), {"id": "bad", "messages": [message]}]))
    assert [c.id for c in result.conversations] == ["good"]
    assert error in error_texts(result)


def test_json_format_rejects_conversation_whole_when_one_message_is_bad(read: Read) -> None:
    bad = [*MESSAGES, {"id": "3", "author": "c1", "role": "boss", "text": "x"}]
    result = read("c.json", json.dumps([{"id": "bad", "messages": bad}, conv("good")]))
    assert [c.id for c in result.conversations] == ["good"]
    assert len(result.errors) == 1


def test_json_format_reports_every_problem_in_a_record(read: Read) -> None:
    bad = [
        {"id": "1", "author": "c1", "role": "boss", "text": "x"},
        {"id": "2", "author": "c1", "role": "customer"},
    ]
    result = read("c.json", json.dumps({"id": "bad", "messages": bad}))
    assert [e.field for e in result.errors] == ["messages[0].role", "messages[1].text"]


def test_json_format_role_contradicting_participant_is_an_error(read: Read) -> None:
    document = {
        "id": "c",
        "participants": [{"id": "c1", "role": "customer"}],
        "messages": [{"id": "1", "author": "c1", "role": "agent", "text": "Hi"}],
    }
    assert error_texts(read("c.json", json.dumps(document))) == [
        "c.json: field 'messages[0].role': "
        "'agent' contradicts participant 'c1', listed as 'customer'"
    ]


def test_json_format_duplicate_message_ids_are_an_error(read: Read) -> None:
    twice = [MESSAGES[0], {**MESSAGES[1], "id": "1"}]
    result = read("c.json", json.dumps({"id": "c", "messages": twice}))
    assert error_texts(result) == ["c.json: field 'messages[1].id': duplicate message id '1'"]


def test_json_format_duplicate_conversation_ids_reject_the_later_one(read: Read) -> None:
    result = read("c.json", json.dumps([conv("same"), conv("same")]))
    assert len(result.conversations) == 1
    assert error_texts(result) == [
        "c.json: record 2: field 'id': duplicate conversation id 'same' (first in record 1)"
    ]


def test_json_format_empty_message_list_is_an_error(read: Read) -> None:
    result = read("c.json", json.dumps({"id": "c", "messages": []}))
    assert error_texts(result) == [
        "c.json: field 'messages': expected at least 1 item(s), got none"
    ]


def test_json_format_invalid_json_names_line_and_column(read: Read) -> None:
    result = read("c.json", '{\n  "id": "c",\n  "messages": [\n}\n')
    assert error_texts(result) == ["c.json: line 4, column 1: not valid JSON: Expecting value"]


@pytest.mark.parametrize("document", ["42", '"text"', '{"conversations": 3}'])
def test_json_format_wrong_top_level_shape_is_an_error(read: Read, document: str) -> None:
    result = read("c.json", document)
    assert result.conversations == ()
    assert "expected a conversation object, a list of them" in error_texts(result)[0]


def test_json_format_jsonl_names_bad_lines_and_keeps_good_ones(read: Read) -> None:
    lines = [
        json.dumps(conv("a")),
        "{not json",
        "",
        json.dumps({"id": "c", "messages": [{"id": 1}]}),
    ]
    lines.append(json.dumps(conv("d")))
    result = read("c.jsonl", "\n".join(lines))
    assert [c.id for c in result.conversations] == ["a", "d"]
    texts = error_texts(result)
    assert texts[0].startswith("c.jsonl: line 2: not valid JSON: Expecting property name")
    assert "c.jsonl: line 4: field 'messages[0].author': missing; it is required" in texts


@pytest.mark.parametrize("document", ["[]", '{"conversations": []}'])
def test_json_format_empty_list_is_an_error(read: Read, document: str) -> None:
    assert error_texts(read("c.json", document)) == ["c.json: no conversations in the file"]


def _conversation(cid: str, **extra: object) -> dict:
    message = {"id": "m1", "author": "dana", "role": "customer", "text": "Where is my order?"}
    return {"id": cid, "messages": [message], **extra}


def test_json_format_huge_integer_is_reported_on_its_record_and_field(read: Read) -> None:
    document = json.dumps([_conversation("ok"), _conversation("big", metadata={"n": 0})])
    result = read("big.json", document.replace('"n": 0', '"n": ' + "9" * 5000))
    assert [c.id for c in result.conversations] == ["ok"]
    assert error_texts(result) == [
        "big.json: record 2: field 'metadata.n': an integer of 5000 digits; at most 4300 are read"
    ]


def test_json_format_deep_nesting_is_reported_with_its_place(read: Read) -> None:
    nested = {"x": json.loads("[" * 100 + "]" * 100)}
    result = read(
        "deep.json", json.dumps([_conversation("ok"), _conversation("d", metadata=nested)])
    )
    assert [c.id for c in result.conversations] == ["ok"]
    assert error_texts(result)[0].startswith("deep.json: record 2: field 'metadata.x[0][0]")
    assert error_texts(result)[0].endswith("nested deeper than 64 levels")


def test_json_format_nesting_past_the_parser_loses_only_that_record(read: Read) -> None:
    text = json.dumps(_conversation("ok")) + ",\n" + "[" * 5000 + "]" * 5000
    result = read("deep.json", f"[{text}, {json.dumps(_conversation('after'))}]")
    assert [c.id for c in result.conversations] == ["ok", "after"]
    assert error_texts(result) == [
        "deep.json: record 2: nested deeper than 64 levels (from line 2, column 1)"
    ]
    wrapped = read("wrapped.json", '{"conversations": [' + text + "]}")
    assert error_texts(wrapped) == [
        "wrapped.json: line 2, column 63: not read: nested deeper than 64 levels"
    ]
    lines = [json.dumps(_conversation("a")), '{"id": ' + "[" * 5000 + "]" * 5000 + "}"]
    result = read("deep.jsonl", "\n".join([*lines, json.dumps(_conversation("b"))]))
    assert [c.id for c in result.conversations] == ["a", "b"]
    assert error_texts(result) == [
        "deep.jsonl: line 2: not read: nested deeper than 64 levels (column 71)"
    ]
