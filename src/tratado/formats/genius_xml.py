"""GENIUS XML: one domain file plus one utility-space (profile) file per party.

The format of the GENIUS negotiation platform and of the ANAC competitions up to
2017. Learnt from the published domain files; no GENIUS code is used.

* The **domain** file has root ``<negotiation_template>`` holding
  ``<utility_space><objective>`` with one ``<issue>`` per issue: ``discrete`` (with
  ``<item value=...>``), ``integer`` or ``real`` (bounds as ``lowerbound`` /
  ``upperbound`` attributes or in a ``<range>`` child).
* Each **profile** has root ``<utility_space>``: the same issues with an
  ``evaluation`` per item, or an ``<evaluator ftype="linear">`` for numbers, one
  ``<weight index value>`` per issue, and optional ``<reservation value>`` and
  ``<discount_factor value>``.

Semantics follow GENIUS: a discrete issue's evaluations are divided by that issue's
largest evaluation; integer evaluators give ``offset + slope * (x - lowerbound)``
and real ones ``parameter0 + parameter1 * x``, both clipped to [0, 1]; weights are
divided by their sum; a discount factor of 0 means no discounting.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import NoReturn

import defusedxml.ElementTree as SafeET
import numpy as np
from defusedxml import DefusedXmlException

from tratado.agenda import Agenda, Issue
from tratado.errors import ScenarioError
from tratado.formats import _sidecar as sidecar
from tratado.formats._genius_common import (
    collect_files,
    issue_name,
    party_id,
    party_name,
    with_context,
)
from tratado.formats._input import HugeNumber, read_bytes, too_many_digits
from tratado.formats._notes import report
from tratado.formats.genius_nonlinear import is_nonlinear, nonlinear_profile
from tratado.labels import clean_text
from tratado.limits import env_name, excerpt, limit
from tratado.parties import Party
from tratado.preferences import LinearAdditive, Preferences
from tratado.scenario import Scenario


# -- reading -------------------------------------------------------------------
class _Xml:
    """One parsed XML file, with the line of every element for error messages."""

    def __init__(self, path: Path) -> None:
        self.file = str(path)
        self.lines: dict[ET.Element, int] = {}
        raw = read_bytes(path)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
        # Some published GENIUS files put a comment before the XML declaration, which
        # XML forbids; blank the declaration out (keeping line numbers) instead of failing.
        text = re.sub(r"<\?xml[^>]*\?>", lambda m: " " * len(m.group()), text)
        builder = _LineBuilder(self.lines, self.file)
        parser = SafeET.DefusedXMLParser(target=builder)
        builder.parser = parser
        try:
            parser.feed(text)
            self.root: ET.Element = parser.close()
        except ET.ParseError as exc:
            raise ScenarioError(
                f"this is not well-formed XML ({str(exc).split(':')[0]}).",
                file=self.file, line=exc.position[0],
                fix="check the tags near that line (every <tag> needs a matching </tag>).",
            ) from None
        except DefusedXmlException as exc:
            raise ScenarioError(
                f"the file uses XML features refused for safety ({type(exc).__name__}).",
                file=self.file, fix="remove the DTD / entity declarations.",
            ) from None

    def fail(self, elem: ET.Element, field: str, message: str, fix: str | None = None) -> NoReturn:
        line = self.lines.get(elem)
        raise ScenarioError(message, file=self.file, field=field, line=line, fix=fix)

    def attr(self, elem: ET.Element, name: str, field: str) -> str:
        value = elem.get(name)
        if value is None:
            self.fail(elem, f"{field}.{name}", f"<{excerpt(elem.tag)}> has no '{name}' attribute.")
        return value

    def text(self, elem: ET.Element, name: str, field: str) -> str:
        """An attribute people read (an item's label): NFC, no invisible formatting."""
        try:
            return clean_text(self.attr(elem, name, field))
        except ScenarioError as exc:
            self.fail(elem, f"{field}.{name}", exc.message, exc.fix)

    def number(self, elem: ET.Element, name: str, field: str) -> float:
        text = self.attr(elem, name, field)
        if too_many_digits(text):
            self.fail(elem, f"{field}.{name}", *HugeNumber(text).refusal())
        try:
            value = float(text)
        except ValueError:
            value = float("nan")
        if not np.isfinite(value):
            self.fail(elem, f"{field}.{name}", f"expected a number, found '{excerpt(text)}'.",
                      "write a plain decimal number, such as 0.5 or 40.")
        return value


class _LineBuilder(ET.TreeBuilder):
    """Builds the tree, noting each element's line and refusing nesting beyond the limit."""

    def __init__(self, lines: dict[ET.Element, int], file: str) -> None:
        super().__init__()
        self.lines = lines
        self.file = file
        self.parser: SafeET.DefusedXMLParser | None = None
        self.depth = 0
        self.deepest = limit("nesting")

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
        elem = super().start(tag, attrs)
        line = None if self.parser is None else self.parser.parser.CurrentLineNumber
        if line is not None:
            self.lines[elem] = line
        self.depth += 1
        if self.depth > self.deepest:
            raise ScenarioError(
                f"the elements nest more than {self.deepest} levels deep, the most tratado reads.",
                file=self.file, line=line, fix="a GENIUS file needs four levels; check that this is"
                f" the right file (or raise {env_name('nesting')}).")
        return elem

    def end(self, tag: str) -> ET.Element:
        self.depth -= 1
        return super().end(tag)


def _objective(doc: _Xml, space: ET.Element | None, root: ET.Element) -> ET.Element:
    objective = None if space is None else space.find("objective")
    if objective is None:
        doc.fail(root, "utility_space", "there is no <utility_space><objective> element.",
                 "a GENIUS file lists its issues inside <utility_space><objective>.")
    if objective.find("objective") is not None:
        doc.fail(objective.find("objective"), "objective.objective",  # type: ignore[arg-type]
                 "nested objectives (objective trees) are not supported yet.",
                 "flatten the tree: put every <issue> directly under the root <objective>.")
    return objective


def _bounds(doc: _Xml, elem: ET.Element, field: str) -> tuple[float, float]:
    holder = elem if elem.get("lowerbound") is not None else elem.find("range")
    if holder is None:
        doc.fail(elem, field, "a numeric issue needs 'lowerbound' and 'upperbound'.",
                 "add lowerbound=... upperbound=... to the <issue> or a <range> child.")
    return doc.number(holder, "lowerbound", field), doc.number(holder, "upperbound", field)


def _domain(doc: _Xml, real_steps: int) -> tuple[list[Issue], list[str], str]:
    objective = _objective(doc, doc.root.find("utility_space"), doc.root)
    issues: list[Issue] = []
    raw_names: list[str] = []
    taken: set[str] = set()
    for elem in objective.findall("issue"):
        raw = doc.attr(elem, "name", "issue")
        field = f"issue[{excerpt(raw)}]"
        if raw in raw_names:
            doc.fail(elem, field, f"two issues are named '{excerpt(raw)}'.", "rename one of them.")
        name, title = issue_name(raw, taken)
        kind = elem.get("type") or elem.get("etype") or "discrete"
        try:
            if kind == "discrete":
                labels = [doc.text(item, "value", f"{field}.item") for item in elem.findall("item")]
                issue = Issue.categorical(name, labels, title=title)
            elif kind == "integer":
                low, high = _bounds(doc, elem, field)
                issue = Issue.integer(name, int(low), int(high), title=title)
            elif kind == "real":
                low, high = _bounds(doc, elem, field)
                step = (high - low) / real_steps if high > low else 1.0
                issue = Issue.continuous(name, low, high, step, title=title)
            else:
                doc.fail(elem, f"{field}.type", f"unknown issue type '{excerpt(kind)}'.",
                         "use discrete, integer or real.")
        except ScenarioError as exc:
            if exc.file is not None:
                raise
            doc.fail(elem, field, exc.message, exc.fix)
        issues.append(issue)
        raw_names.append(raw)
    if not issues:
        doc.fail(objective, "objective", "the domain has no <issue> elements.",
                 "list the issues inside <objective>.")
    name = doc.text(objective, "name", "objective") if objective.get("name") else ""
    return issues, raw_names, name


def _values(doc: _Xml, elem: ET.Element, issue: Issue, field: str) -> np.ndarray:
    if issue.kind == "categorical":
        evaluations = np.full(len(issue), np.nan)
        for item in elem.findall("item"):
            label = doc.text(item, "value", f"{field}.item")
            if label not in issue.options:
                known = excerpt(", ".join(map(str, issue.options)))
                doc.fail(item, f"{field}.item[{excerpt(label)}]", f"'{excerpt(label)}' is not an"
                         " item of this issue in the domain file.", f"use one of: {known}.")
            if item.get("evaluation") is None:
                doc.fail(item, f"{field}.item[{label}].evaluation", "the item has no evaluation.",
                         "add evaluation=\"...\" (any non-negative scale).")
            value = doc.number(item, "evaluation", f"{field}.item[{label}]")
            if value < 0:
                doc.fail(item, f"{field}.item[{label}].evaluation",
                         f"the evaluation {value:g} is negative.", "use evaluations of 0 or more.")
            evaluations[issue.options.index(label)] = value
        missing = [str(o) for o, v in zip(issue.options, evaluations, strict=True) if np.isnan(v)]
        if missing:
            doc.fail(elem, field, f"no evaluation for item(s) {excerpt(', '.join(missing))}.",
                     "give every item of the issue an evaluation.")
        top = float(evaluations.max())
        return evaluations / top if top > 0 else evaluations
    evaluator = elem.find("evaluator")
    if evaluator is None:
        doc.fail(elem, field, "a numeric issue needs an <evaluator>.",
                 "add e.g. <evaluator ftype=\"linear\" slope=\"0.1\" offset=\"0\"/>.")
    xs = issue.numeric_values()
    ftype = evaluator.get("ftype", "linear")
    efield = f"{field}.evaluator"
    if ftype == "linear" and evaluator.get("slope") is not None:
        has_bounds = elem.get("lowerbound") is not None or elem.find("range") is not None
        low = _bounds(doc, elem, field)[0] if has_bounds else float(xs[0])
        offset, slope = (doc.number(evaluator, k, efield) for k in ("offset", "slope"))
        with np.errstate(over="ignore", invalid="ignore"):
            values = offset + slope * (xs - low)
    elif ftype == "linear":
        intercept, slope = (doc.number(evaluator, k, efield) for k in ("parameter0", "parameter1"))
        with np.errstate(over="ignore", invalid="ignore"):
            values = intercept + slope * xs
    elif ftype == "constant":
        values = np.full(len(xs), doc.number(evaluator, "parameter0", efield))
    else:
        doc.fail(evaluator, f"{efield}.ftype",
                 f"evaluator type '{excerpt(ftype)}' is not supported yet.",
                 "use a linear evaluator, or a discrete issue with one evaluation per value.")
    if not np.all(np.isfinite(values)):
        doc.fail(evaluator, efield, "the evaluator's numbers are so large that some utilities "
                 "are not finite.", "use an offset and slope of ordinary size.")
    return np.clip(values, 0.0, 1.0)


def _profile(doc: _Xml, agenda: Agenda, raw_names: list[str]) -> Preferences:
    if is_nonlinear(doc.root):
        return nonlinear_profile(doc, agenda, raw_names, lambda tag: _checked(doc, tag))
    objective = _objective(doc, doc.root, doc.root)
    elements: dict[str, ET.Element] = {}
    for elem in objective.findall("issue"):
        raw = doc.attr(elem, "name", "issue")
        if raw not in raw_names:
            doc.fail(elem, f"issue[{excerpt(raw)}]", f"the domain file has no issue '{excerpt(raw)}'.",
                     f"use one of: {excerpt(', '.join(raw_names))}.")
        elements[raw] = elem
    weights_by_index: dict[str, tuple[ET.Element, float]] = {}
    for weight in objective.findall("weight"):
        index = doc.attr(weight, "index", "weight")
        value = doc.number(weight, "value", f"weight[{excerpt(index)}]")
        if value < 0:
            doc.fail(weight, f"weight[{excerpt(index)}].value", f"the weight {value:g} is negative.",
                     "give every issue a weight of 0 or more.")
        weights_by_index[index] = (weight, value)
    weights = np.zeros(len(agenda))
    values = []
    for position, (issue, raw) in enumerate(zip(agenda, raw_names, strict=True)):
        if raw not in elements:
            doc.fail(objective, "objective", f"issue '{excerpt(raw)}' of the domain is missing.",
                     "give every domain issue an <issue> element with its evaluations.")
        elem = elements[raw]
        index = elem.get("index", str(position + 1))
        if index not in weights_by_index:
            doc.fail(elem, f"weight[{excerpt(index)}]", "there is no <weight index="
                     f"\"{excerpt(index)}\"> for issue '{excerpt(raw)}'.",
                     "add one <weight> per issue, matching the issue's index.")
        weights[position] = weights_by_index[index][1]
        values.append(_values(doc, elem, issue, f"issue[{excerpt(raw)}]"))
    total = float(weights.sum())
    if total <= 0:
        doc.fail(objective, "weight", "the weights sum to 0.", "give an issue a positive weight.")
    if abs(total - 1.0) > 1e-12:
        weights = weights / total
    reservation = _checked(doc, "reservation")[1] or 0.0
    discount = _checked(doc, "discount_factor")[1]
    return LinearAdditive(weights, tuple(values), reservation, discount or None)


def _checked(doc: _Xml, tag: str) -> tuple[ET.Element | None, float | None]:
    """The ``<reservation>`` or ``<discount_factor>`` element and its checked value."""
    elem = doc.root.find(tag)
    if elem is None:
        return None, None
    value = doc.number(elem, "value", tag)
    if tag == "reservation" and not 0.0 <= value <= 1.0:
        doc.fail(elem, "reservation.value", f"the reservation value {value:g} is outside [0, 1].",
                 "give the utility of no agreement between 0 and 1.")
    if tag == "discount_factor" and not 0.0 <= value <= 1.0:
        doc.fail(elem, "discount_factor.value", f"the discount factor {value:g} is outside [0, 1].",
                 "use a factor in (0, 1], or 0 for no discounting.")
    return elem, value


def load_genius(paths: list[Path], *, real_steps: int = 10) -> Scenario:
    """Read a GENIUS scenario from a folder or from its domain and profile files.

    Which file is the domain and which are profiles is read from their root element;
    other files in a folder (tournament set-ups, ``pareto.xml`` and the like) are
    ignored with a :class:`~tratado.formats.FormatNote` naming them, while a file given
    by name must be a domain or a profile. A ``tratado.json`` beside them (written by
    :func:`save_genius`) restores the rules and numeric issues.
    Profiles keep the given order (a folder's files go in name order); each party's
    id is its profile file name without extension, lower-cased, made of
    ``[a-z0-9_-]``.

    ``real_steps`` is the number of equal intervals into which every ``real``
    (continuous) issue is cut for exact analysis: ``real_steps + 1`` options from
    the lower to the upper bound. Integer issues list every integer in their range.
    """
    if real_steps < 1:
        raise ScenarioError(f"real_steps is {real_steps}.", fix="use 1 or more intervals.")
    given = [Path(p) for p in paths]
    domains: list[_Xml] = []
    profiles: list[_Xml] = []
    ignored: list[tuple[str, ScenarioError]] = []  # what was left out of a folder, and why
    for path, explicit in collect_files(given, ".xml", skip=(sidecar.NAME,)):
        try:
            doc = _Xml(path)
        except ScenarioError as exc:
            if explicit:
                raise
            ignored.append((f"{path.name} ({exc.message.rstrip('.')})", exc))
            continue
        if doc.root.tag == "negotiation_template":
            domains.append(doc)
        elif doc.root.tag == "utility_space":
            profiles.append(doc)
        else:
            refusal = ScenarioError(
                f"this XML file is not a GENIUS domain or profile (its root element is "
                f"<{excerpt(doc.root.tag)}>).", file=doc.file, line=doc.lines.get(doc.root),
                fix="expected a domain file with root <negotiation_template> or a profile with "
                "root <utility_space>.")
            if explicit:
                raise refusal
            ignored.append((f"{path.name} (root element <{excerpt(doc.root.tag)}>, neither a "
                            "domain nor a profile)", refusal))
    where = ", ".join(str(p) for p in paths)
    if len(domains) != 1 or len(profiles) < 2:
        shortage = (f"found {len(profiles)} profile file(s); a negotiation needs two."
                    if domains else "no GENIUS domain file found.")
        if len(domains) > 1:
            raise ScenarioError(
                f"{len(domains)} domain files found: {', '.join(d.file for d in domains)}.",
                file=where, fix="give exactly one domain file (root <negotiation_template>).")
        if ignored:  # the first file left out is the likely culprit: say what is wrong with it
            raise with_context(ignored[0][1], f"(Read because it lies in {where}, which lacks "
                               f"a complete scenario without it: {shortage})")
        raise ScenarioError(shortage, file=where, fix="add one <utility_space> profile file per "
                            "party and one domain file (root <negotiation_template>).")
    report([f"{where}: ignored {item}." for item, _ in ignored])
    issues, raw_names, name = _domain(domains[0], real_steps)
    agenda = Agenda(tuple(issues))
    taken: set[str] = set()
    parties = []
    for doc in profiles:
        stem = Path(doc.file).stem
        prefs = _profile(doc, agenda, raw_names)
        try:  # the display name is the file name: it, too, must be clean text
            parties.append(Party(party_id(stem, taken), prefs, name=party_name(stem)))
        except ScenarioError as exc:
            raise exc.located(doc.file) from None
    if not name or name == "root":
        name = Path(domains[0].file).stem
    profile_names = ", ".join(Path(d.file).name for d in profiles)
    scenario = Scenario(name=name, agenda=agenda, parties=tuple(parties),
                        description=f"Imported from GENIUS XML: domain "
                        f"{Path(domains[0].file).name}, profiles {profile_names}.")
    extra = sidecar.find(given)
    return scenario if extra is None else sidecar.apply(scenario, extra, raw_names)
