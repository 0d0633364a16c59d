"""A delegation's own preferences, read for its own pages only (never for another party's,
the mediator's or an observer's): as tratado preferences, as points and ratings, and the
score they give the packages on the table."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from tratado.preferences import LinearAdditive, Preferences
from tratado.service import talks
from tratado.service.auth import Principal
from tratado.service.base import Service
from tratado.service.elicitation import TOP, StatedPreferences, from_preferences, score

if TYPE_CHECKING:
    from tratado.service.state import TalksState

Agenda = Any


def my_preferences(service: Service, principal: Principal, talks_id: str,
                   state: TalksState | None = None) -> tuple[Agenda, str, LinearAdditive | None]:
    """The talks' agenda, the principal's party and its preferences (``None`` until
    entered, or when they are not issue weights and option values). Refused by the
    service for anyone but a member of a delegation. ``state``: the talks' state when
    the caller has read it already."""
    mine = talks.my_preferences(service, principal, talks_id)
    if state is None:
        _, state = service.read(principal, talks_id)
    party = str(mine["party"])
    assert state.scenario is not None
    if mine["preferences"] is None:
        return state.scenario.agenda, party, None
    preferences = _parsed(json.dumps(state.opening["public_scenario"], sort_keys=True), party,
                          json.dumps(mine["preferences"], sort_keys=True))
    return (state.scenario.agenda, party,
            preferences if isinstance(preferences, LinearAdditive) else None)


@lru_cache(maxsize=64)
def _parsed(public_text: str, party: str, preferences_text: str) -> Preferences:
    """A delegation's stored preferences (their scenario-file form) read on the talks'
    agenda; kept for the next page of the same delegation (a page is drawn every few
    seconds; reading the form checks every field)."""
    from tratado.formats.yaml_format import scenario_from_dict

    public = json.loads(public_text)
    data = {"tratado": 1, "name": public["name"], "agenda": public["agenda"], "rules": public["rules"],
            "parties": [{"id": p["id"], "preferences": json.loads(preferences_text) if p["id"] == party
                         else {"type": "table"}} for p in public["parties"]]}
    return scenario_from_dict(data).party(party).preferences


def stated(service: Service, principal: Principal, talks_id: str, state: TalksState | None = None
           ) -> tuple[Agenda, str, LinearAdditive | None, StatedPreferences | None]:
    """:func:`my_preferences` and the same as points and ratings."""
    agenda, party, preferences = my_preferences(service, principal, talks_id, state)
    return agenda, party, preferences, (None if preferences is None
                                        else from_preferences(agenda, preferences))


def my_scores(service: Service, principal: Principal, talks_id: str,
              view: Mapping[str, Any], state: TalksState | None = None) -> dict[str, Any]:
    """For a delegation's page: its reservation score and the score of each round's
    package (whole packages only), by its own preferences."""
    agenda, _party, preferences = my_preferences(service, principal, talks_id, state)
    if preferences is None:
        return {"entered": False, "rounds": {}, "reservation": None}
    by_round = {}
    for current in view["rounds"]:
        package = current.get("package")
        if package and len(package) == len(agenda):
            by_round[current["number"]] = round(score(agenda, preferences, package), 1)
    return {"entered": True, "rounds": by_round,
            "reservation": round(float(preferences.reservation_value) * TOP, 1)}
