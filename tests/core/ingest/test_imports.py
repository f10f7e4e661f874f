"""The ingest layer stays pure: no web, database or cluster library, nothing loaded at import."""

import subprocess
import sys

FORBIDDEN = ["fastapi", "starlette", "sqlalchemy", "alembic", "dask", "distributed", "jsonschema"]


def test_imports_ingest_pulls_in_no_heavy_or_outer_layer_library() -> None:
    code = (
        "import sys, calmdesk.core.ingest as ingest\n"
        "from calmdesk.core.ingest.json_format import schema\n"
        f"bad = [m for m in {FORBIDDEN!r} if m in sys.modules]\n"
        "assert not bad, bad\n"
        "assert schema.cache_info().currsize == 0, 'schema loaded at import'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
