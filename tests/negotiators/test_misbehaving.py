"""Negotiators that misbehave: the session ends, the failing party is the one named, the
record replays, and nothing the negotiator holds reaches the session's own state."""

from __future__ import annotations

import sys
from typing import Any

import pytest
from engine_builders import make_scenario

from tratado.negotiators import Negotiator
from tratado.protocols import Event, Outcome, Propose
from tratado.session import Session, replay


class ProposesNone(Negotiator):
    name = "proposes-none"

    def propose(self, t: float) -> Outcome:
        return None  # type: ignore[return-value]


@pytest.mark.parametrize("first", [True, False])
def test_a_none_offer_fails_its_proposer_not_the_honest_party(first: bool) -> None:
    scenario = make_scenario(reservation=0.2, deadline=10)
    negotiators: list[Negotiator | str] = (
        [ProposesNone(), "boulware"] if first else ["boulware", ProposesNone()])
    result = Session(scenario, "alternating", negotiators, seed=1).run()
    bad = "p0" if first else "p1"
    assert result.reason == "error" and result.agreement is None
    assert [f["party"] for f in result.failures] == [bad]
    assert not any(isinstance(e, Propose) and e.outcome is None for e in result.events)
    assert replay(scenario, result.to_dict())
