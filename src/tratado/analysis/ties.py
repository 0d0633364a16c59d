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
  values: gains are then exact, and so are minimum gains and totals (sums of at most
  ``2**21`` multiples of ``2**-32`` below 1 are exact in float64).  Products (Nash) and
  ratios (Kalai–Smorodinsky) are rounded once per operation, so their values count as
  tied when within a relative :data:`OBJECTIVE_RTOL` of the best.
* **Rationality** keeps its own, wider tolerance (:data:`RATIONAL_TOLERANCE`): a
  package the file says is worth exactly the no-deal value stays in the zone.

The reported utilities are always the float utilities of the package itself, as
:meth:`~tratado.scenario.Scenario.utilities` evaluates them; only comparisons use the grid.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["OBJECTIVE_RTOL", "RATIONAL_TOLERANCE", "UTILITY_GRID", "snap"]

#: Utilities are compared after rounding to the nearest multiple of this (``2**-32``).
UTILITY_GRID = 2.0**-32
_SCALE = 2.0**32

#: Nash products and Kalai–Smorodinsky ratios within this relative distance of the best
#: value are tied (each is a few roundings away from its exact value).
OBJECTIVE_RTOL = 1e-12

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
