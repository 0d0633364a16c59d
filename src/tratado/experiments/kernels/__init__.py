"""Batched sessions: many samples of one agenda negotiated side by side, in step.

A forecast runs the same protocol with the same negotiators on thousands of samples
of one scenario that differ only in their numbers. The engine
(:class:`tratado.session.Session`) runs each session on its own, one Python call per
move; a *kernel* runs a whole chunk of them at once, one numpy call per move *of all
of them*, and gives the same agreements: the same packages, found by the same
arithmetic on the same utilities, in the same order. Kernels exist for the built-in
protocols with their default mediators and the built-in negotiators that have no
hidden state beyond what the record shows (``frequency`` and the time-based family,
with their default acceptance rules); anything else — a plug-in, another negotiator,
an option a kernel does not model — runs on the engine, session by session.
:func:`kernel_for` says which.

What a kernel works on is a :class:`Batch`: the samples' scenarios (as the sessions
would see them: stakeholders folded in), their session seeds, every package of the
agenda in enumeration order, and per party a ``(samples, packages)`` matrix of
utilities computed by each sample's own preferences object exactly as a negotiator's
table computes them (:func:`tratado.analysis.space.listed_utilities`, shared with the
sample's exact frontier), and the top of each party's ascending order (the packages
its negotiator may propose: :meth:`Batch.sorted`). A package is named by its place in
that enumeration (an ``int``), so "the utility of package ``k`` to party ``p`` in
sample ``s``" is ``batch.utilities[p][s, k]``.

A kernel returns, for every sample, the package agreed (its place, ``-1`` for no
agreement). The forecast turns that into the engine's row (each party's gain is its
utility of the agreed package less its reservation value, as the session computes it).

The equivalence with the engine is what the tests check
(``tests/experiments/test_kernel*.py``): on the bundled examples and on random
scenarios with ties, every kernel gives the package the engine's session gives,
sample by sample; ``tratado forecast --engine`` runs the engine instead, as a check.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from tratado.scenario import Scenario

#: How far below a negotiator's floor its sorted top reaches (:meth:`Batch.sorted`): a
#: target computed as ``best - (best - floor) * t ** (1 / e)`` may round an ulp below it.
FLOOR_MARGIN = 1e-9

#: A kernel: ``kernel(batch, protocol, negotiators) -> agreed package per sample``
#: (``-1``: no agreement); ``negotiators``: one built negotiator per party (read for
#: its parameters only).
Kernel = Callable[["Batch", Any, Sequence[Any]], np.ndarray]


@dataclass
class Batch:
    """Samples of one agenda, side by side (see the module docstring)."""

    scenarios: list[Scenario]
    seeds: list[int]
    #: Read each party's own copy of its preferences (as the engine's sessions do, to
    #: share their work), or the preferences themselves (when no session of the batch
    #: runs on the engine: the copies would be made for nothing).
    copies: bool = True

    def __post_init__(self) -> None:
        if not self.scenarios:
            raise ValueError("a batch needs at least one sample")
        agenda = self.scenarios[0].agenda
        if any(s.agenda.shape != agenda.shape for s in self.scenarios):
            raise ValueError("the samples of a batch share one agenda shape")

    def __len__(self) -> int:
        return len(self.scenarios)

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.scenarios[0].agenda.shape)

    @property
    def n_parties(self) -> int:
        return self.scenarios[0].n_parties

    @cached_property
    def every(self) -> np.ndarray:
        """Every package as a row of option indices, in enumeration order (read-only)."""
        from tratado.negotiators import outcome_rows

        return outcome_rows(self.scenarios[0].agenda)

    @cached_property
    def radix(self) -> np.ndarray:
        """Place values of the enumeration: ``package = rows @ radix``."""
        shape = self.shape
        place = np.ones(len(shape), dtype=np.int64)
        for i in range(len(shape) - 2, -1, -1):
            place[i] = place[i + 1] * shape[i + 1]
        return place

    def place(self, outcome: Sequence[int]) -> int:
        """The place of ``outcome`` in the enumeration."""
        return int(np.dot(np.asarray(outcome, dtype=np.int64), self.radix))

    def preferences(self, party: int) -> list[Any]:
        """Party ``party``'s preferences in every sample: with :attr:`copies`, as its
        negotiator gets them (its own copy, :func:`~tratado.negotiators.base.own_copy`: one
        per preferences object, so the engine's sessions, the Nash package and the neutral
        share their work); else the scenario's own."""
        if not self.copies:
            return [scenario.parties[party].preferences for scenario in self.scenarios]
        from tratado.negotiators.base import own_copy

        return [own_copy(scenario.parties[party].preferences) for scenario in self.scenarios]

    @cached_property
    def utilities(self) -> list[np.ndarray]:
        """Per party, a ``(samples, packages)`` matrix of utilities (enumeration order):
        each sample's own preferences evaluated on every package, as its negotiator's table
        evaluates them (:func:`tratado.analysis.space.listed_utilities`: the numbers the
        sample's exact frontier was found from, computed once)."""
        from tratado.analysis.space import listed_utilities

        found = []
        agenda = self.scenarios[0].agenda
        for k in range(self.n_parties):
            matrix = np.empty((len(self), len(self.every)))
            for s, preferences in enumerate(self.preferences(k)):
                listed = listed_utilities(agenda, preferences)
                matrix[s] = listed if listed is not None else preferences.utility(self.every)
            found.append(matrix)
        return found

    def best(self, party: int) -> np.ndarray:
        """Party ``party``'s best utility in every sample."""
        return self._extremes(party)[0]

    def worst(self, party: int) -> np.ndarray:
        """Party ``party``'s worst utility in every sample."""
        return self._extremes(party)[1]

    def _extremes(self, party: int) -> tuple[np.ndarray, np.ndarray]:
        key = f"extremes-{party}"
        found: tuple[np.ndarray, np.ndarray] | None = self.memo.get(key)
        if found is None:
            utilities = self.utilities[party]
            found = self.memo[key] = (utilities.max(axis=1), utilities.min(axis=1))
        return found

    @cached_property
    def reservation(self) -> np.ndarray:
        """``(samples, parties)``: each party's reservation value in each sample."""
        return np.array([s.reservation_values for s in self.scenarios], dtype=np.float64)

    def floor(self, party: int) -> np.ndarray:
        """Per sample, the least own utility party ``party``'s negotiator ever aims at:
        the larger of its reservation value and its worst package (its concession curve
        ends there), never above its best."""
        floor: np.ndarray = np.minimum(np.maximum(self.reservation[:, party], self.worst(party)),
                                       self.best(party))
        return floor

    def sorted(self, party: int) -> tuple[np.ndarray, np.ndarray]:
        """The top of party ``party``'s ascending order of packages in every sample — the
        packages worth at least its :meth:`floor` (less :data:`FLOOR_MARGIN`), ties in
        enumeration order: the end of its negotiator's sorted table — and their utilities:
        two ``(samples, width)`` arrays, each row padded at the front (package 0, utility
        ``-inf``) to the widest top of the batch. A negotiator's targets never fall below
        its floor, so every package it proposes is in its top."""
        found = self._sorted.get(party)
        if found is None:
            from tratado.analysis.ordering import stable_argsort

            utilities = self.utilities[party]
            levels = self.floor(party) - FLOOR_MARGIN
            tops = [np.flatnonzero(row >= level) for row, level in zip(utilities, levels,
                                                                        strict=True)]
            width = max(len(top) for top in tops)
            order = np.zeros((len(self), width), dtype=np.int64)
            values = np.full((len(self), width), -np.inf)
            for s, top in enumerate(tops):
                ranked = top[stable_argsort(utilities[s, top])]
                order[s, width - len(ranked):] = ranked
                values[s, width - len(ranked):] = utilities[s, ranked]
            found = self._sorted[party] = (order, values)
        return found

    @cached_property
    def memo(self) -> dict[str, Any]:
        """What a kernel works out once per batch, whatever the negotiators (the mediated
        kernel's frontiers), kept for its next run on the batch: a key per kernel."""
        return {}

    @cached_property
    def _sorted(self) -> dict[int, tuple[np.ndarray, np.ndarray]]:
        return {}


def first_at_least(values: np.ndarray, targets: np.ndarray,
                   rows: np.ndarray | None = None) -> np.ndarray:
    """Per row of ``values`` (each ascending; ``rows``: only these rows, in this order),
    the place of the first value at least that row's target:
    ``searchsorted(row, target, "left")`` for every row, by one vectorised bisection
    (the same comparisons, so the same places)."""
    size = values.shape[1]
    index = np.arange(values.shape[0]) if rows is None else rows
    low = np.zeros(len(index), dtype=np.int64)
    high = np.full(len(index), size, dtype=np.int64)
    while True:
        open_ = low < high
        if not open_.any():
            return low
        middle = (low + high) // 2
        below = values[index, np.minimum(middle, size - 1)] < targets
        low = np.where(open_ & below, middle + 1, low)
        high = np.where(open_ & ~below, middle, high)


def kernel_for(protocol: Any, negotiators: Sequence[Any], mediator: Any = None) -> Kernel | None:
    """The kernel that runs ``protocol`` with ``negotiators`` (and the protocol's default
    mediator), or None when the engine must run them."""
    from tratado.experiments.kernels import registry

    kernel: Kernel | None = registry.kernel_for(protocol, negotiators, mediator)
    return kernel


__all__ = ["Batch", "Kernel", "first_at_least", "kernel_for"]
