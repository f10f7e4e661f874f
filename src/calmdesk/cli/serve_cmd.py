"""`calmdesk serve`, `calmdesk audit verify` and `calmdesk keys ...`: the service's commands.

`register(app)` adds them to the main Typer app. Every command takes --database-url (default:
CALMDESK_DATABASE_URL, else ./calmdesk.db) and applies the migrations first, so each works on a
fresh clone.
"""

from __future__ import annotations

from pathlib import Path
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


def _audited_sessions(url: str | None):  # type: ignore[no-untyped-def]
    """Sessions whose commits write audit checkpoints, as the server's do."""
    from calmdesk.service.audit_checkpoints import CheckpointFile
    from calmdesk.service.settings import Settings
    from calmdesk.store.db import make_sessionmaker

    factory = make_sessionmaker(_engine(url))
    CheckpointFile.for_settings(Settings.from_env()).watch(factory)
    return factory


def serve(
    host: Annotated[str, typer.Option(envvar="CALMDESK_HOST", help="Address to listen on.")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(envvar="CALMDESK_PORT", help="Port to listen on.")] = 8000,
    database_url: DbUrl = None,
    threads: Annotated[
        int | None,
        typer.Option(
            envvar="CALMDESK_THREADS",
            min=1,
            help="Requests handled at once (a thread and a database connection each; default "
            "16); up to CALMDESK_MAX_QUEUED (64) more wait CALMDESK_QUEUE_WAIT_SECONDS (5) for "
            "one, the rest get 503 with Retry-After.",
        ),
    ] = None,
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
    import os
    from dataclasses import replace

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
    try:  # the limits and the rest of CALMDESK_* from the environment; the options win
        settings = Settings.from_env()
    except ValueError as exc:
        error(str(exc))
        raise typer.Exit(2) from exc
    settings = replace(
        settings,
        database_url=url,
        host=host,
        port=port,
        demo=demo,
        threads=threads or settings.threads,
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


CheckpointOpt = Annotated[
    Path | None,
    typer.Option(
        "--checkpoint",
        help="The signed checkpoint file (CALMDESK_AUDIT_CHECKPOINTS); checked with the key "
        "in CALMDESK_SECRETS_DIR.",
    ),
]


@audit_app.command("verify")
def audit_verify(
    checkpoint: CheckpointOpt = None,
    team: Annotated[str | None, typer.Option(help="Only this team.")] = None,
    database_url: DbUrl = None,
) -> None:
    """Recompute each team's audit chain and re-hash its messages and cases; with
    --checkpoint, also hold the chains to the signed checkpoints. Exit 1 on any problem.

    Without --checkpoint, a chain cut short or rewritten with fresh hashes still verifies;
    with it, that is found up to the newest checkpoint (see docs/service.md).

    [bold]Example[/]

      calmdesk audit verify --checkpoint ~/.local/state/calmdesk/audit-checkpoints.jsonl
    """
    from calmdesk.service import secret_files
    from calmdesk.service.audit_checkpoints import KEY_NAME
    from calmdesk.store import audit_checkpoint, audit_verify
    from calmdesk.store.db import make_sessionmaker

    good: list[audit_checkpoint.Checkpoint] | None = None
    bad: list[audit_checkpoint.LineFault] = []
    if checkpoint is not None:
        key_dir = secret_files.default_dir()
        if not (key_dir / f"{KEY_NAME}.key").exists():
            error(f"no checkpoint key {key_dir / KEY_NAME}.key: set CALMDESK_SECRETS_DIR")
            raise typer.Exit(2)
        try:
            lines = checkpoint.read_text(encoding="utf-8", errors="replace").splitlines()
        except FileNotFoundError:
            err.print(f"[yellow]{checkpoint} does not exist: no checkpoint at all[/]")
            lines = []
        except OSError as exc:
            error(f"{checkpoint}: {exc.strerror}")
            raise typer.Exit(2) from exc
        good, bad = audit_checkpoint.read(lines, secret_files.load_or_create(key_dir, KEY_NAME))
    with make_sessionmaker(_engine(database_url))() as session:
        if team is None:
            reports = audit_verify.check_desk(session, good, bad)
        else:
            reports = [audit_verify.check_team(session, team, good, bad)]
    failed = False
    for f in bad:
        if f.team is None or team is None or f.team == team:
            err.print(f"[red]✘ {checkpoint} line {f.line}[/] ({f.team or '?'}): {f.problem}")
            failed = True
    for r in reports:
        if r.ok:
            anchored = ""
            if r.anchors is not None and r.anchors.newest is not None:
                anchored = f", anchored up to entry {r.anchors.newest.seq}"
            out.print(
                f"[green]✔ {r.team}[/]: chain intact, {r.chain.entries} entries, "
                f"head {r.chain.head or '-'}, "
                f"{r.rows_checked} rows match{anchored}",
                highlight=False,
            )
            continue
        failed = True
        err.print(f"[red]✘ {r.team}[/]: {r.chain.entries} entries, {r.rows_checked} rows")
        for problem in r.problems:
            err.print(f"  - {problem}", highlight=False)
    if failed:
        raise typer.Exit(1)


@audit_app.command("checkpoint")
def audit_checkpoint_now(database_url: DbUrl = None) -> None:
    """Sign each team's current head into the checkpoint file, if every chain and row checks.

    For a desk upgraded from a version without checkpoints, or whose checkpoint file was lost:
    the server writes checkpoints only as things change, and until then nothing vouches for
    the entries already there. This vouches for them as they are now, so it refuses when
    `calmdesk audit verify` finds a problem.
    """
    from calmdesk.service.audit_checkpoints import CheckpointFile
    from calmdesk.service.settings import Settings
    from calmdesk.store import audit, audit_verify
    from calmdesk.store.db import make_sessionmaker

    with make_sessionmaker(_engine(database_url))() as session:
        reports = audit_verify.check_desk(session)
    broken = [r for r in reports if not r.ok]
    for r in broken:
        err.print(f"[red]✘ {r.team}[/]: " + "; ".join(r.problems), highlight=False)
    if broken:
        error("nothing signed: look into the problems above first")
        raise typer.Exit(1)
    file = CheckpointFile.for_settings(Settings.from_env())
    heads = [
        audit.Head(team=r.team, first=r.chain.last + 1, seq=r.chain.last, hash=r.chain.head)
        for r in reports
        if r.chain.head is not None
    ]
    file.write(heads)
    for h in heads:
        out.print(f"[green]✔ {h.team}[/]: entry {h.seq} signed into {file.path}", highlight=False)


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
    from calmdesk.store.db import utcnow

    now = utcnow()
    with _audited_sessions(database_url)() as session:
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
    from calmdesk.store.db import utcnow

    now = utcnow()
    with _audited_sessions(database_url)() as session:
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
