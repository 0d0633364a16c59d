"""Generic checks every built-in protocol passes: same seed, same bytes; replay
reproduces; the Venezuela example runs with the default negotiators; a failing party
is treated by the protocol's documented rule."""

from __future__ import annotations

import pytest
from engine_builders import make_scenario

from tratado.negotiators import DEFAULT_NEGOTIATOR, Negotiator, make
from tratado.protocols import Outcome, WalkAway, protocol_registry
from tratado.scenario import Scenario
from tratado.session import Session, check_replay, evaluate, replay
from tratado.session.replay import verify

PROTOCOLS = ("alternating", "single-text", "mediated")
PAIRS = [("boulware", "conceder"), ("frequency", "tit-for-tat"), ("random", "aspiration"),
         ("hardliner", "linear"), ("random", "random")]


def test_every_built_in_protocol_is_checked() -> None:
    built_in = {n for n, c in protocol_registry().items() if c.__module__.startswith("tratado.")}
    assert built_in == set(PROTOCOLS)


@pytest.mark.parametrize("protocol", PROTOCOLS)
@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_same_seed_same_bytes_and_replay(protocol: str, a: str, b: str) -> None:
    scenario = make_scenario(sizes=(4, 3, 3), deadline=25, reservation=0.1, opposed=False)
    first = Session(scenario, protocol, [a, b], seed=42).run()
    second = Session(scenario, protocol, [make(a), make(b)], seed=42).run()
    assert first.to_json(timing=False) == second.to_json(timing=False)
    assert check_replay(scenario, first.to_json()) is None
    three = make_scenario(sizes=(3, 3), n_parties=3, deadline=10, seed=2)
    result = Session(three, protocol, [a, b, "linear"], seed=7).run()
    assert result.failures == [] and replay(three, result.to_dict())


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_the_venezuela_example_runs_under_every_protocol(
    venezuela: Scenario, protocol: str
) -> None:
    result = Session(venezuela, protocol, [DEFAULT_NEGOTIATOR] * venezuela.n_parties,
                     seed=1).run()
    assert result.reason in ("agreement", "deadline", "rejection") and not result.failures
    assert replay(venezuela, result.to_json())
    evaluate(result)
    assert result.distance_to_pareto is not None and result.distance_to_pareto >= 0
    if protocol == "mediated":
        assert result.reason == "agreement" and result.distance_to_pareto == pytest.approx(0)


class Failing(Negotiator):
    """Fails on its first move in any protocol."""

    def propose(self, t: float) -> Outcome:
        raise RuntimeError("boom")

    def vote(self, draft: Outcome, change: Outcome, t: float) -> bool:
        raise RuntimeError("boom")

    def respond(self, proposal: Outcome, t: float) -> bool:
        raise RuntimeError("boom")


@pytest.mark.parametrize("protocol", PROTOCOLS)
@pytest.mark.parametrize("position", [0, 1])
def test_a_failing_party_counts_as_walking_away(protocol: str, position: int) -> None:
    """Documented rule in every built-in protocol: a party whose move fails walks away —
    the talks end at once without agreement (reason ``error``), the failure is reported
    by name, the answers others gave at the same time are dropped, and the record
    replays."""
    scenario = make_scenario(n_parties=3, reservation=0.2, deadline=10)
    negotiators: list[Negotiator | str] = ["linear", "linear", "linear"]
    negotiators[position] = Failing()
    result = Session(scenario, protocol, negotiators, seed=1).run()
    assert result.reason == "error" and result.agreement is None
    party = f"p{position}"
    assert result.failures == [{"party": party, "negotiator": f"{__name__}:Failing",
                                "error": "RuntimeError: boom"}]
    assert result.events[-1] == WalkAway(party, note="failure: RuntimeError: boom")
    # a plug-in is not re-run unless allowed: then only the rules are checked
    assert verify(scenario, result.to_dict()).status == "rules-only"
    assert verify(scenario, result.to_dict(), allow_plugins=True).reproduces
