"""A party's best (or worst) package without listing the space: one mixed-integer programme.

For preferences made of option values and package rules
(:func:`tratado.analysis.milp.structure`), the highest utility is a mixed-integer
programme over one binary per option (one option per issue) and one per rule, the rules
linked to the options as in :mod:`tratado.analysis.milp`: a bonus may be claimed only
when every issue it constrains takes an allowed option, a penalty must be paid when they
all do. The lowest utility is the highest of the negated utility (bonuses become
penalties), so the same linking stays valid. HiGHS (through SciPy, the ``huge`` extra)
proves the optimum with a relative gap of 0; the package it returns is then evaluated
by the preferences themselves.

Linear-additive preferences need no solver: the best package takes the best option of
every issue.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from tratado.analysis.milp import MilpUnavailable, Structure, best_package, structure
from tratado.preferences import LinearAdditive, Preferences

NEEDS_SCIPY_FIX = "install the optional extra: pip install 'tratado[huge]'."


def has_solver() -> bool:
    """Whether SciPy's HiGHS (the ``huge`` extra) can be imported."""
    try:
        import scipy.optimize  # noqa: F401
    except ImportError:
        return False
    return True


def extreme_package(preferences: Preferences, shape: Sequence[int], *,
                    lowest: bool = False) -> np.ndarray:
    """The package (option indices) with the highest utility for ``preferences``, or the
    lowest with ``lowest=True`` (ties: whichever the solver proves first)."""
    if isinstance(preferences, LinearAdditive):
        pick = np.argmin if lowest else np.argmax
        return np.array([int(pick(c)) for c in preferences.contributions()], dtype=np.int64)
    part = structure(preferences, shape)
    if part is None:
        raise TypeError(f"{type(preferences).__name__} preferences have no option structure")
    if not has_solver():
        raise MilpUnavailable(
            "negotiating on non-linear preferences over a space too large to list searches"
            " them with mixed-integer programmes, which need SciPy.", fix=NEEDS_SCIPY_FIX)
    if lowest:
        part = Structure(-part.offset, tuple(-o for o in part.options),
                         tuple((a, -b) for a, b in part.rules))
    return best_package(part, [int(k) for k in shape])
