"""The tournament pages stay true: every `$ tratado` line of the tutorial runs (exit 0,
or 2 where the page shows an error), every python block runs, in one folder, in order."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from tratado.cli import cli

ROOT = Path(__file__).resolve().parents[2]
TUTORIAL = ROOT / "docs" / "tournament-tutorial.md"
FENCE = re.compile(r"^```([\w-]*)[^\n]*\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL)

pytest.importorskip("pyarrow")


def _steps() -> list[tuple[str, str, str]]:
    """("console", command, expected output) or ("python", code, "") in page order."""
    steps = []
    for match in FENCE.finditer(TUTORIAL.read_text(encoding="utf-8")):
        language, body = match.group(1), match.group(2)
        if language == "python":
            steps.append(("python", body, ""))
        elif language == "console":
            lines = body.splitlines()
            for k, line in enumerate(lines):
                if line.startswith("$ tratado "):
                    output = []
                    for rest in lines[k + 1:]:
                        if rest.startswith("$ "):
                            break
                        output.append(rest)
                    steps.append(("console", line[2:], "\n".join(output)))
    return steps


def test_the_tutorial_has_commands_and_code() -> None:
    kinds = [kind for kind, _, _ in _steps()]
    assert kinds.count("console") >= 6 and kinds.count("python") >= 2


def test_every_tutorial_step_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("matplotlib")
    pytest.importorskip("pandas")
    pytest.importorskip("distributed")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    runner = CliRunner()
    namespace: dict[str, object] = {"__name__": "docs_example"}
    for kind, text, output in _steps():
        if kind == "python":
            exec(compile(text, "tournament-tutorial.md", "exec"), namespace)  # noqa: S102
            continue
        result = runner.invoke(cli, shlex.split(text)[1:], prog_name="tratado")
        expected = 2 if output.startswith("tratado: error") else 0
        assert result.exit_code == expected, f"{text!r}:\n{result.output}"
        if output and not text.endswith("--json"):
            assert result.output.strip() == output.strip(), f"{text!r} prints otherwise"


def test_the_readme_ranking_is_what_the_command_prints(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("## Tournaments", 1)[1].split("```console\n", 1)[1].split("```", 1)[0]
    command, *shown = block.splitlines()
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, [*shlex.split(command)[2:], "--jobs", "1"])
    assert result.exit_code == 0, result.output
    printed = result.output.splitlines()
    table = [line for line in shown if line != "..."]
    assert printed[:len(table)] == table
