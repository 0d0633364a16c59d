"""Negotiators that misbehave: the session ends, the failing party is the one named, the
record replays, and nothing the negotiator holds reaches the session's own state."""

from __future__ import annotations

import signal
from typing import Any

import pytest
from engine_builders import make_scenario
from misbehaving import KINDS

from tratado.negotiators import Negotiator
from tratado.negotiators.plugins import NegotiatorError
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


@pytest.mark.parametrize("kind", ["appends-to-record", "clears-record", "sets-deadline",
                                  "hacks-agenda", "hacks-own-preferences"])
def test_what_a_negotiator_writes_into_its_view_does_not_reach_the_session(kind: str) -> None:
    scenario = make_scenario(reservation=0.2, deadline=6)
    honest = Session(scenario, "alternating", ["hardliner", "boulware"], seed=2).run()
    result = Session(scenario, "alternating", [KINDS[kind](), "boulware"], seed=2).run()
    assert result.failures == []
    # the same moves as an honest hard-liner, the same record, and the record replays
    assert result.to_dict(timing=False)["log"] == honest.to_dict(timing=False)["log"]
    assert result.utilities == honest.utilities
    assert "HACKED" not in result.to_json() and scenario.agenda.issues[0].title != "HACKED"
    assert replay(scenario, result.to_dict())


@pytest.mark.parametrize("kind", ["exits", "interrupts", "raises", "nonsense"])
@pytest.mark.parametrize("protocol", ["alternating", "single-text", "mediated"])
def test_an_escape_from_a_move_fails_that_negotiator(kind: str, protocol: str) -> None:
    scenario = make_scenario(reservation=0.2, deadline=6)
    result = Session(scenario, protocol, ["boulware", KINDS[kind]()], seed=2).run()
    assert result.reason == "error"
    assert [f["party"] for f in result.failures] == ["p1"]
    assert result.failures[0]["negotiator"] == kind
    assert replay(scenario, result.to_dict())


def test_a_constructor_that_raises_is_a_clear_error_naming_the_negotiator() -> None:
    scenario = make_scenario()
    with pytest.raises(NegotiatorError, match="'misbehaving:RaisingInit' could not be created"
                       ".*RuntimeError \\(no constructor for me\\)"):
        Session(scenario, "alternating", ["boulware", "misbehaving:RaisingInit"])


def test_a_real_ctrl_c_still_stops_the_run() -> None:
    class PressesCtrlC(Negotiator):
        def act(self, state: Any) -> Event:
            signal.raise_signal(signal.SIGINT)
            raise AssertionError("not reached")

    scenario = make_scenario(deadline=6)
    with pytest.raises(KeyboardInterrupt):
        Session(scenario, "alternating", ["boulware", PressesCtrlC()], seed=1).run()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
