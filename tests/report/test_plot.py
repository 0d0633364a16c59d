"""The analysis picture, and writing any figure: same bytes every run, atomically."""

from __future__ import annotations

import builtins
import errno
import hashlib
import re
from functools import cache
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

import tratado
from tratado.analysis import analyze
from tratado.cli import cli
from tratado.errors import TratadoError
from tratado.formats import bundled_examples

pytest.importorskip("matplotlib")

from tratado.report import figures  # noqa: E402
from tratado.report.plot import draw_analysis  # noqa: E402

EXAMPLES = bundled_examples()


@cache
def analysis_figure(example: str) -> Any:
    return draw_analysis(analyze(tratado.load(EXAMPLES[example])))


def test_two_parties_axes_use_the_party_ids_of_the_tables():
    (ax,) = analysis_figure("venezuela-2021").axes
    assert ax.get_xlabel() == "utility for government"
    assert ax.get_ylabel() == "utility for opposition"  # not "Unitary Platform"


def test_pairwise_matrix_diagonal_is_labelled_and_lower_triangle_not_mirrored():
    fig = analysis_figure("river-basin")
    ids = ["upland", "midland", "delta"]
    grid = np.array(fig.axes).reshape(3, 3)
    for row in range(3):
        for col in range(3):
            ax = grid[row][col]
            if row == col:  # the party's own panel: a histogram with both axes labelled
                assert ax.get_title() == f"{ids[row]}: spread of utilities"
                assert ax.get_xlabel() == f"utility for {ids[row]}"
                assert ax.get_ylabel() == "packages"
                assert len(ax.get_yticks()) > 1
                size = tratado.load(EXAMPLES["river-basin"]).agenda.size
                assert sum(p.get_height() for p in ax.patches) == size  # every package
            elif row > col:
                assert ax.get_xlabel() == f"utility for {ids[col]}"
                assert ax.get_ylabel() == f"utility for {ids[row]}"
            else:  # no mirror image of a lower panel
                assert not ax.axison and not ax.collections and not ax.lines
    assert grid[0][2].get_legend() is not None


def _bytes(suffix: str, tmp_path, run: int) -> bytes:
    target = tmp_path / f"run{run}{suffix}"
    result = CliRunner().invoke(cli, ["analyze", "job-offer", "--plot", str(target)])
    assert result.exit_code == 0, result.output
    return target.read_bytes()


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf"])
def test_same_inputs_same_bytes_in_every_format(suffix, tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = _bytes(suffix, tmp_path, 1)
    assert first == _bytes(suffix, tmp_path, 2)
    text = first.decode("latin-1")
    assert not re.search(r"20\d\d-\d\d-\d\d|D:20\d\d", text)  # no date stamped in
    if suffix != ".png":
        assert "tratado" in text


def test_session_plot_same_bytes_svg(tmp_path):
    digests = set()
    for run in (1, 2):
        target = tmp_path / f"s{run}.svg"
        result = CliRunner().invoke(cli, ["simulate", "river-basin", "--protocol", "mediated",
                                          "--plot", str(target)])
        assert result.exit_code == 0, result.output
        digests.add(hashlib.sha256(target.read_bytes()).hexdigest())
    assert len(digests) == 1


def test_a_failed_plot_write_keeps_the_old_file_and_names_it(tmp_path, monkeypatch):
    target = tmp_path / "picture.png"
    target.write_bytes(b"the old picture")

    def full_disk(*args: Any, **kwargs: Any) -> None:
        raise OSError(errno.EFBIG, "File too large")

    monkeypatch.setattr("tratado.files.os.fsync", full_disk)
    result = CliRunner().invoke(cli, ["analyze", "job-offer", "--plot", str(target)])
    assert result.exit_code == 2
    assert str(target) in " ".join(result.output.split()) and "Traceback" not in result.output
    assert target.read_bytes() == b"the old picture"
    assert [p.name for p in tmp_path.iterdir()] == ["picture.png"]  # no partial file left


def test_missing_matplotlib_says_what_works_from_a_checkout_and_from_pypi(monkeypatch):
    real_import = builtins.__import__

    def no_matplotlib(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "matplotlib" or name.startswith("matplotlib."):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    with pytest.raises(TratadoError) as caught:
        figures.pyplot()
    message = str(caught.value)
    assert "pip install '.[plot]'" in message  # from a checkout
    assert "pip install 'tratado[plot]'" in message  # from PyPI
    assert "pip install matplotlib" in message


def test_plot_and_record_on_the_same_file_are_refused_before_any_work(tmp_path):
    target = tmp_path / "same.png"
    result = CliRunner().invoke(cli, ["simulate", "job-offer", "--log", str(target),
                                      "--plot", str(target)])
    assert result.exit_code == 2 and "--log and --plot name the same file" in result.output
    assert not target.exists()
