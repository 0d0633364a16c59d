"""The service functions of the rounds: schedule, open, propose (by hand or from the
neutral), answer (sealed), close (reveal).

A round puts one package to the parties. A whole package is a move of the engine (the
``mediated`` protocol's ``mediator-proposal``, by its mediator participant, whoever
wrote it: the log's ``proposed`` leaf says whether the neutral or the mediator did). A
package on some issues only is a *partial* proposal: the engine, which negotiates whole
packages, does not see it; if every party accepts, it is a provisional partial agreement
(binding once every head signs it).

Answers are blind: each is stored sealed, and only a salted commitment goes into the
log; at the close, all are revealed together — the ``round-closed`` leaf opens every
commitment — and, for a whole package, each party's ``accept`` or ``reject`` (its comment
as the note) is pushed through the engine in party order. A party that did not answer
by the close rejects (the note says so). An agreement is recorded only when every party
accepted that exact package: the protocol itself refuses anything else.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select

from tratado.errors import TratadoError
from tratado.protocols.events import Accept, Event, EventRefused, MediatorProposal, Reject
from tratado.protocols.log import render_log
from tratado.service import ledger, neutral, tables
from tratado.service.auth import Principal
from tratado.service.base import Change, Service
from tratado.service.errors import BadInput, NotAllowed, Refused
from tratado.service.state import words
from tratado.service.talks import Idempotency, close_log, neutral_scenario, require_mediator

NO_ANSWER = "no answer by the close of the round"


def log_event(change: Change, event: Event) -> None:
    """Push ``event`` through the engine and append its public log entry."""
    state = change.state
    assert state.driver is not None and state.scenario is not None
    events = [*state.driver.events, event]
    try:
        state.protocol.step(state.driver.state, event)
    except EventRefused as refused:
        raise Refused(f"the rules refuse this now: {refused.reason}.", field="status") from None
    entry = render_log(state.scenario.agenda, state.protocol, events,
                       lambda outcomes: [[0.0] * len(state.parties) for _ in outcomes])[-1]
    entry.pop("utilities", None)
    change.log({"event": entry})


def _running(change: Change) -> None:
    status = change.state.status
    if status not in ("launched", "in session"):
        raise Refused(f"the talks are {status}; rounds run once launched and while in session.",
                      field="status")


def _stamp(moment: datetime | None) -> str | None:
    return None if moment is None else moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def schedule_round(service: Service, principal: Principal, talks_id: str, *,
                   opens: datetime | None = None, closes: datetime | None = None,
                   idempotency: Idempotency = None) -> int:
    """Announce the next round with its dates; returns its number. Mediator only."""
    with service.change(principal, talks_id, idempotency) as change:
        if change.replayed is not None:
            return int(change.replayed["round"])
        require_mediator(change)
        if change.state.status in ("concluded", "ended", "agreed"):
            raise Refused(f"the talks are {change.state.status}.", field="status")
        if opens and closes and closes <= opens:
            raise BadInput("a round closes after it opens.", field="closes")
        number = len(change.state.rounds) + 1
        change.talks("round-scheduled", round=number, opens=_stamp(opens), closes=_stamp(closes))
        change.response = {"round": number}
        return number


def open_round(service: Service, principal: Principal, talks_id: str,
               idempotency: Idempotency = None) -> int:
    """Open the next scheduled round (or a new one); returns its number. Mediator only,
    once launched, with no other round open."""
    with service.change(principal, talks_id, idempotency) as change:
        if change.replayed is not None:
            return int(change.replayed["round"])
        require_mediator(change)
        _running(change)
        state = change.state
        if state.current_round is not None:
            raise Refused(f"round {state.current_round.number} is open.", field="round",
                          fix="close it first.")
        waiting = next((r for r in state.rounds if r.status == "scheduled"), None)
        number = waiting.number if waiting else len(state.rounds) + 1
        change.talks("round-opened", round=number)
        change.response = {"round": number}
        return number


def _package(change: Change, package: Mapping[str, str]) -> tuple[dict[str, str], bool]:
    """``package`` checked against the agenda: ``{issue: option}`` and whether partial."""
    agenda = change.state.scenario.agenda if change.state.scenario else None
    assert agenda is not None
    if not isinstance(package, Mapping) or not package:
        raise BadInput("a package names an option for one or more issues.", field="package",
                       fix="give {issue: option}, e.g. {\"sanctions\": \"humanitarian carve-outs\"}.")
    out: dict[str, str] = {}
    for issue, option in package.items():
        if issue not in agenda.names:
            raise BadInput(f"'{str(issue)[:60]}' is not an issue of these talks.",
                           field=f"package.{str(issue)[:60]}",
                           fix=f"use one of {', '.join(agenda.names)}.")
        found = agenda.issue(issue)
        try:
            out[issue] = str(found.options[found.index(option)])
        except TratadoError:
            raise BadInput(f"'{str(option)[:60]}' is not an option of {issue}.",
                           field=f"package.{issue}",
                           fix=f"use one of {', '.join(map(str, found.options))}.") from None
    partial = len(out) < len(agenda.names)
    fixed = change.state.binding_partials()
    clash = [i for i, o in fixed.items() if i in out and out[i] != o]
    if clash:
        raise Refused(f"binding partial agreements fixed {', '.join(clash)}.",
                      field=f"package.{clash[0]}", fix=f"keep {clash[0]}: {fixed[clash[0]]}.")
    return {i: out[i] for i in agenda.names if i in out}, partial


def propose(service: Service, principal: Principal, talks_id: str,
            package: Mapping[str, str] | None = None, *, from_neutral: bool = False,
            idempotency: Idempotency = None) -> dict[str, str]:
    """Put a package to the parties in the open round: ``package`` (``{issue: option}``,
    all issues or some: a partial proposal) written by the mediator, or, with
    ``from_neutral``, the neutral's next package. One package per round; mediator only.
    Returns the package."""
    with service.change(principal, talks_id, idempotency) as change:
        if change.replayed is not None:
            return dict(change.replayed["package"])
        require_mediator(change)
        _running(change)
        state = change.state
        current = state.current_round
        if current is None:
            raise Refused("no round is open.", field="round", fix="open a round first.")
        if current.package is not None:
            raise Refused(f"round {current.number} has its package already.", field="round",
                          fix="close this round and open the next.")
        if from_neutral:
            outcome = neutral.next_package(state, neutral_scenario(change))
            assert state.scenario is not None
            chosen, partial = words(state.scenario, outcome), False
        else:
            if package is None:
                raise BadInput("give a package, or ask the neutral.", field="package")
            chosen, partial = _package(change, package)
        if not partial and state.engine_phase not in ("propose", "improve"):
            raise Refused("the engine is not waiting for a proposal.", field="status")
        change.talks("proposed", round=current.number, package=chosen, partial=partial,
                     source="neutral" if from_neutral else "mediator")
        if not partial:
            assert state.scenario is not None
            outcome = tuple(int(i) for i in state.scenario.agenda.outcome(chosen))
            log_event(change, MediatorProposal(state.protocol.mediator or "neutral", outcome))
        change.response = {"package": chosen}
        return chosen


def answer(service: Service, principal: Principal, talks_id: str, accept: bool,
           comment: str = "", idempotency: Idempotency = None) -> str:
    """The principal's delegation answers the package of the open round (sealed until
    the close); returns the commitment logged. One answer per party and round: a second
    is refused, whoever in the delegation sends it."""
    with service.change(principal, talks_id, idempotency) as change:
        if change.replayed is not None:
            return str(change.replayed["commitment"])
        actor, state = change.actor, change.state
        if not actor.in_delegation or actor.party is None:
            raise NotAllowed("only a delegation answers a proposal.", field="role")
        current = state.current_round
        if state.status not in ("launched", "in session"):
            raise Refused(f"the talks are {state.status}; there is nothing to answer.",
                          field="status")
        if current is None or current.package is None:
            raise Refused("there is no package to answer now.", field="round",
                          fix="wait until the mediator puts one in an open round.")
        if actor.party in current.commitments:
            raise Refused(f"{actor.party} has answered round {current.number} already.",
                          field="accept")
        if not isinstance(accept, bool):
            raise BadInput("accept is true or false.", field="accept")
        comment = str(comment)[:2000]
        salt = ledger.new_salt()
        sealed = {"party": actor.party, "round": current.number,
                  "answer": "accept" if accept else "reject", "comment": comment}
        commitment = ledger.commitment(salt, sealed)
        # written with the leaf; the unique (talks, round, party) refuses a double answer
        change.insert(tables.SealedAnswer, talks_id=talks_id, round=current.number,
                      party=actor.party, accept=accept, comment=comment, salt=salt,
                      answered_by=actor.user_id, at=service.now())
        change.talks("answer-sealed", round=current.number, party=actor.party,
                     commitment=commitment)
        change.response = {"commitment": commitment}
        return commitment


def close_round(service: Service, principal: Principal, talks_id: str,
                idempotency: Idempotency = None) -> dict[str, Any]:
    """Close the open round: reveal every answer together and, for a whole package, push
    them through the engine (an agreement when all accepted; the talks end when the
    rounds run out); a partial package every party accepted becomes a provisional partial
    agreement. Mediator only. Returns the answers and what they led to."""
    with service.change(principal, talks_id, idempotency) as change:
        if change.replayed is not None:
            return dict(change.replayed)
        require_mediator(change)
        state = change.state
        current = state.current_round
        if current is None:
            raise Refused("no round is open.", field="round")
        rows = {row.party: row for row in change.session.execute(select(tables.SealedAnswer).where(
            tables.SealedAnswer.talks_id == talks_id,
            tables.SealedAnswer.round == current.number)).scalars()}
        answers: dict[str, dict[str, str]] = {}
        for party in state.parties:
            row = rows.get(party)
            if row is not None:
                answers[party] = {"answer": "accept" if row.accept else "reject",
                                  "comment": row.comment, "salt": row.salt}
            elif current.package is not None:
                answers[party] = {"answer": "reject", "comment": NO_ANSWER}
        change.talks("round-closed", round=current.number, answers=answers)
        outcome = "no package"
        assert state.driver is not None
        if current.package is not None and not current.partial and not state.driver.is_over:
            for party in state.parties:
                given = answers[party]
                kind = Accept if given["answer"] == "accept" else Reject
                log_event(change, kind(party, note=given["comment"]))
            outcome = state.status
            if state.status == "ended":
                change.talks("ended", reason=state.ended_because or "deadline")
                close_log(change)
        elif current.package is not None:
            if all(a["answer"] == "accept" for a in answers.values()):
                number = len(state.partials) + 1
                change.talks("partial-agreement", number=number, round=current.number,
                             package=current.package)
                outcome = f"partial agreement {number}"
            else:
                outcome = "partial package not agreed"
        change.response = {"round": current.number, "outcome": outcome,
                           "answers": {p: {"answer": a["answer"], "comment": a["comment"]}
                                       for p, a in answers.items()}}
        return dict(change.response)


def cosign(service: Service, principal: Principal, talks_id: str, note: str,
           idempotency: Idempotency = None) -> int:
    """Keep the head's co-signature of a checkpoint the service signed (the note with the
    head's line added, by the key it registered). Returns the checkpoint's size."""
    from tratado.records.note import VerifierKey

    with service.change(principal, talks_id, idempotency) as change:
        if change.replayed is not None:
            return int(change.replayed["size"])
        actor = change.actor
        if not actor.is_head or actor.party is None:
            raise NotAllowed("only a head of delegation co-signs checkpoints.", field="role")
        key = change.state.keys.get(actor.party)
        if key is None:
            raise Refused("register your signing key first.", field="verifier_key")
        size = ledger.add_cosignature(change.session, talks_id, actor.party,
                                      VerifierKey.parse(key), note, service.signer, service.now())
        change.response = {"size": size}
        return size


__all__ = ["NO_ANSWER", "answer", "close_round", "cosign", "log_event", "open_round", "propose",
           "schedule_round"]
