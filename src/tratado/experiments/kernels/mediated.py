"""Confidential-preference mediation for a batch of samples, every sample one proposal at
a time in step.

The protocol (:class:`~tratado.protocols.mediated.Mediated`, package agreements, no
wall-clock deadline) with its default mediator, the trusted neutral
(:class:`~tratado.negotiators.mediators.Neutral`): each round the neutral proposes one
package of the sample's rational Pareto frontier and every party answers at once; when
all accept, that package is the settlement; after ``deadline`` rejected proposals the
talks end without one. With ``post_settlement`` the neutral then proposes the frontier
package that shares the gains over the settlement most evenly, and it replaces the
settlement if every party accepts it.

Every sample is at the same round, so the relative time ``t = round / deadline`` is the
same for all of them; a sample that has settled drops out of the rounds that follow.

What the neutral works from, per sample, is found once before the first round, exactly
as the neutral of the sample's session finds it: the exact frontier of the scenario it
builds from the copies of the parties' preferences their negotiators get
(:func:`tratado.analysis.pareto_frontier`, cached per preferences: the forecast's Nash
package already computed it), its rational part (the whole frontier when that is empty),
each package's gains over the reservation values and its score under the protocol's
``rule``. Frontiers differ in size between samples, so they are padded into
``(samples, largest frontier)`` arrays: a padded place has gains ``-inf`` (it meets no
demand, and its shortfall is infinite), so it is never chosen.

Then each round, for all the live samples at once (one numpy call per step):

* *select* — among the frontier packages not yet rejected that give every party at
  least its demand (less ``1e-12``), the first with the highest score; when there is
  none, the first with the highest score among those whose largest shortfall from the
  demands is within ``1e-12`` of the smallest;
* *respond* — each party accepts iff the package is worth at least ``threshold(t)`` and
  its reservation value (:func:`~tratado.experiments.kernels.moves.responds`);
* *learn* — a party that rejects has its demand raised to its gain from the package
  (read from its own table, as :meth:`Neutral.utilities` reads it) plus ``1e-9``, and
  the package is not proposed again.

Post-settlement runs once for all settled samples at the end (the answers to an
improvement do not depend on time): the improvement is found on the whole frontier
against the settlement's utilities from the parties' tables, and accepted iff every
party finds it worth at least the settlement.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from tratado.experiments.kernels import Batch
from tratado.experiments.kernels.moves import Curves
from tratado.experiments.kernels.registry import Strategy

#: The neutral's tolerances (:meth:`Neutral.select`, :meth:`Neutral._learn`,
#: :meth:`Neutral.improvement`).
DEMAND_STEP = 1e-9
TOLERANCE = 1e-12


def kernel_for(protocol: Any, strategies: Sequence[Strategy]) -> Any:
    """:func:`run` when it reproduces ``protocol`` with these negotiators, else None."""
    from tratado.negotiators.mediators import DEFAULT_MEDIATORS, Neutral
    from tratado.protocols.mediated import RULES, Mediated

    if type(protocol) is not Mediated or DEFAULT_MEDIATORS.get(protocol.name) is not Neutral:
        return None
    if protocol.agreement != "package" or protocol.deadline_seconds is not None:
        return None
    if protocol.rule not in RULES:
        return None
    if any(s.kind not in ("frequency", "at-least") for s in strategies):
        return None
    return run


@dataclass
class Frontiers:
    """The neutral's frontiers in every sample, padded to the largest (see the module
    docstring).

    The frontier it proposes from (rational, or whole when no package is rational):
    ``places`` (``(samples, size)`` package places), per party ``gains`` (a
    ``(samples, size)`` matrix of the frontier's gains over the reservation value,
    ``-inf`` where padded) and ``own`` (the same packages' utilities read from the
    party's own table: what its negotiator answers by and what the neutral learns
    from), ``score`` (the rule's, ``-inf`` where padded). The whole frontier
    (post-settlement): ``whole_places``, ``whole`` (``(samples, size, parties)``
    utilities, ``-inf`` where padded) and per party ``whole_own`` (from its table)."""

    places: np.ndarray
    gains: list[np.ndarray]
    own: list[np.ndarray]
    score: np.ndarray
    whole_places: np.ndarray
    whole: np.ndarray
    whole_own: list[np.ndarray]


def frontiers(batch: Batch, rule: str) -> Frontiers:
    """The neutral's frontier of every sample of ``batch`` under ``rule``, found as the
    neutral of its session finds it (:meth:`Neutral.start`); kept with the batch (its
    sessions under other negotiators find the same)."""
    key = f"mediated-frontiers-{rule}"
    found: Frontiers | None = batch.memo.get(key)
    if found is None:
        found = batch.memo[key] = _frontiers(batch, rule)
    return found


def _frontiers(batch: Batch, rule: str) -> Frontiers:
    from tratado.analysis.space import pareto_frontier, rational_threshold
    from tratado.parties import Party
    from tratado.scenario import Scenario

    count, n = len(batch), batch.n_parties
    own_utilities = batch.utilities
    used: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    whole: list[tuple[np.ndarray, np.ndarray]] = []
    radix = batch.radix
    preferences = [batch.preferences(k) for k in range(n)]
    for s, scenario in enumerate(batch.scenarios):
        parties = tuple(Party(p.id, preferences[k][s]) for k, p in enumerate(scenario.parties))
        neutral = Scenario(scenario.name, scenario.agenda, parties)
        reservation = neutral.reservation_values
        full = pareto_frontier(neutral)
        rational = full.rational(rational_threshold(neutral))
        frontier = rational if len(rational) else full
        gains = frontier.utilities - reservation
        positive = np.clip(gains, 0.0, None)
        score = np.prod(positive, axis=1) if rule == "nash" else np.min(gains, axis=1)
        used.append((frontier.outcomes @ radix, gains, score))
        whole.append((full.outcomes @ radix, full.utilities))
    size = max(len(places) for places, _, _ in used)
    places = np.zeros((count, size), dtype=np.int64)
    padded = np.full((n, count, size), -np.inf)
    scores = np.full((count, size), -np.inf)
    own = np.zeros((n, count, size))
    for s, (p, g, sc) in enumerate(used):
        places[s, :len(p)] = p
        padded[:, s, :len(p)] = g.T
        scores[s, :len(p)] = sc
        for k in range(n):
            own[k, s, :len(p)] = own_utilities[k][s, p]
    size = max(len(p) for p, _ in whole)
    whole_places = np.zeros((count, size), dtype=np.int64)
    utilities = np.full((count, size, n), -np.inf)
    whole_own = np.zeros((n, count, size))
    for s, (p, u) in enumerate(whole):
        whole_places[s, :len(p)] = p
        utilities[s, :len(p)] = u
        for k in range(n):
            whole_own[k, s, :len(p)] = own_utilities[k][s, p]
    return Frontiers(places, list(padded), list(own), scores, whole_places, utilities,
                     list(whole_own))


def select(found: Frontiers, rows: np.ndarray, demands: np.ndarray,
           rejected: np.ndarray) -> np.ndarray:
    """Per sample of ``rows``, the frontier place the neutral proposes next
    (:meth:`Neutral.select`); ``demands``: ``(rows, parties)``, ``rejected``:
    ``(rows, size)``. Party by party, the same comparisons (and the same maximum) as
    the neutral's over its ``(size, parties)`` matrix."""
    gains = [g[rows] for g in found.gains]
    score = found.score[rows]
    meets = ~rejected
    floors = demands - TOLERANCE
    for k, g in enumerate(gains):
        meets &= g >= floors[:, k, None]
    some = meets.any(axis=1)
    chosen = np.empty(len(rows), dtype=np.int64)
    if some.any():
        chosen[some] = np.argmax(np.where(meets[some], score[some], -np.inf), axis=1)
    short = ~some
    if short.any():
        wanted = demands[short]
        shortfall = wanted[:, 0, None] - gains[0][short]
        for k in range(1, len(gains)):
            np.maximum(shortfall, wanted[:, k, None] - gains[k][short], out=shortfall)
        close = shortfall <= shortfall.min(axis=1, keepdims=True) + TOLERANCE
        chosen[short] = np.argmax(np.where(close, score[short], -np.inf), axis=1)
    return chosen


def improve(found: Frontiers, rows: np.ndarray, settled: np.ndarray) -> np.ndarray:
    """Per sample of ``rows`` settled on a package worth ``settled`` (``(rows,
    parties)``: its utilities from the parties' tables), the place on the whole frontier
    of the package the neutral proposes after the settlement
    (:meth:`Neutral.improvement`), ``-1`` when it proposes the settlement itself (no
    package is better for one party and worse for none). The utilities are side by
    side, as the neutral's are, so that the gains sum in the same order."""
    base = settled[:, None, :]
    whole = found.whole[rows]
    better = np.all(whole >= base, axis=2) & np.any(whole > base + TOLERANCE, axis=2)
    some = better.any(axis=1)
    proposal = np.full(len(rows), -1, dtype=np.int64)
    if some.any():
        better = better[some]
        gain = whole[some] - base[some]
        score = np.where(better, np.min(gain, axis=2), -np.inf)
        top = better & (score >= score.max(axis=1, keepdims=True) - TOLERANCE)
        total = np.where(top, gain.sum(axis=2), -np.inf)
        proposal[some] = np.argmax(total, axis=1)
    return proposal


def run(batch: Batch, protocol: Any, negotiators: Sequence[Any]) -> np.ndarray:
    """The agreed package of every sample (``-1``: none)."""
    from tratado.experiments.kernels.registry import strategy_of

    n = batch.n_parties
    strategies = [strategy_of(negotiator) for negotiator in negotiators]
    curves = [Curves(batch, k, s) for k, s in enumerate(strategies) if s is not None]
    reservation = batch.reservation
    found = frontiers(batch, protocol.rule)
    count = len(batch)
    demands = np.zeros((count, n))
    rejected = np.zeros(found.places.shape, dtype=bool)
    settled = np.full(count, -1, dtype=np.int64)  # the settlement's frontier place
    live = np.arange(count)
    deadline = protocol.deadline
    for rounds in range(deadline):
        if not len(live):
            break
        t = min(rounds / deadline, 1.0)
        chosen = select(found, live, demands[live], rejected[live])
        # each party: worth at least threshold(t) and no deal (Negotiator.respond)
        yes = np.stack([found.own[k][live, chosen]
                        >= np.maximum(curves[k].threshold(t, live), curves[k].reservation[live])
                        for k in range(n)], axis=1)
        every = yes.all(axis=1)
        settled[live[every]] = chosen[every]
        no = ~every
        rows, chosen, yes = live[no], chosen[no], yes[no]
        rejected[rows, chosen] = True
        for k in range(n):
            against = ~yes[:, k]
            at = rows[against]
            gain = found.own[k][at, chosen[against]] - reservation[at, k]
            demands[at, k] = np.maximum(demands[at, k], gain + DEMAND_STEP)
        live = rows
    agreed = np.full(count, -1, dtype=np.int64)
    rows = np.flatnonzero(settled >= 0)
    agreed[rows] = found.places[rows, settled[rows]]
    if protocol.post_settlement and len(rows):
        base = np.stack([own[rows, settled[rows]] for own in found.own], axis=1)
        offered = improve(found, rows, base)
        taken = offered >= 0
        rows, offered, settled = rows[taken], offered[taken], settled[rows[taken]]
        # every party: the improvement is worth at least the settlement
        for k in range(n):
            taken = found.whole_own[k][rows, offered] >= found.own[k][rows, settled]
            rows, offered, settled = rows[taken], offered[taken], settled[taken]
        agreed[rows] = found.whole_places[rows, offered]
    return agreed
