"""GeniusWeb JSON: one domain file plus one profile file per party.

The format of the GeniusWeb platform (ANAC 2020 onwards), learnt from published
domain and profile files. A domain is ``{"name": ..., "issuesValues": {issue:
{"values": [...]} or {"range": {"low", "high", "step"}}}}``; a profile is
``{"LinearAdditiveUtilitySpace": {"issueUtilities", "issueWeights", "domain",
"name", "reservationBid"}}`` with ``DiscreteValueSetUtilities`` (a utility per
value) or ``NumberValueSetUtilities`` (a line from ``lowValue``/``lowUtility`` to
``highValue``/``highUtility``, 0 outside) per issue.

GeniusWeb states no reservation *value*: it is the profile's utility of its
``reservationBid`` (0 when there is none). Writing therefore approximates: see
:func:`save_geniusweb`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from tratado.agenda import MAX_OPTIONS, Agenda, Issue, Option
from tratado.errors import ScenarioError
from tratado.files import atomic_write
from tratado.formats import _sidecar as sidecar
from tratado.formats._fields import Document
from tratado.formats._fields import Path as FieldPath
from tratado.formats._folder import replace_folder
from tratado.formats._genius_common import (
    check_exportable,
    collect_files,
    is_linear,
    issue_name,
    original_name,
    party_id,
    party_name,
    profile_stem,
    with_context,
)
from tratado.formats._input import decode, parse_json, read_bytes
from tratado.formats._losses import losses, numeric_as_text
from tratado.formats._notes import report
from tratado.formats._sidecar import document
from tratado.formats._sidecar import write as write_sidecar
from tratado.limits import excerpt
from tratado.parties import Party
from tratado.preferences import LinearAdditive
from tratado.scenario import Scenario

PROFILE_KEY = "LinearAdditiveUtilitySpace"
#: Largest outcome space searched exhaustively for the reservation bid.
EXHAUSTIVE_LIMIT = 1_000_000


# -- reading -------------------------------------------------------------------
def _read(path: Path) -> tuple[Document, Any]:
    doc = Document(str(path))
    return doc, parse_json(decode(read_bytes(path), doc.file, "utf-8-sig"), doc.file)


def _domain(doc: Document, raw: Any, path: FieldPath) -> tuple[str, Agenda, list[str]]:
    data = doc.mapping(raw, path)
    name = doc.text(doc.required(data, "name", path), (*path, "name"))
    values = doc.mapping(doc.required(data, "issuesValues", path), (*path, "issuesValues"))
    issues: list[Issue] = []
    taken: set[str] = set()
    for raw_name, spec in values.items():
        ipath = (*path, "issuesValues", str(raw_name))
        name_, title = issue_name(str(raw_name), taken)
        spec = doc.mapping(spec, ipath)
        try:
            if "values" in spec:
                labels = doc.sequence(spec["values"], (*ipath, "values"))
                issues.append(Issue.categorical(
                    name_, [doc.text(v, (*ipath, "values", j)) for j, v in enumerate(labels)],
                    title=title))
            elif "range" in spec:
                issues.append(_range_issue(doc, name_, title, spec["range"], (*ipath, "range")))
            else:
                doc.fail(ipath, "expected 'values' (a list) or 'range' (low, high, step).")
        except ScenarioError as exc:
            if exc.file is not None:
                raise
            doc.fail(ipath, exc.message, exc.fix)
    if not issues:
        doc.fail((*path, "issuesValues"), "the domain has no issues.", "add at least one issue.")
    return name, Agenda(tuple(issues)), [str(k) for k in values]


def _range_issue(doc: Document, name: str, title: str | None, raw: Any,
                 path: FieldPath) -> Issue:
    spec = doc.mapping(raw, path)
    low, high, step = (doc.number(doc.required(spec, k, path), (*path, k))
                       for k in ("low", "high", "step"))
    if step <= 0 or high < low:
        doc.fail(path, f"the range {low:g}..{high:g} step {step:g} is empty.",
                 "use low <= high and a positive step.")
    span = (high - low) / step
    if not span < MAX_OPTIONS:
        doc.fail(path, f"the range {low:g}..{high:g} step {step:g} has {span:.3g} values, more than"
                 f" the {MAX_OPTIONS:,} an issue may have.", "use a larger step or a narrower range.")
    count = int(np.floor(span + 1e-9))
    if all(isinstance(spec[k], int) for k in ("low", "high", "step")):
        return Issue.integer(name, int(low), int(low) + count * int(step), int(step), title=title)
    return Issue.continuous(name, low, low + count * step, step, title=title)


def _issue_values(doc: Document, issue: Issue, raw: Any, path: FieldPath) -> np.ndarray:
    spec = doc.mapping(raw, path)
    if "DiscreteValueSetUtilities" in spec:
        upath = (*path, "DiscreteValueSetUtilities", "valueUtilities")
        table = doc.mapping(doc.required(spec["DiscreteValueSetUtilities"], "valueUtilities",
                                         upath[:-1]), upath)
        values = np.zeros(len(issue))  # GeniusWeb gives unlisted values utility 0
        for key, utility in table.items():
            try:
                position = issue.index(key)
            except ScenarioError as exc:
                doc.fail((*upath, str(key)), exc.message, exc.fix)
            values[position] = _unit(doc, utility, (*upath, str(key)))
        return values
    if "NumberValueSetUtilities" in spec:
        npath = (*path, "NumberValueSetUtilities")
        if not issue.is_numeric:
            doc.fail(npath, f"issue '{issue.name}' has discrete values, not numbers.",
                     "use DiscreteValueSetUtilities for it.")
        line = doc.mapping(spec["NumberValueSetUtilities"], npath)
        lo, hi = (doc.number(doc.required(line, k, npath), (*npath, k))
                  for k in ("lowValue", "highValue"))
        ulo, uhi = (_unit(doc, doc.required(line, k, npath), (*npath, k))
                    for k in ("lowUtility", "highUtility"))
        xs = issue.numeric_values()
        inside = (xs >= lo - 1e-12) & (xs <= hi + 1e-12)
        slope = (uhi - ulo) / (hi - lo) if hi > lo else 0.0
        return np.where(inside, np.clip(ulo + (xs - lo) * slope, 0.0, 1.0), 0.0)
    doc.fail(path, "expected DiscreteValueSetUtilities or NumberValueSetUtilities.")


def _unit(doc: Document, raw: Any, path: FieldPath) -> float:
    value = doc.number(raw, path)
    if not 0.0 <= value <= 1.0:
        doc.fail(path, f"the utility {value:g} is outside [0, 1].", "use utilities from 0 to 1.")
    return value


def _profile(doc: Document, data: Any, agenda: Agenda, raw_names: list[str]) -> LinearAdditive:
    top = doc.mapping(data, ())
    if PROFILE_KEY not in top:
        kind = next(iter(top), "nothing")
        doc.fail((str(kind),), f"'{excerpt(kind)}' profiles are not supported yet.",
                 f"use a {PROFILE_KEY} profile.")
    path: FieldPath = (PROFILE_KEY,)
    space = doc.mapping(top[PROFILE_KEY], path)
    utilities = doc.mapping(doc.required(space, "issueUtilities", path), (*path, "issueUtilities"))
    raw_weights = doc.mapping(doc.required(space, "issueWeights", path), (*path, "issueWeights"))
    for key in (*utilities, *raw_weights):
        if str(key) not in raw_names:
            doc.fail((*path, "issueWeights" if key in raw_weights else "issueUtilities", str(key)),
                     f"the domain has no issue '{excerpt(key)}'.",
                     f"use one of: {excerpt(', '.join(raw_names))}.")
    weights = np.zeros(len(agenda))
    values = []
    for position, (issue, raw) in enumerate(zip(agenda, raw_names, strict=True)):
        wpath = (*path, "issueWeights", raw)
        weights[position] = doc.number(doc.required(raw_weights, raw, wpath[:-1]), wpath)
        if weights[position] < 0:
            doc.fail(wpath, f"the weight {weights[position]:g} is negative.", "use 0 or more.")
        upath = (*path, "issueUtilities", raw)
        values.append(_issue_values(doc, issue, doc.required(utilities, raw, upath[:-1]), upath))
    total = float(weights.sum())
    if total <= 0:
        doc.fail((*path, "issueWeights"), "the weights sum to 0.", "give an issue a weight.")
    if abs(total - 1.0) > 1e-12:
        weights = weights / total
    prefs = LinearAdditive(weights, tuple(values))
    bid = space.get("reservationBid")
    if bid is None:
        return prefs
    bpath = (*path, "reservationBid", "issuevalues")
    chosen = doc.mapping(doc.required(doc.mapping(bid, bpath[:-1]), "issuevalues", bpath[:-1]),
                         bpath)
    reservation = 0.0  # issues the bid leaves out contribute nothing
    for position, (issue, raw) in enumerate(zip(agenda, raw_names, strict=True)):
        if raw in chosen:
            try:
                j = issue.index(chosen[raw])
            except ScenarioError as exc:
                doc.fail((*bpath, raw), exc.message, exc.fix)
            reservation += float(prefs.contributions()[position][j])
    # Rounded to 12 decimals: the sum of contributions is 0.44999999999999996 for 0.45.
    return LinearAdditive(weights, tuple(values), min(round(reservation, 12), 1.0))


def load_geniusweb(paths: list[Path]) -> Scenario:
    """Read a GeniusWeb scenario from a folder or from its domain and profile files.

    The domain file (the one with ``issuesValues``) and the profiles are told apart
    by content; without a domain file the first profile's embedded domain is used.
    Profiles keep the given order (a folder's files go in name order) and each
    party's id is its file name without extension, made of ``[a-z0-9_-]``. A
    party's reservation value is its utility of its ``reservationBid`` (0 if none).
    Other JSON files in a folder are ignored with a
    :class:`~tratado.formats.FormatNote` naming them; a ``tratado.json`` beside them
    (written by :func:`save_geniusweb`) restores the rules and numeric issues.
    """
    given = [Path(p) for p in paths]
    domain: tuple[Document, Any] | None = None
    profiles: list[tuple[Document, Any]] = []
    ignored: list[tuple[str, ScenarioError]] = []  # what was left out of a folder, and why
    for path, explicit in collect_files(given, ".json", skip=(sidecar.NAME,)):
        try:
            doc, data = _read(path)
        except ScenarioError as exc:
            if explicit:
                raise
            ignored.append((f"{path.name} ({exc.message.rstrip('.')})", exc))
            continue
        if isinstance(data, Mapping) and "issuesValues" in data:
            if domain is not None:
                doc.fail((), f"a second domain file (the first is {domain[0].file}).",
                         "give exactly one domain file.")
            domain = (doc, data)
        elif isinstance(data, Mapping) and len(data) == 1 and str(next(iter(data))).endswith(
                "UtilitySpace"):
            profiles.append((doc, data))
        else:
            refusal = ScenarioError(
                "this JSON file is not a GeniusWeb domain or profile.", file=doc.file,
                fix="expected a domain ({\"name\", \"issuesValues\"}) or a profile "
                "({\"LinearAdditiveUtilitySpace\": {...}}).")
            if explicit:
                raise refusal
            ignored.append((f"{path.name} (neither a domain, with 'issuesValues', nor a profile, "
                            "with one '...UtilitySpace' key)", refusal))
    where = ", ".join(str(p) for p in paths)
    if len(profiles) < 2:
        shortage = f"found {len(profiles)} profile file(s); a negotiation needs two."
        if ignored:  # the first file left out is the likely culprit: say what is wrong with it
            raise with_context(ignored[0][1], f"(Read because it lies in {where}, which lacks "
                               f"a complete scenario without it: {shortage})")
        raise ScenarioError(shortage, file=where, fix="add one profile file per party.")
    report([f"{where}: ignored {item}." for item, _ in ignored])
    if domain is None:
        doc, data = profiles[0]
        space = doc.mapping(data, ()).get(PROFILE_KEY) or {}
        domain = (doc, doc.required(doc.mapping(space, (PROFILE_KEY,)), "domain", (PROFILE_KEY,)))
        name, agenda, raw_names = _domain(doc, domain[1], (PROFILE_KEY, "domain"))
    else:
        name, agenda, raw_names = _domain(domain[0], domain[1], ())
    taken: set[str] = set()
    parties = []
    for doc, data in profiles:
        stem = Path(doc.file).stem
        prefs = _profile(doc, data, agenda, raw_names)
        try:  # the display name is the file name: it, too, must be clean text
            parties.append(Party(party_id(stem, taken), prefs, name=party_name(stem)))
        except ScenarioError as exc:
            raise exc.located(doc.file) from None
    names = ", ".join(Path(d.file).name for d, _ in profiles)
    scenario = Scenario(name=name, agenda=agenda, parties=tuple(parties),
                        description=f"Imported from GeniusWeb JSON: domain "
                        f"{Path(domain[0].file).name}, profiles {names}.")
    extra = sidecar.find(given)
    return scenario if extra is None else sidecar.apply(scenario, extra, raw_names)


# -- writing -------------------------------------------------------------------
def _simple(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]+", "_", text).strip("_") or "domain"


def _as_number(issue: Issue, option: Option) -> int | float:
    return int(option) if issue.kind == "integer" else float(option)


def _numeric(scenario: Scenario, position: int) -> bool:
    issue = scenario.agenda.issues[position]
    return issue.is_numeric and all(
        is_linear(issue.numeric_values(), p.preferences.values[position])  # type: ignore[attr-defined]
        for p in scenario.parties)


def _domain_json(scenario: Scenario, numeric: list[bool]) -> dict[str, Any]:
    issues: dict[str, Any] = {}
    for issue, as_number in zip(scenario.agenda, numeric, strict=True):
        if as_number:
            low, high = (_as_number(issue, issue.options[k]) for k in (0, -1))
            step = issue.step if issue.step is not None else 1
            issues[original_name(issue)] = {"range": {"low": low, "high": high,
                                                      "step": _as_number(issue, step)}}
        else:
            issues[original_name(issue)] = {"values": [str(o) for o in issue.options]}
    return {"name": _simple(scenario.name), "issuesValues": issues}


def reservation_bid(agenda: Agenda, prefs: LinearAdditive) -> np.ndarray | None:
    """The outcome whose utility is closest to the reservation value, not below it if possible.

    ``None`` when the reservation value is 0 (GeniusWeb: no reservation bid). Spaces
    up to :data:`EXHAUSTIVE_LIMIT` outcomes are searched exhaustively; larger ones by
    greedy descent from the best outcome, which finds an outcome at or above the
    reservation value but not always the closest one.
    """
    target = prefs.reservation_value
    if target <= 0:
        return None
    if agenda.size <= EXHAUSTIVE_LIMIT:
        rows = agenda.outcomes()
        u = prefs.utility(rows)
        above = np.flatnonzero(u >= target - 1e-12)
        pick = above[np.argmin(u[above])] if above.size else int(np.argmax(u))
        found: np.ndarray = rows[pick]
        return found
    contrib = prefs.contributions()
    row = np.array([int(np.argmax(c)) for c in contrib])
    current = float(sum(c[j] for c, j in zip(contrib, row, strict=True)))
    while True:
        best: tuple[float, int, int] | None = None
        for position, c in enumerate(contrib):
            for j in range(len(c)):
                value = current - c[row[position]] + c[j]
                if target - 1e-12 <= value < current and (best is None or value < best[0]):
                    best = (value, position, j)
        if best is None:
            return row
        current, row[best[1]] = best[0], best[2]


def save_geniusweb(scenario: Scenario, folder: Path, *, overwrite: bool = False) -> list[Path]:
    """Write ``domain.json``, one ``NN-<party id>.json`` per party and ``tratado.json``
    into ``folder``.

    Only linear-additive preferences can be written. Numeric issues whose values
    are linear for every party become number ranges with
    ``NumberValueSetUtilities``; other numeric issues become discrete value sets of
    the options as text (``tratado.json`` lets tratado read them back as numeric
    issues).

    GeniusWeb has no reservation value, only a ``reservationBid``, and its
    profiles take no extra keys, so the exact value is lost: the bid written is
    the outcome whose utility is closest to the reservation value and not below it
    where possible (see :func:`reservation_bid`), and reading it back gives that
    outcome's utility. A reservation value of 0 is written as no bid (exact).
    Discount factors are not part of these profiles and are dropped. What is lost
    is reported as :class:`~tratado.formats.FormatNote` warnings; the rules of the
    talks are kept in ``tratado.json``. An existing ``folder`` is refused unless
    ``overwrite``; then it is replaced as a whole. Returns the paths, domain first,
    then the profiles in party order, then ``tratado.json``.
    """
    agenda = scenario.agenda
    check_exportable(scenario, "GeniusWeb")
    numeric = [_numeric(scenario, k) for k in range(len(agenda))]
    domain = _domain_json(scenario, numeric)
    notes = losses(scenario, "GeniusWeb JSON")
    if domain["name"] != scenario.name:
        notes.append(f"the scenario's name is written as '{domain['name']}' (GeniusWeb names are "
                     "letters, digits and _); tratado.json keeps the name for tratado.")
    for issue, as_number in zip(agenda, numeric, strict=True):
        if issue.is_numeric and not as_number:
            notes.append(numeric_as_text("GeniusWeb JSON", issue.name, issue.kind, issue.options[0],
                                         issue.options[-1], issue.step or 1,
                                         "a GeniusWeb number range takes one straight line of "
                                         "utilities"))
    documents: list[tuple[str, dict[str, Any]]] = [("domain.json", domain)]
    for position, party in enumerate(scenario.parties):
        prefs = party.preferences
        assert isinstance(prefs, LinearAdditive)
        profile, kept = _profile_json(scenario, prefs, party.id, domain, numeric)
        if abs(kept - prefs.reservation_value) > 1e-12:
            notes.append(f"party '{party.id}': GeniusWeb has no reservation value, only a "
                         f"reservation bid; {prefs.reservation_value:g} is written as the bid worth "
                         f"{kept:g} to this party, which is what reading the profile gives.")
        if prefs.discount is not None:
            notes.append(f"party '{party.id}': its discount factor {prefs.discount:g} is not kept"
                         " (GeniusWeb profiles have none).")
        documents.append((f"{profile_stem(position, party.id)}.json", profile))
    sidecar = document(scenario, [i.is_numeric and not n for i, n in zip(agenda, numeric,
                                                                        strict=True)],
                       [original_name(i) for i in agenda])

    def fill(staging: Path) -> list[Path]:
        paths = [atomic_write(staging / name, json.dumps(content, indent=2) + "\n")
                 for name, content in documents]
        return [*paths, write_sidecar(staging, sidecar)]

    written = replace_folder(Path(folder), overwrite, fill)
    report(notes)
    return written


def _profile_json(scenario: Scenario, prefs: LinearAdditive, party_id: str,
                  domain: dict[str, Any], numeric: list[bool]) -> tuple[dict[str, Any], float]:
    """One party's profile, and the reservation value reading it back gives."""
    agenda = scenario.agenda
    utilities: dict[str, Any] = {}
    for issue, values, as_number in zip(agenda, prefs.values, numeric, strict=True):
        if as_number:
            utilities[original_name(issue)] = {"NumberValueSetUtilities": {
                "lowValue": _as_number(issue, issue.options[0]), "lowUtility": float(values[0]),
                "highValue": _as_number(issue, issue.options[-1]),
                "highUtility": float(values[-1])}}
        else:
            utilities[original_name(issue)] = {"DiscreteValueSetUtilities": {"valueUtilities": {
                str(o): float(v) for o, v in zip(issue.options, values, strict=True)}}}
    row = reservation_bid(agenda, prefs)
    bid = None if row is None else {"issuevalues": {
        original_name(issue): _as_number(issue, issue.options[j]) if as_number
        else str(issue.options[j]) for issue, j, as_number in zip(agenda, row, numeric,
                                                                  strict=True)}}
    kept = 0.0 if row is None else float(prefs.utility(np.asarray(row)[None, :])[0])
    profile = {PROFILE_KEY: {
        "issueUtilities": utilities,
        "issueWeights": {original_name(i): float(w) for i, w in zip(agenda, prefs.weights,
                                                                    strict=True)},
        "domain": domain, "name": _simple(party_id), "reservationBid": bid}}
    return profile, min(kept, 1.0)
