"""Acceptance rules are small pieces that combine."""

from __future__ import annotations

from engine_builders import make_scenario

from tratado.negotiators import (
    AcceptAbove,
    AcceptAboveReservation,
    AcceptAfter,
    AcceptNext,
    Never,
    make,
)
from tratado.negotiators.base import Negotiator, NegotiatorView, Record
from tratado.protocols import AlternatingOffers
from tratado.session import public_scenario


def started(reservation: float = 0.3) -> Negotiator:
    scenario = make_scenario(sizes=(5,), reservation=reservation)
    negotiator = make("linear")
    party = scenario.parties[0]  # values 0, .25, .5, .75, 1 on the only issue
    negotiator.begin(NegotiatorView(party.id, party.preferences, public_scenario(scenario),
                                    AlternatingOffers.for_scenario(scenario), Record([])))
    return negotiator


def test_each_rule() -> None:
    n = started()
    low, mid, high = (1,), (2,), (4,)
    assert AcceptNext()(n, high, 0.0, mid) and not AcceptNext()(n, low, 0.0, mid)
    assert AcceptNext(margin=0.1)(n, (3,), 0.0, mid)
    assert AcceptAbove(0.5)(n, mid, 0.0, high) and not AcceptAbove(0.5)(n, low, 0.0, high)
    assert AcceptAboveReservation()(n, mid, 0.0, high)
    assert not AcceptAboveReservation()(n, (0,), 0.0, high)
    assert AcceptAfter(0.9)(n, low, 0.95, high) and not AcceptAfter(0.9)(n, low, 0.5, high)
    assert not Never()(n, high, 1.0, low)


def test_combinations() -> None:
    n = started()
    late_and_good = AcceptAfter(0.9) & AcceptAboveReservation()
    rule = AcceptNext() | late_and_good
    assert rule(n, (2,), 0.95, (4,))
    assert not rule(n, (2,), 0.5, (4,))
    assert not rule(n, (0,), 0.95, (4,))
    assert "AcceptAfter(0.9)" in repr(rule)


def test_a_negotiator_takes_its_rule_as_a_parameter() -> None:
    scenario = make_scenario(deadline=10)
    from tratado.session import Session

    stubborn = make("conceder", acceptance=Never())
    result = Session(scenario, "alternating", [stubborn, make("hardliner")], seed=1).run()
    assert all(e.kind != "accept" or e.party != "p0" for e in result.events)
