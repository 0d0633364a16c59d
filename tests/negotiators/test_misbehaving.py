"""Negotiators that misbehave: the session ends, the failing party is the one named, the
record replays, and nothing the negotiator holds reaches the session's own state."""

from __future__ import annotations

import signal
from typing import Any

import pytest
from engine_builders import make_scenario
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from misbehaving import KINDS

from tratado.negotiators import Negotiator
from tratado.negotiators.plugins import NegotiatorError
from tratado.protocols import Event, Outcome, Propose
from tratado.session import Session, verify

PROTOCOLS = ("alternating", "single-text", "mediated")
# (an endless loop is fuzzed only in a process of its own: in process nothing can stop it)


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
    assert verify(scenario, result.to_dict(), allow_plugins=True).reproduces


@pytest.mark.parametrize("kind", ["sets-deadline", "hacks-agenda", "hacks-own-preferences"])
def test_what_a_negotiator_writes_into_its_view_does_not_reach_the_session(kind: str) -> None:
    scenario = make_scenario(reservation=0.2, deadline=6)
    honest = Session(scenario, "alternating", ["hardliner", "boulware"], seed=2).run()
    result = Session(scenario, "alternating", [KINDS[kind](), "boulware"], seed=2).run()
    assert result.failures == []
    # the same moves as an honest hard-liner, the same record, and the record replays
    assert result.to_dict(timing=False)["log"] == honest.to_dict(timing=False)["log"]
    assert result.utilities == honest.utilities
    assert "HACKED" not in result.to_json() and scenario.agenda.issues[0].title != "HACKED"
    assert verify(scenario, result.to_dict(), allow_plugins=True).reproduces


@pytest.mark.parametrize("kind", ["appends-to-record", "clears-record"])
def test_a_negotiator_cannot_write_into_the_record(kind: str) -> None:
    # the record is a read-only view of the session's log: trying to change it is that
    # negotiator's failure, and the session's log stays what the rules accepted
    scenario = make_scenario(reservation=0.2, deadline=6)
    result = Session(scenario, "alternating", [KINDS[kind](), "boulware"], seed=2).run()
    assert [f["party"] for f in result.failures] == ["p0"]
    assert "AttributeError" in result.failures[0]["error"]
    assert len(result.events) == 1 and result.reason == "error"
    assert verify(scenario, result.to_dict(), allow_plugins=True).reproduces


@pytest.mark.parametrize("kind", ["exits", "interrupts", "raises", "nonsense"])
@pytest.mark.parametrize("protocol", ["alternating", "single-text", "mediated"])
def test_an_escape_from_a_move_fails_that_negotiator(kind: str, protocol: str) -> None:
    scenario = make_scenario(reservation=0.2, deadline=6)
    result = Session(scenario, protocol, ["boulware", KINDS[kind]()], seed=2).run()
    assert result.reason == "error"
    assert [f["party"] for f in result.failures] == ["p1"]
    assert result.failures[0]["negotiator"] == f"misbehaving:{KINDS[kind].__name__}"
    assert verify(scenario, result.to_dict(), allow_plugins=True).reproduces


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


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kind=st.sampled_from(sorted(set(KINDS) - {"loops"})), protocol=st.sampled_from(PROTOCOLS),
       position=st.integers(0, 2), n_parties=st.integers(2, 3), seed=st.integers(0, 3))
def test_fuzz_a_misbehaving_plugin_ends_the_session_sanely(
    kind: str, protocol: str, position: int, n_parties: int, seed: int
) -> None:
    scenario = make_scenario(sizes=(3, 3), n_parties=n_parties, reservation=0.1, deadline=5,
                             seed=seed)
    position %= n_parties
    negotiators: list[Negotiator | str] = ["conceder"] * n_parties
    negotiators[position] = KINDS[kind]()
    result = Session(scenario, protocol, negotiators, seed=seed).run()
    bad = scenario.party_ids[position]
    assert {f["party"] for f in result.failures} <= {bad}  # nobody else is blamed
    if result.failures:
        assert result.failures[0]["negotiator"] == f"misbehaving:{KINDS[kind].__name__}"
    assert result.reason in ("agreement", "deadline", "walk-away", "rejection", "error")
    assert "HACKED" not in result.to_json()
    assert verify(scenario, result.to_dict(), allow_plugins=True).reproduces  # the record replays
