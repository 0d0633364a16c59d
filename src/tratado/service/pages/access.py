"""Coming in: log in and out, accept an invitation, the list of one's talks, and new talks
(an administrator, from a scenario file, a bundled example, or from scratch)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from tratado.errors import TratadoError
from tratado.service import auth, talks, views
from tratado.service.pages.common import (
    ROLE_WORDS,
    LoggedIn,
    attempt,
    done,
    error_page,
    form_of,
    principal_of,
    problem_words,
    render,
    service_of,
)
from tratado.service.pages.scratch import MAX_SCENARIO_BYTES, scenario_from_form

router = APIRouter(include_in_schema=False)

Token = Annotated[str, Path(max_length=100)]


def _safe_next(target: str | None) -> str:
    """Only a path of this site (never another site: an open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/talks"


@router.get("/")
def home(request: Request) -> Response:
    return RedirectResponse("/talks" if principal_of(request) else "/login", status_code=303)


@router.get("/login")
def login_page(request: Request, next: str | None = None) -> Response:
    return render(request, "login.html", None, title="Log in", next=_safe_next(next))


@router.post("/login")
async def login(request: Request) -> Response:
    form = await request.form()
    email, password = str(form.get("email") or ""), str(form.get("password") or "")
    client = request.client.host if request.client else ""
    try:
        token, _csrf = auth.login(service_of(request).db, email, password, client)
    except TratadoError as error:
        return render(request, "login.html", None, status_code=401 if error.field != "client" else 429,
                      title="Log in", email=email, next=_safe_next(str(form.get("next") or "")),
                      flashes=[("error", problem_words(error))])
    response = RedirectResponse(_safe_next(str(form.get("next") or "")), status_code=303)
    response.set_cookie(auth.SESSION_COOKIE, token, max_age=auth.SESSION_HOURS * 3600, httponly=True,
                        secure=request.app.state.secure_cookies, samesite="lax", path="/")
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    principal = principal_of(request)
    if principal is not None:
        try:
            await form_of(request, principal)
        except TratadoError as error:
            return error_page(request, principal, error)
        auth.logout(service_of(request).db, request.cookies.get(auth.SESSION_COOKIE, ""))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(auth.SESSION_COOKIE, path="/")
    return response


def _invitation_words(token: str, request: Request) -> dict[str, str]:
    db = service_of(request).db
    with db.read() as session:
        row = auth.invitation(session, token)
        party = f" of {row.party}" if row.party else ""
        talks_words = f" in the talks '{row.talks_id}'" if row.talks_id else ""
        return {"name": row.name, "email": row.email,
                "role_words": ("administrator of the service" if row.role == "admin"
                               else ROLE_WORDS.get(row.role, row.role) + party),
                "inviter_words": ("You are invited to be the administrator of this service: you set"
                                  " up talks and mediate them." if row.role == "admin" else
                                  f"You are invited to take part{talks_words} as"
                                  f" {ROLE_WORDS.get(row.role, row.role)}{party}.")}


@router.get("/invitation/{token}")
def invitation_page(request: Request, token: Token) -> Response:
    try:
        words = _invitation_words(token, request)
    except TratadoError as error:
        return error_page(request, None, error)
    return render(request, "invitation.html", None, title="Your invitation", invitation=words,
                  token=token)


@router.post("/invitation/{token}")
async def accept_invitation(request: Request, token: Token) -> Response:
    form = await request.form()
    password, again = str(form.get("password") or ""), str(form.get("again") or "")
    name = str(form.get("name") or "").strip() or None
    try:
        words = _invitation_words(token, request)
    except TratadoError as error:
        return error_page(request, None, error)
    if password != again:
        return render(request, "invitation.html", None, status_code=422, title="Your invitation",
                      invitation=words, token=token,
                      flashes=[("error", "The two passwords differ. Type the same password twice.")])
    service = service_of(request)
    try:
        user = auth.redeem_invitation(service.db, token, password, name)
        session_token, _csrf = auth.login(service.db, user.email, password,
                                          request.client.host if request.client else "")
    except TratadoError as error:
        return render(request, "invitation.html", None, status_code=422, title="Your invitation",
                      invitation=words, token=token, flashes=[("error", problem_words(error))])
    response = RedirectResponse("/talks?welcome=1", status_code=303)
    response.set_cookie(auth.SESSION_COOKIE, session_token, max_age=auth.SESSION_HOURS * 3600,
                        httponly=True, secure=request.app.state.secure_cookies, samesite="lax", path="/")
    return response


@router.get("/talks")
def talks_list(request: Request, principal: LoggedIn, welcome: int = 0) -> Response:
    mine = views.list_talks(service_of(request), principal)
    flashes = [("ok", "Welcome. Your invitation is accepted and you are logged in.")] if welcome else []
    return render(request, "talks_list.html", principal, title="Your talks", talks=mine,
                  flashes=flashes)


@router.get("/talks/new")
def new_talks_page(request: Request, principal: LoggedIn) -> Response:
    return render(request, "talks_new.html", principal, title="New talks", form={},
                  examples=_examples())


def _examples() -> list[str]:
    from tratado.formats import bundled_examples

    return sorted(name for name, path in bundled_examples().items() if path.suffix == ".yaml")


@router.post("/talks/new")
async def new_talks(request: Request, principal: LoggedIn) -> Response:
    try:
        form, _ = await form_of(request, principal)
    except TratadoError as error:
        return error_page(request, principal, error)
    upload = form.get("scenario_file")
    data = await upload.read(MAX_SCENARIO_BYTES + 1) if isinstance(upload, UploadFile) else b""
    filename = getattr(upload, "filename", None) or "the scenario file"
    service = service_of(request)

    def create() -> str:
        scenario = scenario_from_form(form, data, filename)
        return talks.create_talks(service, principal, scenario,
                                  talks_id=str(form.get("talks_id") or "").strip() or None,
                                  title=str(form.get("title") or "").strip() or None,
                                  context=str(form.get("context") or "").strip(),
                                  rule=str(form.get("rule") or "egalitarian"))

    made, problem = attempt(create)
    if problem is not None:
        return render(request, "talks_new.html", principal, status_code=422, title="New talks",
                      form=dict(form), examples=_examples(), flashes=[("error", problem)])
    return done(f"/talks/{made}?ok=created")


@router.get("/account")
def account_page(request: Request, principal: LoggedIn) -> Response:
    return render(request, "account.html", principal, title="Your account")


@router.post("/account/token")
async def new_api_token(request: Request, principal: LoggedIn) -> Response:
    """A new API token for scripts (``Authorization: Bearer``), shown once; the old one
    stops working."""
    try:
        await form_of(request, principal)
    except TratadoError as error:
        return error_page(request, principal, error)
    token = auth.issue_api_token(service_of(request).db, principal.user_id)
    return render(request, "account.html", principal, title="Your account", token=token)
