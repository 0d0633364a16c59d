"""Helpers shared by the GENIUS XML and GeniusWeb JSON formats.

Both keep one profile file per party. To keep party order through a folder (whose
files are read in name order), tratado writes profiles as ``01-<party id>``,
``02-<party id>``, ... and reads a leading ``NN-`` back as order, not as part of the id.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from tratado.agenda import NAME_PATTERN, Issue
from tratado.errors import ScenarioError
from tratado.preferences import Constraints, LinearAdditive
from tratado.scenario import Scenario

ORDER_PREFIX = re.compile(r"^\d+-")


def profile_stem(position: int, party_id: str) -> str:
    """File stem of the profile of the party at ``position`` (0-based): ``01-<id>``."""
    return f"{position + 1:02d}-{party_id}"


def party_name(stem: str) -> str:
    """A profile file stem without tratado's ordering prefix."""
    return ORDER_PREFIX.sub("", stem) or stem


def check_exportable(scenario: Scenario, fmt: str, nonlinear: bool = False) -> None:
    """Refuse scenarios a GENIUS-family format cannot hold (``nonlinear``: the format also
    holds hyper-rectangle preferences without a linear base, as GENIUS XML does)."""
    for party in scenario.parties:
        prefs = party.preferences
        if nonlinear and isinstance(prefs, Constraints) and not (prefs.base and prefs.base_weight):
            continue
        if not isinstance(prefs, LinearAdditive):
            raise ScenarioError(
                f"party '{party.id}' has {type(party.preferences).__name__} preferences; {fmt} "
                "export supports linear-additive preferences only.", field="parties",
                fix="save this scenario as tratado YAML instead.")


def collect_files(paths: Sequence[Path], suffix: str,
                  skip: Sequence[str] = ()) -> list[tuple[Path, bool]]:
    """The given files, with each folder replaced by its ``suffix`` files in name order,
    each with ``True`` when it was named explicitly (``False``: found in a folder).
    Files named in ``skip`` are left out."""
    files: list[tuple[Path, bool]] = []
    for path in paths:
        if path.is_dir():
            files.extend((p, False) for p in sorted(path.iterdir())
                         if p.suffix.lower() == suffix and p.is_file() and p.name not in skip)
        elif path.name not in skip:
            files.append((path, True))
    return files


def party_id(stem: str, taken: set[str]) -> str:
    """A unique party id made of ``[a-z0-9_-]`` from a file stem (ordering prefix dropped)."""
    base = re.sub(r"[^a-z0-9_-]+", "_", party_name(stem).lower()).lstrip("-")[:100] or "party"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def issue_name(raw: str, taken: set[str]) -> tuple[str, str | None]:
    """A unique valid issue name for ``raw``, and ``raw`` as title when they differ."""
    base = raw if NAME_PATTERN.match(raw) else re.sub(r"[^A-Za-z0-9_.\-]+", "_", raw).strip("_.-")
    base = base[:100] if base and NAME_PATTERN.match(base[:100]) else "issue"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}_{n}", n + 1
    taken.add(candidate)
    return candidate, (None if candidate == raw else raw)


def original_name(issue: Issue) -> str:
    """The name to write: the issue's title when reading it back gives the same name."""
    if issue.title and issue_name(issue.title, set())[0] == issue.name:
        return issue.title
    return issue.name


def is_linear(xs: np.ndarray, values: np.ndarray) -> bool:
    """True when ``values`` lie on the straight line through their two end points."""
    if len(xs) < 3:
        return True
    line = values[0] + (xs - xs[0]) * (values[-1] - values[0]) / (xs[-1] - xs[0])
    return bool(np.all(np.abs(line - values) <= 1e-12))


def with_context(error: ScenarioError, context: str) -> ScenarioError:
    """``error`` with ``context`` added to its message (for a file read from a folder)."""
    error.message = f"{error.message} {context}"
    error.args = (error.message,)
    return error
