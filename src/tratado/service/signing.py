"""The service functions of the heads of delegation's keys and signatures, and the
closing leaf the last signature of the agreement brings.

A head registers its Ed25519 verifier key once (before it has signed anything), reads the
exact text of a document (:mod:`tratado.service.documents`) and sends its signature of
those bytes; the service checks it with the registered key and logs text, hash, key and
signature, which ``tratado verify`` checks again offline. When every head has signed:
the launching document lets the mediator launch; a partial agreement becomes binding;
the agreement concludes the talks.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from tratado.records.note import NoteError, VerifierKey, b64decode
from tratado.service import documents, tables
from tratado.service.auth import Principal
from tratado.service.base import Change, Service
from tratado.service.errors import BadInput, NotAllowed, Refused

Idempotency = tuple[str, str] | None


def require_open(change: Change) -> None:
    if change.state.status in ("concluded", "ended"):
        raise Refused(f"the talks are {change.state.status}.", field="status",
                      fix="nothing more can happen in these talks; export their record.")


def register_key(service: Service, principal: Principal, talks_id: str, verifier_key: str,
                 idempotency: Idempotency = None) -> None:
    """Register the head of delegation's Ed25519 verifier key (``name+id+key``, as
    ``tratado keys`` writes it or the browser makes it). Head only; once a key has signed
    something it is not replaced."""
    with service.change(principal, talks_id, idempotency) as change:
        if change.replayed is not None:
            return
        if not change.actor.is_head or change.actor.party is None:
            raise NotAllowed("only a head of delegation registers a signing key.", field="role")
        require_open(change)
        try:
            key = VerifierKey.parse(verifier_key.strip())
        except NoteError as error:
            raise BadInput(f"this is not a verifier key ({error}).", field="verifier_key",
                           fix="give the .pub line written by `tratado keys NAME`.") from None
        party = change.actor.party
        if any(party in signed for signed in change.state.signatures.values()):
            raise Refused("your key has signed documents of these talks already; it stays.",
                          field="verifier_key")
        change.talks("key", party=party, verifier_key=str(key))
        member_row = change.session.execute(select(tables.Membership).where(
            tables.Membership.talks_id == talks_id,
            tables.Membership.user_id == principal.user_id)).scalar_one()
        member_row.verifier_key = str(key)


def document_text(service: Service, principal: Principal, talks_id: str, document: str) -> str:
    """The exact text a head signs for ``document`` (``launch``, ``partial-N``,
    ``agreement``): see :mod:`tratado.service.documents`. Any member may read it."""
    _, state = service.read(principal, talks_id)
    try:
        return documents.signed_text(state, document)
    except (KeyError, ValueError):
        raise BadInput(f"there is no document '{document[:40]}' to sign in these talks.",
                       field="document",
                       fix=f"use one of {', '.join(documents.documents(state))}.") from None


def sign(service: Service, principal: Principal, talks_id: str, document: str,
         signature: str, idempotency: Idempotency = None) -> None:
    """Record the head's Ed25519 ``signature`` (base64) of ``document``'s text, checked
    with the key the head registered. When every head has signed: the launching document
    lets the mediator launch; a partial agreement becomes binding; the agreement
    concludes the talks (the closing leaf is written)."""
    with service.change(principal, talks_id, idempotency) as change:
        if change.replayed is not None:
            return
        actor, state = change.actor, change.state
        if not actor.is_head or actor.party is None:
            raise NotAllowed("only a head of delegation signs for it.", field="role")
        key_text = state.keys.get(actor.party)
        if key_text is None:
            raise Refused("register your signing key first.", field="verifier_key")
        try:
            text = documents.signed_text(state, document)
        except (KeyError, ValueError):
            raise BadInput(f"there is no document '{document[:40]}' to sign.",
                           field="document") from None
        if actor.party in state.signatures.get(document, {}):
            raise Refused(f"{actor.party} has signed {document} already.", field="document")
        try:
            raw = b64decode(signature.strip(), "the signature")
        except NoteError as error:
            raise BadInput(f"{error}.", field="signature") from None
        if not VerifierKey.parse(key_text).verify(text.encode("utf-8"), raw):
            raise BadInput("the signature does not verify with your registered key over this"
                           " document's text.", field="signature",
                           fix="sign the exact text of the document, with your registered key.")
        change.talks("signed", document=document, party=actor.party, text=text,
                     sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
                     verifier_key=key_text, signature=signature.strip())
        if document == "agreement" and set(state.signatures["agreement"]) == set(state.parties):
            change.talks("concluded")
            close_log(change)


def close_log(change: Change) -> None:
    """Append the closing leaf (agreement and result), as the public record has them."""
    from tratado.records.build import public_record, result_member
    from tratado.session.result import build_result

    state = change.state
    assert state.driver is not None and state.scenario is not None
    result = build_result(state.scenario, state.protocol, state.driver.state,
                          list(state.driver.events), {}, 0, [], 0.0)
    public = public_record({"protocol": {}, "parties": [], "log": [],
                            "agreement": result.agreement, "result": result_member(result)})
    change.log({"closing": {"agreement": public["agreement"], "result": public["result"]}})




__all__ = ["close_log", "document_text", "register_key", "sign"]
