"""A delegation's own preferences, read for its own pages only (never for another party's,
the mediator's or an observer's): as tratado preferences, as points and ratings, and the
score they give the packages on the table."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tratado.preferences import LinearAdditive
from tratado.service import talks
from tratado.service.auth import Principal
from tratado.service.base import Service
from tratado.service.elicitation import TOP, StatedPreferences, from_preferences, score

Agenda = Any


def my_preferences(service: Service, principal: Principal,
                   talks_id: str) -> tuple[Agenda, str, LinearAdditive | None]:
    """The talks' agenda, the principal's party and its preferences (``None`` until
    entered, or when they are not issue weights and option values). Refused by the
    service for anyone but a member of a delegation."""
    from tratado.formats.yaml_format import scenario_from_dict

    mine = talks.my_preferences(service, principal, talks_id)
    _, state = service.read(principal, talks_id)
    public = state.opening["public_scenario"]
    party = str(mine["party"])
    assert state.scenario is not None
    if mine["preferences"] is None:
        return state.scenario.agenda, party, None
    data = {"tratado": 1, "name": public["name"], "agenda": public["agenda"], "rules": public["rules"],
            "parties": [{"id": p["id"], "preferences": dict(mine["preferences"]) if p["id"] == party
                         else {"type": "table"}} for p in public["parties"]]}
    preferences = scenario_from_dict(data).party(party).preferences
    return (state.scenario.agenda, party,
            preferences if isinstance(preferences, LinearAdditive) else None)


def stated(service: Service, principal: Principal, talks_id: str
           ) -> tuple[Agenda, str, LinearAdditive | None, StatedPreferences | None]:
    """:func:`my_preferences` and the same as points and ratings."""
    agenda, party, preferences = my_preferences(service, principal, talks_id)
    return agenda, party, preferences, (None if preferences is None
                                        else from_preferences(agenda, preferences))


def my_scores(service: Service, principal: Principal, talks_id: str,
              view: Mapping[str, Any]) -> dict[str, Any]:
    """For a delegation's page: its reservation score and the score of each round's
    package (whole packages only), by its own preferences."""
    agenda, _party, preferences = my_preferences(service, principal, talks_id)
    if preferences is None:
        return {"entered": False, "rounds": {}, "reservation": None}
    by_round = {}
    for current in view["rounds"]:
        package = current.get("package")
        if package and len(package) == len(agenda):
            by_round[current["number"]] = round(score(agenda, preferences, package), 1)
    return {"entered": True, "rounds": by_round,
            "reservation": round(float(preferences.reservation_value) * TOP, 1)}
