"""Reading the analysts' actor tables: CSV files and the ``actors:`` section of a YAML file.

CSV: one row per actor and issue, with the columns ``actor``, ``capability``,
``position`` and ``salience`` (any order, any letter case) and optionally ``issue``
(several issues in one file) and ``note``. Without an ``issue`` column the file holds one
issue named after the file. Several files may be given; their issues are read in order.

YAML: an ``actors:`` mapping from each issue's id to its table (documented in
docs/actors-format.md, published as ``schema/actors.schema.json``)::

    actors:
      emissions-date:
        question: Date for car-emission standards
        scale: [4, 10]          # optional; default: the range of the positions
        status_quo: 10          # optional; the Nash solution's disagreement point
        positions:
          - {actor: Netherlands, capability: 0.08, position: 4, salience: 0.8}

A scenario file may carry the same section beside its agenda and parties. Every
mistake is reported as one :class:`~tratado.errors.ScenarioError` naming the file, the
line and the field, with the fix.
"""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from tratado.actors.table import IssueTable
from tratado.errors import ScenarioError, TratadoError
from tratado.formats._fields import Document
from tratado.formats._fields import Path as FieldPath
from tratado.formats._input import decode, read_bytes
from tratado.formats._yaml_loader import load_text
from tratado.labels import clean_text
from tratado.limits import excerpt

__all__ = ["COLUMNS", "bundled_actor_tables", "load_actors", "loads_actors_csv", "loads_actors_yaml"]

COLUMNS = ("actor", "capability", "position", "salience")
OPTIONAL_COLUMNS = ("issue", "note")
TOP_FIELDS = ("tratado", "name", "description", "sources", "actors")
ISSUE_FIELDS = ("question", "scale", "status_quo", "positions")
ROW_FIELDS = ("actor", "capability", "position", "salience", "note")
SCENARIO_FIELDS = ("agenda", "parties")
"""Fields that make a YAML file a scenario: only its ``actors:`` section is read here."""


def load_actors(*paths: str | Path) -> list[IssueTable]:
    """Every issue table in the given CSV and YAML files, in order."""
    tables: list[IssueTable] = []
    for path in paths:
        path = Path(path)
        suffix = path.suffix.lower()
        if path.is_dir():
            raise ScenarioError("this is a folder, not an actor table.", file=str(path),
                                fix="name the .csv or .yaml files in it.")
        if suffix not in (".csv", ".yaml", ".yml"):
            raise ScenarioError(f"cannot read actor tables from a '{suffix or 'no suffix'}'"
                                " file.", file=str(path),
                                fix="give a .csv table or a .yaml file with an 'actors:'"
                                " section (docs/actors-format.md).")
        text = decode(read_bytes(path), str(path), "utf-8-sig")
        found = (loads_actors_csv(text, str(path), path.stem) if suffix == ".csv"
                 else loads_actors_yaml(text, str(path)))
        for table in found:
            if any(table.issue == seen.issue for seen in tables):
                raise ScenarioError(f"issue '{table.issue}' is given twice.", file=str(path),
                                    fix="give each issue once, or rename one.")
            tables.append(table)
    return tables


def bundled_actor_tables() -> dict[str, Path]:
    """``{name: path}`` of the actor tables shipped inside the package (examples/actors/):
    ``ec-car-emissions`` and ``venezuela-2021-actors``."""
    from importlib import resources

    folder = Path(str(resources.files("tratado") / "examples" / "actors"))
    return {p.stem: p for p in sorted(folder.iterdir()) if p.suffix in (".csv", ".yaml")}


# -- CSV ----------------------------------------------------------------------------
def loads_actors_csv(text: str, file: str, issue: str) -> list[IssueTable]:
    """The issue tables of one CSV text; ``issue`` names the issue when there is no
    ``issue`` column."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    try:
        header = next(reader, None)
        if header is None:
            raise ScenarioError("the file is empty.", file=file,
                                fix="write a header line: actor,capability,position,salience.")
        columns = _columns(header, file)
        rows: dict[str, list[tuple[str, float, float, float]]] = {}
        notes: dict[str, list[str]] = {}
        lines: dict[str, list[int]] = {}
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise ScenarioError(f"this row has {len(row)} cells; the header has"
                                    f" {len(header)}.", file=file, line=line,
                                    fix="give every row one cell per column (quote a cell"
                                    " that holds a comma).")
            cell = {name: _text(row[k].strip(), name, file, line) for name, k in columns.items()}
            key = cell.get("issue", issue)
            if not key:
                raise ScenarioError("the issue is empty.", file=file, line=line, field="issue",
                                    fix="name the issue of every row.")
            numbers = [_number(cell[name], name, file, line) for name in COLUMNS[1:]]
            rows.setdefault(key, []).append((cell["actor"], numbers[0], numbers[1], numbers[2]))
            notes.setdefault(key, []).append(cell.get("note", ""))
            lines.setdefault(key, []).append(line)
    except csv.Error as exc:
        raise ScenarioError(f"this is not a readable CSV table: {exc}.", file=file,
                            line=reader.line_num, fix="check the quotes on that line.") from None
    if not rows:
        raise ScenarioError("the table has a header but no rows.", file=file,
                            fix="add one row per actor.")
    tables = []
    for key, found in rows.items():
        has_notes = any(notes[key])
        try:
            tables.append(IssueTable.from_rows(key, found,
                                               notes=tuple(notes[key]) if has_notes else ()))
        except TratadoError as exc:
            where = _row_of(exc, [row[0] for row in found])
            raise _located(exc, file, None if where is None else lines[key][where]) from None
    return tables


def _text(text: str, column: str, file: str, line: int) -> str:
    try:
        return clean_text(text, multiline=column == "note")
    except ScenarioError as exc:
        raise ScenarioError(exc.message, file=file, line=line, field=column, fix=exc.fix) from None


def _columns(header: Sequence[str], file: str) -> dict[str, int]:
    names = [cell.strip().lower() for cell in header]
    known = COLUMNS + OPTIONAL_COLUMNS
    for name in names:
        if name not in known:
            near = difflib.get_close_matches(name, known, n=1)
            hint = f"did you mean '{near[0]}'?" if near else f"the columns are {', '.join(known)}."
            raise ScenarioError(f"unknown column '{excerpt(name)}'.", file=file, line=1,
                                fix=hint)
    for name in set(names):
        if names.count(name) > 1:
            raise ScenarioError(f"the column '{name}' is given twice.", file=file, line=1,
                                fix="keep one of the two.")
    missing = [name for name in COLUMNS if name not in names]
    if missing:
        raise ScenarioError(f"the column(s) {', '.join(missing)} are missing.", file=file,
                            line=1, fix="the header needs actor,capability,position,salience"
                            " (and optionally issue and note).")
    return {name: names.index(name) for name in names}


def _number(text: str, column: str, file: str, line: int) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if value != value or value in (float("inf"), float("-inf")):
        raise ScenarioError(f"expected a number, found '{excerpt(text)}'.", file=file, line=line,
                            field=column, fix=_NUMBER_FIX[column])
    return value


_NUMBER_FIX = {
    "capability": "write the actor's capability as a number (only ratios between actors matter).",
    "position": "write the position as a number on the issue's scale (e.g. a year, or 0-100).",
    "salience": "write the salience as a number between 0 and 1 (80% is 0.8).",
}


def _located(exc: TratadoError, file: str, line: int | None = None) -> ScenarioError:
    return ScenarioError(exc.message, file=file, line=line, field=exc.field, fix=exc.fix)


# -- YAML ---------------------------------------------------------------------------
def loads_actors_yaml(text: str, file: str) -> list[IssueTable]:
    """The issue tables of the ``actors:`` section of one YAML text."""
    from tratado.formats.yaml_format import _record_lines

    try:
        node, data = load_text(text, file)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ScenarioError(f"this is not valid YAML: {excerpt(getattr(exc, 'problem', exc))}.",
                            file=file, line=mark.line + 1 if mark is not None else None,
                            fix="check the indentation and the ':' and '-' near that line.") from None
    doc = Document(file)
    if node is not None:
        _record_lines(node, (), doc)
    if data is None:
        doc.fail((), "the file is empty.", "start from examples/actors/ (docs/actors-format.md).")
    top = doc.mapping(data, ())
    if not any(key in top for key in SCENARIO_FIELDS):
        doc.check_keys(top, TOP_FIELDS, ())
    version = top.get("tratado", 1)
    if type(version) is not int or version != 1:
        doc.fail(("tratado",), f"format version {excerpt(version)} is not known.", "use 'tratado: 1'.")
    section = doc.mapping(doc.required(top, "actors", (), "add an 'actors:' section with one"
                                       " table per issue (docs/actors-format.md)."), ("actors",))
    if not section:
        doc.fail(("actors",), "the section has no issues.", "add one table per issue.")
    return [_issue(doc, doc.text(key, ("actors", str(key))), value)
            for key, value in section.items()]


def _issue(doc: Document, issue: str, raw: Any) -> IssueTable:
    path: FieldPath = ("actors", issue)
    item = doc.mapping(raw, path)
    doc.check_keys(item, ISSUE_FIELDS, path)
    question = doc.text(item.get("question", ""), (*path, "question"), multiline=True)
    scale = None
    if item.get("scale") is not None:
        ends = doc.sequence(item["scale"], (*path, "scale"))
        if len(ends) != 2:
            doc.fail((*path, "scale"), f"expected [lowest, highest], found {len(ends)} numbers.",
                     "write the two ends of the scale, e.g. [0, 100].")
        scale = (doc.number(ends[0], (*path, "scale", 0)), doc.number(ends[1], (*path, "scale", 1)))
    quo = item.get("status_quo")
    status_quo = None if quo is None else doc.number(quo, (*path, "status_quo"))
    raw_rows = doc.sequence(doc.required(item, "positions", path, "list each actor's row."),
                            (*path, "positions"))
    rows: list[tuple[str, float, float, float]] = []
    notes: list[str] = []
    for k, entry in enumerate(raw_rows):
        rpath = (*path, "positions", k)
        row = doc.mapping(entry, rpath)
        doc.check_keys(row, ROW_FIELDS, rpath)
        name = doc.text(doc.required(row, "actor", rpath), (*rpath, "actor"))
        c, x, s = (doc.number(doc.required(row, field, rpath, _NUMBER_FIX[field]),
                              (*rpath, field), _NUMBER_FIX[field]) for field in COLUMNS[1:])
        rows.append((name, c, x, s))
        notes.append(doc.text(row.get("note", ""), (*rpath, "note"), multiline=True))
    try:
        return IssueTable.from_rows(issue, rows, question=question, scale=scale,
                                    status_quo=status_quo,
                                    notes=tuple(notes) if any(notes) else ())
    except TratadoError as exc:
        where = _row_of(exc, [row[0] for row in rows])
        field = (*path, "positions", where, exc.field or "") if where is not None else (
            *path, exc.field or "")
        doc.fail(field, exc.message, exc.fix)


def _row_of(exc: TratadoError, actors: Sequence[str]) -> int | None:
    """The row a table's refusal is about — the last row of the actor it names ("actor
    'b' has ...", "actor 'b' is given twice"), if any."""
    for k in range(len(actors) - 1, -1, -1):
        if f"actor '{actors[k]}'" in exc.message:
            return k
    return None
