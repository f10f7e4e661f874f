"""Input generators for fuzzing the readers, and the one check every input must pass.

Each format gets inputs shaped like it (so the fuzzer gets past the first parse into the code
that builds conversations) plus byte-level damage to them. The check is what a user is promised:
a result, never an exception; every error names the file; every conversation read can go on
into the pipeline (the tokenizer takes its text) and into the store (all its text encodes).
"""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import strategies as st

from calmdesk.core.ingest import IngestOptions, ReadResult
from calmdesk.core.ingest.reader import READERS
from calmdesk.core.learned.embed import shipped_embedder

#: Every code point, surrogates and NUL included: a JSON escape or an 8-bit header can make any.
any_char = st.characters(codec=None, exclude_categories=())
#: What real text is mostly made of, with the characters formats treat specially.
text_char = st.sampled_from(list("aZ09 ,;:\"'<>()[]{}@=?!.-_\\/\t\r\n>#&")) | any_char
short_text = st.text(text_char, max_size=30)


def check_read(kind: str, name: str, data: bytes, options: IngestOptions | None = None) -> None:
    result = READERS[kind](Path(name), data, options or IngestOptions())
    assert isinstance(result, ReadResult)
    for error in result.errors:
        assert str(error).startswith(name), error
    texts = [m.text for c in result.conversations for m in c.messages]
    for conversation in result.conversations:
        for message in conversation.messages:
            for value in (message.id, message.author, message.text, message.channel):
                assert isinstance(value, str)
                value.encode("utf-8")  # the store's encoding: raises if anything slipped through
    shipped_embedder().encode(texts)


@st.composite
def damaged(draw: st.DrawFn, base: bytes) -> bytes:
    """`base` with a few random cuts, insertions and repeats, as a fuzzer's mutations are."""
    data = bytearray(base)
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["cut", "insert", "repeat"]))
        if kind == "cut":
            del data[at : at + draw(st.integers(1, 20))]
        elif kind == "insert":
            data[at:at] = draw(st.binary(max_size=12))
        else:
            data[at:at] = data[at : at + draw(st.integers(1, 8))] * draw(st.integers(2, 40))
    return bytes(data)


json_leaf = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(any_char)
)
json_value = st.recursive(
    json_leaf,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(short_text, inner, max_size=3),
    max_leaves=10,
)
#: Mostly valid, so that most inputs get past the schema into the code that builds messages.
role = st.sampled_from(["customer", "agent", "bot", "supervisor"]) | st.just("boss")
message = st.fixed_dictionaries(
    {
        "id": st.text(any_char, min_size=1, max_size=8),
        "author": st.text(any_char, min_size=1, max_size=8),
        "role": role,
        "text": st.text(any_char, max_size=40),
    },
    optional={
        "timestamp": st.sampled_from(["2024-03-05T09:00:00Z", "2024-13-05", "9"]),
        "channel": st.text(any_char, min_size=1, max_size=8),
        "metadata": st.dictionaries(short_text, json_value, max_size=3),
    },
) | st.dictionaries(short_text, json_value, max_size=4)
conversation = st.fixed_dictionaries(
    {
        "id": st.text(any_char, min_size=1, max_size=8),
        "messages": st.lists(message, min_size=1, max_size=3),
    },
    optional={
        "participants": st.lists(
            st.fixed_dictionaries(
                {"id": st.text(any_char, min_size=1, max_size=8), "role": role},
                optional={"name": st.text(any_char, max_size=8)},
            ),
            max_size=2,
        ),
        "channel": st.text(any_char, min_size=1, max_size=8),
        "customer_id": st.text(any_char, max_size=8),
        "metadata": st.dictionaries(short_text, json_value, max_size=3),
    },
)


def _json_bytes(document: object) -> bytes:
    return json.dumps(document).encode()  # ensure_ascii: surrogates travel as \\udxxx escapes


json_file = (
    st.lists(conversation, max_size=3)
    .map(_json_bytes)
    .flatmap(lambda base: st.just(base) | damaged(base))
)
jsonl_file = (
    st.lists(conversation, max_size=4)
    .map(lambda docs: b"\n".join(_json_bytes(d) for d in docs))
    .flatmap(lambda base: st.just(base) | damaged(base))
)

cell = st.text(text_char, max_size=12).map(lambda t: t.replace("\x00", ""))
csv_columns = st.lists(
    st.sampled_from(["conversation_id", "message_id", "author", "role", "text", "timestamp"]),
    min_size=1,
    max_size=6,
)
csv_file = (
    st.tuples(csv_columns, st.lists(st.lists(cell, max_size=7), max_size=6))
    .map(
        lambda table: "\n".join(",".join(row) for row in [table[0], *table[1]]).encode(
            "utf-8", "surrogatepass"
        )
    )
    .flatmap(lambda base: st.just(base) | damaged(base))
)

TWCS_HEADER = "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id"
tweet_row = st.tuples(
    st.sampled_from(["1", "2", "3", "4.0", "", "x"]),
    st.sampled_from(["sam", "AcmeSupport", ""]),
    st.sampled_from(["True", "False", "maybe"]),
    st.sampled_from(["Tue Oct 31 22:10:47 +0000 2017", "Tue Oct 31 25:10:47 +0000 2017", ""]),
    cell,
    st.sampled_from(["", "2", "1,3"]),
    st.sampled_from(["", "1", "2", "3", "9"]),
).map(lambda row: ",".join(f'"{c}"' if "," in c else c for c in row))
twcs_file = (
    st.lists(tweet_row, max_size=6)
    .map(lambda rows: "\n".join([TWCS_HEADER, *rows]).encode("utf-8", "surrogatepass"))
    .flatmap(lambda base: st.just(base) | damaged(base))
)

header_name = st.sampled_from(
    [
        "From",
        "To",
        "Cc",
        "Subject",
        "Date",
        "Message-ID",
        "In-Reply-To",
        "References",
        "Content-Type",
        "Content-Transfer-Encoding",
        "Content-Disposition",
        "MIME-Version",
    ]
)
header_value = st.sampled_from(
    [
        "Dana <dana@example.com>",
        "support@shop.example",
        "Re: Order late",
        "<a@x>",
        "<b@x> <a@x>",
        "Tue, 5 Mar 2024 10:02:00 +0000",
        "text/plain; charset=utf-8",
        "text/html",
        'multipart/alternative; boundary="b"',
        "base64",
        "quoted-printable",
        "attachment",
        "=?utf-8?q?Caf=C3=A9?=",
        "=?bogus?b?????=",
        "((((",
        '"""',
        "<<<",
        "x@y, (z) <w@v>",
    ]
) | st.text(text_char, max_size=20)
mail = st.tuples(
    st.lists(st.tuples(header_name, header_value), max_size=8),
    st.sampled_from(
        [
            "",
            "Hi,\n\nwhere is my order?\n\nThanks,\nDana",
            "<p>Hello</p><a<b",
            "--b\nContent-Type: text/plain\n\nhi\n--b--",
            "PGI+aGk8L2I+",
        ]
    )
    | st.text(text_char, max_size=60),
).map(lambda m: "\n".join(f"{k}: {v}" for k, v in m[0]) + "\n\n" + m[1])
eml_file = mail.map(lambda m: m.encode("utf-8", "surrogatepass")).flatmap(
    lambda base: st.just(base) | damaged(base)
)
mbox_file = (
    st.lists(mail, max_size=4)
    .map(
        lambda mails: "".join(f"From x@y Tue Mar  5 10:00:00 2024\n{m}\n\n" for m in mails).encode(
            "utf-8", "surrogatepass"
        )
    )
    .flatmap(lambda base: st.just(base) | damaged(base))
)

speaker = st.sampled_from(
    ["Customer", "Agent", "Dana", "[10:32] Rep", "10:32 - Agent", "(9:01) Bot", "Nobody Here"]
)
transcript_line = st.one_of(
    st.tuples(speaker, short_text).map(lambda t: f"{t[0]}: {t[1]}"),
    st.sampled_from(["=== Call 2 ===", "---", "", "  continued", "Customer:"]),
    short_text,
)
transcript_file = (
    st.lists(transcript_line, max_size=10)
    .map(lambda lines: "\n".join(lines).encode("utf-8", "surrogatepass"))
    .flatmap(lambda base: st.just(base) | damaged(base))
)
