"""Reading and writing numbers given as an estimate with its uncertainty.

Wherever the scenario format takes an uncertain number (``docs/scenario-format.md``,
"Uncertain numbers"), it may be written as

* a number: exact;
* a range ``[low, high]``: uniform on the range, the estimate its midpoint;
* a mapping ``{estimate: 0.6, low: 0.4, high: 0.8}``: triangular with its mode at the
  estimate, or ``distribution: uniform | triangular | pert | normal`` (``shape`` for
  PERT, 4 by default; ``sd`` for normal, truncated to the range, which defaults to the
  field's bounds), and an optional ``note`` saying where the range comes from.

:class:`Estimates` collects the uncertain ones of one file as
:class:`~tratado.uncertainty.UncertainInput` s while the reader builds the exact
scenario from the estimates.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tratado.formats._fields import Document
from tratado.formats._fields import Path as FieldPath
from tratado.limits import excerpt
from tratado.uncertainty import DISTRIBUTIONS, UncertainInput, Uncertainty

ESTIMATE_FIELDS = ("estimate", "low", "high", "distribution", "sd", "shape", "note")
NAMED = tuple(d for d in DISTRIBUTIONS if d != "dirichlet")


@dataclass(frozen=True)
class Estimate:
    """One uncertain number as written (before it is given its key and label)."""

    estimate: float
    low: float
    high: float
    distribution: str = "triangular"
    sd: float | None = None
    shape: float = 4.0
    note: str | None = None

    def divided(self, total: float) -> Estimate:
        """The same estimate divided by ``total`` (weights normalised by their sum)."""
        return Estimate(self.estimate / total, self.low / total, self.high / total,
                        self.distribution, None if self.sd is None else self.sd / total,
                        self.shape, self.note)


class Estimates:
    """The uncertain inputs of one file, in the order the reader meets them."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.inputs: list[UncertainInput] = []
        self.anchors: dict[str, tuple[int, ...]] = {}

    def read(self, raw: Any, path: FieldPath, bounds: tuple[float, float],
             what: str = "number") -> float | Estimate:
        """A number, or an :class:`Estimate` checked against ``bounds``."""
        doc = self.doc
        low_bound, high_bound = bounds
        shown = f"[{low_bound:g}, {high_bound:g}]"
        if isinstance(raw, list):
            if len(raw) != 2:
                doc.fail(path, f"a range is written [low, high]; this list has {len(raw)} items.",
                         "write e.g. '[0.4, 0.7]', or one number.")
            low = doc.number(raw[0], (*path, 0))
            high = doc.number(raw[1], (*path, 1))
            self._check_range(low, high, bounds, path)
            return Estimate((low + high) / 2, low, high, "uniform")
        if not isinstance(raw, Mapping):
            return doc.number(raw, path)
        doc.check_keys(raw, ESTIMATE_FIELDS, path)
        distribution = raw.get("distribution", "triangular")
        if distribution not in NAMED:
            near = difflib.get_close_matches(str(distribution), NAMED, n=1)
            doc.fail((*path, "distribution"), f"unknown distribution '{excerpt(distribution)}'.",
                     f"did you mean '{near[0]}'?" if near else f"use one of: {', '.join(NAMED)}.")
        sd = None if raw.get("sd") is None else doc.number(raw["sd"], (*path, "sd"))
        if distribution == "normal":
            if sd is None or sd <= 0:
                doc.fail((*path, "sd"), "a normal distribution needs a positive 'sd'.",
                         "add its standard deviation, e.g. 'sd: 0.05'.")
        elif sd is not None:
            doc.fail((*path, "sd"), f"'sd' applies to a normal distribution, not {distribution}.",
                     "remove it, or set 'distribution: normal'.")
        ends = []
        for key, bound in (("low", low_bound), ("high", high_bound)):
            if distribution == "normal" and math.isfinite(bound) and raw.get(key) is None:
                ends.append(bound)
                continue
            doc.required(raw, key, path, f"give the {key} end of the range ({what} in {shown}).")
            ends.append(doc.number(raw[key], (*path, key)))
        low, high = ends
        self._check_range(low, high, bounds, path)
        if raw.get("estimate") is None and distribution != "uniform":
            doc.fail(path, "the required field 'estimate' is missing.",
                     "give the most likely value, e.g. 'estimate: 0.6' (or write '[low, high]' "
                     "for a plain range).")
        estimate = doc.number(raw.get("estimate", (low + high) / 2), (*path, "estimate"))
        if not low <= estimate <= high:
            doc.fail((*path, "estimate"), f"the estimate {estimate:g} is outside its range "
                     f"[{low:g}, {high:g}].", "move the estimate into the range, or widen it.")
        shape = doc.number(raw.get("shape", 4.0), (*path, "shape"))
        if "shape" in raw and (distribution != "pert" or shape <= 0):
            doc.fail((*path, "shape"), "'shape' is the positive shape of a PERT distribution.",
                     "remove it, or set 'distribution: pert' and a positive shape (4 is usual).")
        note = raw.get("note")
        return Estimate(estimate, low, high, str(distribution), sd, shape,
                        None if note is None else doc.text(note, (*path, "note"), multiline=True))

    def _check_range(self, low: float, high: float, bounds: tuple[float, float],
                     path: FieldPath) -> None:
        if low > high:
            self.doc.fail(path, f"the range [{low:g}, {high:g}] has its low end above its high end.",
                          "write the range as [low, high].")
        if low < 0 <= bounds[0] and not math.isfinite(bounds[1]):
            self.doc.fail(path, f"the range [{low:g}, {high:g}] goes below 0.",
                          "give both ends 0 or more.")
        if low < bounds[0] or high > bounds[1]:
            self.doc.fail(path, f"the range [{low:g}, {high:g}] goes outside "
                          f"[{bounds[0]:g}, {bounds[1]:g}].",
                          f"keep both ends between {bounds[0]:g} and {bounds[1]:g}.")

    def add(self, value: Estimate, key: str, label: str) -> None:
        """Record an uncertain input (a range of zero width is an exact number)."""
        if value.low == value.high:
            return
        self.inputs.append(UncertainInput(key, label, value.estimate, value.low, value.high,
                                          value.distribution, value.sd, value.shape, None,
                                          value.note))

    def add_weights(self, group: str, names: list[str], weights: list[float],
                    concentration: float, label: str) -> None:
        """A party's positive weights, varying as a whole around ``weights``."""
        for name, weight in zip(names, weights, strict=True):
            if weight > 0:
                self.inputs.append(UncertainInput(
                    f"{group}.weights.{name}", f"{label}: weight of {name}", weight, 0.0, 1.0,
                    "dirichlet", concentration=concentration))

    def uncertainty(self) -> Uncertainty | None:
        return Uncertainty(tuple(self.inputs), dict(self.anchors)) if self.inputs else None


def nominal(value: float | Estimate) -> float:
    return value.estimate if isinstance(value, Estimate) else value


def estimate_to_yaml(item: UncertainInput) -> Any:
    """How an uncertain input is written back: ``[low, high]`` for a plain range."""
    if (item.distribution == "uniform" and item.nominal == (item.low + item.high) / 2
            and item.note is None):
        return [item.low, item.high]
    out: dict[str, Any] = {"estimate": item.nominal, "low": item.low, "high": item.high}
    if item.distribution != "triangular":
        out["distribution"] = item.distribution
    if item.sd is not None:
        out["sd"] = item.sd
    if item.distribution == "pert" and item.shape != 4.0:
        out["shape"] = item.shape
    if item.note is not None:
        out["note"] = item.note
    return out
