"""Every negotiator gets the generic checks from one base class; each test class below
only declares the behaviour its negotiator documents (Axelrod style)."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pytest
from engine_builders import make_scenario, reachable

from tratado import Agenda, Issue, LinearAdditive, Party, Scenario
from tratado.formats import load
from tratado.negotiators import Negotiator, make, registered
from tratado.negotiators.base import NegotiatorView, Record
from tratado.negotiators.isolated import isolated
from tratado.protocols import AlternatingOffers, Event, Propose
from tratado.session import Session, SessionResult, public_scenario

OPPONENTS = ("boulware", "random", "frequency", "hardliner")


def play(first: Negotiator | str, second: Negotiator | str, scenario: Scenario | None = None,
         seed: int = 1) -> SessionResult:
    scenario = scenario or make_scenario(sizes=(5, 4, 3), deadline=40)
    return Session(scenario, "alternating", [first, second], seed=seed).run()


def own_offers(result: SessionResult, party: str) -> list[float]:
    """Own utility of each package ``party`` proposed, in order."""
    index = result.scenario.party_ids.index(party)
    preferences = result.scenario.parties[index].preferences
    rows = [e.outcome for e in result.events if isinstance(e, Propose) and e.party == party]
    return [float(u) for u in preferences.utility(np.array(rows, dtype=np.int64))]


class NegotiatorContract:
    """Generic checks every registered negotiator must pass."""

    spec: ClassVar[str] = ""
    params: ClassVar[dict[str, Any]] = {}

    def make(self) -> Negotiator:
        return make(self.spec, **self.params)

    def test_declares_its_metadata(self) -> None:
        cls = type(self.make())
        assert cls.name == self.spec and cls.description
        for flag in ("stochastic", "uses_opponent_model", "time_based"):
            assert isinstance(getattr(cls, flag), bool)
        assert "alternating" in cls.protocols

    def test_same_seed_same_log(self) -> None:
        for opponent in OPPONENTS:
            runs = [play(self.make(), opponent, seed=11).to_json(timing=False) for _ in range(2)]
            assert runs[0] == runs[1]

    def test_randomness_only_from_the_seed(self) -> None:
        logs = {play(self.make(), "boulware", seed=s).to_json(timing=False).split('"log"')[1]
                for s in range(4)}
        assert (len(logs) > 1) == type(self.make()).stochastic

    def test_only_valid_events(self) -> None:
        three = make_scenario(sizes=(3, 3), n_parties=3, deadline=15, seed=4)
        for opponent in OPPONENTS:
            assert play(self.make(), opponent).failures == []
            assert play(opponent, self.make()).failures == []
            result = Session(three, "alternating", [opponent, self.make(), "conceder"],
                             seed=2).run()
            assert result.failures == []

    def test_never_sees_another_partys_preferences(self) -> None:
        scenario = make_scenario(n_parties=3, deadline=8)
        negotiators = [make("random"), self.make(), make("boulware")]
        Session(scenario, "alternating", negotiators, seed=5).run()
        found = {id(o) for o in reachable(negotiators[1])}
        assert id(scenario.parties[0].preferences) not in found
        assert id(scenario.parties[2].preferences) not in found
        assert id(scenario) not in found

    def test_is_handed_copies_not_the_sessions_objects(self) -> None:
        scenario = make_scenario(n_parties=2, deadline=6)
        negotiator = self.make()
        session = Session(scenario, "alternating", [negotiator, "boulware"], seed=5)
        result = session.run()
        view = negotiator.view
        assert view.protocol is not session.protocol
        assert view.scenario.agenda == scenario.agenda
        assert view.scenario.agenda is not scenario.agenda
        assert view.preferences is not scenario.parties[0].preferences
        # the record reads the session's own log (no copy: long talks stay small) and
        # offers no way to change it
        assert list(view.record) == list(result.events)
        assert not any(hasattr(view.record, name)
                       for name in ("append", "extend", "clear", "pending", "_events"))
        found = {id(o) for o in reachable(negotiator)}
        assert id(session.protocol) not in found and id(scenario.agenda) not in found

    @pytest.mark.slow  # a child process per negotiator: run with `pytest -m slow`
    def test_plays_the_same_in_a_process_of_its_own(self) -> None:
        scenario = make_scenario(sizes=(4, 3), reservation=0.2, deadline=8)
        apart = Session(scenario, "alternating",
                        [isolated(self.spec, **self.params), "conceder"], seed=3).run()
        inside = Session(scenario, "alternating", [self.make(), "conceder"], seed=3).run()
        assert apart.to_json(timing=False) == inside.to_json(timing=False)

    def test_never_proposes_or_accepts_less_than_no_deal(self) -> None:
        scenario = make_scenario(sizes=(5, 5), reservation=(0.4, 0.3), deadline=30)
        for opponent in OPPONENTS:
            result = play(self.make(), opponent, scenario)
            assert min(own_offers(result, "p0"), default=1.0) >= 0.4 - 1e-12
            if result.agreement is not None:
                assert result.utilities["p0"] >= 0.4 - 1e-12


class TestBoulware(NegotiatorContract):
    spec = "boulware"

    def test_concedes_later_than_conceder(self) -> None:
        scenario = make_scenario(sizes=(10, 10), reservation=0.2, deadline=50)
        boulware = own_offers(play("boulware", "hardliner", scenario), "p0")
        conceder = own_offers(play("conceder", "hardliner", scenario), "p0")
        middle = len(boulware) // 2
        assert len(boulware) == len(conceder) == 50
        assert boulware[middle] > conceder[middle] + 0.2
        assert all(a >= b for a, b in zip(boulware, boulware[1:], strict=False))


class TestLinear(NegotiatorContract):
    spec = "linear"

    def test_concedes_between_boulware_and_conceder(self) -> None:
        scenario = make_scenario(sizes=(10, 10), reservation=0.2, deadline=50)
        at = {name: own_offers(play(name, "hardliner", scenario), "p0")[25]
              for name in ("boulware", "linear", "conceder")}
        assert at["boulware"] > at["linear"] > at["conceder"]


class TestConceder(NegotiatorContract):
    spec = "conceder"

    def test_reaches_its_reservation_level_early(self) -> None:
        scenario = make_scenario(sizes=(10, 10), reservation=0.2, deadline=50)
        offers = own_offers(play("conceder", "hardliner", scenario), "p0")
        assert offers[10] < 0.5


class TestTimeBased(NegotiatorContract):
    spec = "time-based"

    def test_the_exponent_shapes_the_curve(self) -> None:
        scenario = make_scenario(sizes=(10, 10), reservation=0.2, deadline=50)
        soft = own_offers(play(make("time-based", e=3.0), "hardliner", scenario), "p0")
        hard = own_offers(play(make("time-based", e=0.3), "hardliner", scenario), "p0")
        assert soft[25] < hard[25]


class TestHardLiner(NegotiatorContract):
    spec = "hardliner"

    def test_always_proposes_its_best(self) -> None:
        result = play("hardliner", "conceder", make_scenario(reservation=0.5))
        assert set(own_offers(result, "p0")) == {1.0}


class TestTitForTat(NegotiatorContract):
    spec = "tit-for-tat"

    def test_does_not_move_against_a_hardliner(self) -> None:
        offers = own_offers(play("tit-for-tat", "hardliner", make_scenario(reservation=0.1)),
                            "p0")
        assert set(offers) == {max(offers)} and max(offers) == 1.0

    def test_mirrors_the_opponents_concession(self) -> None:
        scenario = make_scenario(sizes=(10, 10), reservation=0.0, deadline=60)
        fast = own_offers(play("tit-for-tat", "conceder", scenario), "p0")
        slow = own_offers(play("tit-for-tat", "boulware", scenario), "p0")
        assert fast[3] < slow[3] <= 1.0
        assert min(fast) < 0.8


class TestNiceTitForTat(NegotiatorContract):
    spec = "nice-tit-for-tat"

    def test_never_retracts_a_concession(self) -> None:
        offers = own_offers(play("nice-tit-for-tat", "random", seed=3), "p0")
        assert all(a >= b - 1e-12 for a, b in zip(offers, offers[1:], strict=False))

    def test_two_nice_negotiators_agree(self) -> None:
        assert play("nice-tit-for-tat", "nice-tit-for-tat").agreement is not None

    @pytest.mark.parametrize("example", ["job-offer", "venezuela-2021", "river-basin"])
    def test_nice_negotiators_do_not_deadlock_on_the_bundled_examples(self,
                                                                      example: str) -> None:
        scenario = load(example)
        result = Session(scenario, "alternating", ["nice-tit-for-tat"] * scenario.n_parties,
                         seed=0).run()
        assert result.reason == "agreement"
        assert all(result.gains[p] >= -1e-9 for p in scenario.party_ids)

    def test_kindness_is_checked(self) -> None:
        with pytest.raises(ValueError, match="kindness"):
            make("nice-tit-for-tat", kindness=0.0)


class TestAspiration(NegotiatorContract):
    spec = "aspiration"

    def test_never_asks_less_than_the_best_offer_received(self) -> None:
        result = play("aspiration", "conceder", make_scenario(reservation=0.0, deadline=40))
        preferences = result.scenario.parties[0].preferences
        best_received = 0.0
        for event in result.events:
            if isinstance(event, Propose):
                u = float(preferences.utility(np.array([event.outcome]))[0])
                if event.party == "p1":
                    best_received = max(best_received, u)
                else:
                    assert u >= best_received - 1e-12


class TestRandom(NegotiatorContract):
    spec = "random"

    def test_offers_vary(self) -> None:
        result = play("random", "hardliner", make_scenario(sizes=(5, 4, 3), reservation=0.3))
        assert len(set(own_offers(result, "p0"))) > 3


class TestFrequency(NegotiatorContract):
    spec = "frequency"

    def test_offers_what_the_opponent_model_likes_among_equal_packages(self) -> None:
        agenda = Agenda((Issue.integer("price", 0, 3), Issue.categorical("colour", "rgb")))
        # Party 0 does not care about colour; the others keep offering blue.
        own = LinearAdditive(np.array([1.0, 0.0]), (np.linspace(0, 1, 4), np.zeros(3)))
        other = LinearAdditive(np.array([0.5, 0.5]), (np.linspace(1, 0, 4), np.eye(3)[2]))
        scenario = Scenario("colour", agenda, (Party("p0", own), Party("p1", other)))
        negotiator = make("frequency")
        protocol = AlternatingOffers.for_scenario(scenario)
        record: list[Event] = [Propose("p0", (3, 0)), Propose("p1", (0, 2)),
                               Propose("p0", (3, 0)), Propose("p1", (1, 2))]
        negotiator.begin(NegotiatorView("p0", own, public_scenario(scenario), protocol,
                                        Record(record)))
        for t in (0.0, 0.3, 0.9):
            assert negotiator.propose(t)[1] == 2

    def test_does_better_together_than_boulware_pairs(self) -> None:
        scenario = make_scenario(sizes=(6, 6, 6), opposed=False, deadline=60, seed=8)
        smart = play("frequency", "frequency", scenario)
        assert smart.agreement is not None and smart.welfare > 1.0


def test_every_registered_negotiator_has_a_test_class() -> None:
    tested = {cls.spec for cls in NegotiatorContract.__subclasses__()}
    assert set(registered()) <= tested
