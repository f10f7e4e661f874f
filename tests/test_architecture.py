"""The analysis core stays a plain Python package: the import direction is enforced here."""

import ast
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[1] / "src" / "calmdesk" / "core"
FORBIDDEN = {
    "fastapi",
    "starlette",
    "uvicorn",
    "sqlalchemy",
    "alembic",
    "psycopg",
    "dask",
    "distributed",
    "typer",
    "rich",
    "jinja2",
    "httpx",
    "requests",
    # training only: the shipped encoder runs on onnxruntime + tokenizers
    "torch",
    "transformers",
    "sentence_transformers",
}
OUTER_LAYERS = (
    "calmdesk.cli",
    "calmdesk.store",
    "calmdesk.service",
    "calmdesk.web",
    "calmdesk.batch",
)


def imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", sorted(CORE.rglob("*.py")), ids=lambda p: str(p.relative_to(CORE)))
def test_architecture_core_imports_no_outer_layer(path):
    found = imports(path)
    assert not {n.split(".")[0] for n in found} & FORBIDDEN
    assert not [n for n in found if n.startswith(OUTER_LAYERS)]
