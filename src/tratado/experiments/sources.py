"""The scenarios of a tournament: files, bundled example names and folders.

A folder is searched recursively, in sorted order, hidden entries skipped: every
``.yaml`` / ``.yml`` file in it is one tratado scenario, and every folder holding
``.xml`` files (GENIUS: a domain and its profiles) or ``.json`` files (GeniusWeb) is one
scenario. Every scenario is loaded — and any unreadable one refused, with the usual
message naming the file — before a single session runs.

Each scenario gets a *label* (its name; its source path too when two scenarios share a
name) and a *fingerprint* (the one its session records carry: SHA-256 of its model in
canonical JSON) that identifies it in the results and seeds its sessions.

A scenario whose stakeholders have effects runs with them folded into the parties'
preferences, or on the table alone (:func:`linked`); its entry keeps the scenario as
loaded too, for the fingerprint and the session records.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from tratado.errors import TratadoError
from tratado.scenario import Scenario

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True, eq=False)
class Entry:
    """One scenario of a tournament."""

    label: str
    source: tuple[str, ...]  # what `tratado.load` takes to read it again
    fingerprint: str
    scenario: Scenario  # what its sessions run on
    base: Scenario | None = None  # the scenario as loaded, when it has stakeholders' effects
    stakeholders: bool | None = None  # whether they were folded in (None: it has none)


def linked(entry: Entry, stakeholders: bool) -> Entry:
    """``entry`` with its stakeholders' effects folded in (``stakeholders``) or left out
    (:func:`tratado.stakeholders.effective`); as it is when the scenario has none."""
    from dataclasses import replace

    from tratado.stakeholders import effective, has_effects

    if not has_effects(entry.scenario):
        return entry
    return replace(entry, scenario=effective(entry.scenario, stakeholders), base=entry.scenario,
                   stakeholders=stakeholders)


def fingerprint(scenario: Scenario) -> str:
    """The scenario's fingerprint, as its session records carry it
    (:func:`tratado.records.fingerprint`: SHA-256 of its model in canonical JSON)."""
    from tratado.records import fingerprint as record_fingerprint

    return record_fingerprint(scenario)


def _found(folder: Path) -> Iterator[tuple[str, ...]]:
    entries = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
    files = [p for p in entries if p.is_file()]
    for path in files:
        if path.suffix.lower() in YAML_SUFFIXES:
            yield (str(path),)
    xml = [str(p) for p in files if p.suffix.lower() == ".xml"]
    json = [str(p) for p in files if p.suffix.lower() == ".json"]
    if xml:
        yield tuple(xml)
    elif json:
        yield tuple(json)
    for path in entries:
        if path.is_dir():
            yield from _found(path)


def expand(sources: Sequence[str]) -> list[tuple[str, ...]]:
    """Each source as the files of one scenario (folders searched recursively)."""
    found: list[tuple[str, ...]] = []
    for source in sources:
        path = Path(source)
        if path.is_dir():
            inside = list(_found(path))
            if not inside:
                raise TratadoError("the folder holds no scenario (.yaml files, or folders of"
                                   " GENIUS .xml or GeniusWeb .json files).", file=source,
                                   field="scenarios", fix="check the path.")
            found.extend(inside)
        else:
            found.append((source,))
    return found


def load_all(sources: Sequence[str]) -> list[Entry]:
    """Every scenario the sources name, loaded and fingerprinted (a
    :class:`TratadoError` for the first one that cannot be read)."""
    from tratado.formats import load

    loaded: list[tuple[tuple[str, ...], Scenario]] = []
    for files in expand(sources):
        try:
            scenario = load(*files)
        except TratadoError as error:
            raise error.located(files[0]) from None
        loaded.append((files, scenario))
    names = Counter(s.name for _, s in loaded)
    return [Entry(s.name if names[s.name] == 1 else f"{s.name} ({files[0]})", files,
                  fingerprint(s), s) for files, s in loaded]
