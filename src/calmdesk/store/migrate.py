"""Apply the Alembic migrations shipped inside the package, programmatically, on start.

No alembic.ini is needed: the script location is this package's `migrations` folder and the
connection is handed to env.py, so `calmdesk serve` on a fresh clone creates its own tables.
"""

from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("calmdesk.store") / "migrations"))
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
