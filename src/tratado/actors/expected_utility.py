"""Bueno de Mesquita's expected utility model of collective decisions, round by round.

Reconstructed by Scholz, Calbert and Smith (2011), "Unravelling Bueno de Mesquita's
group decision model", *Journal of Theoretical Politics* 23(4), from Bueno de Mesquita
(1994, 1997). Two variants, named by ``variant``:

``"replication"``
    The model as the published replication's code runs it — the one validated to 1e-9
    against that code's rounds on the European Community car-emissions case.
``"text"``
    The model as Bueno de Mesquita's text states it, where the replication departs
    from it: the chance that a position prevails is decided by the votes on the two
    positions at stake; an actor's risk attitude compares its vulnerability with what
    it would be at the other positions on the table; an actor capitulates when it
    would lose by far more than its challenger gains; and among compromises an actor
    takes the one that moves it least.

Notation (docs/actors-models.md has the equations and the reasoning): actor ``a`` has
capability ``c_a``, salience ``s_a``, position ``x_a`` and risk exponent ``r_a``; ``R``
is the range of the starting positions, fixed for the run; ``w_a = c_a s_a``.

* vote of ``a`` for ``y`` over ``z``: ``v_a(y, z) = w_a ((|x_a - z|/R)^r_a - (|x_a - y|/R)^r_a)``;
* chance that ``x_i`` prevails over ``x_j``: the positive votes over a denominator that
  is every absolute vote on every ordered pair of positions (replication) or on this
  pair only (text);
* seen by ``k`` (its exponent ``r_k`` in every utility), with ``d = |x_i - x_j| / R``:
  ``EU_k(i, j) = s_j (P U_s + (1 - P) U_f) + (1 - s_j) U_s - U_q``,
  ``U_s = 2 - 4 (1/2 - d/2)^r_k``, ``U_f = 2 - 4 (1/2 + d/2)^r_k``, ``U_q = 2 - 4 (1/2)^r_k``;
* each round all exponents start at 1; actor ``i``'s vulnerability is
  ``sum_j EU_j(j, i)``; its risk acceptance ``Q_i`` places it between the least and the
  most vulnerable (replication: among all actors; text: among its own alternative
  positions), and ``r_i = (1 - Q_i / 3) / (1 + Q_i / 3)``;
* with ``e = EU_i(i, j)`` and ``f = EU_i(j, i)``: ``f > e > 0`` — ``i`` loses a
  confrontation and would move to ``x_j``; ``f > 0 > e`` and ``f > |e|`` — ``i``
  compromises to ``x_i + (x_j - x_i) |e / f|``; ``f > 0 > e`` and ``|e| >= f`` (text
  only) — ``i`` capitulates to ``x_j``;
* ``i`` takes the confrontation that moves it least, otherwise a compromise (or, in the
  text, a capitulation); every actor moves at once at the end of the round; the run
  stops when a round moves no one or after the rounds asked for.

Pure functions over numpy arrays; the work of a round grows with the cube of the number
of actors.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from tratado.actors.table import IssueTable

Variant = Literal["replication", "text"]
VARIANTS: tuple[Variant, ...] = ("replication", "text")
DEFAULT_ROUNDS = 10
SETTLED = 1e-9
"""A round that moves no actor by more than this share of the scale settles the run."""

_CHUNK = 4_000_000
"""Elements of the largest temporary array (32 MB): votes are summed a slice at a time."""
_SAME = 1e-12
"""Vulnerabilities closer than this, relative to their size, count as equal."""

MOVES = ("stays", "confrontation", "compromise", "capitulation")


@dataclass(frozen=True)
class ExpectedUtilityRun:
    """The rounds of one run: ``positions[k]`` after round ``k`` (``positions[0]``: the
    inputs), ``risk[k]`` the risk exponents used in round ``k + 1``, ``moves[k]`` what
    each actor did in round ``k + 1`` (one of :data:`MOVES`), and ``settled`` whether the
    last round moved no one (otherwise the run stopped at the rounds asked for)."""

    table: IssueTable
    variant: Variant
    positions: tuple[np.ndarray, ...]
    risk: tuple[np.ndarray, ...]
    moves: tuple[tuple[str, ...], ...]
    settled: bool

    @property
    def rounds(self) -> int:
        return len(self.positions) - 1

    @property
    def final(self) -> IssueTable:
        """The table with every actor at its position after the last round."""
        return self.table.replace_positions(self.positions[-1])


def expected_utility(table: IssueTable, rounds: int = DEFAULT_ROUNDS,
                     variant: Variant = "replication") -> ExpectedUtilityRun:
    """Run the model for at most ``rounds`` rounds (fewer when positions settle)."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}; use one of {VARIANTS}")
    if rounds < 0:
        raise ValueError("rounds must be zero or more")
    x = np.array(table.position, dtype=float)
    span = float(np.ptp(x))
    positions, risks, moves = [x.copy()], [], []
    settled = span == 0
    while not settled and len(positions) <= rounds:
        r = risk_exponents(table, x, span, variant)
        x_new, kinds = _round(table, x, span, r, variant)
        settled = bool(np.max(np.abs(x_new - x)) <= SETTLED * span)
        x = x_new
        positions.append(x.copy())
        risks.append(r)
        moves.append(kinds)
    for array in (*positions, *risks):
        array.setflags(write=False)
    return ExpectedUtilityRun(table, variant, tuple(positions), tuple(risks), tuple(moves),
                              settled)


# -- the pieces ---------------------------------------------------------------------
def win_probabilities(table: IssueTable, x: np.ndarray, span: float, r: np.ndarray,
                      variant: Variant) -> np.ndarray:
    """``P[i, j]``: the chance that ``x_i`` prevails over ``x_j`` (0 when they are equal).

    Only the positive votes are summed voter by voter; the absolute ones follow from
    ``|v| = 2 max(0, v) - v`` and the signed sum ``sum_a v_a(x_i, x_j)``, which takes
    O(n^2). Over every ordered pair the signed votes cancel, so the replication's
    denominator is twice the sum of all positive votes.
    """
    n = len(x)
    distance = (np.abs(x[:, None] - x[None, :]) / span) ** r[:, None]  # [voter, position]
    w = table.weights
    support = np.zeros((n, n))
    step = max(1, _CHUNK // (n * n))
    for start in range(0, n, step):  # a few voters at a time: memory stays within _CHUNK
        voters = slice(start, start + step)
        gain = distance[voters, None, :] - distance[voters, :, None]  # [a, i, j]
        np.maximum(gain, 0.0, out=gain)
        support += np.einsum("a,aij->ij", w[voters], gain)
    if variant == "replication":
        total = 2 * support.sum()  # zero only once every actor holds the same position
        p = support / total if total > 0 else np.zeros_like(support)
    else:
        pull = w @ distance  # [position]: the weighted distance of every voter to it
        spread = 2 * support - (pull[None, :] - pull[:, None])
        some = spread > _SAME * w.sum()  # otherwise no one prefers either position
        p = np.divide(support, spread, out=np.full_like(support, 0.5), where=some)
    p[x[:, None] == x[None, :]] = 0.0
    return np.asarray(p)


def _utilities(x: np.ndarray, span: float, r: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``U_s``, ``U_f`` (``[k, j]``: seen by ``k`` with exponent ``r_k``, over the distance
    between ``x_k`` and ``x_j``) and ``U_q`` (``[k]``)."""
    d = np.abs(x[:, None] - x[None, :]) / span
    rk = r[:, None]
    return 2 - 4 * (0.5 - 0.5 * d) ** rk, 2 - 4 * (0.5 + 0.5 * d) ** rk, 2 - 4 * 0.5 ** r


def challenges(table: IssueTable, x: np.ndarray, span: float, r: np.ndarray,
               variant: Variant) -> tuple[np.ndarray, np.ndarray]:
    """``(e, f)`` with ``e[i, j] = EU_i(i, j)`` (``i`` challenging ``j``, as ``i`` sees it)
    and ``f[i, j] = EU_i(j, i)`` (``j`` challenging ``i``, as ``i`` sees it)."""
    p = win_probabilities(table, x, span, r, variant)
    success, failure, quo = _utilities(x, span, r)
    s = table.salience
    e = s[None, :] * (p * success + (1 - p) * failure) + (1 - s[None, :]) * success
    f = s[:, None] * (p.T * success + (1 - p.T) * failure) + (1 - s[:, None]) * success
    return e - quo[:, None], f - quo[:, None]


def vulnerability(table: IssueTable, x: np.ndarray, span: float, variant: Variant
                  ) -> np.ndarray:
    """``sum_j EU_j(j, i)`` for each actor ``i``, every exponent 1: what the others expect
    to gain by challenging ``i``."""
    ones = np.ones_like(x)
    p = win_probabilities(table, x, span, ones, variant)
    success, failure, quo = _utilities(x, span, ones)
    s = table.salience[:, None]
    gain = s * (p.T * success + (1 - p.T) * failure) + (1 - s) * success - quo[:, None]
    return np.asarray(gain.sum(axis=1))


def risk_exponents(table: IssueTable, x: np.ndarray, span: float, variant: Variant
                   ) -> np.ndarray:
    """Each actor's risk exponent for this round (1: neutral; below 1: risk-acceptant)."""
    if variant == "replication":
        danger = vulnerability(table, x, span, variant)
        most, least = np.full_like(x, danger.max()), np.full_like(x, danger.min())
    else:
        danger, most, least = _own_extremes(table, x, span)
    width = most - least
    # extremes equal but for rounding: no actor is more exposed than another
    level = _SAME * np.maximum(np.abs(most), np.abs(least))
    q = np.divide(2 * danger - most - least, width, out=np.zeros_like(x), where=width > level)
    q = np.clip(q, -1.0, 1.0)
    return np.asarray((1 - q / 3) / (1 + q / 3))


def _own_extremes(table: IssueTable, x: np.ndarray, span: float
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each actor, its vulnerability where it stands, and the most and the least
    over the positions on the table, everyone else staying put (text variant, every
    exponent 1). All three from one computation, so that the first lies between the
    other two to the last bit.

    With exponent 1, ``U_s = 2d``, ``U_f = -2d`` and ``U_q = 0``, so ``j``'s expected gain
    from challenging ``i`` at ``y`` is ``2 d (s_i (2 P - 1) + 1 - s_i)`` with
    ``d = |x_j - y| / R`` and ``P`` the chance that ``x_j`` prevails over ``y``. The votes
    on every pair (``x_j``, ``y``) are summed once; moving ``i`` to ``y`` only changes
    ``i``'s own vote, which is against ``x_j`` and so adds to the total and not to the
    support. O(n^3) in all, not O(n^5).
    """
    places = np.unique(x)
    to_place = np.abs(x[:, None] - places[None, :]) / span  # [voter, place]
    to_actor = np.abs(x[:, None] - x[None, :]) / span  # [voter, actor]
    w = table.weights
    m, n = len(places), len(x)
    support = np.zeros((m, n))
    step = max(1, _CHUNK // (n * n))
    for start in range(0, m, step):  # votes for x_j over y, a few places y at a time
        ys = slice(start, start + step)
        gain = to_place.T[ys, None, :] - to_actor.T[None, :, :]  # [y, j, a]
        np.maximum(gain, 0.0, out=gain)
        support[ys] = np.einsum("yja,a->yj", gain, w)
    total = 2 * support - ((w @ to_place)[:, None] - (w @ to_actor)[None, :])  # sum of |votes|
    d = np.abs(places[:, None] - x[None, :]) / span  # [y, j]
    own, most, least = np.empty_like(x), np.empty_like(x), np.empty_like(x)
    for i in range(len(x)):
        vote = w[i] * (to_place[i][:, None] - to_actor[i][None, :])  # i's, where it stands
        s_i = support - np.maximum(vote, 0.0)
        t_i = total - np.abs(vote) + w[i] * d
        p = np.divide(s_i, t_i, out=np.full_like(s_i, 0.5), where=t_i > _SAME * w.sum())
        p[d == 0] = 0.0
        gain = 2 * d * (table.salience[i] * (2 * p - 1) + 1 - table.salience[i])
        gain[:, i] = 0.0
        seen = gain.sum(axis=1)
        own[i], most[i], least[i] = seen[np.searchsorted(places, x[i])], seen.max(), seen.min()
    return own, most, least


def _round(table: IssueTable, x: np.ndarray, span: float, r: np.ndarray,
           variant: Variant) -> tuple[np.ndarray, tuple[str, ...]]:
    e, f = challenges(table, x, span, r, variant)
    apart = x[:, None] != x[None, :]
    move = x[None, :] - x[:, None]  # [i, j]: from x_i to x_j
    confront = apart & (f > e) & (e > 0)
    yielding = apart & (f > 0) & (e < 0)
    compromise = yielding & (f > np.abs(e))
    capitulate = yielding & ~compromise if variant == "text" else np.zeros_like(yielding)
    ratio = np.divide(np.abs(e), f, out=np.zeros_like(e), where=compromise)
    compromise_to = x[:, None] + move * ratio
    if variant == "replication":
        weight = np.abs(e) + np.abs(f)
        rank = np.divide(np.abs(e) * x[:, None] + np.abs(f) * x[None, :], weight,
                         out=np.zeros_like(e), where=compromise)
    else:
        rank = np.abs(compromise_to - x[:, None])
    x_new = x.copy()
    kinds = []
    for i in range(len(x)):
        if confront[i].any():
            j = _first_least(np.abs(move[i]), confront[i])
            x_new[i], kind = x[j], "confrontation"
        elif compromise[i].any() or capitulate[i].any():
            ranks = np.where(capitulate[i], np.abs(move[i]), rank[i])
            j = _first_least(ranks, compromise[i] | capitulate[i])
            if capitulate[i, j]:
                x_new[i], kind = x[j], "capitulation"
            else:
                x_new[i], kind = compromise_to[i, j], "compromise"
        else:
            kind = "stays"
        kinds.append(kind)
    return x_new, tuple(kinds)


def _first_least(values: np.ndarray, allowed: np.ndarray) -> int:
    """The first index (in actor order) of the least of ``values`` where ``allowed``."""
    return int(np.argmin(np.where(allowed, values, np.inf)))
