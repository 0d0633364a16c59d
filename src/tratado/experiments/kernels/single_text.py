"""The single negotiating text for a batch of samples, every sample one proposal at a
time in step.

The protocol (:class:`~tratado.protocols.single_text.SingleText`: at most one issue
changed per proposal, no wall-clock deadline; either rule, either search, any
``patience`` and ``start``) with its default mediator
(:class:`~tratado.negotiators.mediators.SingleTextMediator`: the middle option of every
issue to open, ``repeat=True``):

* The mediator holds a draft. For each new draft (the opening, or a change adopted) it
  lists the draft's neighbours — every package that changes one issue, issue by issue,
  option by option — and shuffles them with its own generator
  (``rng.permutation``): one *pass*, proposed from the end of the shuffled list.
* Each proposal is put to the vote of every party at once. The frequency and
  time-based negotiators vote yes to a change worth more to them, and to one worth less
  that still reaches their ``threshold(t)`` (``conceding_vote``), ``t = proposals /
  deadline``. The change replaces the draft when the rule holds (``unanimity``: every
  party votes yes; ``majority``: more than half do); under ``search="annealing"`` the
  mediator may still adopt a change the rule turned down (one draw from its generator:
  adopted with probability ``exp(-against / T)``, ``T = temperature * (1 - t)``).
* When a pass ends with every change turned down, the mediator compares its tally (the
  yes votes of each change) with the pass before over the same draft: the same votes
  close the search; otherwise it shuffles again and proposes the changes that got the
  most votes last time first (a stable sort of the new shuffle).
* The search ends at the deadline (``deadline`` proposals), after ``patience`` proposals
  in a row without an adoption (when set), or when the mediator closes it; then every
  party answers the final draft with ``respond(draft, t=1)``: worth at least
  ``max(threshold(1), reservation value)``. An agreement needs every party's yes.

Every live sample makes its ``proposals``-th proposal at the same step, so ``t`` is the
same for all; a sample whose search is over drops out. The votes are numpy calls over
all live samples; the shuffles and the annealing draws come per sample from the
mediator's own generator (``default_rng(SeedSequence(seed, spawn_key=(parties,)))``, as
the session seeds it), in the order the mediator draws them — the only per-sample
Python. The final draft alone decides the agreement, so what the kernel tracks per
sample is the draft, the pass (its order and position), and the tallies of this pass
and the one before.

Changes of more than one issue (``max_changes > 1``) and wall-clock deadlines are not
modelled: :func:`kernel_for` leaves them to the engine.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from tratado.experiments.kernels import Batch
from tratado.experiments.kernels.moves import Curves, conceding_vote, responds
from tratado.experiments.kernels.registry import Strategy

#: The negotiators whose single-text vote is ``conceding_vote`` by their curve.
VOTERS = ("frequency", "at-least")


def kernel_for(protocol: Any, strategies: Sequence[Strategy]) -> Any:
    """:func:`run` when it reproduces ``protocol`` with these negotiators and the
    protocol's default mediator, else None."""
    from tratado.protocols.single_text import SingleText

    if type(protocol) is not SingleText:
        return None
    if (protocol.max_changes != 1
            or protocol.deadline_seconds is not None
            or getattr(protocol, "agreement", "package") != "package"
            or getattr(protocol, "discounting", False)):
        return None
    if any(s.kind not in VOTERS for s in strategies):
        return None
    if not any(int(n) > 1 for n in protocol.shape):
        return None  # no change to propose (the mediator fails: the engine says how)
    return run


class _Neighbours:
    """The single-issue changes of a draft, in the mediator's order (issue by issue,
    then option by option, the draft's own option left out): change ``j`` sets issue
    ``issue[j]`` to the ``rank[j]``-th of its other options."""

    def __init__(self, batch: Batch) -> None:
        shape = np.asarray(batch.shape, dtype=np.int64)
        others = shape - 1
        self.issue = np.repeat(np.arange(len(shape)), others)
        starts = np.concatenate([[0], np.cumsum(others)[:-1]]).astype(np.int64)
        self.rank = np.arange(len(self.issue)) - starts[self.issue]
        self.every = batch.every
        self.radix = batch.radix
        self.size = len(self.issue)

    def change(self, drafts: np.ndarray, changes: np.ndarray) -> np.ndarray:
        """The package of change ``changes[i]`` to draft ``drafts[i]`` (places)."""
        issue = self.issue[changes]
        rank = self.rank[changes]
        current = self.every[drafts, issue]
        option = rank + (rank >= current)
        packages: np.ndarray = drafts + (option - current) * self.radix[issue]
        return packages


def _opening(batch: Batch, protocol: Any) -> int:
    """The first draft: the protocol's ``start``, else the middle option of every issue."""
    if protocol.start is not None:
        return batch.place(protocol.start)
    return batch.place([int(n) // 2 for n in batch.shape])


def _anneal(adopt: np.ndarray, yes: np.ndarray, n: int, heat: float,
            rngs: list[np.random.Generator], live: np.ndarray) -> None:
    """Annealing: the mediator adopts a change the vote turned down with probability
    ``exp(-against / heat)`` (``against``: the parties that voted no), one draw from
    the generator of each such sample (of ``live``) when ``heat > 0``:
    ``SingleTextMediator``'s decision, its arithmetic in Python floats. Updates
    ``adopt`` in place."""
    if not heat > 0:
        return
    down = np.flatnonzero(~adopt)
    if not len(down):
        return
    chance = np.array([math.exp(-against / heat) for against in range(n + 1)])
    draws = np.array([rngs[s].random() for s in live[down].tolist()])
    adopt[down] = draws < chance[n - yes[down]]


def run(batch: Batch, protocol: Any, negotiators: Sequence[Any]) -> np.ndarray:
    """The agreed package of every sample (``-1``: none)."""
    from tratado.experiments.kernels.registry import strategy_of

    n = batch.n_parties
    strategies = [strategy_of(negotiator) for negotiator in negotiators]
    curves = [Curves(batch, k, s) for k, s in enumerate(strategies) if s is not None]
    utilities = batch.utilities
    count = len(batch)
    neighbours = _Neighbours(batch)
    size = neighbours.size
    # the mediator's generators, spawned as the session spawns them (after the parties)
    rngs = [np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(n,)))
            for seed in batch.seeds]
    draft = np.full(count, _opening(batch, protocol), dtype=np.int64)
    order = np.empty((count, size), dtype=np.int64)  # this pass, in the order proposed
    at = np.zeros(count, dtype=np.int64)  # the next proposal's place in the pass
    repeat = np.zeros(count, dtype=bool)  # a pass after the first over this draft
    tally = np.zeros((count, size), dtype=np.int64)  # yes votes per change, this pass
    before = np.zeros((count, size), dtype=np.int64)  # the same, the pass before
    fresh = np.ones(count, dtype=bool)  # a new draft: a new neighbourhood
    stale = np.zeros(count, dtype=np.int64)  # proposals since the last adoption
    deadline = int(protocol.deadline)
    patience = protocol.patience
    unanimity = protocol.rule == "unanimity"
    annealing = protocol.search == "annealing"
    temperature = float(protocol.temperature)
    live = np.arange(count)
    for step in range(deadline):
        new = live[fresh[live]]
        if len(new):
            for s in new.tolist():
                order[s] = rngs[s].permutation(size)[::-1]
            at[new] = 0
            repeat[new] = False
            fresh[new] = False
        ended = live[at[live] == size]
        if len(ended):
            same = repeat[ended] & np.all(tally[ended] == before[ended], axis=1)
            if same.any():  # nobody is moving: the mediator closes the search
                live = live[~np.isin(live, ended[same])]
            again = ended[~same]
            if len(again):
                before[again] = tally[again]
                tally[again] = 0
                shuffled = np.stack([rngs[s].permutation(size)[::-1]
                                     for s in again.tolist()])
                # most votes last time first; ties: later in the shuffle first
                votes = np.take_along_axis(before[again], shuffled, axis=1)
                first = np.argsort(-votes, axis=1, kind="stable")
                order[again] = np.take_along_axis(shuffled, first, axis=1)
                at[again] = 0
                repeat[again] = True
        if not len(live):
            break
        asked = order[live, at[live]]
        at[live] += 1
        drafts = draft[live]
        change = neighbours.change(drafts, asked)
        t = min(step / deadline, 1.0)
        yes = np.zeros(len(live), dtype=np.int64)
        for k in range(n):
            yes += conceding_vote(utilities[k], curves[k], live, drafts, change, t)
        tally[live, asked] = yes
        adopt = yes == n if unanimity else 2 * yes > n
        if annealing:
            _anneal(adopt, yes, n, temperature * (1.0 - t), rngs, live)
        adopted = live[adopt]
        draft[adopted] = change[adopt]
        fresh[adopted] = True
        stale[adopted] = 0
        stale[live[~adopt]] += 1
        if patience is not None:
            live = live[stale[live] < patience]
    everyone = np.arange(count)
    agree = np.ones(count, dtype=bool)
    for k in range(n):
        agree &= responds(utilities[k], curves[k], everyone, draft, 1.0)
    agreed: np.ndarray = np.where(agree, draft, -1)
    return agreed
