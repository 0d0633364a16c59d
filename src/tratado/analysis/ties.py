"""When two utilities count as equal: the one tolerance for float noise.

Utilities are sums of floating-point products (weights times option values, one term per
issue), so two packages worth exactly the same in exact arithmetic can come out one or
two ulps apart (``0.1 + 0.2 != 0.3``).  tratado never lets such noise decide anything:

* **Utilities are compared on a grid.**  Before any comparison (dominance, grouping of
  equal vectors, bargaining objectives) a utility is rounded to the nearest multiple of
  :data:`UTILITY_GRID` (``2**-32``, about ``2.3e-10``).  Two utilities are *equal* when
  they round to the same multiple.  The rounding is exact (scaling by a power of two,
  ``rint``, scaling back) and monotone, so dominance among rounded vectors is a
  transitive relation and every exact algorithm applies to it unchanged.  The grid is
  far coarser than float noise (about ``1e-16`` per addition) and far finer than any
  difference a delegation could state.  Values that differ by less than the grid may or
  may not round together; tratado's results do not depend on such differences being
  resolved either way.
* **Bargaining objectives** are computed from rounded utilities and rounded reservation
  values.  Each rounded value is within half a grid step of the exact one, so an
  objective built from the ``k`` parties' values (a total, a smallest gain, a product of
  gains at most 1) is within ``k`` grid steps of its exact value, and two packages whose
  objectives are equal in exact arithmetic can differ by up to that much.  So objective
  values within :func:`objective_tolerance` (``k * 2**-32``; divided by the smallest
  ideal gain for the Kalai–Smorodinsky ratios) of the best are *tied*.
* **Rationality** keeps its own, wider tolerance (:data:`RATIONAL_TOLERANCE`): a
  package the file says is worth exactly the no-deal value stays in the zone.

The reported utilities are always the float utilities of the package itself, as
:meth:`~tratado.scenario.Scenario.utilities` evaluates them; only comparisons use the grid.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["RATIONAL_TOLERANCE", "UTILITY_GRID", "objective_tolerance", "snap"]

#: Utilities are compared after rounding to the nearest multiple of this (``2**-32``).
UTILITY_GRID = 2.0**-32
_SCALE = 2.0**32


#: Utilities within this of a reservation value count as meeting it: values typed as
#: decimals (0.6) are not exact in binary, and a package the file says is worth exactly
#: the no-deal value must not fall out of the zone by a rounding error.
RATIONAL_TOLERANCE = 1e-9


def snap(values: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Round utilities to the nearest multiple of :data:`UTILITY_GRID` (exact, monotone)."""
    u = np.asarray(values, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        rounded = np.rint(u * _SCALE) / _SCALE
    # Beyond 2**52 every float is already a multiple of the grid (and scaling could overflow).
    out: npt.NDArray[np.float64] = np.where(np.abs(u) < 2.0**52, rounded, u)
    return out


def objective_tolerance(parties: int) -> float:
    """How far below the best a bargaining objective (or a total) may be and still tie:
    ``parties`` grid steps, the most that rounding each party's value moves it."""
    return parties * UTILITY_GRID
