"""The mediator API of sessions, exercised by a toy mediated protocol: the mediator
takes part, parties answer simultaneously, and a mediator sees preferences only when
the protocol trusts it."""

from __future__ import annotations

from typing import Any, NamedTuple

import pytest
from engine_builders import make_scenario, reachable

from tratado.negotiators import Mediator, Negotiator, make
from tratado.protocols import (
    Accept,
    Event,
    EventRefused,
    MediatorProposal,
    Outcome,
    Protocol,
    ProtocolResult,
    Reject,
)
from tratado.scenario import Scenario
from tratado.session import Session


class ToyState(NamedTuple):
    round: int = 0
    proposal: Outcome | None = None
    answers: tuple[tuple[str, bool], ...] = ()
    reason: str | None = None


class ToyMediated(Protocol[ToyState]):
    """The mediator proposes; every party answers at once; unanimity agrees."""

    name = "toy-mediated"
    mediator_sees_preferences = True

    def __init__(self, parties: Any, shape: Any, deadline: int = 5) -> None:
        super().__init__(parties, shape)
        self.mediator = "mediator"
        self.deadline = deadline

    @classmethod
    def for_scenario(cls, scenario: Scenario, **options: Any) -> ToyMediated:
        return cls(scenario.party_ids, scenario.agenda.shape, **options)

    def params(self) -> dict[str, Any]:
        return {"deadline": self.deadline}

    def initial_state(self) -> ToyState:
        return ToyState()

    def step(self, state: ToyState, event: Event) -> ToyState:
        if state.reason:
            raise EventRefused("over")
        if state.proposal is None:
            if not isinstance(event, MediatorProposal) or event.party != "mediator":
                raise EventRefused("the mediator proposes first")
            return state._replace(proposal=self.check_outcome(event.outcome))
        if not isinstance(event, Accept | Reject) or event.party in dict(state.answers):
            raise EventRefused("answer once, accept or reject")
        answers = (*state.answers, (event.party, isinstance(event, Accept)))
        if len(answers) < len(self.parties):
            return state._replace(answers=answers)
        if all(yes for _, yes in answers):
            return state._replace(answers=answers, reason="agreement")
        over = "rejection" if state.round + 1 >= self.deadline else None
        return ToyState(state.round + 1, None, (), over)

    def whose_turn(self, state: ToyState) -> tuple[str, ...]:
        if state.reason:
            return ()
        if state.proposal is None:
            return ("mediator",)
        return tuple(p for p in self.parties if p not in dict(state.answers))

    def expected(self, state: ToyState) -> dict[str, tuple[type[Event], ...]]:
        kinds = (MediatorProposal,) if state.proposal is None else (Accept, Reject)
        return {p: kinds for p in self.whose_turn(state)}

    def result(self, state: ToyState) -> ProtocolResult:
        agreement = state.proposal if state.reason == "agreement" else None
        return ProtocolResult(agreement, state.reason, state.round, 0)

    def round(self, state: ToyState) -> int:
        return state.round

    def time(self, state: ToyState) -> float:
        return state.round / self.deadline

    def subject(self, state: ToyState) -> Outcome | None:
        return state.proposal

    def ask(self, negotiator: Negotiator, state: ToyState) -> Event:
        assert state.proposal is not None
        yes = negotiator.respond(state.proposal, self.time(state))
        return Accept(negotiator.party) if yes else Reject(negotiator.party)

    def failure_event(self, party: str, state: ToyState, note: str) -> Event:
        return Reject(party, note=note)


class RandomMediator(Mediator):
    name = "random-mediator"

    def act(self, state: Any) -> Event:
        shape = self.view.scenario.agenda.shape
        return MediatorProposal(self.view.party, tuple(int(self.rng.integers(n)) for n in shape))


def test_a_mediator_takes_part_and_parties_answer_together() -> None:
    scenario = make_scenario(sizes=(3, 3), n_parties=3, deadline=5, reservation=0.2)
    protocol = ToyMediated.for_scenario(scenario, deadline=30)
    mediator = RandomMediator()
    seen: list[int] = []

    class Watcher(Negotiator):
        def respond(self, proposal: Outcome, t: float) -> bool:
            seen.append(len(self.view.record))
            return super().respond(proposal, t)

    class Failing(Negotiator):
        def respond(self, proposal: Outcome, t: float) -> bool:
            raise RuntimeError("cannot answer")

    negotiators = [Watcher(), make("boulware"), Failing()]
    result = Session(scenario, protocol, negotiators, seed=3, mediator=mediator).run()
    assert result.negotiators["mediator"] == {"name": f"{__name__}:RandomMediator", "params": {}}
    assert result.reason in ("error", "rejection")
    assert all(e.kind == "reject" for e in result.events if e.party == "p2")
    assert all(seen.count(k) == 1 for k in set(seen))
    assert set(mediator.view.preferences) == set(scenario.party_ids)
    assert result.failures[0]["negotiator"].endswith("Failing")
    twice = Session(scenario, protocol, [Watcher(), make("boulware"), Failing()], seed=3,
                    mediator=RandomMediator()).run()
    assert twice.to_json(timing=False) == result.to_json(timing=False)
    with pytest.raises(ValueError):
        Session(scenario, protocol, ["boulware"] * 3)


def test_a_mediator_sees_no_preferences_unless_the_protocol_trusts_it() -> None:
    scenario = make_scenario(n_parties=2)

    class Untrusted(ToyMediated):
        name = "toy-untrusted"
        mediator_sees_preferences = False

    mediator = RandomMediator()
    Session(scenario, Untrusted.for_scenario(scenario), ["boulware", "boulware"], seed=1,
            mediator=mediator).run()
    assert dict(mediator.view.preferences) == {}
    found = {id(o) for o in reachable(mediator)}
    assert not any(id(p.preferences) in found for p in scenario.parties)


