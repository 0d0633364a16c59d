"""Numbers that describe how hard a negotiation is and how good an outcome is.

* *Opposition* (after Baarslag et al. 2013): the distance from the point where every
  party gets 1 to the nearest outcome, divided by ``sqrt(k)`` so it lies in [0, 1].
  0 means one outcome satisfies everyone fully; values near 0.5 and above mean
  strongly opposed preferences. It is attained on the frontier, so it is exact.
* *Distance to the frontier* of an outcome: the Euclidean distance in utility space
  from its utility vector to the nearest frontier point (0 for frontier outcomes).
"""

from __future__ import annotations

import math

import numpy as np

from tratado.analysis.frontier import Frontier


def opposition(frontier: Frontier) -> float:
    """``min_x ||1 - u(x)|| / sqrt(k)`` over all outcomes (attained on the frontier)."""
    u = frontier.utilities
    k = u.shape[1]
    return float(np.sqrt(((1.0 - u) ** 2).sum(axis=1)).min() / np.sqrt(k))


def distance_to_frontier(frontier: Frontier, utilities: np.ndarray) -> float:
    """Euclidean distance from a utility vector to the nearest frontier point."""
    diff = frontier.utilities - np.asarray(utilities, dtype=float)[None, :]
    return float(np.sqrt((diff**2).sum(axis=1)).min())


def distance(a: np.ndarray, b: np.ndarray) -> float:
    """Euclidean distance between two utility vectors: Python's ``math.dist``, whose
    result does not depend on the numpy build (``numpy.linalg.norm`` changed its last
    digit between numpy releases, and records keep these numbers byte for byte)."""
    return math.dist([float(x) for x in np.asarray(a, float)],
                     [float(x) for x in np.asarray(b, float)])
