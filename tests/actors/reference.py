"""A plain-loop reference of the expected utility model, written straight from the
description (tests/data/bdm/README.md and docs/actors-models.md): one scalar formula per
line, no arrays. Slow and obvious; the vectorised model must agree with it."""

from __future__ import annotations

import functools

from tratado.actors import IssueTable


def reference_rounds(table: IssueTable, rounds: int, variant: str) -> list[list[float]]:
    c, s = list(table.capability), list(table.salience)
    x = [float(v) for v in table.position]
    n, span = len(x), max(x) - min(x)
    history = [list(x)]
    for _ in range(rounds):
        if span == 0:
            break
        danger = [vulnerability(c, s, x, span, i, variant) for i in range(n)]
        r = []
        for i in range(n):
            if variant == "replication":
                most, least = max(danger), min(danger)
            else:
                seen = []
                for place in sorted(set(x)):
                    moved = list(x)
                    moved[i] = place
                    seen.append(vulnerability(c, s, moved, span, i, variant))
                most, least = max(seen), min(seen)
            q = 0.0 if most == least else (2 * danger[i] - most - least) / (most - least)
            r.append((1 - q / 3) / (1 + q / 3))
        new = list(x)
        for i in range(n):
            confront, yielding = [], []
            for j in range(n):
                if x[j] == x[i]:
                    continue
                e = eu(c, s, x, span, r, r[i], i, j, variant)
                f = eu(c, s, x, span, r, r[i], j, i, variant)
                if f > e > 0:
                    confront.append((abs(x[j] - x[i]), j, x[j]))
                elif f > 0 > e and f > abs(e):
                    to = x[i] + (x[j] - x[i]) * abs(e / f)
                    rank = ((abs(e) * x[i] + abs(f) * x[j]) / (abs(e) + abs(f))
                            if variant == "replication" else abs(to - x[i]))
                    yielding.append((rank, j, to))
                elif variant == "text" and f > 0 > e:
                    yielding.append((abs(x[j] - x[i]), j, x[j]))
            if confront:
                new[i] = min(confront)[2]
            elif yielding:
                new[i] = min(yielding)[2]
        moved = max(abs(a - b) for a, b in zip(new, x))
        x = new
        history.append(list(x))
        if moved <= 1e-9 * span:
            break
    return history


def vote(c: list[float], s: list[float], x: list[float], span: float, a: int, ra: float,
         y: float, z: float) -> float:
    return c[a] * s[a] * ((abs(x[a] - z) / span) ** ra - (abs(x[a] - y) / span) ** ra)


def chance(c: list[float], s: list[float], x: list[float], span: float, r: list[float],
           i: int, j: int, variant: str) -> float:
    if x[i] == x[j]:
        return 0.0
    n = len(x)
    support = sum(max(0.0, vote(c, s, x, span, a, r[a], x[i], x[j])) for a in range(n))
    if variant == "replication":
        total = _all_votes(tuple(c), tuple(s), tuple(x), span, tuple(r))
        return support / total if total > 0 else 0.0
    total = sum(abs(vote(c, s, x, span, a, r[a], x[i], x[j])) for a in range(n))
    return support / total if total > 0 else 0.5


@functools.lru_cache(maxsize=64)
def _all_votes(c: tuple[float, ...], s: tuple[float, ...], x: tuple[float, ...], span: float,
               r: tuple[float, ...]) -> float:
    """Every absolute vote on every ordered pair of positions (the replication's
    denominator), computed once per round and set of exponents."""
    n = len(x)
    return sum(abs(vote(list(c), list(s), list(x), span, a, r[a], x[b], x[d]))
               for a in range(n) for b in range(n) for d in range(n))


def eu(c: list[float], s: list[float], x: list[float], span: float, r: list[float],
       rk: float, i: int, j: int, variant: str) -> float:
    p = chance(c, s, x, span, r, i, j, variant)
    d = abs(x[i] - x[j]) / span
    success, failure, quo = 2 - 4 * (0.5 - 0.5 * d) ** rk, 2 - 4 * (0.5 + 0.5 * d) ** rk, \
        2 - 4 * 0.5 ** rk
    return s[j] * (p * success + (1 - p) * failure) + (1 - s[j]) * success - quo


def vulnerability(c: list[float], s: list[float], x: list[float], span: float, i: int,
                  variant: str) -> float:
    ones = [1.0] * len(x)
    return sum(eu(c, s, x, span, ones, 1.0, j, i, variant) for j in range(len(x)) if j != i)
