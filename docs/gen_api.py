#!/usr/bin/env python3
"""Generate docs/api.md, the Python API reference, from the package's docstrings.

    python docs/gen_api.py          # (re)write docs/api.md
    python docs/gen_api.py --check  # exit 1, with a diff, if docs/api.md is out of date

Every public name (``__all__``) of the modules below is listed with its signature and
the first paragraph of its docstring; classes also list their public methods and
properties. CI runs the ``--check`` form, so the page cannot drift from the code.
"""

from __future__ import annotations

import importlib
import inspect
import sys
from pathlib import Path
from typing import Any

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
TARGET = DOCS / "api.md"
REGENERATE = "python docs/gen_api.py"

MODULES = (
    ("tratado", "The model and the file formats"),
    ("tratado.uncertainty", "Uncertain inputs: estimates with ranges, drawn together"),
    ("tratado.stakeholders", "Stakeholders outside the table: effects folded into preferences"),
    ("tratado.analysis", "Exact analysis"),
    ("tratado.actors", "The analysts' multi-actor models: forecasts from capabilities, positions"
     " and saliences"),
    ("tratado.formats.actors_file", "Reading actor tables: CSV files and YAML actors: sections"),
    ("tratado.formats", "Reading and writing scenarios"),
    ("tratado.protocols", "Protocols: the rules of a negotiation as state machines"),
    ("tratado.negotiators", "Negotiators and mediators"),
    ("tratado.session", "Sessions: running, recording and replaying negotiations"),
    ("tratado.records", "Session records: canonical JSON, fingerprints, the public record"),
    ("tratado.records.tlog", "Merkle tree logs (RFC 9162): roots, inclusion and consistency proofs"),
    ("tratado.records.note", "Signed notes, keys and checkpoints (C2SP signed-note, tlog-checkpoint)"),
    ("tratado.records.bundle", "Verifiable bundles: a public record as a signed log, in one file"),
    ("tratado.records.bundle_check", "Checking a verifiable bundle offline: signatures, proofs, rules"),
    ("tratado.records.live", "Checking what a live service adds to a bundle: signatures, sealed answers"),
    ("tratado.records.cosigned", "Heads' co-signatures of checkpoints in a bundle: who vouched for what"),
    ("tratado.experiments", "Experiments: runs of many sessions — tournaments, compare_agendas"),
    ("tratado.experiments.forecast", "Forecasts: many samples of an uncertain scenario"),
    ("tratado.service.talks", "Live talks (tratado[serve]): set-up, preferences, signatures, lifecycle"),
    ("tratado.service.rounds", "Live talks: rounds — schedule, open, propose, answer (sealed), close"),
    ("tratado.service.views", "Live talks: what each principal may read, and the record's export"),
)


def _import(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError:
        sys.path.insert(0, str(ROOT / "src"))
        return importlib.import_module(name)


def _summary(obj: Any) -> str:
    doc = inspect.getdoc(obj) or ""
    return " ".join(doc.split("\n\n")[0].split())


def _signature(obj: Any) -> str:
    try:
        text = str(inspect.signature(obj))
    except (TypeError, ValueError):
        return "(...)"
    return text


def _class_members(cls: type) -> list[str]:
    lines = []
    for name, member in sorted(vars(cls).items()):
        if name.startswith("_"):
            continue
        if isinstance(member, property):
            lines.append(f"  - `{name}` (property): {_summary(member)}".rstrip(": "))
        elif inspect.isfunction(member) or isinstance(member, classmethod | staticmethod):
            function = member.__func__ if isinstance(member, classmethod | staticmethod) else member
            lines.append(f"  - `{name}{_signature(function)}`: {_summary(function)}".rstrip(": "))
    return lines


def render() -> str:
    out = ["# Python API reference", "",
           "Generated from the docstrings by `docs/gen_api.py`; do not edit by hand.", ""]
    for module_name, title in MODULES:
        module = _import(module_name)
        out += [f"## `{module_name}` — {title}", "", _summary(module), ""]
        for name in sorted(getattr(module, "__all__", [])):
            obj = getattr(module, name)
            if inspect.isclass(obj):
                out.append(f"### class `{name}{_signature(obj)}`")
                out += ["", _summary(obj) or "(no docstring)", ""]
                members = _class_members(obj)
                if members:
                    out += members + [""]
            elif callable(obj):
                out += [f"### `{name}{_signature(obj)}`", "", _summary(obj) or "(no docstring)", ""]
            elif isinstance(obj, dict):
                keys = ", ".join(f"`{key}`" for key in obj)
                out += [f"### `{name}`", "", f"A mapping with the keys {keys}.", ""]
            else:
                out += [f"### `{name}`", "", f"A constant: `{obj!r}`", ""]
    return "\n".join(out).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    sys.path.insert(0, str(DOCS))
    from gen_reference import write_or_check

    return write_or_check(TARGET, render(), REGENERATE, __doc__ or "", argv)


if __name__ == "__main__":
    sys.exit(main())
