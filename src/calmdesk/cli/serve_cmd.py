"""`calmdesk serve`, `calmdesk audit verify` and `calmdesk keys ...`: the service's commands.

`register(app)` adds them to the main Typer app. Every command takes --database-url (default:
CALMDESK_DATABASE_URL, else ./calmdesk.db) and applies the migrations first, so each works on a
fresh clone.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from calmdesk.cli.console import err, error, out

DbUrl = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        envvar="CALMDESK_DATABASE_URL",
        help="sqlite:///./calmdesk.db (default) or postgresql+psycopg://user@host/db",
    ),
]


def _engine(url: str | None):  # type: ignore[no-untyped-def]
    from calmdesk.store.db import DEFAULT_URL, make_engine
    from calmdesk.store.migrate import upgrade

    engine = make_engine(url or DEFAULT_URL)
    upgrade(engine)
    return engine


def serve(
    host: Annotated[str, typer.Option(envvar="CALMDESK_HOST", help="Address to listen on.")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(envvar="CALMDESK_PORT", help="Port to listen on.")] = 8000,
    database_url: DbUrl = None,
    demo: Annotated[
        bool,
        typer.Option(
            "--demo",
            help="Load the bundled examples and generated history (into ./calmdesk-demo.db unless "
            "--database-url is given) and print demo keys to log in with.",
        ),
    ] = False,
) -> None:
    """Run the escalation desk: the web app at /ui and the REST API (OpenAPI docs at /docs).

    [bold]Examples[/]

      calmdesk serve --demo          # then open http://127.0.0.1:8000
      calmdesk serve
      CALMDESK_DATABASE_URL=postgresql+psycopg://calmdesk@localhost/calmdesk calmdesk serve
    """
    import dataclasses
    import os

    import uvicorn

    from calmdesk.service.access_log import log_config
    from calmdesk.service.secret_files import SecretFileError
    from calmdesk.service.settings import Settings
    from calmdesk.store.db import DEFAULT_URL
    from calmdesk.web.app import create_app

    if demo and database_url and database_url == os.environ.get("CALMDESK_DATABASE_URL"):
        # the environment names the team's real database: demo data must never land there
        err.print(
            "--demo ignores CALMDESK_DATABASE_URL; pass --database-url to choose its database"
        )
        database_url = None
    url = database_url or (DEMO_URL if demo else DEFAULT_URL)
    settings = dataclasses.replace(
        Settings.from_env(), database_url=url, host=host, port=port, demo=demo
    )
    if demo:
        err.print("loading the demo data (first start only; a few seconds)...")
    try:
        app = create_app(settings)
    except SecretFileError as exc:  # the session key file: say which and why, not a traceback
        error(str(exc))
        raise typer.Exit(2) from exc
    out.print(f"calmdesk on http://{host}:{port}  (API docs: http://{host}:{port}/docs)")
    if demo:
        out.print(app.state.demo_note, highlight=False)
        loaded = app.state.demo_loaded_at
        if loaded is not None and (settings.clock() - loaded).days >= 1:
            err.print(
                f"the demo data was loaded {(settings.clock() - loaded).days} day(s) ago, so its "
                f"SLA timers have run out; delete {url.removeprefix('sqlite:///')} for fresh data"
            )
        out.print("Log in at the address above with one of these keys (new on every start):")
        for role, name, token in app.state.demo_keys:
            out.print(f"  {role:<10} {name:<6} {token}", highlight=False, soft_wrap=True)
    # the access log masks ?api_key= tokens (webhooks), which it would otherwise write in full
    uvicorn.run(app, host=host, port=port, log_level="info", log_config=log_config())


#: the demo's own database file, so a demo never mixes into a real ./calmdesk.db
DEMO_URL = "sqlite:///./calmdesk-demo.db"


audit_app = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)
keys_app = typer.Typer(
    help="API keys: roles agent, supervisor, admin; one team each.", no_args_is_help=True
)


@audit_app.command("verify")
def audit_verify(database_url: DbUrl = None) -> None:
    """Recompute the audit hash chain; exit 1 and name the entry if one was edited or deleted.

    Keep the printed head hash somewhere else: a chain rewritten from an edited entry onwards
    no longer ends in it.
    """
    from calmdesk.store import audit
    from calmdesk.store.db import make_sessionmaker

    with make_sessionmaker(_engine(database_url))() as session:
        v = audit.verify(session=session)
    if v.ok:
        out.print(f"[green]✔ audit chain intact[/]: {v.entries} entries, head {v.head or '-'}")
        return
    err.print(f"[red]✘ audit chain broken at entry {v.broken_at}[/]: {v.problem}")
    raise typer.Exit(1)


@keys_app.command("create")
def keys_create(
    role: Annotated[str, typer.Option(help="agent | supervisor | admin")],
    team: Annotated[str, typer.Option(help="The team the key belongs to (created if new).")],
    name: Annotated[str, typer.Option(help="Who uses the key (agent id, service name).")] = "",
    database_url: DbUrl = None,
) -> None:
    """Create a key and print its token once (only a hash is stored).

    [bold]Example[/]

      calmdesk keys create --role admin --team support --name ops
    """
    from calmdesk.store import audit, keys
    from calmdesk.store.db import make_sessionmaker, utcnow

    now = utcnow()
    with make_sessionmaker(_engine(database_url))() as session:
        try:
            new = keys.create_key(session=session, team=team, role=role, name=name or role, now=now)
        except ValueError as exc:
            error(str(exc))
            raise typer.Exit(2) from exc
        audit.append(
            session=session,
            team=team,
            actor="cli",
            entity="key",
            entity_id=new.key.id,
            action="created",
            data={"role": role, "name": new.key.name},
            at=now,
        )
        session.commit()
        key_id = new.key.id
    err.print(f"key {key_id} ({role}, team {team}); the token is shown only now:")
    out.print(new.token, highlight=False, soft_wrap=True)


@keys_app.command("list")
def keys_list(
    team: Annotated[str | None, typer.Option(help="Only this team's keys.")] = None,
    database_url: DbUrl = None,
) -> None:
    """List keys (never their tokens)."""
    from calmdesk.store import keys
    from calmdesk.store.db import make_sessionmaker

    table = Table("id", "name", "role", "team", "prefix", "created", "revoked")
    with make_sessionmaker(_engine(database_url))() as session:
        for k in keys.list_keys(session=session, team=team):
            table.add_row(
                str(k.id),
                k.name,
                k.role,
                k.team,
                k.prefix,
                k.created_at.isoformat(),
                k.revoked_at.isoformat() if k.revoked_at else "",
            )
    out.print(table)


@keys_app.command("revoke")
def keys_revoke(key_id: int, database_url: DbUrl = None) -> None:
    """Revoke a key: it stops working at once."""
    from calmdesk.store import audit, keys
    from calmdesk.store.db import make_sessionmaker, utcnow

    now = utcnow()
    with make_sessionmaker(_engine(database_url))() as session:
        key = keys.revoke(session=session, key_id=key_id, team=None, now=now)
        if key is None:
            error(f"no key {key_id}")
            raise typer.Exit(1)
        audit.append(
            session=session,
            team=key.team,
            actor="cli",
            entity="key",
            entity_id=key.id,
            action="revoked",
            data={},
            at=now,
        )
        session.commit()
    out.print(f"key {key_id} revoked")


def register(app: typer.Typer) -> None:
    """Add `serve`, `audit verify` and `keys create|list|revoke` to the calmdesk app."""
    app.command("serve")(serve)
    app.add_typer(audit_app, name="audit")
    app.add_typer(keys_app, name="keys")
