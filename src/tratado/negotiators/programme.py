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

from tratado.analysis.milp import MilpUnavailable, Structure, quiet_stdout, structure
from tratado.errors import TratadoError
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
    return _solve(part, [int(k) for k in shape])


def _solve(part: Structure, shape: list[int]) -> np.ndarray:
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import lil_matrix

    starts = np.concatenate([[0], np.cumsum(shape)]).astype(int)
    n_x = int(starts[-1])
    n = n_x + len(part.rules)
    objective = np.zeros(n)
    rows: list[tuple[dict[int, float], float, float]] = [
        ({int(starts[i]) + j: 1.0 for j in range(k)}, 1.0, 1.0) for i, k in enumerate(shape)]
    for i, values in enumerate(part.options):
        objective[starts[i]:starts[i + 1]] = values
    for r, (allowed, bonus) in enumerate(part.rules):
        column = n_x + r
        objective[column] = bonus
        constrained = {i: m for i, m in allowed.items() if not np.all(m)}
        if any(not np.any(m) for m in constrained.values()):
            rows.append(({column: 1.0}, 0.0, 0.0))  # can never hold
        elif not constrained:
            rows.append(({column: 1.0}, 1.0, 1.0))  # always holds
        elif bonus > 0:  # claimed only when each constrained issue is allowed
            for i, mask in constrained.items():
                row = {column: 1.0} | {int(starts[i]) + int(j): -1.0 for j in np.flatnonzero(mask)}
                rows.append((row, -np.inf, 0.0))
        else:  # paid whenever every constrained issue is allowed
            row = {column: 1.0}
            for i, mask in constrained.items():
                row |= {int(starts[i]) + int(j): -1.0 for j in np.flatnonzero(mask)}
            rows.append((row, 1.0 - len(constrained), np.inf))
    a = lil_matrix((len(rows), n))
    for k, (coefficients, _, _) in enumerate(rows):
        for c, v in coefficients.items():
            a[k, c] = v
    lower = np.array([lo for _, lo, _ in rows])
    upper = np.array([hi for _, _, hi in rows])
    # utilities are in [0, 1]: scaled up, the solver's absolute gap (1e-6) is 1e-10 of it
    scale = 1e4
    with quiet_stdout():
        result = milp(-objective * scale, integrality=np.ones(n), bounds=Bounds(0, 1),
                      constraints=[LinearConstraint(a.tocsr(), lower, upper)],
                      options={"mip_rel_gap": 0.0, "presolve": True})
    if result.status != 0 or result.x is None:
        raise TratadoError(f"the mixed-integer solver stopped without a proven optimum "
                           f"({result.message}).", fix="report this scenario.")
    z = np.asarray(result.x)
    return np.array([int(np.argmax(z[starts[i]:starts[i + 1]])) for i in range(len(shape))],
                    dtype=np.int64)
