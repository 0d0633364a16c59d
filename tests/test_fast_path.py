"""The engine's fast paths change nothing: every case is run twice, once as the generic
session loop runs it (protocol ``step`` per move, proposals computed afresh) and once
with the fast paths on (the fused alternating-offers loop ``AlternatingOffers.play``
and the memoised time-based proposals), and the records must be the same bytes.

The switches: ``Session.fast_path`` and ``TimeBased.memoize`` (class attributes, on
by default). The cases cover alternating offers with two and three parties, with and
without discounting, item by item, negotiators that fail in every way a move can fail,
negotiators the fast path must not take (``act`` overridden, a failed ``begin``, a move
budget), and the mediated protocols (which never take it)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pytest
from engine_builders import make_scenario
from hypothesis import given, settings
from hypothesis import strategies as st

from tratado.negotiators import Negotiator, make
from tratado.negotiators.time_based import TimeBased
from tratado.protocols import Accept, Event, Outcome, Propose, WalkAway
from tratado.protocols.alternating import AlternatingOffers
from tratado.session import Session, check_replay

# -- negotiators that misbehave through the take_turn hook (the fast path's hook) -----------


class Crashing(Negotiator):
    """Raises from ``propose`` once t passes 0.2."""

    name = "crashing-fp"

    def propose(self, t: float) -> Outcome:
        if t > 0.2:
            raise RuntimeError("boom")
        return self.table.outcomes[-1 - int(10 * t)]


class OutOfRange(Negotiator):
    """Proposes an option index the agenda does not have, late in the talks."""

    def propose(self, t: float) -> Outcome:
        best = self.best_outcome
        return (99, *best[1:]) if t > 0.3 else best


class ListProposer(Negotiator):
    """Proposes a list (unhashable) instead of a tuple."""

    def propose(self, t: float) -> Outcome:
        return list(self.best_outcome) if t > 0.1 else self.best_outcome  # type: ignore[return-value]


class NumpyProposer(Negotiator):
    """Proposes numpy integers (equal to, but not, option indices) after t = 0.2."""

    def propose(self, t: float) -> Outcome:
        best = self.best_outcome
        return tuple(np.int64(i) for i in best) if t > 0.2 else best


class FreshOutcomes(Negotiator):
    """Proposes valid packages that are new objects each time (not from its table)."""

    stochastic = True

    def propose(self, t: float) -> Outcome:
        return tuple(int(self.rng.integers(n)) for n in self.view.protocol.shape)


class Walker(Negotiator):
    """Walks away (a legal move, not a failure) once t passes 0.3."""

    def take_turn(self, offer: Outcome | None, t: float) -> Event:
        if t > 0.3:
            return WalkAway(self.party)
        return super().take_turn(offer, t)


class Impostor(Negotiator):
    """Proposes in another party's name."""

    def take_turn(self, offer: Outcome | None, t: float) -> Event:
        other = self.view.opponents[0]
        return Propose(other, self.best_outcome) if t > 0.2 else super().take_turn(offer, t)


class EarlyAccept(Negotiator):
    """Accepts when nothing is on the table (refused), else behaves."""

    def take_turn(self, offer: Outcome | None, t: float) -> Event:
        return Accept(self.party) if offer is None else super().take_turn(offer, t)


class Nonsense(Negotiator):
    """Answers something that is not an event."""

    def take_turn(self, offer: Outcome | None, t: float) -> Event:
        return "not an event" if t > 0.15 else super().take_turn(offer, t)  # type: ignore[return-value]


class NotRaised(Negotiator):
    """Answers an exception object instead of raising it."""

    def take_turn(self, offer: Outcome | None, t: float) -> Event:
        return ValueError("not raised") if t > 0.25 else super().take_turn(offer, t)  # type: ignore[return-value]


class InvalidPackage(Negotiator):
    """Proposes, now and then, a package the protocol refuses: a list, or an option out of range."""

    def take_turn(self, offer: Outcome | None, t: float) -> Event:
        best = self.best_outcome
        draw = self.rng.random() if t > 0.2 else 1.0
        if draw < 0.3:
            return Propose(self.party, list(best))  # type: ignore[arg-type]
        if draw < 0.6:
            return Propose(self.party, (99, *best[1:]))
        return super().take_turn(offer, t)


class Reader(Negotiator):
    """Reads the public record on every turn: concedes one step per offer received."""

    def propose(self, t: float) -> Outcome:
        received = sum(1 for e in self.view.record if isinstance(e, Propose) and e.party != self.party)
        return self.table.outcomes[max(0, len(self.table.outcomes) - 1 - received)]


class ActOverride(Negotiator):
    """Overrides ``act`` (reads the protocol state): the fast path must not take it."""

    def act(self, state: Any) -> Event:
        return self.take_turn(state.offer, state.turn / 100)


class BadStart(Negotiator):
    """Its ``begin`` raises: it fails on its first turn."""

    def start(self) -> None:
        raise ValueError("no tables for me")


class FirmTimeBased(TimeBased):
    """A time-based subclass that changes its curve in ``start`` (no shared memo)."""

    def start(self) -> None:
        super().start()
        self._span *= 0.5


# -- the cases --------------------------------------------------------------------------------

PAIRS = [
    ("boulware", "conceder"), ("conceder", "boulware"), ("linear", "hardliner"),
    ("frequency", "tit-for-tat"), ("random", "aspiration"), ("nice-tit-for-tat", "random"),
    ("time-based", "linear"), ("conceder", "conceder"),
]
MISBEHAVING: list[Callable[[], Negotiator]] = [
    Crashing, OutOfRange, ListProposer, NumpyProposer, FreshOutcomes, Walker, Impostor,
    EarlyAccept, Nonsense, NotRaised, InvalidPackage, Reader, ActOverride, BadStart, FirmTimeBased,
]

Case = Callable[[], Session]


def _cases() -> Iterator[tuple[str, Case]]:
    two = make_scenario(sizes=(5, 4), deadline=30, reservation=(0.2, 0.1), seed=3)
    tight = make_scenario(sizes=(4, 3, 3), deadline=25, reservation=0.45, seed=5)
    discounted = make_scenario(sizes=(5, 5), deadline=30, discount=0.9, seed=7)
    three = make_scenario(sizes=(3, 4), n_parties=3, deadline=12, reservation=0.2, seed=11)
    odd = make_scenario(sizes=(7, 3, 2), deadline=15, reservation=0.3, seed=13)
    for a, b in PAIRS:
        for seed in (0, 1, 2):
            for label, scenario, options in (
                ("two", two, {}), ("tight", tight, {}),
                ("discounted", discounted, {"discounting": True}),
                ("items", two, {"agreement": "item-by-item"}),
                ("short", two, {"deadline": 1}),
                ("clock", two, {"deadline_seconds": 3600.0}),
            ):
                yield (f"{label}-{a}-{b}-{seed}",
                       lambda s=scenario, a=a, b=b, seed=seed, o=options:
                       Session(s, "alternating", [a, b], seed, protocol_options=o))
        for seed in (0, 4):
            yield (f"three-{a}-{b}-{seed}",
                   lambda a=a, b=b, seed=seed: Session(three, "alternating", [a, b, "linear"], seed))
    for factory in MISBEHAVING:
        name = factory.__name__
        for seed in (0, 1):
            yield (f"bad-first-{name}-{seed}",
                   lambda f=factory, seed=seed: Session(odd, "alternating", [f(), "conceder"], seed))
            yield (f"bad-second-{name}-{seed}",
                   lambda f=factory, seed=seed: Session(two, "alternating", ["boulware", f()], seed))
            yield (f"bad-three-{name}-{seed}",
                   lambda f=factory, seed=seed: Session(three, "alternating",
                                                        ["linear", f(), "conceder"], seed))
            yield (f"bad-items-{name}-{seed}",
                   lambda f=factory, seed=seed: Session(
                       two, "alternating", ["conceder", f()], seed,
                       protocol_options={"agreement": "item-by-item"}))
    for seed in (0, 1):
        yield (f"budget-{seed}", lambda seed=seed: Session(two, "alternating", ["boulware", "linear"],
                                                           seed, move_budget=60.0))
        yield (f"given-protocol-{seed}",
               lambda seed=seed: Session(two, AlternatingOffers(two.party_ids, two.agenda.shape, 20),
                                         [make("boulware", e=0.5), "frequency"], seed))
        for protocol in ("mediated", "single-text"):
            yield (f"{protocol}-{seed}",
                   lambda p=protocol, seed=seed: Session(two, p, ["linear", "conceder"], seed))


CASES = list(_cases())


@contextmanager
def generic() -> Iterator[None]:
    """Every fast path off, as the engine ran before they existed."""
    saved = Session.fast_path, TimeBased.memoize
    Session.fast_path = TimeBased.memoize = False
    try:
        yield
    finally:
        Session.fast_path, TimeBased.memoize = saved


def record(case: Case) -> tuple[str, tuple[Event, ...]]:
    result = case().run()
    return result.to_json(timing=False), result.events


@pytest.mark.parametrize(("label", "case"), CASES, ids=[label for label, _ in CASES])
def test_the_fast_path_gives_the_generic_record(label: str, case: Case) -> None:
    with generic():
        expected, expected_events = record(case)
    got, events = record(case)
    assert got == expected
    assert events == expected_events
    again, _ = record(case)  # warm caches (memoised proposals, checked outcomes) change nothing
    assert again == expected


def test_the_fast_path_replays(monkeypatch: pytest.MonkeyPatch) -> None:
    for label, case in CASES[:40]:
        session = case()
        result = session.run()
        assert check_replay(session.scenario, result.to_dict()) is None, label


def test_the_fast_path_is_taken_only_where_it_applies(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    play = AlternatingOffers.play

    def spy(self: AlternatingOffers, *args: Any) -> Any:
        calls.append(1)
        return play(self, *args)

    monkeypatch.setattr(AlternatingOffers, "play", spy)
    scenario = make_scenario(deadline=10)
    Session(scenario, "alternating", ["boulware", "conceder"], seed=1).run()
    assert calls
    for session in (
        Session(scenario, "alternating", ["boulware", ActOverride()], seed=1),
        Session(scenario, "alternating", ["boulware", BadStart()], seed=1),
        Session(scenario, "alternating", ["boulware", "linear"], seed=1, move_budget=10.0),
    ):
        calls.clear()
        session.run()
        assert not calls


@settings(max_examples=30, deadline=None)
@given(st.integers(2, 3), st.integers(0, 10_000), st.integers(1, 8),
       st.lists(st.sampled_from(["boulware", "random", "frequency", "tit-for-tat", "aspiration",
                                 "linear", "conceder", "hardliner"]), min_size=3, max_size=3))
def test_the_fast_path_matches_for_any_table(parties: int, seed: int, deadline: int,
                                             names: list[str]) -> None:
    scenario = make_scenario(sizes=(3, 4), n_parties=parties, deadline=deadline, seed=seed % 50,
                             reservation=(seed % 7) / 10)

    def case() -> Session:
        return Session(scenario, "alternating", names[:parties], seed=seed)

    with generic():
        expected, _ = record(case)
    assert record(case)[0] == expected


def test_memoised_moves_are_the_computed_ones() -> None:
    scenario = make_scenario(sizes=(6, 5, 4), deadline=50, reservation=0.2)
    times = [k / 100 for k in range(101)] + [0.123456, 0.999999]
    for e in (0.2, 1.0, 5.0, 0.37):
        memo = make("time-based", e=e)
        Session(scenario, "alternating", [memo, "linear"], seed=0).run()  # begins it
        assert memo._memo is not None
        offers = [None, *memo.table.outcomes[::7]]
        with generic():
            plain = make("time-based", e=e)
            Session(scenario, "alternating", [plain, "linear"], seed=0).run()
            assert plain._memo is None
            computed = [plain.take_turn(o, t) for t in times for o in offers]
        for _ in range(2):  # computed, then from the memo
            assert [memo.take_turn(o, t) for t in times for o in offers] == computed


def test_the_fast_path_looks_at_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """With ``deadline_seconds`` the fused loop pauses every ``CLOCK_EVERY`` moves; once
    the clock has passed the deadline, the next look sends ``time-up``."""
    import tratado.session.runner as runner

    ticks = iter(range(10**9))
    monkeypatch.setattr(runner, "perf_counter", lambda: float(next(ticks)))
    scenario = make_scenario(deadline=10**6, reservation=0.99)
    result = Session(scenario, "alternating", ["hardliner", "hardliner"], seed=1,
                     protocol_options={"deadline_seconds": 3.5}).run()
    assert result.reason == "deadline" and result.events[-1].kind == "time-up"
    assert len(result.events) == 3 * runner.CLOCK_EVERY + 1
