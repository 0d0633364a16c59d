"""The service functions: setting up the talks, the delegations' preferences, and the
lifecycle (launch, suspend, resume, end).

The heads' keys and signatures are in :mod:`tratado.service.signing` (their functions
are importable from here too), the rounds (schedule, open, propose, answer, close) in
:mod:`tratado.service.rounds`, what each principal may read in
:mod:`tratado.service.views`. Pages and the JSON API call these functions, never the
database: every function checks the principal's role and party itself, on the server,
inside the transaction that makes the change (see :mod:`tratado.service.base`), and
refuses with a :class:`~tratado.service.errors.ServiceError` that names the field and
the fix.

Each function takes the :class:`~tratado.service.base.Service`, the
:class:`~tratado.service.auth.Principal` asking (as the login found it: the function finds
its role in the talks), the talks' id, then its own arguments; those that change the talks
take an optional ``idempotency`` pair ``(key, request hash)``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select

from tratado.errors import TratadoError
from tratado.preferences import Preferences
from tratado.protocols.mediated import RULES
from tratado.records.build import public_fingerprint, public_scenario
from tratado.records.canonical import canonical_value
from tratado.scenario import Scenario
from tratado.service import auth, ledger, tables
from tratado.service.auth import Principal
from tratado.service.base import Change, Service
from tratado.service.errors import BadInput, NotAllowed, Refused
from tratado.service.signing import close_log, document_text, register_key, sign
from tratado.service.state import TalksState

TALKS_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
Idempotency = tuple[str, str] | None


def require_mediator(change: Change) -> None:
    """Refuse anyone but the talks' mediator."""
    if not change.actor.is_mediator:
        raise NotAllowed("only the mediator of these talks may do this.", field="role")


def require_open(state: TalksState) -> None:
    """Refuse a change once the talks are over."""
    if state.status in ("concluded", "ended"):
        raise Refused(f"the talks are {state.status}.", field="status",
                      fix="nothing more can happen in these talks; export their record.")


# -- creating and setting up -------------------------------------------------------------


def create_talks(service: Service, principal: Principal, scenario: Scenario, *,
                 talks_id: str | None = None, title: str | None = None, context: str = "",
                 rule: str = "egalitarian", post_settlement: bool = True,
                 with_preferences: bool = False) -> str:
    """Create talks on ``scenario`` (its agenda, parties, rules) with the creator as
    their mediator; returns the talks' id (``talks_id``, default from the scenario's
    name). Only a service administrator creates talks. ``with_preferences``: also enter
    every party's preferences from the scenario (when the mediator holds the whole file,
    e.g. for a rehearsal); by default each delegation enters its own."""
    if not principal.is_admin:
        raise NotAllowed("only an administrator of the service creates talks.", field="role",
                         fix="ask the service's administrator to create them or to make you one.")
    talks_id = talks_id or re.sub(r"[^a-z0-9]+", "-", scenario.name.lower()).strip("-")[:63]
    if not TALKS_ID.match(talks_id or ""):
        raise BadInput(f"'{(talks_id or '')[:64]}' cannot name talks.", field="talks_id",
                       fix="use lower-case letters, digits and dashes (e.g. venezuela-2021).")
    if rule not in RULES:
        raise BadInput(f"'{rule}' is not a rule of the neutral.", field="rule",
                       fix=f"use one of {', '.join(RULES)}.")
    from tratado.protocols.mediated import Mediated

    try:
        protocol = Mediated.for_scenario(scenario, rule=rule, post_settlement=post_settlement,
                                         agreement="package")
    except (TratadoError, ValueError) as error:
        raise BadInput(f"these talks cannot run on this scenario ({error}).",
                       field="scenario") from None
    opening = {"tratado_record": 1, "view": "public",
               "scenario": {"name": scenario.name, "public_sha256": public_fingerprint(scenario)},
               "protocol": {"name": "mediated", **protocol.params()},
               "parties": list(scenario.party_ids), "public_scenario": public_scenario(scenario)}
    with service.db.write() as session:
        if session.get(tables.Talks, talks_id) is not None:
            raise Refused(f"there are already talks '{talks_id}'.", field="talks_id",
                          fix="choose another id.")
        session.add(tables.Talks(id=talks_id, title=title or scenario.name,
                                 model=canonical_value(opening["public_scenario"]),
                                 protocol=canonical_value(opening["protocol"]), context=context,
                                 version=0, created_at=service.now()))
        session.flush()
        session.add(tables.Membership(talks_id=talks_id, user_id=principal.user_id,
                                      role="mediator"))
    with service.change(principal, talks_id) as change:
        change.log({"opening": opening})
        change.talks("created", title=title or scenario.name, context=context)
        if with_preferences:
            for party in scenario.parties:
                _store_preferences(change, party.id, party.preferences, scenario)
    return talks_id


def scenario_from_scratch(name: str, issues: Sequence[Mapping[str, Any]],
                          parties: Sequence[Mapping[str, Any]], *, deadline: int = 30,
                          off_agenda: Sequence[str] = ()) -> Scenario:
    """A scenario for talks set up from scratch: ``issues`` (``{"name", "title",
    "options"}``), ``parties`` (``{"id", "name"}``), the rounds limit; every party's
    preferences blank, for each delegation to enter. ``BadInput`` naming the field when
    something is missing or malformed."""
    from tratado.formats.yaml_format import scenario_from_dict

    data = {"tratado": 1, "name": name,
            "agenda": {"issues": [dict(i) for i in issues],
                       "off_agenda": [{"topic": t} for t in off_agenda]},
            "parties": [{**dict(p), "preferences": {"type": "table"}} for p in parties],
            "rules": {"deadline": deadline, "agreement": "package"}}
    if not off_agenda:
        del data["agenda"]["off_agenda"]  # type: ignore[attr-defined]
    try:
        return scenario_from_dict(data)
    except TratadoError as error:
        raise BadInput(error.message, field=error.field, fix=error.fix) from None


def invite(service: Service, principal: Principal, talks_id: str, *, email: str, name: str,
           role: str, party: str | None = None, idempotency: Idempotency = None) -> str:
    """Invite someone into the talks as ``role`` (``head`` or ``delegate`` of ``party``,
    ``observer``, or a second ``mediator``); returns the one-time token of the invitation
    link. Mediator only. The log says a role was invited, never who."""
    with service.change(principal, talks_id, idempotency) as change:
        if change.replayed is not None:
            return str(change.replayed["token"])
        require_mediator(change)
        require_open(change.state)
        if role not in auth.ROLES:
            raise BadInput(f"'{role}' is not a role in talks.", field="role",
                           fix=f"use one of {', '.join(auth.ROLES)}.")
        needs_party = role in ("head", "delegate")
        if needs_party and party not in change.state.parties:
            raise BadInput(f"'{party}' is not a party to these talks.", field="party",
                           fix=f"use one of {', '.join(change.state.parties)}.")
        if role == "head" and any(i["role"] == "head" and i["party"] == party
                                  for i in change.state.invited):
            raise Refused(f"{party} already has a head of delegation.", field="role",
                          fix="invite this person as a delegate.")
        token = auth.make_invitation(change.session, email=email, name=name, role=role,
                                     party=party if needs_party else None, talks_id=talks_id,
                                     created_by=principal.user_id)
        change.talks("invited", role=role, party=party if needs_party else None)
        change.response = {"token": token}
        return token


# -- preferences ---------------------------------------------------------------------------


def _full_scenario(state: TalksState, preferences: Mapping[str, Mapping[str, Any]]) -> Scenario:
    """The scenario of the talks with the given preferences (blank for the others)."""
    from tratado.formats.yaml_format import scenario_from_dict

    public = state.opening["public_scenario"]
    data = {"tratado": 1, "name": public["name"], "agenda": public["agenda"],
            "rules": public["rules"],
            "parties": [{**{k: v for k, v in p.items() if v is not None},
                         "preferences": dict(preferences.get(p["id"], {"type": "table"}))}
                        for p in public["parties"]]}
    return scenario_from_dict(data)


def _store_preferences(change: Change, party: str, preferences: Preferences | Mapping[str, Any],
                       source: Scenario | None = None) -> str:
    from tratado.formats.yaml_write import preferences_to_dict

    state = change.state
    if party not in state.parties:
        raise BadInput(f"'{party}' is not a party to these talks.", field="party")
    if isinstance(preferences, Preferences):
        agenda = (source or _full_scenario(state, {})).agenda
        try:
            data = preferences_to_dict(agenda, preferences)
        except (IndexError, ValueError, TypeError):
            raise BadInput("these preferences are for another agenda.", field="preferences",
                           fix="state them over the issues and options of these talks.") from None
    else:
        data = dict(preferences)
    try:
        checked = _full_scenario(state, {party: data})
    except TratadoError as error:
        raise BadInput(error.message, field=f"preferences.{error.field or ''}".rstrip("."),
                       fix=error.fix) from None
    data = preferences_to_dict(checked.agenda, checked.party(party).preferences)
    salt = ledger.new_salt()
    row = change.session.get(tables.PreferencesRow, (change.talks_id, party))
    text = canonical_value(data)
    if row is None:
        change.session.add(tables.PreferencesRow(talks_id=change.talks_id, party=party, data=text,
                                                 salt=salt, entered_by=change.actor.user_id,
                                                 at=change.service.now()))
    else:
        row.data, row.salt, row.entered_by, row.at = text, salt, change.actor.user_id, \
            change.service.now()
    commitment = ledger.commitment(salt, data)
    change.talks("preferences", party=party, commitment=commitment)
    return commitment


def set_preferences(service: Service, principal: Principal, talks_id: str, party: str,
                    preferences: Preferences | Mapping[str, Any] | Scenario,
                    idempotency: Idempotency = None) -> str:
    """Enter or replace ``party``'s confidential preferences — a tratado
    :class:`~tratado.preferences.Preferences`, its dict form (as in a scenario file), or a
    scenario file's model whose party ``party`` holds them. Only a member of that
    delegation. Returns the commitment written to the log (the salt stays with the
    preferences: :func:`my_preferences`)."""
    with service.change(principal, talks_id, idempotency) as change:
        if change.replayed is not None:
            return str(change.replayed["commitment"])
        if not change.actor.of(party):
            raise NotAllowed(f"only {party}'s delegation may enter {party}'s preferences.",
                             field="party")
        require_open(change.state)
        if change.state.status == "agreed":
            raise Refused("every party has accepted a package; preferences no longer change.",
                          field="status")
        source = None
        if isinstance(preferences, Scenario):
            if party not in preferences.party_ids:
                raise BadInput(f"the scenario has no party '{party}'.", field="party",
                               fix="give the scenario file your delegation uses, with its id.")
            source, preferences = preferences, preferences.party(party).preferences
            if source.agenda.shape != _full_scenario(change.state, {}).agenda.shape:
                raise BadInput("the scenario's agenda is not the agenda of these talks.",
                               field="scenario", fix="give a scenario over the same issues.")
        commitment = _store_preferences(change, party, preferences, source)
        change.response = {"commitment": commitment}
        return commitment


def my_preferences(service: Service, principal: Principal, talks_id: str) -> dict[str, Any]:
    """The principal's own delegation's preferences: ``{"party", "preferences" (dict
    form), "salt", "commitment"}`` — or ``preferences`` None when not entered yet. A
    member of a delegation only; no one reads another delegation's."""
    with service.db.read() as session:
        from tratado.service.base import member

        actor = member(session, principal, talks_id)
        if not actor.in_delegation or actor.party is None:
            raise NotAllowed("only a delegation reads its own preferences; the mediator and"
                             " observers never see any.", field="role")
        row = session.get(tables.PreferencesRow, (talks_id, actor.party))
        if row is None:
            return {"party": actor.party, "preferences": None, "salt": None, "commitment": None}
        data = json.loads(row.data)
        return {"party": actor.party, "preferences": data, "salt": row.salt,
                "commitment": ledger.commitment(row.salt, data)}


def neutral_scenario(change: Change) -> Scenario:
    """The talks' scenario with every party's preferences: for the neutral only."""
    rows = change.session.execute(select(tables.PreferencesRow).where(
        tables.PreferencesRow.talks_id == change.talks_id)).scalars().all()
    found = {row.party: json.loads(row.data) for row in rows}
    missing = [p for p in change.state.parties if p not in found]
    if missing:
        raise Refused(f"the neutral needs every party's preferences; {', '.join(missing)} has"
                      " not entered them.", field="preferences",
                      fix="ask that delegation to enter its preferences, or propose by hand.")
    return _full_scenario(change.state, found)


# -- the lifecycle -------------------------------------------------------------------------


def launch(service: Service, principal: Principal, talks_id: str,
           idempotency: Idempotency = None) -> None:
    """Launch the talks: every party has entered its preferences and every head has
    signed the launching document. Mediator only."""
    with service.change(principal, talks_id, idempotency) as change:
        if change.replayed is not None:
            return
        require_mediator(change)
        state = change.state
        if state.status != "draft":
            raise Refused(f"the talks are {state.status}, not a draft.", field="status")
        missing = [p for p in state.parties if p not in state.preferences]
        unsigned = [p for p in state.parties if p not in state.signatures.get("launch", {})]
        if missing or unsigned:
            lacking = []
            if missing:
                lacking.append(f"no preferences from {', '.join(missing)}")
            if unsigned:
                lacking.append("the launching document is not signed by the head of"
                               f" {', '.join(unsigned)}")
            raise Refused(f"the talks cannot be launched yet: {'; '.join(lacking)}.",
                          field="status", fix="wait until every delegation has done both.")
        change.talks("launched")


def suspend(service: Service, principal: Principal, talks_id: str, reason: str = "",
            idempotency: Idempotency = None) -> None:
    """Suspend the talks (no round opens until resumed). Mediator only."""
    with service.change(principal, talks_id, idempotency) as change:
        if change.replayed is not None:
            return
        require_mediator(change)
        if change.state.status not in ("launched", "in session"):
            raise Refused(f"the talks are {change.state.status}; only talks under way are"
                          " suspended.", field="status")
        if change.state.current_round is not None:
            raise Refused("a round is open.", field="status", fix="close the round first.")
        change.talks("suspended", reason=reason[:2000])


def resume(service: Service, principal: Principal, talks_id: str,
           idempotency: Idempotency = None) -> None:
    """Resume suspended talks. Mediator only."""
    with service.change(principal, talks_id, idempotency) as change:
        if change.replayed is not None:
            return
        require_mediator(change)
        if change.state.status != "suspended":
            raise Refused("the talks are not suspended.", field="status")
        change.talks("resumed")


def end(service: Service, principal: Principal, talks_id: str, reason: str = "",
        idempotency: Idempotency = None) -> None:
    """End the talks without agreement (the neutral walks away in the engine's terms).
    Mediator only; not once every party has accepted a package."""
    from tratado.protocols.events import WalkAway

    with service.change(principal, talks_id, idempotency) as change:
        if change.replayed is not None:
            return
        require_mediator(change)
        state = change.state
        require_open(state)
        if state.status == "agreed":
            raise Refused("every party has accepted a package; it awaits the heads' signatures.",
                          field="status")
        if state.current_round is not None:
            raise Refused("a round is open.", field="status", fix="close the round first.")
        from tratado.service.rounds import log_event

        log_event(change, WalkAway(state.protocol.mediator or "neutral",
                                   note=reason[:500] or "the mediator ended the talks"))
        change.talks("ended", reason=reason[:2000] or "ended by the mediator")
        close_log(change)


__all__ = ["close_log", "create_talks", "scenario_from_scratch", "document_text", "end", "invite", "launch",
           "my_preferences", "neutral_scenario", "register_key", "require_mediator",
           "require_open", "resume", "set_preferences", "sign", "suspend"]
