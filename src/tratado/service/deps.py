"""The FastAPI dependencies every route shares (the pages use them too): the service, who
is asking (session cookie or API token), the CSRF check of unsafe cookie requests, and
the idempotency key.

Role and party are checked by the service functions themselves, inside their
transaction (:mod:`tratado.service.talks`): a route cannot forget them.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from tratado.service import auth
from tratado.service.auth import Principal
from tratado.service.base import Service, request_hash
from tratado.service.errors import BadInput, Unauthenticated


def get_service(request: Request) -> Service:
    """The application's :class:`~tratado.service.base.Service`."""
    service: Service = request.app.state.service
    return service


def current_principal(request: Request,
                      service: Annotated[Service, Depends(get_service)]) -> Principal:
    """The user of the ``Authorization: Bearer`` token, else of the session cookie
    (``Unauthenticated``: 401)."""
    header = request.headers.get("authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthenticated("the Authorization header is not 'Bearer <token>'.",
                                  field="Authorization")
        return auth.token_principal(service.db, token.strip())
    cookie = request.cookies.get(auth.SESSION_COOKIE)
    if not cookie:
        raise Unauthenticated("you are not logged in.", fix="log in, or send an API token.")
    return auth.session_principal(service.db, cookie)


def checked_principal(
    principal: Annotated[Principal, Depends(current_principal)],
    x_csrf_token: Annotated[str | None, Header()] = None,
) -> Principal:
    """:func:`current_principal`, for an unsafe request: with a session cookie it must
    carry the session's CSRF token in ``X-CSRF-Token`` (pages check their form field
    with :func:`tratado.service.auth.check_csrf`)."""
    auth.check_csrf(principal, x_csrf_token)
    return principal


async def idempotency(request: Request,
                      idempotency_key: Annotated[str | None, Header()] = None
                      ) -> tuple[str, str] | None:
    """``(Idempotency-Key, hash of the request)`` when the header is sent."""
    if idempotency_key is None:
        return None
    key = idempotency_key.strip()
    if not 1 <= len(key) <= 200:
        raise BadInput("an Idempotency-Key has 1 to 200 characters.", field="Idempotency-Key",
                       fix="send a fresh random value (a UUID) per request.")
    body = await request.body()
    return key, request_hash(request.method, request.url.path, body)


Service_ = Annotated[Service, Depends(get_service)]
Reader = Annotated[Principal, Depends(current_principal)]
Writer = Annotated[Principal, Depends(checked_principal)]
Key = Annotated[tuple[str, str] | None, Depends(idempotency)]
