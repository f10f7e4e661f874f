import json
from pathlib import Path

from jsonschema import Draft202012Validator

from calmdesk.core.ingest.json_format import SCHEMA_FILE, schema

from .helpers import EXAMPLES

ROOT = Path(__file__).parents[3]


def test_schema_docs_copy_is_identical_to_the_shipped_schema() -> None:
    shipped = ROOT / "src" / "calmdesk" / "core" / "ingest" / SCHEMA_FILE
    assert (ROOT / "docs" / SCHEMA_FILE).read_bytes() == shipped.read_bytes()


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    Draft202012Validator.check_schema(schema())


def test_schema_accepts_the_documented_example() -> None:
    document = json.loads((EXAMPLES / "conversation.json").read_text())
    assert list(Draft202012Validator(schema()).iter_errors(document)) == []


def test_schema_role_values_match_the_model() -> None:
    from calmdesk.core.model import ROLES

    assert tuple(schema()["$defs"]["role"]["enum"]) == ROLES


def test_schema_docs_example_reads_without_errors(tmp_path: Path) -> None:
    from calmdesk.core.ingest import read_path

    doc = (ROOT / "docs" / "conversation-format.md").read_text()
    example = doc.split("```json\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "example.json"
    path.write_text(example)
    result = read_path(path)
    assert result.errors == ()
    assert [m.role for m in result.conversations[0].messages] == ["bot", "customer", "agent"]


def test_schema_fast_check_agrees_with_jsonschema_on_valid_and_invalid_records():
    import json
    from pathlib import Path

    from calmdesk.core.ingest.json_format import _fast_check, _validator

    folder = Path(__file__).resolve().parents[3] / "src" / "calmdesk" / "examples" / "conversations"
    valid = [json.loads(p.read_text("utf-8")) for p in sorted(folder.glob("*.json"))]
    invalid = [
        {**valid[0], "messages": [{**valid[0]["messages"][0], "role": "client"}]},
        {**valid[0], "messages": []},
        {k: v for k, v in valid[0].items() if k != "id"},
        {**valid[0], "colour": "blue"},
    ]
    for record in valid + invalid:
        try:
            _fast_check()(record)
            fast_ok = True
        except Exception:
            fast_ok = False
        assert fast_ok == _validator().is_valid(record)
