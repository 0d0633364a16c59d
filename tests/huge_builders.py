"""Builders for the tests of negotiation on spaces too large to list: seeded scenarios of
the ANAC 2014 non-linear shape and of the 10^10-package additive kind, and hypothesis
strategies for small preferences made of option values and rules (small enough to list,
so that a search can be checked against brute force)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from hypothesis import strategies as st

from tratado import Agenda, Issue, LinearAdditive, Party, Scenario
from tratado.preferences import Constraints, Preferences, Rule


def rectangles(rng: np.random.Generator, shape: Sequence[int], count: int) -> Constraints:
    """Hyper-rectangle preferences as in the ANAC 2014 files: each rule bounds 1-4 issues
    to an interval of values, integer utilities 1-99, about one in six negative."""
    found = []
    for _ in range(count):
        allowed = {}
        for position in rng.choice(len(shape), size=int(rng.integers(1, min(4, len(shape)) + 1)),
                                   replace=False):
            n = shape[int(position)]
            low = int(rng.integers(0, n))
            high = int(rng.integers(low, n))
            allowed[int(position)] = (np.arange(n) >= low) & (np.arange(n) <= high)
        sign = -1 if rng.random() < 1 / 6 else 1
        found.append((allowed, sign * int(rng.integers(1, 100))))
    low = float(sum(b for _, b in found if b < 0))
    high = float(sum(b for _, b in found if b > 0))
    span = high - low
    return Constraints(tuple(Rule(a, b / span) for a, b in found), offset=-low / span,
                       reservation_value=0.1)


def anac_like(issues: int, seed: int = 0, values: int = 10) -> Scenario:
    """Two parties, ``issues`` integer issues of ``values`` options, two rectangles per
    issue per party."""
    rng = np.random.default_rng(seed)
    agenda = Agenda(tuple(Issue.integer(f"i{k + 1}", 0, values - 1) for k in range(issues)))
    parties = tuple(Party(f"party-{p + 1}", rectangles(rng, agenda.shape, 2 * issues))
                    for p in range(2))
    return Scenario(f"anac-like-{issues}", agenda, parties)


def additive_huge(issues: int = 10, values: int = 10, seed: int = 0) -> Scenario:
    """Two linear-additive parties over ``values ** issues`` packages (10^10 by default)."""
    rng = np.random.default_rng(seed)
    agenda = Agenda(tuple(Issue.integer(f"i{k + 1}", 0, values - 1) for k in range(issues)))
    parties = tuple(
        Party(f"p{p + 1}", LinearAdditive.normalized(
            rng.random(issues), [np.round(rng.random(values), 2) for _ in range(issues)], 0.3))
        for p in range(2))
    return Scenario(f"additive-{values}^{issues}", agenda, parties)


@st.composite
def small_preferences(draw: st.DrawFn, additive: bool | None = None
                      ) -> tuple[Agenda, Preferences]:
    """An agenda of 1-5 issues of 2-5 options and preferences over it: linear-additive
    (``additive=True``), hyper-rectangles (False), or either (None)."""
    shape = draw(st.lists(st.integers(2, 5), min_size=1, max_size=5))
    agenda = Agenda(tuple(Issue.integer(f"i{k}", 0, n - 1) for k, n in enumerate(shape)))
    if additive is None:
        additive = draw(st.booleans())
    if additive:
        weights = [draw(st.integers(1, 9)) for _ in shape]
        values = [[draw(st.integers(0, 8)) / 8 for _ in range(n)] for n in shape]
        return agenda, LinearAdditive.normalized(weights, values)
    seed = draw(st.integers(0, 2**32 - 1))
    count = draw(st.integers(1, 8))
    return agenda, rectangles(np.random.default_rng(seed), shape, count)
