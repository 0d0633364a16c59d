"""Writing GENIUS XML: a domain file and one profile per party (see genius_xml for the format)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from tratado.agenda import Issue
from tratado.errors import ScenarioError
from tratado.files import atomic_writer
from tratado.formats._folder import replace_folder
from tratado.formats._genius_common import check_exportable, is_linear, original_name, profile_stem
from tratado.formats._losses import losses, numeric_as_text
from tratado.formats._notes import report
from tratado.formats._sidecar import document
from tratado.formats._sidecar import write as write_sidecar
from tratado.formats.genius_nonlinear_write import nonlinear_element
from tratado.parties import Party
from tratado.preferences import Constraints, LinearAdditive
from tratado.scenario import Scenario


def _genius_kind(scenario: Scenario, position: int) -> str:
    issue = scenario.agenda.issues[position]
    nonlinear = [p.id for p in scenario.parties if isinstance(p.preferences, Constraints)]
    kind = "integer"
    if issue.kind != "integer" or issue.step not in (None, 1):
        kind = "discrete"
    else:
        xs = issue.numeric_values()
        kind = "integer" if all(is_linear(xs, p.preferences.values[position])
                                for p in scenario.parties
                                if isinstance(p.preferences, LinearAdditive)) else "discrete"
    if nonlinear and kind != "integer":
        raise ScenarioError(
            f"issue '{issue.name}' cannot be a GENIUS integer issue (whole numbers in steps of 1,"
            " linear for every linear-additive party), and the hyper-rectangles of a GENIUS "
            f"non-linear profile ({', '.join(nonlinear)}) are read on integer issues only.",
            field="agenda", fix="save this scenario as tratado YAML instead.")
    return kind


def _issue_element(parent: ET.Element, issue: Issue, index: int, kind: str) -> ET.Element:
    elem = ET.SubElement(parent, "issue", index=str(index), etype=kind, type=kind, vtype=kind,
                         name=original_name(issue))
    if kind == "integer":
        elem.set("lowerbound", str(issue.options[0]))
        elem.set("upperbound", str(issue.options[-1]))
    return elem


def _write(root: ET.Element, path: Path) -> Path:
    ET.indent(root)
    with atomic_writer(path, binary=True) as out:
        ET.ElementTree(root).write(out, encoding="utf-8", xml_declaration=True)
    return path


def save_genius(scenario: Scenario, folder: Path, *, overwrite: bool = False) -> list[Path]:
    """Write ``domain.xml``, one ``NN-<party id>.xml`` per party and ``tratado.json`` into
    ``folder``.

    Linear-additive preferences and hyper-rectangle preferences (:class:`~tratado.
    preferences.Constraints` without a linear base) can be written; the latter become
    GENIUS non-linear profiles (see :mod:`tratado.formats.genius_nonlinear`) in GENIUS
    units when they were read from GENIUS, so that the file reads back to the same
    utilities; they need every issue to be a GENIUS integer issue. Categorical issues become
    discrete issues whose evaluations are the option values. An integer issue with
    step 1 whose values are linear for every party becomes a GENIUS integer issue
    with a linear evaluator; other numeric issues (steps, non-linear value tables,
    continuous grids) become discrete issues whose items are the options written
    as text (``tratado.json`` lets tratado read them back as the numeric issues they
    were; other tools see categorical issues with the same utilities).
    GENIUS divides each discrete issue's evaluations by their largest, so an
    issue whose best option is worth less than 1 to a party that weighs it cannot
    be written exactly and is refused. Returns the paths, domain first, then the
    profiles in party order; the ``NN-`` prefix keeps that order when the folder is read.

    GENIUS has no place for the rules (deadline, agreement mode) and reads numeric
    issues written as items as text: ``tratado.json`` beside the files keeps both for
    tratado (see :mod:`tratado.formats._sidecar`). What the files cannot hold is
    reported as :class:`~tratado.formats.FormatNote` warnings. An existing ``folder``
    is refused unless ``overwrite``; then it is replaced as a whole (written beside it,
    then swapped in), so no stale file of the old folder remains.
    """
    check_exportable(scenario, "GENIUS XML", nonlinear=True)
    agenda = scenario.agenda
    kinds = [_genius_kind(scenario, k) for k in range(len(agenda))]
    notes = losses(scenario, "GENIUS XML")
    for issue, kind in zip(agenda, kinds, strict=True):
        if issue.is_numeric and kind == "discrete":
            why = ("GENIUS integer issues take whole steps of 1" if issue.kind == "integer"
                   and issue.step not in (None, 1) else "GENIUS reads real issues on its own grid"
                   if issue.kind == "continuous" else "the utilities are not one straight line")
            notes.append(numeric_as_text("GENIUS XML", issue.name, issue.kind, issue.options[0],
                                         issue.options[-1], issue.step or 1, why))
    sidecar = document(scenario, [i.is_numeric and k == "discrete" for i, k in zip(agenda, kinds,
                                                                                  strict=True)],
                       [original_name(i) for i in agenda])
    written = replace_folder(Path(folder), overwrite,
                             lambda staging: _fill(scenario, kinds, staging, sidecar))
    report(notes)
    return written


def _fill(scenario: Scenario, kinds: list[str], folder: Path,
          sidecar: dict[str, object]) -> list[Path]:
    agenda = scenario.agenda
    template = ET.Element("negotiation_template")
    space = ET.SubElement(template, "utility_space", number_of_issues=str(len(agenda)))
    objective = ET.SubElement(space, "objective", index="0", etype="objective", type="objective",
                              description="", name=scenario.name)
    for k, (issue, kind) in enumerate(zip(agenda, kinds, strict=True)):
        elem = _issue_element(objective, issue, k + 1, kind)
        if kind == "discrete":
            for j, option in enumerate(issue.options):
                ET.SubElement(elem, "item", index=str(j + 1), value=str(option))
    paths = [_write(template, folder / "domain.xml")]
    for position, party in enumerate(scenario.parties):
        profile = folder / f"{profile_stem(position, party.id)}.xml"
        paths.append(_write(_profile_element(scenario, party, kinds), profile))
    paths.append(write_sidecar(folder, sidecar))
    return paths


def _profile_element(scenario: Scenario, party: Party, kinds: list[str]) -> ET.Element:
    prefs = party.preferences
    if isinstance(prefs, Constraints):
        return nonlinear_element(scenario, prefs)
    assert isinstance(prefs, LinearAdditive)
    space = ET.Element("utility_space")
    objective = ET.SubElement(space, "objective", index="0", etype="objective", type="objective",
                              description="", name=scenario.name)
    for k, (issue, kind) in enumerate(zip(scenario.agenda, kinds, strict=True)):
        elem = _issue_element(objective, issue, k + 1, kind)
        values = prefs.values[k]
        if kind == "integer":
            xs = issue.numeric_values()
            slope = (values[-1] - values[0]) / (xs[-1] - xs[0]) if len(xs) > 1 else 0.0
            ET.SubElement(elem, "evaluator", ftype="linear", offset=repr(float(values[0])),
                          slope=repr(float(slope)))
            continue
        top = float(values.max())
        if prefs.weights[k] > 0 and 0 < top < 1 - 1e-12:
            raise ScenarioError(
                f"party '{party.id}': the best option of issue '{issue.name}' is worth {top:g}, "
                "not 1; GENIUS divides every discrete issue's evaluations by the largest, so "
                "these utilities cannot be written exactly.", field="parties",
                fix="rate the best option of every weighted issue 1 (and adjust the weights).")
        for j, option in enumerate(issue.options):
            ET.SubElement(elem, "item", index=str(j + 1), value=str(option),
                          evaluation=repr(float(values[j])))
    for k, weight in enumerate(prefs.weights):
        ET.SubElement(objective, "weight", index=str(k + 1), value=repr(float(weight)))
    if prefs.discount is not None:
        ET.SubElement(space, "discount_factor", value=repr(float(prefs.discount)))
    ET.SubElement(space, "reservation", value=repr(float(prefs.reservation_value)))
    return space
