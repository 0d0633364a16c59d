"""The web application: :func:`create_app`.

Decision — **FastAPI**: typed request models give the OpenAPI document (``/openapi.json``)
that scripts and the schemathesis fuzzing read, dependencies carry the role and party
checks to every route, and Starlette serves the Jinja2 pages from the same process.
Django would bring its own ORM and admin we do not need; Flask has no OpenAPI of its own.

Decision — **live updates by polling**: the pages refresh the talks' state every few
seconds with htmx (``hx-trigger="every 5s"``), and a script can poll
``GET /api/talks/{id}`` or ``GET /api/talks/{id}/log?start=N``. Rounds last hours or days
and a change is a click by a person, so a few seconds of delay cost nothing; polling works
through every proxy and with every worker count, holds no connection open per viewer, and
needs no server-side fan-out between worker processes (server-sent events would need one
as soon as the service runs more than one process).
"""

from __future__ import annotations

import importlib.util
import logging
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError, OperationalError

from tratado.errors import TratadoError
from tratado.service import ledger
from tratado.service.base import Service
from tratado.service.db import Database
from tratado.service.errors import ServiceError

log = logging.getLogger("tratado.service")


def default_key_file(db_url: str) -> Path:
    """``tratado-service.key`` beside the SQLite file, else in the current folder."""
    if db_url.startswith("sqlite:///") and db_url != "sqlite:///:memory:":
        return Path(db_url[len("sqlite:///"):]).resolve().parent / "tratado-service.key"
    return Path.cwd() / "tratado-service.key"


def make_service(db_url: str, key_file: Path | None = None, *, create_key: bool = True) -> Service:
    """The database (migrated to head) and the service's key (created on first start
    unless ``create_key`` is false, pinned in the database)."""
    path = key_file or default_key_file(db_url)
    if not create_key and not path.exists():
        raise TratadoError("the service's signing key is not there.", file=str(path),
                           field="--key-file", fix="give the key file the service runs with.")
    db = Database(db_url)
    signer = ledger.load_service_key(path)
    with db.write() as session:
        ledger.pin_service_key(session, signer)
    return Service(db, signer)


def admin_invitation(service: Service, email: str | None = None) -> str | None:
    """A one-time link token that makes its holder the service's administrator, logging
    in as ``email`` (default :data:`~tratado.service.auth.FIRST_ADMIN`), when no
    administrator has a password yet (the first start); else None."""
    from sqlalchemy import select

    from tratado.service import auth, tables

    with service.db.write() as session:
        found = session.execute(select(tables.User.id).where(
            tables.User.is_admin.is_(True), tables.User.password_hash.is_not(None))).first()
        if found is not None:
            return None
        return auth.make_invitation(session, email=email or auth.FIRST_ADMIN,
                                    name="Mediator", role="admin", party=None, talks_id=None,
                                    created_by=None)


def create_app(db_url: str, *, key_file: Path | None = None, secure_cookies: bool = True,
               service: Service | None = None) -> FastAPI:
    """The service's application on the database at ``db_url``. ``key_file``: the
    service's signing key (default :func:`default_key_file`). ``secure_cookies``: mark the
    session cookie ``Secure`` (leave it on; browsers accept it on ``localhost``).

    The JSON API is under ``/api`` (:mod:`tratado.service.api`); the pages
    (``tratado.service.pages``, when that package is installed) at the root."""
    from tratado.service import api

    service = service or make_service(db_url, key_file)
    app = FastAPI(title="tratado live talks",
                  description="Mediated talks on tratado's engine, with a verifiable record.",
                  version="1")
    app.state.service = service
    app.state.secure_cookies = secure_cookies

    @app.exception_handler(ServiceError)
    async def refused(_request: Request, error: ServiceError) -> JSONResponse:
        return JSONResponse(_error_body(error), status_code=error.status)

    @app.exception_handler(TratadoError)
    async def bad_input(_request: Request, error: TratadoError) -> JSONResponse:
        return JSONResponse(_error_body(error), status_code=422)

    @app.exception_handler(IntegrityError)
    async def clash(_request: Request, _error: IntegrityError) -> JSONResponse:
        # a unique constraint caught what the lock should have: the same thing twice
        return JSONResponse({"error": "this was done already (the same change twice).",
                             "field": None, "fix": "reload to see the current state."},
                            status_code=409)

    @app.exception_handler(OperationalError)
    async def busy(_request: Request, error: OperationalError) -> JSONResponse:
        log.warning("database error: %s", error)
        return JSONResponse({"error": "the database is busy or unreachable.", "field": None,
                             "fix": "try again in a moment."}, status_code=503)

    @app.exception_handler(RecursionError)
    async def too_deep(_request: Request, _error: RecursionError) -> JSONResponse:
        return JSONResponse({"error": "the request nests too deep.", "field": None,
                             "fix": "send plain JSON, a few levels deep."}, status_code=422)

    app.add_middleware(BodyLimit, most=MOST_BODY_BYTES)
    app.include_router(api.router)
    if importlib.util.find_spec("tratado.service.pages") is not None:
        pages = importlib.import_module("tratado.service.pages")
        app.include_router(pages.router)
        app.add_exception_handler(pages.LoginRequired, pages.login_first)
    return app


def app_from_environment() -> FastAPI:
    """The application on ``TRATADO_SERVE_DB`` with the key ``TRATADO_SERVE_KEY_FILE``:
    what each worker process of ``tratado serve --workers N`` builds."""
    import os

    key = os.environ.get("TRATADO_SERVE_KEY_FILE")
    return create_app(os.environ["TRATADO_SERVE_DB"], key_file=Path(key) if key else None)


MOST_BODY_BYTES = 4 * 1024 * 1024
"""The largest request body (a scenario file is the largest a user sends)."""


class BodyLimit:
    """Refuse request bodies over ``most`` bytes with 413, before they are read whole
    (by the declared length, and by counting what arrives)."""

    def __init__(self, app: Any, most: int) -> None:
        self.app, self.most = app, most

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length", b"0")
        if declared.isdigit() and int(declared) > self.most:
            await self._refuse(send)
            return
        seen = 0

        async def counted() -> Any:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.most:
                raise _TooLarge
            return message

        try:
            await self.app(scope, counted, send)
        except _TooLarge:
            await self._refuse(send)

    async def _refuse(self, send: Any) -> None:
        body = (b'{"error":"the request is too large.","field":null,'
                b'"fix":"send at most 4 MiB."}')
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass


def _error_body(error: TratadoError) -> dict[str, Any]:
    return {"error": error.message, "field": error.field, "fix": error.fix}
