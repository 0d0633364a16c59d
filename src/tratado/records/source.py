"""Where a record's scenario can be found again, and finding it.

A record does not carry its scenario (see ``docs/record-format.md``, "Why the scenario
is not embedded"): it carries the scenario's fingerprint and a ``source`` that says
where the file was — a bundled example's name, or the file(s) as paths relative to the
record's own folder with the absolute paths as a fallback. Replay loads the scenario
from there (or from ``--scenario``) and refuses it when its fingerprint differs.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any


def scenario_source(names: Sequence[str | Path], record_folder: str | Path | None = None
                    ) -> dict[str, Any]:
    """The ``source`` member for a scenario loaded from ``names`` (what the user typed).
    ``record_folder``: where the record will be saved (relative paths are from there;
    default: the current folder)."""
    texts = [str(n) for n in names]
    if len(texts) == 1 and not Path(texts[0]).exists():
        from tratado.formats import bundled_examples

        if texts[0] in bundled_examples():
            return {"example": texts[0]}
    folder = Path(record_folder if record_folder is not None else ".").resolve()
    absolute = [Path(t).resolve() for t in texts]
    relative = []
    for path in absolute:
        try:
            relative.append(Path(os.path.relpath(path, folder)).as_posix())
        except ValueError:  # another drive (Windows): no relative path
            relative.append(path.as_posix())
    return {"paths": relative, "absolute": [p.as_posix() for p in absolute]}


def resolve_source(source: Any, record_folder: str | Path) -> list[str] | None:
    """The scenario arguments to load for a record's ``source`` (read from a record file
    in ``record_folder``): the example's name, the relative paths if they all exist from
    the record's folder, else the absolute ones if they exist; ``None`` when none
    resolves or ``source`` is malformed."""
    if not isinstance(source, Mapping):
        return None
    example = source.get("example")
    if isinstance(example, str):
        return [example]
    folder = Path(record_folder)
    for key, base in (("paths", folder), ("absolute", None)):
        paths = source.get(key)
        if not isinstance(paths, list) or not paths or not all(isinstance(p, str) for p in paths):
            continue
        candidates = [base / p if base is not None else Path(p) for p in paths]
        if all(c.exists() for c in candidates):
            return [str(c) for c in candidates]
    return None
