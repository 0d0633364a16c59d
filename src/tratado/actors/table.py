"""One issue as analysts of collective decisions keep it: who the actors are, and each
actor's capability, position and salience.

An :class:`IssueTable` is the input of every model in :mod:`tratado.actors`. Positions
are on the issue's own numeric scale (years, 0-100, euros...); a capability is any
non-negative number (only ratios between actors matter); a salience is the share of
attention an actor gives the issue, in [0, 1] (the expected utility model reads
``1 - salience`` as the chance that an actor gives in without a fight). The table can
also say what happens with no agreement (``status_quo``, the disagreement point of the
Nash bargaining solution) and the ends of the scale (``scale``; by default the range of
the positions).

This module is the model: it checks the numbers and says, in the user's words, what is
wrong. Reading tables from CSV and YAML files is :mod:`tratado.formats.actors_file`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from tratado.errors import TratadoError

MAX_ACTORS = 500
"""The most actors one issue may hold (the expected utility model compares every triple
of actors each round, so its work grows with the cube of their number: seconds a round
at this size)."""


@dataclass(frozen=True, eq=False)
class IssueTable:
    """The actors' capabilities, positions and saliences on one issue.

    ``actors`` are names in the order given; ``capability``, ``position`` and
    ``salience`` are float arrays in that order. ``scale`` is ``(low, high)``; ``None``
    reads as the range of the positions. Raises :class:`TratadoError` naming the field
    when a number is out of bounds.
    """

    issue: str
    actors: tuple[str, ...]
    capability: np.ndarray
    position: np.ndarray
    salience: np.ndarray
    question: str = ""
    scale: tuple[float, float] | None = None
    status_quo: float | None = None
    notes: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        n = len(self.actors)
        for name in ("capability", "position", "salience"):
            array = np.asarray(getattr(self, name), dtype=float).copy()
            if array.shape != (n,):
                raise TratadoError(f"{array.size} {name} value(s) for {n} actors on issue"
                                   f" '{self.issue}'.", field=name,
                                   fix="give each actor one capability, position and salience.")
            array.setflags(write=False)
            object.__setattr__(self, name, array)
        if len(self.notes) not in (0, n):
            raise TratadoError(f"{len(self.notes)} notes for {n} actors.", field="note",
                               fix="give one note per actor, or none.")
        _check(self)

    @classmethod
    def from_rows(cls, issue: str, rows: Sequence[tuple[str, float, float, float]], *,
                  question: str = "", scale: tuple[float, float] | None = None,
                  status_quo: float | None = None, notes: tuple[str, ...] = ()) -> IssueTable:
        """A table from ``(actor, capability, position, salience)`` rows."""
        names = tuple(row[0] for row in rows)
        c, x, s = (np.array([row[k] for row in rows], dtype=float) for k in (1, 2, 3))
        return cls(issue, names, c, x, s, question, scale, status_quo, notes)

    @property
    def weights(self) -> np.ndarray:
        """Capability times salience: an actor's weight in the weighted mean and median,
        and its bargaining power in the Nash solution."""
        return np.asarray(self.capability * self.salience)

    @property
    def low(self) -> float:
        return float(self.position.min()) if self.scale is None else self.scale[0]

    @property
    def high(self) -> float:
        return float(self.position.max()) if self.scale is None else self.scale[1]

    def replace_positions(self, position: np.ndarray) -> IssueTable:
        """The same table with the actors at ``position`` (the scale stays as given)."""
        return IssueTable(self.issue, self.actors, self.capability, position, self.salience,
                          self.question, self.scale, self.status_quo, self.notes)


def _check(table: IssueTable) -> None:
    n = len(table.actors)
    if n < 2:
        raise TratadoError(f"issue '{table.issue}' has {n} actor(s); the models need at"
                           " least two.", field="actor", fix="add the other actors' rows.")
    if n > MAX_ACTORS:
        raise TratadoError(f"issue '{table.issue}' has {n:,} actors, more than the"
                           f" {MAX_ACTORS:,} tratado models.", field="actor",
                           fix="merge small actors into blocs with their summed capability.")
    seen: set[str] = set()
    for name in table.actors:
        if not name.strip():
            raise TratadoError(f"an actor on issue '{table.issue}' has no name.", field="actor",
                               fix="name every actor.")
        if name in seen:
            raise TratadoError(f"actor '{name}' is given twice on issue '{table.issue}'.",
                               field="actor", fix="keep one row per actor and issue.")
        seen.add(name)
    for name, array in (("capability", table.capability), ("position", table.position),
                        ("salience", table.salience)):
        bad = ~np.isfinite(array)
        if bad.any():
            raise TratadoError(f"actor '{table.actors[int(np.argmax(bad))]}' has no finite"
                               f" {name}.", field=name, fix="write an ordinary number.")
    _check_bounds(table, "capability", table.capability < 0,
                  "a capability is a non-negative number (only ratios between actors matter).")
    _check_bounds(table, "salience", (table.salience < 0) | (table.salience > 1),
                  "a salience is a share of attention between 0 and 1 (write 80% as 0.8).")
    if not (table.weights > 0).any():
        raise TratadoError(f"on issue '{table.issue}' no actor has both a capability and a"
                           " salience above zero, so no model can weigh them.",
                           field="salience", fix="give at least one actor a positive"
                           " capability and salience.")
    if table.scale is not None:
        low, high = table.scale
        if not (math.isfinite(low) and math.isfinite(high) and low < high):
            raise TratadoError(f"the scale [{low}, {high}] of issue '{table.issue}' is not a"
                               " range.", field="scale", fix="write [lowest, highest] with"
                               " lowest < highest.")
        outside = (table.position < low) | (table.position > high)
        _check_bounds(table, "position", outside,
                      f"positions lie on the scale [{_num(low)}, {_num(high)}]; widen the"
                      " scale or correct the position.")
    if table.status_quo is not None:
        q = table.status_quo
        if not math.isfinite(q) or (table.scale is not None and not low <= q <= high):
            raise TratadoError(f"the status quo {q} of issue '{table.issue}' is not on its"
                               " scale.", field="status_quo",
                               fix="give a number on the issue's scale, or leave it out.")


def _check_bounds(table: IssueTable, name: str, bad: np.ndarray, fix: str) -> None:
    if bad.any():
        k = int(np.argmax(bad))
        value = getattr(table, name)[k]
        raise TratadoError(f"actor '{table.actors[k]}' has {name} {_num(value)} on issue"
                           f" '{table.issue}'.", field=name, fix=fix)


def _num(value: float) -> str:
    return f"{value:g}"
