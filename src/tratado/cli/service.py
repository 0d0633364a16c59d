"""The live-talks commands: ``serve`` and ``export-record`` (the ``serve`` extra)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import click

from tratado.errors import TratadoError

_NEEDED = ("fastapi", "uvicorn", "sqlalchemy", "alembic", "argon2", "jinja2", "cryptography")


def _require_extra() -> None:
    missing = [name for name in _NEEDED if importlib.util.find_spec(name) is None]
    if missing:
        raise TratadoError(f"the live-talks service needs packages that are not installed"
                           f" ({', '.join(missing)}).",
                           fix="pip install 'tratado[serve]'")


def _db_url(db: str | None) -> str:
    from tratado.service.db import default_url

    if db is None:
        return default_url()
    if "://" not in db:  # a plain path: an SQLite file
        return f"sqlite:///{Path(db).resolve()}"
    return db


@click.command()
@click.option("--db", help="The database: an SQLAlchemy URL (postgresql://user@host/name,"
              " sqlite:///path) or the path of an SQLite file. Default: tratado-talks.db in"
              " the current folder.")
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
              help="The port to listen on.")
@click.option("--demo", is_flag=True, help="Load the Venezuela talks (venezuela-2021) mid-way,"
              " with demo accounts, so that a visitor sees a live example.")
@click.option("--key-file", type=click.Path(dir_okay=False, path_type=Path),
              help="The service's signing key (created on first start). Default:"
              " tratado-service.key beside the SQLite file, or in the current folder.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Processes serving requests (on PostgreSQL; SQLite has one writer at a"
              " time, so more processes only wait for each other).")
@click.option("--admin-email", default="mediator@localhost", show_default=True,
              help="On a database with no administrator yet: the address the first"
              " administrator logs in with.")
def serve(db: str | None, host: str, port: int, demo: bool, key_file: Path | None,
          workers: int, admin_email: str) -> None:
    """Run the live-talks service: the mediator and the delegations run real talks on
    tratado's engine, with a signed record anyone can verify.

    With no --db it starts on an SQLite file in the current folder. On a database
    with no administrator yet, it prints the one-time link that sets the first
    administrator's password (the mediator who creates talks). The JSON API is under
    /api, its OpenAPI document at /openapi.json. Deploying it (PostgreSQL, a reverse
    proxy, keys, backups): docs/operator.md.
    """
    _require_extra()
    import uvicorn

    from tratado.service.app import admin_invitation, create_app, make_service

    url = _db_url(db)
    service = make_service(url, key_file)
    base = f"http://{host}:{port}"
    if demo:
        from tratado.service.demo import DEMO_PASSWORD, load_demo

        made = load_demo(service, _demo_keys(url))
        click.echo(f"Demo talks '{made.talks_id}' loaded; every demo account has the password"
                   f" {DEMO_PASSWORD} (heads' signing keys in {made.keys}):")
        for email, name, role, party in made.accounts:
            click.echo(f"  {email:42} {role}{' of ' + party if party else ''} ({name})")
    token = admin_invitation(service, admin_email)
    if token is not None:
        click.echo(f"The first administrator (who creates and mediates talks) logs in as"
                   f" {admin_email}; set the password with this one-time link:"
                   f" {base}/invitation/{token}")
    click.echo(f"tratado serves on {base} (database {_shown(url)}); Ctrl-C stops it.")
    if workers == 1:
        uvicorn.run(create_app(url, service=service), host=host, port=port, log_level="warning")
        return
    import os

    from tratado.service.app import default_key_file

    service.db.dispose()
    os.environ["TRATADO_SERVE_DB"] = url
    os.environ["TRATADO_SERVE_KEY_FILE"] = str((key_file or default_key_file(url)).resolve())
    uvicorn.run("tratado.service.app:app_from_environment", factory=True, workers=workers,
                host=host, port=port, log_level="warning")


def _demo_keys(url: str) -> Path:
    if url.startswith("sqlite:///"):
        return Path(url[len("sqlite:///"):]).resolve().parent / "tratado-demo-keys"
    return Path.cwd() / "tratado-demo-keys"


def _shown(url: str) -> str:
    """The URL without a password."""
    from sqlalchemy.engine import make_url

    return str(make_url(url).render_as_string(hide_password=True))


@click.command("export-record")
@click.option("--db", required=True, help="The service's database (as for tratado serve).")
@click.option("--key-file", type=click.Path(dir_okay=False, path_type=Path),
              help="The service's signing key (as for tratado serve).")
@click.argument("talks_id")
@click.argument("output", type=click.Path(dir_okay=False, path_type=Path))
def export_record(db: str, key_file: Path | None, talks_id: str, output: Path) -> None:
    """Write the verifiable record of the talks TALKS_ID to OUTPUT, as one file: the
    bundle the parties download from the pages, which `tratado verify OUTPUT` checks
    with no server. The operator's export: it reads the database directly."""
    _require_extra()
    import json

    from tratado.files import atomic_write
    from tratado.service import ledger
    from tratado.service.app import make_service

    url = _db_url(db)
    if url.startswith("sqlite:///") and not Path(url[len("sqlite:///"):]).exists():
        raise TratadoError("there is no database here.", file=url[len("sqlite:///"):],
                           field="--db", fix="give the database tratado serve runs on.")
    service = make_service(url, key_file, create_key=False)
    with service.db.read() as session:
        text = ledger.export_bundle(session, talks_id, service.signer)
    atomic_write(output, text)
    leaves = len(json.loads(text)["leaves"])
    click.echo(f"Wrote the record of '{talks_id}' ({leaves} leaves) to {output}; check it with"
               f" `tratado verify {output}`.")
