"""The JSON API (under ``/api``; its OpenAPI document at ``/openapi.json``).

Every route is a thin shell over one service function (:mod:`tratado.service.talks`,
:mod:`~tratado.service.rounds`, :mod:`~tratado.service.views`): parse, call, answer.
Refusals are ``{"error", "field", "fix"}`` with 401, 403, 404, 409, 422 or 429. Unsafe
requests made with the session cookie carry the ``X-CSRF-Token`` header; with an API
token (``Authorization: Bearer``) they need none. Every POST and PUT that changes talks
takes an ``Idempotency-Key`` header: the same key and request answer the first response
again, without a second change.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse
from pydantic import BaseModel, Field

from tratado.service import auth, rounds, talks, views
from tratado.service.deps import Key, Reader, Service_, Writer

router = APIRouter(prefix="/api")

TalksId = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]


class Login(BaseModel):
    email: str = Field(max_length=320)
    password: str = Field(max_length=1000)


class Redeem(BaseModel):
    password: str = Field(max_length=1000)
    name: str | None = Field(default=None, max_length=200)
    email: str | None = Field(default=None, max_length=320,
                              description="the first administrator's link only: log in"
                              " with this address instead")


class NewIssue(BaseModel):
    name: str = Field(max_length=64)
    title: str | None = Field(default=None, max_length=300)
    options: list[str] = Field(min_length=2, max_length=100)


class NewParty(BaseModel):
    id: str = Field(max_length=64)
    name: str | None = Field(default=None, max_length=300)


class NewTalks(BaseModel):
    scenario: str | None = Field(default=None, description="the scenario, as tratado YAML text",
                                 max_length=2_000_000)
    issues: list[NewIssue] | None = Field(default=None, max_length=50,
                                          description="from scratch: the agenda")
    parties: list[NewParty] | None = Field(default=None, max_length=20,
                                           description="from scratch: the parties")
    off_agenda: list[str] = Field(default=[], max_length=50)
    deadline: int = Field(default=30, ge=1, le=10_000, description="from scratch: most rounds")
    talks_id: str | None = Field(default=None, pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")
    title: str | None = Field(default=None, max_length=300)
    context: str = Field(default="", max_length=20_000)
    rule: str = Field(default="egalitarian", pattern="^(egalitarian|nash)$")
    post_settlement: bool = True
    with_preferences: bool = False


class NewInvitation(BaseModel):
    email: str = Field(max_length=320)
    name: str = Field(max_length=200)
    role: str = Field(pattern="^(mediator|head|delegate|observer)$")
    party: str | None = Field(default=None, max_length=64)


class PreferencesIn(BaseModel):
    preferences: dict[str, Any] | None = Field(
        default=None, description="one party's preferences, as in a scenario file")
    scenario: str | None = Field(default=None, max_length=2_000_000,
                                 description="or a scenario file (YAML) holding them")


class KeyIn(BaseModel):
    verifier_key: str = Field(max_length=300)


class SignatureIn(BaseModel):
    signature: str = Field(max_length=200, description="base64 Ed25519 signature of the text")


class NoteIn(BaseModel):
    note: str = Field(max_length=20_000, description="the checkpoint with your signature line")


class Reason(BaseModel):
    reason: str = Field(default="", max_length=2000)


class Schedule(BaseModel):
    opens: datetime | None = None
    closes: datetime | None = None


class Proposal(BaseModel):
    package: dict[str, str] | None = Field(default=None, description="{issue: option}")
    from_neutral: bool = False


class AnswerIn(BaseModel):
    accept: bool
    comment: str = Field(default="", max_length=2000)


# -- accounts ------------------------------------------------------------------------------


@router.post("/login")
def login(body: Login, request: Request, response: Response, service: Service_) -> dict[str, str]:
    """Log in: sets the session cookie; answers the session's CSRF token."""
    client = request.client.host if request.client else ""
    token, csrf = auth.login(service.db, body.email, body.password, client)
    response.set_cookie(auth.SESSION_COOKIE, token, max_age=auth.SESSION_HOURS * 3600,
                        httponly=True, secure=request.app.state.secure_cookies, samesite="lax",
                        path="/")
    return {"csrf_token": csrf}


@router.post("/logout")
def logout(request: Request, response: Response, service: Service_, _who: Writer) -> dict[str, bool]:
    """End the session."""
    token = request.cookies.get(auth.SESSION_COOKIE)
    if token:
        auth.logout(service.db, token)
    response.delete_cookie(auth.SESSION_COOKIE, path="/")
    return {"ok": True}


@router.post("/invitations/{token}")
def redeem(token: Annotated[str, Path(max_length=100)], body: Redeem,
           service: Service_) -> dict[str, Any]:
    """Accept an invitation: set a password (then log in)."""
    user = auth.redeem_invitation(service.db, token, body.password, body.name, body.email)
    return {"email": user.email, "name": user.name}


@router.get("/me")
def me(who: Reader) -> dict[str, Any]:
    """Who is logged in."""
    return {"user_id": who.user_id, "name": who.name, "email": who.email, "admin": who.is_admin}


@router.post("/me/token")
def api_token(who: Writer, service: Service_) -> dict[str, str]:
    """Issue a new API token (shown once; the old one stops working)."""
    return {"token": auth.issue_api_token(service.db, who.user_id)}


# -- talks ---------------------------------------------------------------------------------


@router.get("/talks")
def all_talks(who: Reader, service: Service_) -> list[dict[str, Any]]:
    """The talks you are part of."""
    return views.list_talks(service, who)


@router.post("/talks")
def create(body: NewTalks, who: Writer, service: Service_) -> dict[str, str]:
    """Create talks from a scenario file, or from scratch (an agenda and parties whose
    delegations will enter their preferences). Administrators."""
    from tratado.formats.yaml_format import loads_yaml
    from tratado.service.errors import BadInput

    if body.scenario is not None:
        scenario = loads_yaml(body.scenario, "scenario")
    elif body.issues and body.parties:
        scenario = talks.scenario_from_scratch(
            body.title or body.talks_id or "Talks",
            [i.model_dump(exclude_none=True) for i in body.issues],
            [p.model_dump(exclude_none=True) for p in body.parties],
            deadline=body.deadline, off_agenda=body.off_agenda)
    else:
        raise BadInput("give a scenario file, or the issues and the parties.", field="scenario")
    talks_id = talks.create_talks(service, who, scenario, talks_id=body.talks_id,
                                  title=body.title, context=body.context, rule=body.rule,
                                  post_settlement=body.post_settlement,
                                  with_preferences=body.with_preferences)
    return {"id": talks_id}


@router.get("/talks/{talks_id}", response_model=None)
def talks_state(talks_id: TalksId, who: Reader, service: Service_) -> JSONResponse:
    """The talks as you may see them (a JSON object)."""
    return JSONResponse(views.talks_view(service, who, talks_id))


@router.get("/talks/{talks_id}/log", response_model=None)
def talks_log(talks_id: TalksId, who: Reader, service: Service_,
              start: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> JSONResponse:
    """The log's leaves from ``start`` (a JSON list)."""
    return JSONResponse(views.log_leaves(service, who, talks_id, start))


@router.get("/talks/{talks_id}/checkpoint", response_class=PlainTextResponse)
def talks_checkpoint(talks_id: TalksId, who: Reader, service: Service_) -> str:
    """The latest checkpoint the service signed (C2SP signed note)."""
    return views.checkpoint(service, who, talks_id)


@router.post("/talks/{talks_id}/cosignatures")
def cosign(talks_id: TalksId, body: NoteIn, who: Writer, service: Service_,
           key: Key) -> dict[str, int]:
    """A head co-signs a checkpoint."""
    return {"size": rounds.cosign(service, who, talks_id, body.note, key)}


@router.get("/talks/{talks_id}/record", response_class=PlainTextResponse)
def record(talks_id: TalksId, who: Reader, service: Service_) -> PlainTextResponse:
    """The verifiable record (the bundle ``tratado verify`` checks)."""
    text = views.export_record(service, who, talks_id)
    return PlainTextResponse(text, media_type="application/json", headers={
        "Content-Disposition": f'attachment; filename="{talks_id}.bundle.json"'})


@router.post("/talks/{talks_id}/invitations")
def invite(talks_id: TalksId, body: NewInvitation, who: Writer, service: Service_,
           key: Key) -> dict[str, str]:
    """Invite someone (mediator); answers the one-time token of the link."""
    token = talks.invite(service, who, talks_id, email=body.email, name=body.name,
                         role=body.role, party=body.party, idempotency=key)
    return {"token": token, "link": f"/invitation/{token}"}


@router.put("/talks/{talks_id}/preferences/{party}")
def put_preferences(talks_id: TalksId, party: Annotated[str, Path(max_length=64)],
                    body: PreferencesIn, who: Writer, service: Service_,
                    key: Key) -> dict[str, str]:
    """Enter or replace your delegation's preferences (dict form, or a scenario file)."""
    from tratado.formats.yaml_format import loads_yaml
    from tratado.service.errors import BadInput

    if (body.preferences is None) == (body.scenario is None):
        raise BadInput("give either preferences or a scenario.", field="preferences")
    given: Any = body.preferences if body.preferences is not None else loads_yaml(
        body.scenario or "", "scenario")
    return {"commitment": talks.set_preferences(service, who, talks_id, party, given, key)}


@router.get("/talks/{talks_id}/preferences")
def get_preferences(talks_id: TalksId, who: Reader, service: Service_) -> dict[str, Any]:
    """Your own delegation's preferences, with the salt that opens their commitment."""
    return talks.my_preferences(service, who, talks_id)


@router.post("/talks/{talks_id}/key")
def register_key(talks_id: TalksId, body: KeyIn, who: Writer, service: Service_,
                 key: Key) -> dict[str, bool]:
    """A head registers its signing key (verifier key)."""
    talks.register_key(service, who, talks_id, body.verifier_key, key)
    return {"ok": True}


@router.get("/talks/{talks_id}/documents/{document}", response_class=PlainTextResponse)
def document(talks_id: TalksId, document: Annotated[str, Path(max_length=40)], who: Reader,
             service: Service_) -> str:
    """The exact text a head signs."""
    return talks.document_text(service, who, talks_id, document)


@router.post("/talks/{talks_id}/documents/{document}/signatures")
def sign(talks_id: TalksId, document: Annotated[str, Path(max_length=40)], body: SignatureIn,
         who: Writer, service: Service_, key: Key) -> dict[str, bool]:
    """A head signs a document."""
    talks.sign(service, who, talks_id, document, body.signature, key)
    return {"ok": True}


@router.post("/talks/{talks_id}/launch")
def launch(talks_id: TalksId, who: Writer, service: Service_, key: Key) -> dict[str, bool]:
    """Launch the talks (mediator)."""
    talks.launch(service, who, talks_id, key)
    return {"ok": True}


@router.post("/talks/{talks_id}/suspend")
def suspend(talks_id: TalksId, body: Reason, who: Writer, service: Service_,
            key: Key) -> dict[str, bool]:
    """Suspend the talks (mediator)."""
    talks.suspend(service, who, talks_id, body.reason, key)
    return {"ok": True}


@router.post("/talks/{talks_id}/resume")
def resume(talks_id: TalksId, who: Writer, service: Service_, key: Key) -> dict[str, bool]:
    """Resume the talks (mediator)."""
    talks.resume(service, who, talks_id, key)
    return {"ok": True}


@router.post("/talks/{talks_id}/end")
def end(talks_id: TalksId, body: Reason, who: Writer, service: Service_,
        key: Key) -> dict[str, bool]:
    """End the talks without agreement (mediator)."""
    talks.end(service, who, talks_id, body.reason, key)
    return {"ok": True}


@router.post("/talks/{talks_id}/rounds")
def schedule(talks_id: TalksId, body: Schedule, who: Writer, service: Service_,
             key: Key) -> dict[str, int]:
    """Schedule the next round (mediator)."""
    return {"round": rounds.schedule_round(service, who, talks_id, opens=body.opens,
                                           closes=body.closes, idempotency=key)}


@router.post("/talks/{talks_id}/rounds/open")
def open_round(talks_id: TalksId, who: Writer, service: Service_, key: Key) -> dict[str, int]:
    """Open the next round (mediator)."""
    return {"round": rounds.open_round(service, who, talks_id, key)}


@router.post("/talks/{talks_id}/rounds/close")
def close_round(talks_id: TalksId, who: Writer, service: Service_, key: Key) -> dict[str, Any]:
    """Close the open round: reveal the answers (mediator)."""
    return rounds.close_round(service, who, talks_id, key)


@router.post("/talks/{talks_id}/proposals")
def propose(talks_id: TalksId, body: Proposal, who: Writer, service: Service_,
            key: Key) -> dict[str, Any]:
    """Put a package to the parties, by hand or from the neutral (mediator)."""
    package = rounds.propose(service, who, talks_id, body.package,
                             from_neutral=body.from_neutral, idempotency=key)
    return {"package": package}


@router.post("/talks/{talks_id}/answers")
def answer(talks_id: TalksId, body: AnswerIn, who: Writer, service: Service_,
           key: Key) -> dict[str, str]:
    """Your delegation answers the open round's package (sealed until the close)."""
    return {"commitment": rounds.answer(service, who, talks_id, body.accept, body.comment, key)}
