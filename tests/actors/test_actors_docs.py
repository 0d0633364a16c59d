"""The actors' pages show real output: every line under a ``$ tratado`` command of the
how-to is a line the command prints today, the printed result of its Python block is
what the block prints, and the theory page's figures are the code's."""

from __future__ import annotations

import contextlib
import io
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from tratado.cli import cli

DOCS = Path(__file__).resolve().parents[2] / "docs"
HOWTO = DOCS / "howto" / "forecast-actors.md"
FENCE = re.compile(r"^```([\w-]*)[^\n]*\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL)


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def _transcripts(text: str) -> list[tuple[str, list[str]]]:
    shown: list[tuple[str, list[str]]] = []
    for language, block in FENCE.findall(text):
        if language != "console":
            continue
        for line in block.splitlines():
            if line.startswith("$ "):
                shown.append((line[2:], []))
            elif shown and line.strip() not in ("", "...", "…"):
                shown[-1][1].append(line)
    return shown


SHOWN = _transcripts(HOWTO.read_text(encoding="utf-8"))


def test_the_howto_shows_commands() -> None:
    assert len(SHOWN) >= 4


@pytest.mark.parametrize("command, lines", SHOWN, ids=[command for command, _ in SHOWN])
def test_every_transcript_is_what_the_command_prints(command: str, lines: list[str],
                                                      tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("matplotlib")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, shlex.split(command)[1:], prog_name="tratado")
    assert result.exit_code == 0, result.output
    printed = {_squeeze(line) for line in result.output.splitlines()}
    missing = [line for line in lines if _squeeze(line) not in printed]
    assert missing == [], f"{command!r} no longer prints {missing}"


def test_the_python_block_prints_what_the_page_shows() -> None:
    blocks = FENCE.findall(HOWTO.read_text(encoding="utf-8"))
    k = next(k for k, (language, _) in enumerate(blocks) if language == "python")
    assert blocks[k + 1][0] == ""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(blocks[k][1], "forecast-actors.md", "exec"), {"__name__": "docs"})  # noqa: S102
    assert out.getvalue().strip() == blocks[k + 1][1].strip()


def test_the_pages_are_linked_from_the_index() -> None:
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    for page in ("howto/forecast-actors.md", "actors-models.md", "actors-format.md"):
        assert f"({page})" in index


def test_the_format_page_examples_read(tmp_path: Path) -> None:
    from tratado.formats.actors_file import loads_actors_yaml

    blocks = FENCE.findall((DOCS / "actors-format.md").read_text(encoding="utf-8"))
    (yaml_text,) = [block for language, block in blocks if language == "yaml"]
    (table,) = loads_actors_yaml(yaml_text, "actors-format.md")
    assert table.issue == "emissions" and table.scale == (4, 10) and len(table.actors) == 3
