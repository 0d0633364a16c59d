"""What each principal may read: the talks' public state, and the log.

:func:`talks_view` is the one picture of the talks the pages and the API show. It holds
what is public to every member — the agenda in the agenda's words, the rounds with their
packages, who has answered (never how, until the close), the revealed answers, partial
agreements, the agreement, the signatures, the status — plus, for a delegation, its own
sealed answer in the open round. It never holds a preference, a rating or a utility, for
anyone: the mediator sees proposals and answers only (tests walk the whole view for any
number that could be one).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from tratado.service import documents, ledger, tables
from tratado.service.auth import Principal
from tratado.service.base import Service
from tratado.service.state import TalksState, words


def list_talks(service: Service, principal: Principal) -> list[dict[str, Any]]:
    """The talks the principal is part of (every talks for an administrator), with its
    role and party in each."""
    with service.db.read() as session:
        rows = session.execute(select(tables.Talks, tables.Membership).outerjoin(
            tables.Membership, (tables.Membership.talks_id == tables.Talks.id)
            & (tables.Membership.user_id == principal.user_id)).order_by(tables.Talks.id)).all()
    return [{"id": talks.id, "title": talks.title,
             "role": member.role if member else None, "party": member.party if member else None}
            for talks, member in rows if member is not None or principal.is_admin]


def _public(state: TalksState) -> dict[str, Any]:
    public = state.opening["public_scenario"]
    current = state.current_round
    return {
        "id": state.id, "title": state.title, "context": state.context, "status": state.status,
        "ended_because": state.ended_because,
        "parties": [{"id": p["id"], "name": p.get("name"), "short_name": p.get("short_name")}
                    for p in public["parties"]],
        "agenda": [{"name": i["name"], "title": i.get("title"), "description": i.get("description"),
                    "options": list(i.get("options", []))} for i in public["agenda"]["issues"]],
        "off_agenda": list(public["agenda"].get("off_agenda") or []),
        "rules": public.get("rules") or {},
        "invited": [dict(i) for i in state.invited],
        "preferences_entered": sorted(state.preferences),
        "keys": dict(state.keys),
        "signatures": {doc: sorted(signed) for doc, signed in state.signatures.items()},
        "documents": documents.documents(state),
        "rounds": [{"number": r.number, "opens": r.opens, "closes": r.closes, "status": r.status,
                    "package": r.package, "partial": r.partial, "source": r.source,
                    "answered": r.answered, "answers": r.answers or None} for r in state.rounds],
        "current_round": current.number if current else None,
        "partial_agreements": [{"number": p.number, "round": p.round, "package": p.package,
                                "binding": p.binding} for p in state.partials],
        "settlement": _settlement(state),
        "agreement": state.agreement,
        "engine_phase": state.engine_phase,
        "log_size": state.size,
    }


def _settlement(state: TalksState) -> dict[str, str] | None:
    assert state.driver is not None and state.scenario is not None
    settled = state.driver.state.settlement
    return None if settled is None else words(state.scenario, settled)


def talks_view(service: Service, principal: Principal, talks_id: str) -> dict[str, Any]:
    """The talks as ``principal`` may see them (see the module docstring), with
    ``"you": {"role", "party", "answer"}``."""
    actor, state = service.read(principal, talks_id)
    view = _public(state)
    mine: dict[str, Any] = {"role": actor.role, "party": actor.party, "answer": None}
    current = state.current_round
    if actor.in_delegation and actor.party and current is not None:
        with service.db.read() as session:
            row = session.execute(select(tables.SealedAnswer).where(
                tables.SealedAnswer.talks_id == talks_id,
                tables.SealedAnswer.round == current.number,
                tables.SealedAnswer.party == actor.party)).scalar_one_or_none()
        if row is not None:
            mine["answer"] = {"answer": "accept" if row.accept else "reject",
                              "comment": row.comment}
    view["you"] = mine
    return view


def log_leaves(service: Service, principal: Principal, talks_id: str,
               start: int = 0) -> list[dict[str, Any]]:
    """The talks' log from leaf ``start`` (public to every member)."""
    from tratado.service.base import member

    with service.db.read() as session:
        member(session, principal, talks_id)
        version = session.execute(select(tables.Talks.version).where(
            tables.Talks.id == talks_id)).scalar_one()
        leaves, _ = service.log_of(session, talks_id, version)
    return leaves[max(0, start):]


def checkpoint(service: Service, principal: Principal, talks_id: str) -> str:
    """The latest checkpoint the service signed (what a head co-signs)."""
    service.read(principal, talks_id)
    with service.db.read() as session:
        return ledger.latest_checkpoint(session, talks_id)


def export_record(service: Service, principal: Principal, talks_id: str) -> str:
    """The talks' verifiable bundle (the file ``tratado verify`` checks). Any member."""
    service.read(principal, talks_id)
    with service.db.read() as session:
        return ledger.export_bundle(session, talks_id, service.signer)


__all__ = ["checkpoint", "export_record", "list_talks", "log_leaves", "talks_view"]
