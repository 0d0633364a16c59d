"""Dependencies point one way: model <- analysis <- protocols/negotiators <- records/session
<- experiments/service/report <- cli (docs: DESIGN's layout; docs/architecture.md).

Read with ``ast`` from the source, every ``import`` of a ``tratado`` module counts —
at the top of a module or inside a function (a late import is still a dependency) —
except those under ``if TYPE_CHECKING:``, which only name types for the checker.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "tratado"

LAYERS: dict[str, int] = {
    # the model, its files and the shared foundations
    "tratado.errors": 0, "tratado.limits": 0, "tratado.files": 0, "tratado.labels": 0,
    "tratado.plugins": 0, "tratado.agenda": 0,
    "tratado.preferences": 0, "tratado.parties": 0, "tratado.scenario": 0,
    "tratado.uncertainty": 0, "tratado.stakeholders": 0,
    "tratado.formats": 0, "tratado.examples": 0,
    "tratado.actors.table": 0,  # the actors' table is model; the models on it are analysis
    "tratado.analysis": 1, "tratado.actors": 1,
    "tratado.protocols": 2, "tratado.negotiators": 2,
    "tratado.records": 3, "tratado.session": 3,
    "tratado.experiments": 4, "tratado.service": 4, "tratado.report": 4,
    "tratado.cli": 5, "tratado.__main__": 5,
}
"""The layer of each top-level module or package; a module imports only from its own
layer or those below."""

FORBIDDEN = {
    ("tratado.protocols", "tratado.negotiators"),  # a protocol never imports a negotiator
    ("tratado.analysis", "tratado.formats"),  # analysis is pure: no I/O
    ("tratado.actors", "tratado.formats"),  # so are the actors' models
}
"""Pairs in layers that would otherwise allow them."""


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _layer(module: str) -> tuple[str, int] | None:
    for name in sorted(LAYERS, key=len, reverse=True):
        if module == name or module.startswith(name + "."):
            return name, LAYERS[name]
    return None


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports(path: Path, module: str | None = None) -> set[str]:
    """The ``tratado`` modules ``path`` (module ``module``, by default found from the
    path) imports, outside ``if TYPE_CHECKING:``."""
    module = module or _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return {name for name in found if name == "tratado" or name.startswith("tratado.")}


def graph() -> dict[str, set[str]]:
    """Every module under src/tratado and the tratado modules it imports."""
    return {_module_name(path): imports(path) for path in sorted(SRC.rglob("*.py"))}


def violations(modules: dict[str, set[str]]) -> list[str]:
    """Imports against the layers (or a forbidden pair), as "module imports target"."""
    wrong = []
    for module, targets in modules.items():
        here = _layer(module)
        if here is None:
            continue  # the package facade re-exports the model
        for target in targets:
            there = _layer(target)
            if there is not None and (there[1] > here[1] or (here[0], there[0]) in FORBIDDEN):
                wrong.append(f"{module} imports {target}")
    return sorted(wrong)


def circles(modules: dict[str, set[str]], prefix: str = "tratado.session.") -> list[str]:
    """The modules under ``prefix`` that reach themselves through imports."""
    edges = {m: {t for t in targets if t in modules and t.startswith(prefix)}
             for m, targets in modules.items() if m.startswith(prefix)}

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        return any(nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt}))
                   for nxt in edges.get(start, ()))

    return sorted(m for m in edges if reaches(m, m, {m}))


def test_every_module_has_a_layer() -> None:
    missing = sorted(m for m in graph() if m != "tratado" and _layer(m) is None)
    assert not missing, f"give these a layer in LAYERS: {missing}"


def test_dependencies_point_one_way() -> None:
    wrong = violations(graph())
    assert not wrong, "imports against the layers:\n" + "\n".join(wrong)


def test_the_session_modules_do_not_import_each_other_in_a_circle() -> None:
    assert not circles(graph())


def test_the_session_uses_no_private_module_of_another_layer() -> None:
    wrong = sorted(f"{module} imports {target}" for module, targets in graph().items()
                   for target in targets
                   if any(part.startswith("_") and not part.startswith("__")
                          for part in target.split("."))
                   and _layer(target) != _layer(module))
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("source, expected", [
    ("from tratado.negotiators.mediators import Neutral", {"tratado.negotiators.mediators",
                                                         "tratado.negotiators.mediators.Neutral"}),
    ("def f():\n    import tratado.cli", {"tratado.cli"}),
    ("if TYPE_CHECKING:\n    from tratado.negotiators import Negotiator", set()),
    ("from . import items", {"tratado.session", "tratado.session.items"}),
])
def test_the_checker_sees_late_and_relative_imports(tmp_path: Path, source: str,
                                                    expected: set[str]) -> None:
    path = tmp_path / "probe.py"
    path.write_text(source, encoding="utf-8")
    assert imports(path, "tratado.session.probe") == expected


def test_the_checker_finds_what_the_tree_used_to_do(tmp_path: Path) -> None:
    path = tmp_path / "mediated.py"
    path.write_text("def default_mediator(self):\n"
                    "    from tratado.negotiators.mediators import Neutral\n"
                    "    return Neutral()\n", encoding="utf-8")
    old = {"tratado.protocols.mediated": imports(path, "tratado.protocols.mediated"),
           "tratado.experiments.x": {"tratado.session.runner"}}
    assert violations(old) == ["tratado.protocols.mediated imports tratado.negotiators.mediators",
                               "tratado.protocols.mediated imports"
                               " tratado.negotiators.mediators.Neutral"]
    tangled = {"tratado.session.items": {"tratado.session.runner", "tratado.session.replay"},
               "tratado.session.runner": {"tratado.session.items"},
               "tratado.session.replay": {"tratado.session.items"},
               "tratado.session.result": set()}
    assert circles(tangled) == ["tratado.session.items", "tratado.session.replay",
                                "tratado.session.runner"]
