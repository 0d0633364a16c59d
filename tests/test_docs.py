"""The documentation stays true to the code.

* docs/cli.md is exactly what docs/gen_reference.py generates from the commands, and
  names every command; it documents every field of the ``--json`` document.
* Every bundled example is mentioned in the README or the docs.
* Every ``$ tratado ...`` line in a console block of the tutorials (docs/tutorial.md,
  docs/simulation-tutorial.md) runs (exit code 0), and every python block of the
  tutorials, the explanation pages and the how-to pages runs.
* The README's test command is the one .ci/run runs; local links in the docs resolve.
"""

from __future__ import annotations

import importlib.util
import re
import shlex
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from click.testing import CliRunner

from tratado.cli import cli
from tratado.formats import bundled_examples

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
README = ROOT / "README.md"
FENCE = re.compile(r"^```([\w-]*)[^\n]*\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL)


def _gen_reference() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_reference", DOCS / "gen_reference.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _pages() -> list[Path]:
    return [README, *sorted(DOCS.rglob("*.md"))]


def _blocks(path: Path, languages: tuple[str, ...]) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return [m.group(2) for m in FENCE.finditer(text) if m.group(1) in languages]


# -- the generated reference -------------------------------------------------------
def test_cli_reference_is_in_sync() -> None:
    gen = _gen_reference()
    expected = gen.render(cli)
    actual = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert actual == expected, "docs/cli.md is out of date: run python docs/gen_reference.py\n" + gen.diff(
        expected, actual)


def _command_paths(group: Any, prefix: str = "tratado") -> list[str]:
    paths = []
    for name, command in group.commands.items():
        paths.append(f"{prefix} {name}")
        if hasattr(command, "commands"):
            paths += _command_paths(command, f"{prefix} {name}")
    return paths


@pytest.mark.parametrize("command", _command_paths(cli))
def test_every_command_is_documented(command: str) -> None:
    assert f"## `{command}`" in (DOCS / "cli.md").read_text(encoding="utf-8")


def test_every_json_field_is_documented(venezuela: Any) -> None:
    from tratado.analysis import analyze

    document = analyze(venezuela).to_dict()
    reference = (DOCS / "cli.md").read_text(encoding="utf-8")
    missing = [key for key in document if f"| `{key}` |" not in reference]
    assert missing == [], f"fields of --json not described in docs/cli.md: {missing}"


# -- examples, README, links ---------------------------------------------------------
@pytest.mark.parametrize("name", sorted(bundled_examples()))
def test_every_example_is_mentioned(name: str) -> None:
    assert any(name in page.read_text(encoding="utf-8") for page in _pages())


def test_readme_quick_start_has_the_two_commands_and_ci_runs_the_second() -> None:
    text = README.read_text(encoding="utf-8")
    quick = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = [block.strip() for block in _blocks_in(quick)]
    assert commands == ["pip install . && tratado analyze examples/venezuela-2021.yaml",
                        "pip install '.[test]' && pytest"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert commands[1] in [line.strip() for line in ci]


def _blocks_in(text: str) -> list[str]:
    return [m.group(2) for m in FENCE.finditer(text)]


LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


@pytest.mark.parametrize("page", _pages(), ids=lambda p: str(p.relative_to(ROOT)))
def test_local_links_resolve(page: Path) -> None:
    broken = []
    for target in LINK.findall(page.read_text(encoding="utf-8")):
        if re.match(r"^[a-z]+:", target):
            continue
        if not (page.parent / target).exists():
            broken.append(target)
    assert broken == []


# -- runnable examples in the tutorial and how-to pages -------------------------------
def _console_commands(path: Path) -> list[str]:
    commands = []
    for block in _blocks(path, ("console", "shell", "sh", "bash")):
        for line in block.splitlines():
            if line.startswith("$ tratado "):
                commands.append(line[2:])
    return commands


def _argv(command: str) -> list[str]:
    words = shlex.split(command)[1:]
    for stop in ("|", ">", ">>", "2>", "&&"):
        if stop in words:
            words = words[: words.index(stop)]
    return words


TUTORIALS = [DOCS / "tutorial.md", DOCS / "simulation-tutorial.md"]
TUTORIAL_COMMANDS = _console_commands(DOCS / "tutorial.md")


def test_the_tutorial_has_commands() -> None:
    assert len(TUTORIAL_COMMANDS) >= 4
    assert len(_console_commands(DOCS / "simulation-tutorial.md")) >= 8


@pytest.mark.parametrize("page", TUTORIALS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_tutorial_command_runs(page: Path, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Run a tutorial's commands in order in one folder (later ones may use earlier files)."""
    pytest.importorskip("matplotlib")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    for command in _console_commands(page):
        result = runner.invoke(cli, _argv(command), prog_name="tratado")
        assert result.exit_code == 0, f"{command!r} failed:\n{result.output}"


PYTHON_PAGES = [page for page in [*TUTORIALS, DOCS / "concepts.md", DOCS / "protocols.md",
                                  DOCS / "forecast-tutorial.md",
                                  *sorted((DOCS / "howto").glob("*.md"))]
                if _blocks(page, ("python",))]


@pytest.mark.parametrize("page", PYTHON_PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_python_blocks_run(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = _blocks(page, ("python",))
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, Any] = {"__name__": "docs_example"}
    for block in blocks:
        exec(compile(block, f"{page.name} (python block)", "exec"), namespace)  # noqa: S102


def test_api_reference_is_in_sync() -> None:
    """docs/api.md is generated from the docstrings; regenerate with docs/gen_api.py."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("gen_api", DOCS / "gen_api.py")
    assert spec and spec.loader
    gen_api = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen_api)
    actual = (DOCS / "api.md").read_text(encoding="utf-8")
    assert actual == gen_api.render(), "docs/api.md is out of date: run python docs/gen_api.py"


def _console_transcripts(path: Path) -> list[tuple[str, list[str]]]:
    """``(command, lines shown after it)`` for each ``$ tratado`` line of a console block;
    ``...`` stands for lines left out."""
    shown: list[tuple[str, list[str]]] = []
    for block in _blocks(path, ("console",)):
        for line in block.splitlines():
            if line.startswith("$ "):
                shown.append((line[2:], []))
            elif shown and line.strip() and line.strip() not in ("...", "…"):
                shown[-1][1].append(line)
    return [(command, lines) for command, lines in shown
            if command.startswith("tratado ") and lines]


def _squeeze(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("page", [*TUTORIALS, ROOT / "README.md",
                                  DOCS / "forecast-tutorial.md"],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_tutorial_output_is_what_the_command_prints(page: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Docs must not drift from the code: every line a tutorial shows under a command is
    a line (spaces aside) of what that command prints today (stdout and stderr)."""
    pytest.importorskip("matplotlib")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    drifted: dict[str, list[str]] = {}
    shown = {command for command, _ in _console_transcripts(page)}
    # a tutorial's commands run in order (later ones may read files earlier ones wrote);
    # elsewhere, only those whose output is shown
    commands = _console_commands(page) if page in TUTORIALS else sorted(shown)
    for command in commands:
        result = runner.invoke(cli, _argv(command), prog_name="tratado")
        printed = {_squeeze(line) for line in result.output.splitlines()}
        for shown_command, lines in _console_transcripts(page):
            if shown_command == command:
                missing = [line for line in lines if _squeeze(line) not in printed]
                if missing:
                    drifted[command] = missing
    assert drifted == {}, f"{page.name}: these commands no longer print these lines"
