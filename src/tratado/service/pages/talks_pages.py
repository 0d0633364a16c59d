"""The talks page — one address, three pictures: the mediator's (agenda, delegations,
rounds, proposals, answers as they are revealed, the neutral, the lifecycle), a
delegation's (its round: the package in the agenda's words, its answer, the documents
its head signs) and an observer's (what is public). Each is drawn from
:func:`tratado.service.views.talks_view`, the one picture of the talks the service gives
this principal — it holds no preference, rating or utility of anyone — and, on a
delegation's page only, from that delegation's own preferences
(:func:`tratado.service.talks.my_preferences`)."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from tratado.errors import TratadoError
from tratado.service import documents, rounds, talks, views
from tratado.service.auth import Principal
from tratado.service.pages.common import (
    LoggedIn,
    attempt,
    done,
    error_page,
    form_of,
    principal_of,
    render,
    service_of,
)
from tratado.service.pages.mine import my_scores
from tratado.service.state import TalksState

router = APIRouter(include_in_schema=False)

TalksId = Annotated[str, Path(max_length=64, pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]

DONE = {
    "created": "The talks are created. Invite the delegations next.",
    "scheduled": "The round is scheduled.", "opened": "The round is open.",
    "proposed": "The package is put to the parties.",
    "closed": "The round is closed; the answers are revealed below.",
    "launched": "The talks are launched.", "suspended": "The talks are suspended.",
    "resumed": "The talks are resumed.", "ended": "The talks are ended without agreement.",
    "answered": "Your answer is sealed. Every answer is revealed together when the mediator closes"
                " the round.",
    "key": "Your signing key is registered. Keep the key file you saved in a safe place.",
    "signed": "Your signature is recorded.", "cosigned": "You co-signed the record's latest checkpoint.",
    "preferences": "Your preferences are saved. Only your delegation and the neutral computation can"
                   " read them.",
}

STATUS_WORDS = {"draft": "being prepared", "launched": "launched", "in session": "in session",
                "suspended": "suspended", "agreed": "agreed, awaiting signatures",
                "concluded": "concluded with a signed agreement", "ended": "ended without agreement"}


def labels(view: Mapping[str, Any]) -> dict[str, str]:
    """Each party's name to show."""
    return {p["id"]: p.get("short_name") or p.get("name") or p["id"] for p in view["parties"]}


def document_words(document: str) -> str:
    from tratado.service.agreement_doc import document_title

    return document_title(document)


def _view(request: Request, principal: Principal, talks_id: str) -> dict[str, Any]:
    return views.talks_view(service_of(request), principal, talks_id)


def _page(request: Request, principal: Principal, talks_id: str, status_code: int = 200,
          flashes: list[tuple[str, str]] | None = None, **extra: Any) -> Response:
    try:
        view = _view(request, principal, talks_id)
    except TratadoError as error:
        return error_page(request, principal, error)
    role = view["you"]["role"]
    ok = request.query_params.get("ok")
    flashes = list(flashes or []) + ([("ok", DONE[ok])] if ok in DONE else [])
    common = {"view": view, "labels": labels(view), "talks_title": view["title"],
              "title": view["title"], "status_words": STATUS_WORDS.get(view["status"], view["status"]),
              "role_words": _role_words(view), "document_words": document_words,
              "flashes": flashes, **extra}
    if role == "mediator":
        return render(request, "talks_mediator.html", principal, status_code, **common)
    if role in ("head", "delegate"):
        service = service_of(request)
        try:
            _, state = service.read(principal, talks_id)
        except TratadoError as error:
            return error_page(request, principal, error)
        to_sign = _documents(state, view)
        scores = my_scores(service, principal, talks_id, view, state)
        return render(request, "talks_delegation.html", principal, status_code, documents=to_sign,
                      scores=scores, **common)
    return render(request, "talks_public.html", principal, status_code, **common)


def _role_words(view: Mapping[str, Any]) -> str:
    you = view["you"]
    words = {"mediator": "mediator", "head": "head of delegation", "delegate": "delegation",
             "observer": "observer"}.get(you["role"] or "", "member")
    if you.get("party"):
        words += f", {labels(view).get(you['party'], you['party'])}"
    return words


def _documents(state: TalksState, view: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The documents heads sign now, with their exact text (what is signed: the text
    :func:`tratado.service.talks.document_text` gives a member) and who signed."""
    out = []
    for document in view["documents"]:
        try:
            text = documents.signed_text(state, document)
        except (KeyError, ValueError):
            continue
        out.append({"name": document, "title": document_words(document), "text": text,
                    "text_b64": base64.b64encode(text.encode("utf-8")).decode("ascii"),
                    "signed": view["signatures"].get(document, [])})
    return out


@router.get("/talks/{talks_id}")
def talks_page(request: Request, principal: LoggedIn, talks_id: TalksId) -> Response:
    return _page(request, principal, talks_id)


@router.get("/talks/{talks_id}/live")
def live_part(request: Request, talks_id: TalksId, seen: int | None = None) -> Response:
    """The rounds part of the page, which the page asks for again every few seconds
    (htmx polling: rounds last hours, a few seconds of delay cost nothing, and polling
    passes every proxy). ``seen``: the log's size when the page was drawn; when the talks
    have moved on since, the part says so, with a link to the new state (the page is not
    reloaded under the reader's hands: a comment being typed would be lost)."""
    principal = principal_of(request)
    if principal is None:
        return Response(status_code=401)
    try:
        view = _view(request, principal, talks_id)
    except TratadoError as error:
        return error_page(request, principal, error)
    return render(request, "rounds_part.html", principal, view=view, labels=labels(view),
                  seen=seen)


def _issue_package(form: Mapping[str, Any], view: Mapping[str, Any]) -> dict[str, str]:
    """The package the mediator wrote: one select per issue; an issue left out makes it
    a partial proposal."""
    return {issue["name"]: str(form[f"issue.{issue['name']}"]) for issue in view["agenda"]
            if str(form.get(f"issue.{issue['name']}") or "")}


ACTIONS = ("invite", "schedule", "open", "propose", "close", "launch", "suspend", "resume", "end",
           "answer", "key", "sign", "cosign")


@router.post("/talks/{talks_id}/{action}")
async def act(request: Request, principal: LoggedIn, talks_id: TalksId, action: str) -> Response:
    """Every button of the talks page: the form's CSRF token is checked, then the service
    function is called (it checks role and party itself) and the page shown again."""
    if action not in ACTIONS:
        return error_page(request, principal, TratadoError("there is no such action.", field="action"))
    try:
        form, key = await form_of(request, principal)
        view = _view(request, principal, talks_id)
    except TratadoError as error:
        return error_page(request, principal, error)
    service = service_of(request)
    text = str(form.get("reason") or form.get("comment") or "")[:2000]
    if action == "invite":
        token, problem = attempt(lambda: talks.invite(
            service, principal, talks_id, email=str(form.get("email") or ""),
            name=str(form.get("name") or ""), role=str(form.get("role") or ""),
            party=str(form.get("party") or "") or None, idempotency=key))
        if problem is not None:
            return _page(request, principal, talks_id, 422, [("error", problem)])
        link = f"{request.base_url}invitation/{token}"
        return _page(request, principal, talks_id, invitation_link=link,
                     invited=str(form.get("name") or ""))
    calls = {
        "schedule": lambda: rounds.schedule_round(service, principal, talks_id,
                                                  opens=_when(form.get("opens")),
                                                  closes=_when(form.get("closes")), idempotency=key),
        "open": lambda: rounds.open_round(service, principal, talks_id, idempotency=key),
        "propose": lambda: rounds.propose(service, principal, talks_id,
                                          None if form.get("neutral") else _issue_package(form, view),
                                          from_neutral=bool(form.get("neutral")), idempotency=key),
        "close": lambda: rounds.close_round(service, principal, talks_id, idempotency=key),
        "launch": lambda: talks.launch(service, principal, talks_id, idempotency=key),
        "suspend": lambda: talks.suspend(service, principal, talks_id, text, idempotency=key),
        "resume": lambda: talks.resume(service, principal, talks_id, idempotency=key),
        "end": lambda: talks.end(service, principal, talks_id, text, idempotency=key),
        "answer": lambda: rounds.answer(service, principal, talks_id, form.get("answer") == "accept",
                                        text, idempotency=key),
        "key": lambda: talks.register_key(service, principal, talks_id,
                                          str(form.get("verifier_key") or ""), idempotency=key),
        "sign": lambda: talks.sign(service, principal, talks_id, str(form.get("document") or ""),
                                   str(form.get("signature") or ""), idempotency=key),
        # a browser sends a form field's line breaks as CRLF (HTML's form encoding): the
        # note is signed with LF
        "cosign": lambda: rounds.cosign(service, principal, talks_id,
                                        str(form.get("note") or "").replace("\r\n", "\n"),
                                        idempotency=key),
    }
    _, problem = attempt(calls[action])
    if problem is not None:
        return _page(request, principal, talks_id, 422, [("error", problem)])
    word = {"schedule": "scheduled", "open": "opened", "propose": "proposed", "close": "closed",
            "launch": "launched", "suspend": "suspended", "resume": "resumed", "end": "ended",
            "answer": "answered", "key": "key", "sign": "signed", "cosign": "cosigned"}[action]
    return done(f"/talks/{talks_id}?ok={word}")


def _when(value: Any) -> Any:
    """A date and time from a ``datetime-local`` field (UTC), or None."""
    from datetime import UTC, datetime

    text = str(value or "").strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise TratadoError(f"'{text[:30]}' is not a date and time.", field="opens",
                           fix="give a date and time such as 2026-12-01T10:00.") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
