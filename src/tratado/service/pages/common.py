"""What every page shares: the templates, who is asking, the CSRF and idempotency fields of
forms, and mistakes shown on the page rather than as a traceback.

The pages call the service functions (:mod:`tratado.service.talks`,
:mod:`tratado.service.rounds`, :mod:`tratado.service.views`) in Python, never over HTTP;
those functions check role and party themselves, inside their transaction. A page only
chooses what to show of what a function returned to this principal.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Annotated, Any, TypeVar
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from tratado.errors import TratadoError
from tratado.service import auth
from tratado.service.auth import Principal
from tratado.service.base import Service, request_hash
from tratado.service.errors import NotAllowed, NotFound, RateLimited, ServiceError, Unauthenticated

HERE = Path(__file__).resolve().parent.parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

ROLE_WORDS = {"mediator": "mediator", "head": "head of delegation", "delegate": "member of the delegation",
              "observer": "observer"}

T = TypeVar("T")


@cache
def _static_version(name: str) -> str:
    return hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:12]


def static_url(name: str) -> str:
    """The URL of a static file, with its content hash (cache-safe)."""
    return f"/static/{name}?v={_static_version(name)}"


@cache
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.globals.update(static=static_url, new_key=lambda: uuid.uuid4().hex, ROLE_WORDS=ROLE_WORDS)
    return env


def service_of(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


def principal_of(request: Request) -> Principal | None:
    """Who is logged in with the session cookie (``None`` when no one is)."""
    cookie = request.cookies.get(auth.SESSION_COOKIE)
    if not cookie:
        return None
    try:
        return auth.session_principal(service_of(request).db, cookie)
    except Unauthenticated:
        return None


def to_login(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)


class LoginRequired(Exception):
    """A page that needs someone logged in was asked for by no one: the app answers it
    with the way to the login page and back (:func:`login_first`)."""


def logged_in(request: Request) -> Principal:
    """Who is logged in, for a page that needs someone (:data:`LoggedIn`)."""
    principal = principal_of(request)
    if principal is None:
        raise LoginRequired
    return principal


LoggedIn = Annotated[Principal, Depends(logged_in)]
"""A page parameter: the principal logged in; no one sends the asker to log in first."""


async def login_first(request: Request, _error: Exception) -> Response:
    """The app's answer to :class:`LoginRequired`: to the login page, then back here."""
    return to_login(request)


def render(request: Request, template: str, principal: Principal | None = None,
           status_code: int = 200, **context: Any) -> HTMLResponse:
    """The page ``template`` with ``context``, the user and the CSRF token."""
    text = environment().get_template(template).render(
        request=request, user=principal, csrf=principal.csrf if principal else None, **context)
    return HTMLResponse(text, status_code=status_code,
                        headers={"Cache-Control": "no-store", "X-Frame-Options": "DENY",
                                 "Referrer-Policy": "same-origin",
                                 "Content-Security-Policy": CSP})


CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
       " object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
"""The pages load only their own scripts and styles: an injected script cannot run."""


def status_of(error: TratadoError) -> int:
    if isinstance(error, ServiceError):
        return int(error.status)
    return 422


def error_page(request: Request, principal: Principal | None, error: TratadoError) -> HTMLResponse:
    """A mistake or a refusal, as a page that says what and how to fix it."""
    heading = ("Not allowed" if isinstance(error, NotAllowed) else "Not found"
               if isinstance(error, NotFound) else "Too many attempts"
               if isinstance(error, RateLimited) else "This could not be done")
    return render(request, "error.html", principal, status_code=status_of(error), title=heading,
                  heading=heading, message=_sentence(error.message), fix=_sentence(error.fix))


def _sentence(text: str | None) -> str | None:
    if not text:
        return text
    return text[0].upper() + text[1:]


def problem_words(error: TratadoError) -> str:
    """A refusal in one sentence with its fix, for a notice on the page."""
    words = _sentence(error.message) or ""
    return f"{words} {_sentence(error.fix)}" if error.fix else words


async def form_of(request: Request, principal: Principal) -> tuple[Mapping[str, Any], tuple[str, str] | None]:
    """The posted form, its CSRF token checked against the session's, and the
    idempotency pair of its ``idempotency_key`` field (a double click is answered once)."""
    body = await request.body()  # first: the form is then parsed from the same bytes
    form = await request.form()
    auth.check_csrf(principal, str(form.get("csrf_token") or ""))
    key = str(form.get("idempotency_key") or "").strip()
    pair = None
    if key:
        pair = (key[:200], request_hash(request.method, request.url.path, body))
    return form, pair


def done(url: str) -> RedirectResponse:
    """After a change: back to a page (POST, redirect, GET)."""
    return RedirectResponse(url, status_code=303)


def attempt(action: Callable[[], T]) -> tuple[T | None, str | None]:
    """Run ``action``; a refusal or a mistake becomes the words to show."""
    try:
        return action(), None
    except TratadoError as error:
        return None, problem_words(error)


def not_found(request: Request, principal: Principal | None) -> Response:
    return error_page(request, principal, NotFound("there is no such page.",
                                                   fix="go back to your talks."))
