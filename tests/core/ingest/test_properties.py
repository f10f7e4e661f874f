"""Whatever bytes a file holds, reading it returns a result and never raises."""

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calmdesk.core.ingest import IngestOptions, ReadResult, read_path

SUFFIXES = [".json", ".jsonl", ".csv", ".txt", ".eml", ".mbox", ""]
TWCS_HEADER = (
    "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)
message_like = st.fixed_dictionaries(
    {"id": json_values, "author": json_values, "text": json_values},
    optional={
        "role": st.sampled_from(["customer", "agent", "x"]) | json_values,
        "timestamp": json_values,
    },
)
conversation_like = st.fixed_dictionaries(
    {"id": json_values, "messages": st.lists(message_like, max_size=3) | json_values},
    optional={"participants": json_values, "channel": json_values, "customer_id": json_values},
)
cells = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=12)
csv_text = st.lists(st.lists(cells, min_size=1, max_size=8), max_size=6).map(
    lambda rows: "\n".join(",".join(row) for row in rows)
)
transcript_text = st.lists(
    st.tuples(
        st.sampled_from(["Customer", "Agent", "Dana", "[10:32] Rep", "===", "---", ""]), cells
    ),
    max_size=8,
).map(lambda lines: "\n".join(f"{who}: {text}" for who, text in lines))


def check(name: str, data: bytes, options: IngestOptions | None = None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        result = read_path(path, options or IngestOptions())
    assert isinstance(result, ReadResult)
    assert all(str(error) for error in result.errors)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(suffix=st.sampled_from(SUFFIXES), data=st.binary(max_size=400))
def test_properties_read_never_raises_on_arbitrary_bytes(suffix: str, data: bytes) -> None:
    check(f"input{suffix}", data)


@settings(max_examples=200, deadline=None)
@given(suffix=st.sampled_from(SUFFIXES), text=st.text(max_size=400))
def test_properties_read_never_raises_on_arbitrary_text(suffix: str, text: str) -> None:
    check(f"input{suffix}", text.encode("utf-8", "surrogatepass"))


@settings(max_examples=200, deadline=None)
@given(document=st.lists(conversation_like, max_size=3) | conversation_like | json_values)
def test_properties_read_never_raises_on_json_shaped_like_conversations(document: object) -> None:
    check("input.json", json.dumps(document).encode())


@settings(max_examples=200, deadline=None)
@given(
    header=st.sampled_from(["role,text,timestamp,conversation_id\n", TWCS_HEADER]), body=csv_text
)
def test_properties_read_never_raises_on_csv_rows(header: str, body: str) -> None:
    check("input.csv", (header + body).encode())


@settings(max_examples=200, deadline=None)
@given(text=transcript_text)
def test_properties_read_never_raises_on_transcript_like_text(text: str) -> None:
    check("input.txt", text.encode(), IngestOptions(speakers={"Dana": "customer"}))


header_names = st.sampled_from(
    [
        "From",
        "To",
        "Cc",
        "Date",
        "Message-ID",
        "In-Reply-To",
        "References",
        "Subject",
        "Content-Type",
    ]
)
email_text = st.tuples(st.lists(st.tuples(header_names, cells), max_size=8), cells).map(
    lambda mail: "\n".join(f"{name}: {value}" for name, value in mail[0]) + "\n\n" + mail[1]
)


@settings(max_examples=200, deadline=None)
@given(mails=st.lists(email_text, min_size=1, max_size=3))
def test_properties_read_never_raises_on_email_headers(mails: list[str]) -> None:
    text = "\n".join(f"From x Tue Mar  5 09:00:00 2024\n{mail}" for mail in mails)
    check("input.mbox", text.encode())
