from datetime import UTC, datetime

import pytest

from .helpers import Read, error_texts, messages

PLAIN = """
conversation_id,message_id,author,role,text,timestamp
t1,1,dana,customer,My order is late again,2024-03-05T09:00:00Z
t1,2,sam,agent,"I'm sorry, Dana. It ships today.",2024-03-05T09:05:00Z
"""

MAPPED = """
ticket,sender,sender_type,body
T-1,dana@example.com,Requester,Where is my refund?
T-1,Aisha,Staff,"Refunded today, sorry for the wait."
"""


def test_csv_table_reads_default_column_names(read: Read) -> None:
    result = read("orders.csv", PLAIN)
    assert result.errors == ()
    conversation = result.conversations[0]
    assert conversation.id == "t1"
    assert conversation.customer_id == "dana"
    assert messages(result) == [
        ("dana", "customer", "My order is late again"),
        ("sam", "agent", "I'm sorry, Dana. It ships today."),
    ]
    assert conversation.messages[1].timestamp == datetime(2024, 3, 5, 9, 5, tzinfo=UTC)


def test_csv_table_reads_mapped_columns_and_generates_ids(read: Read) -> None:
    column_map = {
        "conversation_id": "ticket",
        "author": "sender",
        "role": "sender_type",
        "text": "body",
    }
    result = read("export.csv", MAPPED, column_map=column_map)
    assert result.errors == ()
    conversation = result.conversations[0]
    assert conversation.id == "T-1"
    assert [m.id for m in conversation.messages] == ["m1", "m2"]
    assert [m.role for m in conversation.messages] == ["customer", "agent"]
    assert conversation.customer_id == "dana@example.com"


@pytest.mark.parametrize(
    ("value", "role"),
    [
        ("customer", "customer"),
        ("Client", "customer"),
        ("USER", "customer"),
        ("requester", "customer"),
        ("End-User", "customer"),
        ("agent", "agent"),
        ("Staff", "agent"),
        ("support", "agent"),
        ("rep", "agent"),
        ("operator", "agent"),
        ("assistant", "agent"),
        ("bot", "bot"),
        ("System", "bot"),
        ("automated", "bot"),
        ("supervisor", "supervisor"),
        ("Manager", "supervisor"),
        (" lead ", "supervisor"),
    ],
)
def test_csv_table_normalises_role_synonyms(read: Read, value: str, role: str) -> None:
    result = read("a.csv", f"role,text\n{value},hello\n")
    assert result.conversations[0].messages[0].role == role


def test_csv_table_unknown_role_names_line_and_field(read: Read) -> None:
    result = read("orders.csv", PLAIN + "t1,3,dana,boss,hello,\n")
    assert result.conversations == ()
    assert error_texts(result) == [
        "orders.csv: line 4: field 'role': expected one of customer, agent, bot, supervisor "
        "(or a synonym such as client, staff, system, manager), got 'boss'"
    ]


def test_csv_table_keeps_good_conversations_beside_a_bad_one(read: Read) -> None:
    text = PLAIN + "t2,1,lee,customer,Charged twice,not-a-date\nt3,1,kim,customer,Hello,\n"
    result = read("orders.csv", text)
    assert [c.id for c in result.conversations] == ["t1", "t3"]
    assert error_texts(result) == [
        "orders.csv: line 4: field 'timestamp': expected an ISO 8601 date-time like "
        "'2024-03-05T14:02:00Z', got 'not-a-date'"
    ]


def test_csv_table_groups_rows_by_conversation_in_file_order(read: Read) -> None:
    text = "conversation_id,role,text\nb,customer,b1\na,customer,a1\nb,agent,b2\na,agent,a2\n"
    result = read("a.csv", text)
    assert [c.id for c in result.conversations] == ["b", "a"]
    assert [m.text for m in result.conversations[0].messages] == ["b1", "b2"]
    assert [m.id for m in result.conversations[1].messages] == ["m1", "m2"]


def test_csv_table_without_conversation_column_is_one_conversation_named_for_file(
    read: Read,
) -> None:
    result = read("call-notes.csv", "role,text\ncustomer,hi\nagent,hello\n")
    assert [c.id for c in result.conversations] == ["call-notes"]


def test_csv_table_line_numbers_count_multiline_cells(read: Read) -> None:
    text = 'conversation_id,role,text\nt1,customer,"line one\nline two"\nt1,robot,hi\n'
    assert error_texts(read("a.csv", text))[0].startswith("a.csv: line 4: field 'role'")


def test_csv_table_missing_required_column_suggests_a_mapping(read: Read) -> None:
    result = read("a.csv", "conversation_id,sender,body\nt1,customer,hi\n")
    assert error_texts(result) == [
        "a.csv: line 1: field 'role': no column 'role' (columns: conversation_id, sender, body); "
        "map one with --map role=<column>",
        "a.csv: line 1: field 'text': no column 'text' (columns: conversation_id, sender, body); "
        "map one with --map text=<column>",
    ]


def test_csv_table_mapped_column_missing_from_header_is_an_error(read: Read) -> None:
    result = read("a.csv", "role,text\ncustomer,hi\n", column_map={"text": "body"})
    assert error_texts(result) == [
        "a.csv: line 1: field 'text': no column 'body' (columns: role, text)"
    ]


def test_csv_table_unknown_mapping_field_is_an_error(read: Read) -> None:
    result = read("a.csv", "role,text\ncustomer,hi\n", column_map={"txt": "text"})
    assert error_texts(result) == [
        "a.csv: field 'column_map': unknown field 'txt'; expected one of conversation_id, "
        "message_id, author, role, text, timestamp, channel, customer_id"
    ]


def test_csv_table_wrong_number_of_cells_rejects_that_conversation(read: Read) -> None:
    result = read("a.csv", "conversation_id,role,text\nt1,customer,hi,extra\nt2,customer,ok\n")
    assert [c.id for c in result.conversations] == ["t2"]
    assert error_texts(result) == ["a.csv: line 2: expected 3 columns, got 4 (check the quoting)"]


def test_csv_table_duplicate_message_id_is_an_error(read: Read) -> None:
    text = "conversation_id,message_id,role,text\nt1,7,customer,hi\nt1,7,agent,hello\n"
    assert error_texts(read("a.csv", text)) == [
        "a.csv: line 3: field 'message_id': duplicate message id '7' in conversation 't1'"
    ]


def test_csv_table_empty_conversation_id_is_an_error(read: Read) -> None:
    result = read("a.csv", "conversation_id,role,text\n,customer,hi\nt1,customer,ok\n")
    assert [c.id for c in result.conversations] == ["t1"]
    assert error_texts(result) == [
        "a.csv: line 2: field 'conversation_id': empty; every row needs one"
    ]


def test_csv_table_keeps_unmapped_columns_as_message_metadata(read: Read) -> None:
    result = read("a.csv", "role,text,priority,tags\ncustomer,hi,high,\n")
    assert result.conversations[0].messages[0].metadata == {"priority": "high"}


@pytest.mark.parametrize(("name", "delimiter"), [("a.csv", ";"), ("a.csv", "\t"), ("a.tsv", "\t")])
def test_csv_table_detects_the_delimiter(read: Read, name: str, delimiter: str) -> None:
    text = (
        delimiter.join(["role", "text"]) + "\n" + delimiter.join(["customer", "hi, there"]) + "\n"
    )
    assert messages(read(name, text)) == [("customer", "customer", "hi, there")]


def test_csv_table_channel_column_and_option(read: Read) -> None:
    text = "role,text,channel\ncustomer,hi,email\n"
    assert read("a.csv", text).conversations[0].channel == "email"
    assert read("b.csv", text, channel="phone").conversations[0].messages[0].channel == "phone"


def test_csv_table_customer_id_column_wins(read: Read) -> None:
    text = "author,role,text,customer_id\ndana,customer,hi,cust-77\n"
    assert read("a.csv", text).conversations[0].customer_id == "cust-77"


def test_csv_table_header_only_is_an_error(read: Read) -> None:
    assert error_texts(read("a.csv", "role,text\n")) == ["a.csv: no rows after the header"]


def test_csv_table_reads_a_cell_longer_than_the_csv_modules_default_limit(read: Read) -> None:
    long_text = "My order is late. " * 20_000  # 360 KB, the default field limit is 128 KiB
    result = read("long.csv", f'conversation_id,role,text\nt1,customer,"{long_text}"\n')
    assert result.errors == ()
    assert result.conversations[0].messages[0].text == long_text


def test_csv_table_unclosed_quote_is_reported_and_later_rows_still_read(read: Read) -> None:
    text = 't1,customer,"Where is my order\nt2,customer,Refund please\nt2,agent,Done\n'
    result = read("open.csv", "conversation_id,role,text\n" + text)
    assert error_texts(result) == [
        "open.csv: line 2: a quote opened in this row is never closed (rows after it are read on)"
    ]
    assert [(c.id, len(c.messages)) for c in result.conversations] == [("t2", 2)]


def test_csv_table_unbalanced_quote_rejects_its_conversation_not_the_following_rows(
    read: Read,
) -> None:
    text = (
        'conversation_id,role,text\nt1,customer,"Where is my order\nt1,agent,On its way\n'
        't2,customer,"It ""broke"", twice"\nt2,agent,Sorry\n'
    )
    result = read("bad.csv", text)
    assert error_texts(result)[0].startswith(
        "bad.csv: line 2: unbalanced quote: the quoted cell that starts in this row ends on line 4"
    )
    assert [c.id for c in result.conversations] == ["t2"]
    assert messages(result) == [
        ("customer", "customer", 'It "broke", twice'),
        ("agent", "agent", "Sorry"),
    ]
