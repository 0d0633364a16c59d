"""Reading and writing scenarios: tratado YAML, GENIUS XML, GeniusWeb JSON.

:func:`load` takes what a user types on the command line — a YAML file (``-`` for
standard input), a GENIUS folder or its files, a GeniusWeb folder or its files, or the
name of a bundled example — and returns a :class:`~tratado.scenario.Scenario`.
:func:`save` writes one in the format its target implies. Files ignored while
loading a folder, and what a conversion cannot keep, are reported as
:class:`FormatNote` warnings. Every input is read within the limits of
:mod:`tratado.limits` (``docs/security.md``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tratado.errors import ScenarioError
from tratado.formats._notes import FormatNote

if TYPE_CHECKING:
    from tratado.scenario import Scenario

__all__ = ["FORMATS", "FormatNote", "bundled_examples", "detect_format", "dumps_yaml", "load", "load_yaml",
           "loads_yaml", "save", "save_yaml"]

_YAML_NAMES = {"load_yaml": "yaml_format", "loads_yaml": "yaml_format",
               "dumps_yaml": "yaml_write", "save_yaml": "yaml_write"}


def __getattr__(name: str) -> Any:
    # The YAML reader and writer are imported on first use, keeping `import tratado` fast.
    if name in _YAML_NAMES:
        import importlib

        return getattr(importlib.import_module(f"tratado.formats.{_YAML_NAMES[name]}"), name)
    raise AttributeError(name)

FORMATS = ("yaml", "genius", "geniusweb")


def bundled_examples() -> dict[str, Path]:
    """``{name: path}`` of the example scenarios shipped inside the package."""
    from importlib import resources

    folder = Path(str(resources.files("tratado") / "examples"))
    return {p.stem: p for p in sorted(folder.glob("*.yaml"))}


def detect_format(paths: Sequence[Path]) -> str:
    """'yaml', 'genius' or 'geniusweb' for the given files or folder."""
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.iterdir()) if path.is_dir() else [path])
    suffixes = {p.suffix.lower() for p in files if p.is_file()}
    if suffixes & {".yaml", ".yml"}:
        return "yaml"
    if ".xml" in suffixes:
        return "genius"
    if ".json" in suffixes:
        return "geniusweb"
    shown = ", ".join(str(p) for p in paths)
    raise ScenarioError(
        "no scenario found: expected a .yaml file, GENIUS .xml files or GeniusWeb .json files.",
        file=shown,
        fix="pass a tratado YAML file, a GENIUS domain folder (domain + profile .xml files) or a"
        " GeniusWeb folder (domain + profile .json files).",
    )


def load(*paths: str | Path) -> Scenario:
    """Load a scenario from a YAML file (``-``: standard input), GENIUS or GeniusWeb
    files/folder, or an example name."""
    if not paths:
        raise ScenarioError("no scenario given.", fix="name a scenario file or folder.")
    if len(paths) == 1 and str(paths[0]) == "-":
        from tratado.formats.yaml_format import load_yaml

        return load_yaml("-")
    resolved: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            examples = bundled_examples()
            if len(paths) == 1 and str(raw) in examples:
                from tratado.formats.yaml_format import load_yaml

                return load_yaml(examples[str(raw)])
            raise _missing(str(raw), examples)
        resolved.append(path)
    kind = detect_format(resolved)
    if kind == "yaml":
        if len(resolved) != 1 or resolved[0].is_dir():
            raise ScenarioError("give one YAML scenario file at a time.",
                                file=", ".join(map(str, resolved)))
        from tratado.formats.yaml_format import load_yaml

        return load_yaml(resolved[0])
    if kind == "genius":
        from tratado.formats.genius_xml import load_genius

        return load_genius(resolved)
    from tratado.formats.geniusweb_json import load_geniusweb

    return load_geniusweb(resolved)


def _missing(raw: str, examples: dict[str, Path]) -> ScenarioError:
    """The refusal for a path that does not exist, suggesting a bundled example it resembles."""
    import difflib

    from tratado.limits import excerpt

    near = difflib.get_close_matches(raw, list(examples), n=1, cutoff=0.5)
    near += [name for name in examples if raw and name.startswith(raw) and name not in near]
    if near:
        fix = f"did you mean the bundled example '{near[0]}'? (`tratado examples` lists them.)"
    else:
        fix = f"check the path; bundled examples can be named directly: {', '.join(examples)}."
    return ScenarioError("the file does not exist.", file=raw if len(raw) < 300 else excerpt(raw),
                         fix=fix)


def save(scenario: Scenario, target: str | Path, fmt: str | None = None, *,
         overwrite: bool = False) -> list[Path]:
    """Write ``scenario``; the format is ``fmt`` or implied by ``target``.

    YAML goes to one file. GENIUS and GeniusWeb go to a folder (created if needed)
    holding a domain file, one profile per party in party order, and ``tratado.json``
    with what those formats cannot hold (the rules; numeric issues written as text).
    An existing target is refused unless ``overwrite`` is set; every write is atomic,
    and a folder is replaced as a whole. What the target format cannot keep is
    reported as :class:`FormatNote` warnings, one per loss.
    """
    target = Path(target)
    if fmt is None:
        suffix = target.suffix.lower()
        fmt = "yaml" if suffix in (".yaml", ".yml") else None
        if fmt is None:
            raise ScenarioError(
                "cannot tell which format to write.",
                file=str(target),
                fix="end the name in .yaml, or pass --to genius / --to geniusweb with a folder.",
            )
    if fmt == "yaml":
        from tratado.formats.yaml_write import save_yaml

        return [save_yaml(scenario, target, overwrite=overwrite)]
    if fmt == "genius":
        from tratado.formats.genius_xml_write import save_genius

        return save_genius(scenario, target, overwrite=overwrite)
    if fmt == "geniusweb":
        from tratado.formats.geniusweb_json import save_geniusweb

        return save_geniusweb(scenario, target, overwrite=overwrite)
    raise ScenarioError(f"unknown format '{fmt}'.", fix=f"use one of: {', '.join(FORMATS)}.")
