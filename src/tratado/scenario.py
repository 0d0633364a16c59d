"""A scenario: the agenda, the parties and their preferences, the roles, the rules.

This is the unit people write (YAML), load (GENIUS XML, GeniusWeb JSON), share and
analyse. Party order is explicit and kept in every round trip.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from tratado.agenda import Agenda
from tratado.errors import ScenarioError
from tratado.labels import clean_text
from tratado.parties import Party, Roles, Rules
from tratado.uncertainty import Uncertainty


@dataclass(frozen=True, eq=False, repr=False)
class Scenario:
    """Agenda + parties (in order) + roles + rules.

    ``uncertainty`` lists the numbers the file gave as estimates with their uncertainty
    (None for an exact scenario); the parties' preferences hold the estimates, so the
    scenario reads as one exact scenario everywhere (:mod:`tratado.uncertainty`). A
    scenario built or copied (``dataclasses.replace``) with an uncertainty whose
    estimates are not the numbers its parties and stakeholders hold is refused
    (:meth:`Uncertainty.check <tratado.uncertainty.Uncertainty.check>`): it would be
    written, fingerprinted and forecast with the old estimates. Pass
    ``uncertainty=None`` with new preferences to mean "exact".
    Stakeholders' effects are in ``roles.stakeholders``; they enter the preferences
    through :func:`tratado.stakeholders.with_stakeholders`.

    The repr is one short line that shows no party's preferences (they are confidential).
    """

    name: str
    agenda: Agenda
    parties: tuple[Party, ...]
    description: str | None = None
    roles: Roles = field(default_factory=Roles)
    rules: Rules = field(default_factory=Rules)
    sources: tuple[str, ...] = ()
    uncertainty: Uncertainty | None = None

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "name", clean_text(self.name))
            if self.description is not None:
                object.__setattr__(self, "description",
                                   clean_text(self.description, multiline=True))
        except ScenarioError as exc:
            raise ScenarioError(exc.message, field="name", fix=exc.fix) from None
        if len(self.parties) < 2:
            raise ScenarioError(
                f"a negotiation needs at least two parties; this one has {len(self.parties)}.",
                field="parties",
                fix="add another party with its preferences.",
            )
        seen: set[str] = set()
        for party in self.parties:
            if party.id in seen:
                raise ScenarioError(
                    f"two parties have the id '{party.id}'.",
                    field="parties",
                    fix="give each party a unique id.",
                )
            seen.add(party.id)
        if self.uncertainty is not None:
            self.uncertainty.check(self)

    def __repr__(self) -> str:
        return (f"Scenario({self.name!r}, parties={list(self.party_ids)!r}, "
                f"issues={len(self.agenda)}, outcomes={self.agenda.size:,})")

    @property
    def party_ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.parties)

    @property
    def n_parties(self) -> int:
        return len(self.parties)

    def party(self, party_id: str) -> Party:
        for party in self.parties:
            if party.id == party_id:
                return party
        raise ScenarioError(
            f"there is no party '{party_id}'.", fix=f"use one of: {', '.join(self.party_ids)}."
        )

    @property
    def reservation_values(self) -> np.ndarray:
        return np.array([p.preferences.reservation_value for p in self.parties], dtype=float)

    @property
    def is_additive(self) -> bool:
        return all(p.preferences.is_additive for p in self.parties)

    def utilities(self, outcomes: np.ndarray) -> np.ndarray:
        """Utility of each outcome row for every party: shape ``(m, n_parties)``."""
        outcomes = np.atleast_2d(np.asarray(outcomes, dtype=np.int64))
        return np.column_stack([p.preferences.utility(outcomes) for p in self.parties])

    def with_reservation_values(self, values: Mapping[str, float]) -> Scenario:
        """A copy in which the named parties' no-deal values are ``values`` (a what-if:
        "what if the government's alternative improved to 0.75?")."""
        changed = {self.party(party_id).id: float(v) for party_id, v in values.items()}
        parties = []
        for party in self.parties:
            if party.id in changed:
                try:
                    prefs = dataclasses.replace(party.preferences,  # type: ignore[type-var]
                                                reservation_value=changed[party.id])
                except ScenarioError as exc:
                    raise ScenarioError(f"party '{party.id}': {exc.message}", field=exc.field,
                                        fix=exc.fix) from None
                party = dataclasses.replace(party, preferences=prefs)
            parties.append(party)
        uncertainty = self.uncertainty
        if uncertainty is not None:  # a what-if fixes the value it sets
            uncertainty = uncertainty.fixing(f"parties.{party_id}.reservation"
                                             for party_id in changed)
        return dataclasses.replace(self, parties=tuple(parties), uncertainty=uncertainty)

    def utilities_of(self, choices: Mapping[str, object]) -> dict[str, float]:
        """``{party id: utility}`` for one outcome given as ``{issue: option}``."""
        row = self.agenda.outcome(choices)
        u = self.utilities(row[None, :])[0]
        return dict(zip(self.party_ids, map(float, u), strict=True))
