"""The built-in negotiators' moves for a whole batch of samples at once.

Each function here is the batched form of one method of a built-in negotiator, with
the same arithmetic in the same order, so that sample ``s`` gets exactly the number
the negotiator of its session would compute:

* :class:`Curves` — ``target(t)`` and ``threshold(t)`` of
  :class:`~tratado.negotiators.frequency.FrequencyNegotiator` and
  :class:`~tratado.negotiators.time_based.TimeBased` (``best - (best - floor) * t **
  (1 / e)``, ``floor`` the larger of the reservation value and the worst package);
* :func:`at_least` — ``OfferFinder.at_least`` (the time-based proposal);
* :class:`FrequencyModel` — the frequency negotiator's model of the other parties
  (``_observe`` and ``opponent_scores``) and its proposal (``liked_most`` among the
  ``candidates`` packages at or just above its target);
* :func:`conceding_vote` and :func:`responds` — the single-text vote and the answer to
  a mediator's proposal.

Packages are places in the agenda's enumeration (:class:`~tratado.experiments.kernels.Batch`).
"""

from __future__ import annotations

import numpy as np

from tratado.experiments.kernels import Batch, first_at_least
from tratado.experiments.kernels.registry import Strategy


class Curves:
    """Party ``party``'s concession curve in every sample of ``batch``."""

    def __init__(self, batch: Batch, party: int, strategy: Strategy) -> None:
        self.top = batch.best(party)
        worst = batch.worst(party)
        self.reservation = batch.reservation[:, party].copy()
        self.span = np.maximum(self.top - np.maximum(self.reservation, worst), 0.0)
        self.exponent = 1.0 / strategy.e

    def target(self, t: float, rows: np.ndarray | slice = slice(None)) -> np.ndarray:
        """The own utility aimed at, at relative time ``t`` (for samples ``rows``)."""
        result: np.ndarray = self.top[rows] - self.span[rows] * (t ** self.exponent)
        return result

    def threshold(self, t: float, rows: np.ndarray | slice = slice(None)) -> np.ndarray:
        """The least own utility accepted from a mediator at ``t``: the target, never
        below the reservation value."""
        found: np.ndarray = np.maximum(self.target(t, rows), self.reservation[rows])
        return found


def at_least(order: np.ndarray, values: np.ndarray, targets: np.ndarray,
             rows: np.ndarray) -> np.ndarray:
    """Per sample of ``rows``, the package worth the least at or above its target (the
    best package when none is): ``order``/``values`` are :meth:`Batch.sorted`'s."""
    size = values.shape[1]
    place = np.minimum(first_at_least(values, targets, rows), size - 1)
    found: np.ndarray = order[rows, place]
    return found


class FrequencyModel:
    """A frequency negotiator's model of the other parties, in every sample.

    ``observe`` counts an opponent's proposals as they come, ``liked_most`` is the
    negotiator's proposal. The engine's negotiator keeps one model per opponent in the
    order it first saw each of them propose and sums their scores in that order; who
    was seen first can differ between samples (a party that accepts instead of
    proposing is seen later), so each sample keeps its own order (``rank``) and the
    scores are summed rank by rank."""

    def __init__(self, batch: Batch, party: int, candidates: int) -> None:
        shape = np.asarray(batch.shape, dtype=np.int64)
        self.shape = shape
        self.starts = np.concatenate([[0], np.cumsum(shape)[:-1]]).astype(np.int64)
        self.every = batch.every
        count, n = len(batch), batch.n_parties
        # per sample and party (the negotiator's own slot stays empty)
        self.counts = np.zeros((count, n, int(shape.sum())))
        self.unchanged = np.zeros((count, n, len(shape)))
        self.previous = np.full((count, n, len(shape)), -1, dtype=np.int64)
        self.rank = np.full((count, n), n, dtype=np.int64)  # n: not seen yet
        self.known = np.zeros(count, dtype=np.int64)  # opponents seen so far
        self.candidates = candidates
        self.order, self.values = batch.sorted(party)
        # per issue, every package's option as a place among all issues' options
        self.codes = np.ascontiguousarray((batch.every + self.starts[None, :]).T)

    @property
    def seen(self) -> np.ndarray:
        """Per sample, whether any opponent has proposed yet."""
        seen: np.ndarray = self.known > 0
        return seen

    def observe(self, rows: np.ndarray, packages: np.ndarray, opponent: int) -> None:
        """Party ``opponent`` proposed ``packages`` in samples ``rows``."""
        options = self.every[packages]
        self.counts[rows[:, None], opponent, self.starts[None, :] + options] += 1
        before = self.rank[rows, opponent] < self.rank.shape[1]
        if before.any():
            again = rows[before]
            self.unchanged[again, opponent] += np.equal(self.previous[again, opponent],
                                                        options[before])
        first = rows[~before]
        self.rank[first, opponent] = self.known[first]
        self.known[first] += 1
        self.previous[rows, opponent] = options

    def scores(self, rows: np.ndarray) -> np.ndarray:
        """Per sample of ``rows`` and option (issues side by side), the model's value of
        it to the opponents (``opponent_scores``): each seen opponent's, summed in the
        order the negotiator first saw them."""
        shape = self.shape
        rank = self.rank[rows]
        total = np.zeros((len(rows), self.counts.shape[2]))
        for place in range(int(self.known[rows].max(initial=0))):
            has = np.flatnonzero((rank == place).any(axis=1))
            opponent = np.argmax(rank[has] == place, axis=1)
            at = rows[has]
            counts = self.counts[at, opponent]
            weights = 1.0 + self.unchanged[at, opponent]
            weights /= weights.sum(axis=1, keepdims=True)
            most = np.maximum.reduceat(counts, self.starts, axis=1)
            total[has] += (np.repeat(weights, shape, axis=1) * (counts + 1.0)
                           / np.repeat(most + 1.0, shape, axis=1))
        return total

    def liked_most(self, rows: np.ndarray, targets: np.ndarray) -> np.ndarray:
        """Per sample of ``rows``: among the ``candidates`` packages at or just above the
        target (ascending own utility), the one the model scores highest; ties go to the
        package worth more to the negotiator."""
        size = self.values.shape[1]
        low = np.minimum(first_at_least(self.values, targets, rows), size - 1)
        window = low[:, None] + np.arange(self.candidates)[None, :]
        inside = window < size
        places = np.where(inside, window, size - 1)
        size = self.order.shape[1]
        packages = self.order.take(rows[:, None] * size + places)
        scores = self.scores(rows)
        base = (np.arange(len(rows)) * scores.shape[1])[:, None]
        flat = scores.ravel()
        total = np.zeros(packages.shape)
        for codes in self.codes:
            total += flat.take(base + codes.take(packages))
        total[~inside] = -np.inf
        last = self.candidates - 1 - np.argmax(total[:, ::-1], axis=1)
        chosen: np.ndarray = packages[np.arange(len(rows)), last]
        return chosen


def best_packages(batch: Batch, party: int) -> np.ndarray:
    """Per sample, the party's best package (the last in its ascending order)."""
    order, _ = batch.sorted(party)
    best: np.ndarray = order[:, -1].copy()
    return best


def conceding_vote(utilities: np.ndarray, curves: Curves, rows: np.ndarray, draft: np.ndarray,
                   change: np.ndarray, t: float) -> np.ndarray:
    """Single text: per sample of ``rows``, yes to a change worth more, and to one worth
    less that still reaches ``threshold(t)`` (``Negotiator.conceding_vote``)."""
    new = utilities[rows, change]
    old = utilities[rows, draft]
    floor = np.maximum(curves.threshold(t, rows), curves.reservation[rows])
    votes: np.ndarray = (new > old) | ((new < old) & (new >= floor))
    return votes


def responds(utilities: np.ndarray, curves: Curves, rows: np.ndarray, proposal: np.ndarray,
             t: float) -> np.ndarray:
    """Mediated: per sample of ``rows``, accept the mediator's ``proposal``?
    (``Negotiator.respond``: worth at least ``threshold(t)`` and no deal)."""
    floor = np.maximum(curves.threshold(t, rows), curves.reservation[rows])
    answers: np.ndarray = utilities[rows, proposal] >= floor
    return answers
