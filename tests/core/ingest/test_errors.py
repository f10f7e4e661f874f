import pytest

from calmdesk.core.ingest import IngestError
from calmdesk.core.ingest.errors import sorted_by_line


@pytest.mark.parametrize(
    ("error", "text"),
    [
        (
            IngestError("orders.csv", "line 14", "role", "expected one of customer, got 'x'"),
            "orders.csv: line 14: field 'role': expected one of customer, got 'x'",
        ),
        (IngestError("a.json", None, None, "file is empty"), "a.json: file is empty"),
        (IngestError("a.json", "record 2", None, "bad"), "a.json: record 2: bad"),
        (IngestError("a.eml", None, "Date", "bad"), "a.eml: field 'Date': bad"),
    ],
)
def test_errors_str_reads_as_one_sentence(error: IngestError, text: str) -> None:
    assert str(error) == text


def test_errors_sorted_by_line_puts_file_errors_first_then_lines_in_order() -> None:
    errors = [
        IngestError("a.csv", "line 10", None, "x"),
        IngestError("a.csv", "line 2", None, "y"),
        IngestError("a.csv", None, None, "z"),
    ]
    assert [e.location for e in sorted_by_line(errors)] == [None, "line 2", "line 10"]
