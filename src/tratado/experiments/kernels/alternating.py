"""Alternating offers for a batch of samples, every sample one turn at a time in step.

The protocol (:class:`~tratado.protocols.alternating.AlternatingOffers`, package
agreements, no wall-clock deadline): the parties take turns in scenario order; on its
turn a party accepts the offer on the table or proposes a package; there is an
agreement once every party but the proposer has accepted that package one after the
other; the talks end at the deadline (``deadline`` rounds of one turn per party).

Every sample is at the same turn, so the relative time ``t = turn / turns`` is the same
for all of them; a sample whose talks have ended drops out of the turns that follow.
On its turn a negotiator first works out its proposal (a frequency negotiator first
reads the offers made since its last turn), then accepts the offer on the table if its
rule says so, else proposes — as ``Negotiator.take_turn`` does.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from tratado.experiments.kernels import Batch
from tratado.experiments.kernels.moves import Curves, FrequencyModel, at_least, best_packages
from tratado.experiments.kernels.registry import Strategy


def kernel_for(protocol: Any, strategies: Sequence[Strategy]) -> Any:
    """:func:`run` when it reproduces ``protocol`` with these negotiators, else None."""
    from tratado.protocols.alternating import AlternatingOffers

    if type(protocol) is not AlternatingOffers:
        return None
    if (protocol.agreement != "package" or protocol.deadline_seconds is not None
            or protocol.discounting):
        return None
    return run


class _Party:
    """One party's negotiator in every sample."""

    def __init__(self, batch: Batch, party: int, strategy: Strategy) -> None:
        self.strategy = strategy
        self.curves = Curves(batch, party, strategy)
        self.utilities = batch.utilities[party]
        self.order, self.values = batch.sorted(party)
        self.model = (FrequencyModel(batch, party, strategy.candidates)
                      if strategy.kind == "frequency" else None)
        self.best = best_packages(batch, party) if self.model is not None else None

    def proposal(self, rows: np.ndarray, t: float) -> np.ndarray:
        targets = self.curves.target(t, rows)
        if self.model is None:
            return at_least(self.order, self.values, targets, rows)
        chosen = np.empty(len(rows), dtype=np.int64)
        seen = self.model.seen[rows]
        assert self.best is not None
        chosen[~seen] = self.best[rows[~seen]]
        if seen.any():
            chosen[seen] = self.model.liked_most(rows[seen], targets[seen])
        return chosen

    def accepts(self, rows: np.ndarray, offers: np.ndarray, mine: np.ndarray,
                t: float) -> np.ndarray:
        utilities = self.utilities
        offered = utilities[rows, offers]
        yes: np.ndarray = offered >= utilities[rows, mine]
        if self.strategy.kind == "frequency" and t >= 0.98:
            yes |= offered >= self.curves.reservation[rows]
        return yes


def run(batch: Batch, protocol: Any, negotiators: Sequence[Any]) -> np.ndarray:
    """The agreed package of every sample (``-1``: none)."""
    from tratado.experiments.kernels.registry import strategy_of

    n = batch.n_parties
    strategies = [strategy_of(negotiator) for negotiator in negotiators]
    parties = [_Party(batch, k, s) for k, s in enumerate(strategies) if s is not None]
    count = len(batch)
    offer = np.full(count, -1, dtype=np.int64)
    accepts = np.zeros(count, dtype=np.int64)
    agreed = np.full(count, -1, dtype=np.int64)
    live = np.arange(count)
    total = protocol.turns
    inv_total = 1.0 / total
    # the packages each party proposed since each other party last took its turn
    unread: list[list[tuple[np.ndarray, np.ndarray, int]]] = [[] for _ in range(n)]
    turn = 0
    while turn < total and len(live):
        actor = turn % n
        party = parties[actor]
        t = turn * inv_total
        if party.model is not None:
            for rows, packages, proposer in unread[actor]:
                party.model.observe(rows, packages, proposer)
        unread[actor] = []
        mine = party.proposal(live, t)
        on_table = offer[live]
        has = on_table >= 0
        accepting = np.zeros(len(live), dtype=bool)
        if has.any():
            accepting[has] = party.accepts(live[has], on_table[has], mine[has], t)
        taken = live[accepting]
        accepts[taken] += 1
        done = taken[accepts[taken] >= n - 1]
        agreed[done] = offer[done]
        proposing = live[~accepting]
        offer[proposing] = mine[~accepting]
        accepts[proposing] = 0
        if len(proposing):
            for other in range(n):
                if other != actor:
                    unread[other].append((proposing, mine[~accepting], actor))
        if len(done):
            live = live[agreed[live] < 0]
        turn += 1
    return agreed
