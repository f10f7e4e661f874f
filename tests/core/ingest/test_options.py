import pytest

from calmdesk.core.ingest import IngestOptions, parse_mapping


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("text=body,role=sender", {"text": "body", "role": "sender"}),
        (" text = body , role=sender ", {"text": "body", "role": "sender"}),
        ("Dana Smith=customer,Sam=agent", {"Dana Smith": "customer", "Sam": "agent"}),
        ("text=body,", {"text": "body"}),
        ("", {}),
    ],
)
def test_options_parse_mapping_reads_pairs(spec: str, expected: dict[str, str]) -> None:
    assert parse_mapping(spec) == expected


@pytest.mark.parametrize(
    ("spec", "says"),
    [
        ("text", "has no '='"),
        ("text=body,role", "'role' has no '='"),
        ("=body", "both non-empty"),
        ("text=", "both non-empty"),
        ("text=a,text=b", "'text' given twice"),
    ],
)
def test_options_parse_mapping_rejects_bad_spec(spec: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        parse_mapping(spec)


def test_options_defaults_detect_everything() -> None:
    options = IngestOptions()
    assert options.format is None
    assert options.column_map == {}
    assert options.speakers == {}
    assert options.support_addresses == ()
