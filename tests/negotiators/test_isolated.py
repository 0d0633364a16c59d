"""Process-isolated negotiators: same moves as in process, budgets that hold on moves
that never return, the talks' deadline that holds, and preferences kept apart."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from engine_builders import make_scenario
from misbehaving import SENTINEL

from tratado import LinearAdditive, Scenario
from tratado.negotiators.isolated import Isolated, isolated
from tratado.negotiators.plugins import NegotiatorError, describe_failure
from tratado.protocols import Propose, TimeUp, WalkAway
from tratado.session import Session, verify


def test_an_isolated_negotiator_plays_exactly_as_in_process() -> None:
    scenario = make_scenario(sizes=(5, 4), reservation=0.2, deadline=12)
    alone = Session(scenario, "alternating", ["boulware", isolated("frequency")], seed=4).run()
    inside = Session(scenario, "alternating", ["boulware", "frequency"], seed=4).run()
    assert alone.to_json(timing=False) == inside.to_json(timing=False)
    assert alone.negotiators["p1"]["name"] == "frequency"


@pytest.mark.parametrize("protocol", ["single-text", "mediated"])
def test_isolated_negotiators_take_part_in_every_protocol(protocol: str) -> None:
    scenario = make_scenario(sizes=(3, 3), reservation=0.1, deadline=6)
    alone = Session(scenario, protocol, [isolated("boulware"), "conceder"], seed=2).run()
    inside = Session(scenario, protocol, ["boulware", "conceder"], seed=2).run()
    assert alone.to_json(timing=False) == inside.to_json(timing=False)


def test_a_move_that_never_returns_is_stopped_at_its_budget() -> None:
    scenario = make_scenario(reservation=0.2, deadline=10)
    looping = isolated("misbehaving:Loops", budget=0.3)
    result = Session(scenario, "alternating", ["boulware", looping], seed=1).run()
    assert result.reason == "error"
    assert result.failures == [{"party": "p1", "negotiator": "misbehaving:Loops", "error":
                                "TimeoutError: its move took longer than its budget of 0.3 s;"
                                " its process was stopped"}]
    assert isinstance(result.events[-1], WalkAway) and result.events[-1].party == "p1"
    assert looping._child is None  # stopped


def test_the_sessions_move_budget_applies_to_an_isolated_negotiator() -> None:
    scenario = make_scenario(reservation=0.2, deadline=10)
    result = Session(scenario, "alternating", ["boulware", isolated("misbehaving:Loops")],
                     seed=1, move_budget=0.3).run()
    assert [f["party"] for f in result.failures] == ["p1"]
    assert result.failures[0]["error"].startswith("TimeoutError")


@pytest.mark.parametrize("protocol", ["alternating", "single-text", "mediated"])
def test_the_deadline_in_seconds_holds_with_a_hung_negotiator(protocol: str) -> None:
    scenario = make_scenario(reservation=0.2, deadline=10)
    result = Session(scenario, protocol, ["boulware", isolated("misbehaving:Loops")], seed=1,
                     protocol_options={"deadline_seconds": 0.5}).run()
    assert result.reason == "deadline" and result.agreement is None
    assert any(isinstance(e, TimeUp) for e in result.events)


def test_a_constructor_that_raises_in_its_process_is_a_clear_error() -> None:
    with pytest.raises(NegotiatorError, match="'misbehaving:RaisingInit' could not be created"
                       ".*RuntimeError \\(no constructor for me\\)"):
        isolated("misbehaving:RaisingInit")
    with pytest.raises(NegotiatorError, match="nosuchmodule"):
        isolated("nosuchmodule:Mine")


@pytest.mark.parametrize(("kind", "error"), [
    ("Exits", "SystemExit: 0"), ("Raises", "RuntimeError: boom"),
    ("Interrupts", "KeyboardInterrupt"), ("Nonsense", "refused: it answered something"),
])
def test_what_an_isolated_negotiator_did_wrong_is_its_failure(kind: str, error: str) -> None:
    scenario = make_scenario(reservation=0.2, deadline=10)
    proxy = isolated(f"misbehaving:{kind}")
    result = Session(scenario, "alternating", ["boulware", proxy], seed=1).run()
    assert [f["party"] for f in result.failures] == ["p1"]
    assert result.failures[0]["error"].startswith(error)
    assert verify(scenario, result.to_dict(), allow_plugins=True).reproduces


def _with_sentinel(scenario: Scenario) -> Scenario:
    """``scenario`` with party 0's weights holding the sentinel value."""
    first = scenario.parties[0]
    values = first.preferences.values  # type: ignore[attr-defined]
    marked = LinearAdditive(np.array([SENTINEL, 1.0 - SENTINEL]), values, 0.0)
    parties = (dataclasses.replace(first, preferences=marked), *scenario.parties[1:])
    return dataclasses.replace(scenario, parties=parties)


def _spy_note(result: object) -> str:
    events = result.events  # type: ignore[attr-defined]
    return next(e.note for e in events if isinstance(e, Propose) and e.party == "p1")


def test_an_isolated_spy_finds_no_other_partys_preferences() -> None:
    scenario = _with_sentinel(make_scenario(deadline=4))
    alone = Session(scenario, "alternating", ["hardliner", isolated("misbehaving:Spy")],
                    seed=1).run()
    assert _spy_note(alone) == "nothing"
    # the spy works: in process, where plug-ins are trusted code, it finds them
    inside = Session(scenario, "alternating", ["hardliner", "misbehaving:Spy"], seed=1).run()
    assert _spy_note(inside) == "found"


def test_the_child_is_stopped_when_the_talks_end_and_restarted_for_the_next() -> None:
    scenario = make_scenario(reservation=0.1, deadline=4)
    proxy = isolated("boulware")
    assert isinstance(proxy, Isolated) and type(proxy).name == "boulware"
    for seed in (1, 2):
        result = Session(scenario, "alternating", ["conceder", proxy], seed=seed).run()
        assert not result.failures and proxy._child is None


def test_a_child_that_ends_itself_is_that_negotiators_failure() -> None:
    scenario = make_scenario(reservation=0.2, deadline=10)
    result = Session(scenario, "alternating", ["boulware", isolated("misbehaving:Dies")],
                     seed=1).run()
    assert result.failures == [{"party": "p1", "negotiator": "misbehaving:Dies", "error":
                                "ProcessEnded: during its move, with exit code 3"}]
    assert describe_failure(result.failures[0]) == (
        "p1's negotiator (misbehaving:Dies) failed: it ended its own process during its move, with exit"
        " code 3.")


def test_a_large_request_reaches_the_child() -> None:
    scenario = make_scenario(sizes=(6000, 2), reservation=0.2, deadline=4)  # > 32 KiB
    alone = Session(scenario, "alternating", [isolated("boulware"), "conceder"], seed=1).run()
    inside = Session(scenario, "alternating", ["boulware", "conceder"], seed=1).run()
    assert not alone.failures
    assert alone.to_json(timing=False) == inside.to_json(timing=False)
