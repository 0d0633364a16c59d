"""The trusted neutral of the live talks: the package it proposes next.

The neutral is :class:`tratado.negotiators.mediators.Neutral`, the same code as in a
simulated ``mediated`` session: it reads every party's confidential preferences and the
public record of the moves so far (learning each party's demands from its rejections)
and proposes a rational Pareto package — the ``rule``'s best (``egalitarian`` or
``nash``) among those meeting what it has learned; after a settlement, a
post-settlement improvement. Only this module and each delegation's own requests read
preferences; what leaves it is a package, never a utility.

Binding partial agreements fix some issues: the neutral then proposes only packages
that keep them (:class:`BoundNeutral`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from tratado.negotiators.base import MediatorView, PublicScenario, Record
from tratado.negotiators.mediators import Neutral
from tratado.protocols.events import MediatorProposal, Outcome
from tratado.scenario import Scenario
from tratado.service.state import TalksState


class BoundNeutral(Neutral):
    """The neutral, kept to the options that binding partial agreements fixed."""

    def __init__(self, fixed: Mapping[int, int] | None = None) -> None:
        super().__init__()
        self.fixed = dict(fixed or {})

    def start(self) -> None:
        super().start()
        if self.fixed:
            rows = np.array(self._outcomes, dtype=np.int64).reshape(len(self._outcomes), -1)
            keeps = np.ones(len(rows), dtype=bool)
            for issue, option in self.fixed.items():
                keeps &= rows[:, issue] == option
            if keeps.any():  # else nothing on the frontier keeps them: propose freely
                self._rejected |= ~keeps


def next_package(state: TalksState, scenario: Scenario) -> Outcome:
    """The package the neutral proposes now in the talks ``state``, given the full
    ``scenario`` (every party's preferences)."""
    assert state.driver is not None
    protocol = state.protocol
    agenda = scenario.agenda
    fixed = {agenda.position(issue): agenda.issue(issue).index(option)
             for issue, option in state.binding_partials().items()}
    neutral = BoundNeutral(fixed)
    events = list(state.driver.events)
    view = MediatorView(protocol.mediator or "neutral", PublicScenario.of(scenario),
                        protocol.public_copy(), Record(events),
                        {p.id: p.preferences for p in scenario.parties})
    neutral.begin(view)
    move: Any = neutral.act(_proposing(state))
    assert isinstance(move, MediatorProposal)
    return tuple(int(i) for i in move.outcome)


def _proposing(state: TalksState) -> Any:
    """The engine state as the neutral reads it when it is asked to propose."""
    assert state.driver is not None
    return state.driver.state
