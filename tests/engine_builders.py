"""Shared builders for the engine's tests: small scenarios, hypothesis strategies for
scenarios and event sequences, and an object-graph walker for confidentiality checks."""

from __future__ import annotations

import gc
import types
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
from hypothesis import strategies as st

from tratado import Agenda, Issue, LinearAdditive, Party, Rules, Scenario
from tratado.protocols import (
    Accept,
    Event,
    EventRefused,
    MediatorProposal,
    Propose,
    Reject,
    TimeUp,
    Vote,
    WalkAway,
)


def make_scenario(
    sizes: Sequence[int] = (4, 4),
    n_parties: int = 2,
    reservation: float | Sequence[float] = 0.0,
    deadline: int = 30,
    seed: int = 0,
    opposed: bool = True,
    discount: float | None = None,
) -> Scenario:
    """A small linear-additive scenario; with ``opposed`` party 0 and party 1 want
    opposite options on every issue (other parties get random values)."""
    rng = np.random.default_rng(seed)
    agenda = Agenda(tuple(Issue.integer(f"i{k}", 0, n - 1) for k, n in enumerate(sizes)))
    reservations = (
        [float(reservation)] * n_parties
        if isinstance(reservation, int | float) else list(reservation)
    )
    parties = []
    for j in range(n_parties):
        weights = rng.random(len(sizes)) + 0.1
        if opposed and j < 2:
            values = [np.linspace(0, 1, n) if j == 0 else np.linspace(1, 0, n) for n in sizes]
        else:
            values = [rng.random(n) for n in sizes]
        preferences = LinearAdditive.normalized(weights, values, reservations[j], discount)
        parties.append(Party(f"p{j}", preferences, name=f"Party {j}"))
    return Scenario("test", agenda, tuple(parties), rules=Rules(deadline=deadline))


@st.composite
def scenarios(
    draw: st.DrawFn, max_parties: int = 3, max_issues: int = 3, max_options: int = 4
) -> Scenario:
    """Random small scenarios (2..max_parties parties, deadline 1..12 rounds)."""
    n_issues = draw(st.integers(1, max_issues))
    sizes = draw(st.lists(st.integers(1, max_options), min_size=n_issues, max_size=n_issues))
    n_parties = draw(st.integers(2, max_parties))
    reservations = draw(st.lists(st.floats(0, 0.9), min_size=n_parties, max_size=n_parties))
    return make_scenario(
        sizes, n_parties, reservations, deadline=draw(st.integers(1, 12)),
        seed=draw(st.integers(0, 2**16)), opposed=draw(st.booleans()),
    )


def outcomes(scenario: Scenario, valid_only: bool = False) -> st.SearchStrategy[Any]:
    """Packages for ``scenario``; unless ``valid_only``, sometimes malformed ones."""
    valid = st.tuples(*(st.integers(0, n - 1) for n in scenario.agenda.shape))
    if valid_only:
        return valid
    return st.one_of(
        valid, valid, valid,
        st.tuples(*(st.integers(-1, n) for n in scenario.agenda.shape)),
        st.lists(st.integers(0, 3), max_size=4).map(tuple),
        st.lists(st.integers(0, 3), max_size=4),
    )


def event(scenario: Scenario) -> st.SearchStrategy[Event]:
    """One event of any kind, from a party or a stranger (walking away is rare)."""
    who = st.sampled_from([*scenario.party_ids, "stranger", "mediator", ""])
    parties = st.sampled_from(scenario.party_ids)
    one = st.one_of(
        st.builds(Propose, parties, outcomes(scenario)),
        st.builds(Propose, who, outcomes(scenario)),
        st.builds(Accept, parties),
        st.builds(Accept, parties),
        st.builds(Accept, who),
        st.builds(Reject, who),
        st.builds(Vote, who, st.booleans()),
        st.builds(MediatorProposal, who, outcomes(scenario)),
        st.builds(TimeUp),
        st.builds(WalkAway, st.sampled_from(["stranger", "mediator", ""])),
    )
    walk = st.builds(WalkAway, parties)
    return st.integers(0, 59).flatmap(lambda k: walk if k == 0 else one)


def events(scenario: Scenario, max_size: int = 60) -> st.SearchStrategy[list[Event]]:
    """Sequences of events of every kind, from the parties and from strangers."""
    return st.lists(event(scenario), max_size=max_size)


Move = Event | tuple[str, Any]
"""A scripted move: an event as is, or ``("propose", outcome)`` / ``("accept", None)`` to
be made by whichever party is asked at that point (see :func:`moves`)."""


def moves(scenario: Scenario, max_size: int = 60) -> st.SearchStrategy[list[Move]]:
    """Mostly in-turn proposals and acceptances, mixed with arbitrary events, so that
    sequences reach agreements as well as refusals."""
    propose = st.tuples(st.just("propose"), outcomes(scenario, valid_only=True))
    accept = st.tuples(st.just("accept"), st.none())
    in_turn: st.SearchStrategy[Move] = st.integers(0, 2).flatmap(
        lambda k: propose if k == 0 else accept
    )
    anything = event(scenario)
    # (one_of flattens nested one_ofs, so weights are set by a drawn number instead)
    move = st.integers(0, 9).flatmap(lambda k: in_turn if k < 8 else anything)
    return st.lists(move, max_size=max_size)


def as_event(move: Move, asked: tuple[str, ...]) -> Event:
    """The event a scripted move stands for, given who is asked now."""
    if isinstance(move, Event):
        return move
    actor = asked[0] if asked else "p0"
    kind, outcome = move
    return Propose(actor, outcome) if kind == "propose" else Accept(actor)


_OPAQUE = (type, types.ModuleType, types.FunctionType, types.BuiltinFunctionType,
           types.CodeType, types.FrameType)


def reachable(root: object) -> Iterator[object]:
    """Every object reachable from ``root`` through references, not entering classes,
    modules or functions (whose globals would reach the whole program)."""
    seen = {id(root)}
    stack = [root]
    while stack:
        obj = stack.pop()
        yield obj
        for child in gc.get_referents(obj):
            if id(child) in seen or isinstance(child, _OPAQUE):
                continue
            seen.add(id(child))
            stack.append(child)


def mediated_moves(scenario: Scenario, max_size: int = 80) -> st.SearchStrategy[list[Move]]:
    """Moves for mediated protocols: mostly ``("mediator", outcome)`` (made by the
    mediator when asked), ``("near", issue)`` (a single-issue change of the subject),
    ``("answer", yes)`` (a vote, accept or reject by the first party asked), mixed with
    arbitrary events."""
    shape = scenario.agenda.shape
    propose = st.tuples(st.just("mediator"), outcomes(scenario, valid_only=True))
    near = st.tuples(st.just("near"), st.integers(0, len(shape) - 1), st.integers(0, 9))
    answer = st.tuples(st.just("answer"), st.booleans())
    in_turn: st.SearchStrategy[Move] = st.integers(0, 5).flatmap(
        lambda k: propose if k == 0 else near if k == 1 else answer
    )
    move = st.integers(0, 9).flatmap(lambda k: in_turn if k < 8 else event(scenario))
    return st.lists(move, max_size=max_size)


def as_mediated_event(move: Move, protocol: Any, state: Any) -> Event:
    """The event a scripted mediated move stands for in ``state``."""
    if isinstance(move, Event):
        return move
    expected = protocol.expected(state)
    asked = tuple(expected)
    actor = asked[0] if asked else "p0"
    kinds = expected.get(actor, ())
    if move[0] == "mediator":
        return MediatorProposal(protocol.mediator, move[1])
    if move[0] == "near":
        subject = protocol.subject(state) or tuple(0 for _ in protocol.shape)
        issue, option = move[1], move[2] % protocol.shape[move[1]]
        changed = subject[:issue] + (option,) + subject[issue + 1:]
        return MediatorProposal(protocol.mediator, changed)
    yes = bool(move[1])
    if Vote in kinds:
        return Vote(actor, yes)
    return Accept(actor) if yes else Reject(actor)


def fold(protocol: Any, events: Sequence[Event]) -> Any:
    """The state after stepping ``events`` from the protocol's initial state."""
    state = protocol.initial_state()
    for e in events:
        state = protocol.step(state, e)
    return state


def stepped(protocol: Any, moves: Sequence[Move]) -> Iterator[tuple[Any, list[Event]]]:
    """Step mediated-protocol ``moves`` through ``protocol`` and check the invariants every
    protocol keeps: a refused event leaves the state unchanged, and nothing is accepted
    after the talks end. Yields ``(state, accepted events)`` after each accepted event."""
    state = protocol.initial_state()
    accepted: list[Event] = []
    for move in moves:
        event = as_mediated_event(move, protocol, state)
        before = tuple(state)
        try:
            new = protocol.step(state, event)
        except EventRefused:
            assert tuple(state) == before
            continue
        assert not protocol.is_over(state), "an event was accepted after the talks ended"
        assert tuple(state) == before
        state = new
        accepted.append(event)
        yield state, accepted
