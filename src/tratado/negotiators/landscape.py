"""One party's utility around a package: the package and every single-issue change to it.

A :class:`Landscape` evaluates preferences made of option values and package rules —
linear-additive ones, :class:`~tratado.preferences.Constraints` (GENIUS non-linear
hyper-rectangle spaces) and mixes of both — without listing the outcome space:

    u(x) = offset + sum_i base[i][x_i] + sum_r bonus_r * [x satisfies rule r]

Changing issue ``i`` to option ``j`` keeps every other issue, so rule ``r`` holds after
the change iff every *other* issue it constrains is already satisfied and option ``j`` is
allowed on issue ``i``. :meth:`Landscape.changes` evaluates all ``sum_i n_i`` changes of a
package in a few array operations (issues x options x rules booleans), which is what the
bounded local searches of :mod:`tratado.negotiators.search` step with.

The search helpers here are deterministic: ties go to the lowest issue, then the lowest
option, so the same question always gets the same package.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from tratado.preferences import Constraints, LinearAdditive, Preferences

#: Utilities closer than this are treated as equal by the searches.
TOLERANCE = 1e-12


class Landscape:
    """Evaluate packages, and all their single-issue changes, for one party."""

    def __init__(self, preferences: Preferences, shape: Sequence[int]) -> None:
        n, width = len(shape), max(shape)
        self.shape = tuple(int(k) for k in shape)
        self.valid = np.arange(width)[None, :] < np.array(self.shape)[:, None]
        base = np.zeros((n, width))
        self.offset = 0.0
        rules: list[tuple[dict[int, np.ndarray], float]] = []
        if isinstance(preferences, LinearAdditive):
            parts: list[np.ndarray] = preferences.contributions()
        elif isinstance(preferences, Constraints):
            self.offset = float(preferences.offset)
            parts = [np.zeros(k) for k in self.shape]
            if preferences.base is not None and preferences.base_weight:
                parts = [preferences.base_weight * c for c in preferences.base.contributions()]
            rules = [(dict(r.allowed), float(r.bonus)) for r in preferences.rules if r.bonus]
        else:
            raise TypeError(f"{type(preferences).__name__} preferences have no option structure")
        for i, part in enumerate(parts):
            base[i, :len(part)] = part
        self.base = base
        self.bonus = np.array([b for _, b in rules], dtype=float)
        # allows[i, j, r]: option j of issue i does not break rule r
        allows = np.ones((n, width, len(rules)), dtype=bool)
        for r, (allowed, _) in enumerate(rules):
            for i, mask in allowed.items():
                allows[i, :len(mask), r] = mask
        self.allows = allows
        self._allows_float = allows.astype(float)
        self._issues = np.arange(n)

    @staticmethod
    def supports(preferences: Preferences) -> bool:
        """Whether ``preferences`` are made of option values and package rules."""
        return isinstance(preferences, LinearAdditive | Constraints)

    def value(self, row: np.ndarray) -> float:
        """The utility of one package (option indices)."""
        total = self.offset + float(self.base[self._issues, row].sum())
        if self.bonus.size:
            holds = self.allows[self._issues, row].all(axis=0)
            total += float(self.bonus @ holds)
        return total

    def values(self, rows: np.ndarray) -> np.ndarray:
        """The utilities of a block of packages."""
        total = self.offset + self.base[self._issues[None, :], rows].sum(axis=1)
        if self.bonus.size:
            holds = self.allows[self._issues[None, :], rows].all(axis=1)
            total = total + holds.astype(float) @ self.bonus
        return np.asarray(total, dtype=float)

    def changes(self, row: np.ndarray) -> np.ndarray:
        """``(issues, options)``: the utility after setting issue ``i`` to option ``j``
        (``-inf`` where issue ``i`` has no option ``j``)."""
        own = self.base[self._issues, row]
        total = self.offset + float(own.sum())
        values = total - own[:, None] + self.base
        if self.bonus.size:
            broken = ~self.allows[self._issues, row]  # (issues, rules)
            others_hold = (broken.sum(axis=0)[None, :] - broken) == 0
            # bonus r counts after changing issue i to j iff the other issues keep it and
            # option j allows it: per issue, (options x rules) @ (kept bonuses)
            kept = others_hold * self.bonus[None, :]
            values = values + np.matmul(self._allows_float, kept[:, :, None])[:, :, 0]
        return np.where(self.valid, values, -np.inf)


def descend(land: Landscape, row: np.ndarray, target: float, steps: int,
            free: np.ndarray | None = None) -> tuple[np.ndarray, float]:
    """From ``row`` (worth at least ``target``), move by single-issue changes to the
    package worth the least that is still at least ``target``, greedily: each step takes
    the change that lands lowest at or above the target, until none lowers the utility
    (or ``steps`` were taken). ``free`` masks the issues that may change."""
    row = row.copy()
    value = land.value(row)
    for _ in range(steps):
        values = land.changes(row)
        if free is not None:
            values[~free, :] = -np.inf
        ok = (values >= target - TOLERANCE) & (values < value - TOLERANCE)
        if not ok.any():
            break
        flat = int(np.argmin(np.where(ok, values, np.inf)))
        i, j = divmod(flat, values.shape[1])
        row[i] = j
        value = float(values[i, j])
    return row, value


def climb(land: Landscape, row: np.ndarray, steps: int,
          free: np.ndarray | None = None) -> tuple[np.ndarray, float]:
    """Best-improvement hill-climb on ``land``'s utility from ``row`` (bounded by
    ``steps``), changing only the issues in ``free`` (all when None)."""
    row = row.copy()
    value = land.value(row)
    for _ in range(steps):
        values = land.changes(row)
        if free is not None:
            values[~free, :] = -np.inf
        flat = int(np.argmax(values))
        i, j = divmod(flat, values.shape[1])
        if not values[i, j] > value + TOLERANCE:
            break
        row[i] = j
        value = float(values[i, j])
    return row, value


def climb_path(land: Landscape, row: np.ndarray, steps: int) -> list[tuple[np.ndarray, float]]:
    """Every package (with its utility) of a best-improvement hill-climb from ``row``,
    ``row`` first, at most ``steps`` changes."""
    row = row.copy()
    value = land.value(row)
    path = [(row.copy(), value)]
    for _ in range(steps):
        values = land.changes(row)
        flat = int(np.argmax(values))
        i, j = divmod(flat, values.shape[1])
        if not values[i, j] > value + TOLERANCE:
            break
        row[i] = j
        value = float(values[i, j])
        path.append((row.copy(), value))
    return path


def padded(scores: Sequence[np.ndarray], shape: Sequence[int]) -> np.ndarray:
    """Per-issue option scores as one ``(issues, options)`` array (0 where no option)."""
    out = np.zeros((len(shape), max(shape)))
    for i, score in enumerate(scores):
        out[i, :len(score)] = score
    return out


def favour(land: Landscape, row: np.ndarray, scores: np.ndarray, low: float, high: float,
           steps: int) -> np.ndarray:
    """From ``row`` (worth between ``low`` and ``high``), climb the additive ``scores``
    (what a model of the others says they like) by single-issue changes that keep the
    package's own utility between ``low`` and ``high``; ties go to the change worth more
    to me. At most ``steps`` changes."""
    row = row.copy()
    issues = np.arange(len(row))
    for _ in range(steps):
        values = land.changes(row)
        current = float(scores[issues, row].sum())
        gain = scores - scores[issues, row][:, None] + current
        ok = (values >= low - TOLERANCE) & (values <= high + TOLERANCE) & (gain > current + 1e-12)
        if not ok.any():
            break
        best = np.where(ok, gain, -np.inf)
        top = best >= best.max() - 1e-12
        flat = int(np.argmax(np.where(top, values, -np.inf)))
        i, j = divmod(flat, values.shape[1])
        row[i] = j
    return row
