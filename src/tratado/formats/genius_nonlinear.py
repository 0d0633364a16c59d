"""GENIUS non-linear utility spaces (the ANAC 2014 domains): hyper-rectangle bonuses.

Learnt from the published ANAC 2014 profiles; no GENIUS code is used. A non-linear
profile has root ``<utility_space type="nonlinear">``; inside its ``<objective>`` (or
directly under the root) a ``<utility maxutility="...">`` holds one or more
``<ufun weight="..." aggregation="sum">``. Each ufun holds ``<hyperRectangle
utility="...">`` elements (and possibly nested ufuns, whose weights multiply). A
hyper-rectangle's bounds are ``<INCLUDES index="i" min="a" max="b"/>`` (issue ``i``, by
its ``index`` attribute, takes a value in ``[a, b]``) and ``<EXCLUDES .../>`` (a value
outside ``[a, b]``); a package satisfying every bound earns the rectangle's utility,
which may be negative. GENIUS reports ``(sum of the utilities earned) / maxutility``.

**Mapping to tratado's [0, 1] scale.** ``maxutility`` need not be the largest sum any
package reaches, and sums can be negative, so dividing by it can leave [0, 1]. tratado
maps the bonus sum ``U`` of each party by the positive affine map ``u = (U - L) / (H - L)``
with ``L`` the sum of the negative utilities (0 when there are none) and ``H`` the sum
of the positive ones: bounds every package respects, so ``u`` is always in [0, 1]
without solving anything. The map is kept as the preferences'
:class:`~tratado.preferences.SourceScale` (``source_utility(u) = U / maxutility``, the
GENIUS figure). A positive affine map per party leaves the Pareto frontier, the
rational set (the reservation value is mapped the same way) and the Nash and
Kalai–Smorodinsky packages unchanged; egalitarian and utilitarian packages compare
utilities across parties, so they depend on the scale (tratado's, as everywhere).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import NoReturn, Protocol

import numpy as np

from tratado.agenda import Agenda
from tratado.formats._notes import report
from tratado.limits import excerpt
from tratado.preferences import Constraints, Rule, SourceScale

__all__ = ["is_nonlinear", "nonlinear_profile"]


class _Doc(Protocol):  # the parsed file of genius_xml (kept structural to avoid a cycle)
    file: str
    root: ET.Element

    def fail(self, elem: ET.Element, field: str, message: str,
             fix: str | None = None) -> NoReturn: ...

    def attr(self, elem: ET.Element, name: str, field: str) -> str: ...

    def number(self, elem: ET.Element, name: str, field: str) -> float: ...


def is_nonlinear(root: ET.Element) -> bool:
    """True for a GENIUS profile with hyper-rectangle utilities."""
    return (root.get("type") == "nonlinear" or root.find(".//utility") is not None
            or root.find(".//ufun") is not None)


def _issue_positions(doc: _Doc, agenda: Agenda, raw_names: list[str]) -> dict[str, int]:
    """``index`` attribute of each issue in the profile -> its position in the agenda."""
    positions: dict[str, int] = {}
    for elem in doc.root.iter("issue"):
        raw = doc.attr(elem, "name", "issue")
        if raw not in raw_names:
            doc.fail(elem, f"issue[{excerpt(raw)}]", f"the domain file has no issue "
                     f"'{excerpt(raw)}'.", f"use one of: {excerpt(', '.join(raw_names))}.")
        position = raw_names.index(raw)
        positions[elem.get("index", str(position + 1))] = position
    for position in range(len(agenda)):
        positions.setdefault(str(position + 1), position)
    return positions


def _bound_mask(doc: _Doc, bound: ET.Element, agenda: Agenda, positions: dict[str, int],
                field: str) -> tuple[int, np.ndarray]:
    index = doc.attr(bound, "index", field)
    if index not in positions:
        doc.fail(bound, f"{field}.index", f"no issue has index {excerpt(index)}.",
                 "use the index attribute of one of the profile's <issue> elements.")
    position = positions[index]
    issue = agenda.issues[position]
    if issue.kind != "integer":
        doc.fail(bound, field, f"issue '{issue.name}' is {issue.kind}; hyper-rectangle bounds are"
                 " read on integer issues only.", "declare the issue as an integer issue.")
    low, high = doc.number(bound, "min", field), doc.number(bound, "max", field)
    if low > high:
        doc.fail(bound, field, f"min {low:g} is above max {high:g}.", "swap them.")
    values = issue.numeric_values()
    inside = (values >= low) & (values <= high)
    return position, (inside if bound.tag == "INCLUDES" else ~inside)


def _rectangles(doc: _Doc, ufun: ET.Element, weight: float, agenda: Agenda,
                positions: dict[str, int], out: list[tuple[dict[int, np.ndarray], float]],
                field: str) -> None:
    aggregation = ufun.get("aggregation", "sum")
    if aggregation != "sum":
        doc.fail(ufun, f"{field}.aggregation", f"aggregation '{excerpt(aggregation)}' is not "
                 "supported.", "tratado reads ufuns that add their rectangles (aggregation=\"sum\").")
    if ufun.get("weight") is not None:
        weight *= doc.number(ufun, "weight", field)
    for k, child in enumerate(ufun):
        cfield = f"{field}.{child.tag}[{k}]"
        if child.tag == "ufun":
            _rectangles(doc, child, weight, agenda, positions, out, cfield)
            continue
        if child.tag != "hyperRectangle":
            doc.fail(child, cfield, f"<{excerpt(child.tag)}> is not read inside a <ufun>.",
                     "a ufun holds <hyperRectangle> elements (or nested <ufun>s).")
        bonus = weight * doc.number(child, "utility", cfield)
        allowed: dict[int, np.ndarray] = {}
        for j, bound in enumerate(child):
            bfield = f"{cfield}.{bound.tag}[{j}]"
            if bound.tag not in ("INCLUDES", "EXCLUDES"):
                doc.fail(bound, bfield, f"<{excerpt(bound.tag)}> is not a bound.",
                         "use <INCLUDES index min max/> or <EXCLUDES index min max/>.")
            position, mask = _bound_mask(doc, bound, agenda, positions, bfield)
            allowed[position] = allowed[position] & mask if position in allowed else mask
        if bonus:
            out.append((allowed, bonus))


def nonlinear_profile(doc: _Doc, agenda: Agenda, raw_names: list[str],
                      optional: Callable[[str], tuple[ET.Element | None, float | None]]
                      ) -> Constraints:
    """Read a non-linear profile into :class:`~tratado.preferences.Constraints`.

    ``optional(tag)`` gives the element and value of ``<reservation>`` /
    ``<discount_factor>`` (None when absent).
    """
    positions = _issue_positions(doc, agenda, raw_names)
    holder = doc.root.find(".//utility")
    ufuns = (holder if holder is not None else doc.root).findall("ufun")
    if holder is None and not ufuns:
        ufuns = doc.root.findall(".//ufun")[:1]
    if not ufuns:
        doc.fail(doc.root, "utility", "the non-linear profile has no <utility><ufun> element.",
                 "put the hyper-rectangles inside <utility maxutility=...><ufun aggregation="
                 "\"sum\">.")
    found: list[tuple[dict[int, np.ndarray], float]] = []
    for k, ufun in enumerate(ufuns):
        _rectangles(doc, ufun, 1.0, agenda, positions, found, f"utility.ufun[{k}]")
    low = float(sum(b for _, b in found if b < 0))
    high = float(sum(b for _, b in found if b > 0))
    if holder is not None and holder.get("maxutility") is not None:
        divisor = doc.number(holder, "maxutility", "utility")
        if divisor <= 0:
            doc.fail(holder, "utility.maxutility", f"maxutility {divisor:g} is not positive.",
                     "give the largest utility a package can reach (GENIUS divides by it).")
    else:
        divisor = high or 1.0
    span = high - low
    if span <= 0:
        span, high = 1.0, low + 1.0  # no rectangle earns anything: every package is worth 0
    scale = SourceScale("GENIUS", low, high, divisor)
    rules = tuple(Rule(allowed, bonus / span) for allowed, bonus in found)
    reservation_elem, genius_reservation = optional("reservation")
    reservation = 0.0
    if genius_reservation is not None:
        reservation = scale.from_source(genius_reservation)
        if not 0.0 <= reservation <= 1.0:
            clipped = min(max(reservation, 0.0), 1.0)
            report([f"{doc.file}: the reservation value {genius_reservation:g} (x maxutility "
                    f"{divisor:g}) lies outside the utilities any package can have; read as "
                    f"{clipped:g} on tratado's scale."])
            reservation = clipped
    del reservation_elem
    _, discount = optional("discount_factor")
    return Constraints(rules, None, 0.0, reservation, discount or None, -low / span, scale)
