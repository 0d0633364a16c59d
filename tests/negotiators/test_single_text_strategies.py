"""Under the single negotiating text, strategy and seed matter: time-based voters concede
over time, the random voter draws from the seed, and the mediator keeps trying the
turned-down changes while the votes on them move."""

from __future__ import annotations

import numpy as np
from engine_builders import make_scenario

from tratado.formats import load
from tratado.negotiators import make
from tratado.negotiators.base import NegotiatorView, Record, own_copy
from tratado.negotiators.mediators import SingleTextMediator
from tratado.protocols import MediatorProposal, SingleText
from tratado.session import Session, public_scenario


def _log(result: object) -> str:
    return result.to_json(timing=False).split('"log"')[1]  # type: ignore[attr-defined]


def test_time_based_voters_concede_a_worse_change_once_it_reaches_their_curve() -> None:
    scenario = make_scenario(sizes=(5, 5), reservation=0.1)
    party = scenario.parties[0]
    boulware = make("boulware")
    boulware.begin(NegotiatorView(party.id, own_copy(party.preferences),
                                  public_scenario(scenario), SingleText.for_scenario(scenario),
                                  Record([])))
    u = party.preferences.utility
    draft, change = (4, 4), (2, 2)  # party 0's best, and a worse package above no deal
    worse = float(u(np.array([change]))[0])
    assert worse < float(u(np.array([draft]))[0]) and worse > 0.1
    assert not boulware.vote(draft, change, 0.0)  # early: the truthful vote
    assert boulware.vote(draft, change, 1.0)  # at the end its curve is at no deal
    assert boulware.vote(change, draft, 0.0)  # a better change: always yes


def test_strategies_give_different_results_under_single_text() -> None:
    scenario = load("venezuela-2021")
    logs = {name: _log(Session(scenario, "single-text", [name, name], seed=0).run())
            for name in ("conceder", "boulware", "tit-for-tat", "random")}
    assert len(set(logs.values())) == 4


def test_the_seed_matters_under_single_text_with_the_default_negotiators() -> None:
    scenario = load("venezuela-2021")
    logs = {_log(Session(scenario, "single-text", ["frequency", "frequency"], seed=s).run())
            for s in range(4)}
    assert len(logs) > 1


def test_with_truthful_voters_the_search_closes_after_a_pass_that_moved_nobody() -> None:
    scenario = load("river-basin")
    n_changes = sum(n - 1 for n in scenario.agenda.shape)
    again = Session(scenario, "single-text", ["hardliner"] * 3, seed=0).run()
    once = Session(scenario, "single-text", ["hardliner"] * 3, seed=0,
                   mediator=SingleTextMediator(repeat=False)).run()
    proposals = [sum(isinstance(e, MediatorProposal) for e in r.events) for r in (once, again)]
    # the opening, each change once (twice), and the closing proposal of the draft itself
    assert proposals == [n_changes + 2, 2 * n_changes + 2]
