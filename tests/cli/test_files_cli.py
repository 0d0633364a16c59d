"""The file commands as a user meets them: `-` for standard input, `convert` that says what it
loses and never overwrites unasked, did-you-mean for example names, clean refusals."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from conftest import EXAMPLES, SMALL

from tratado.cli import cli
from tratado.limits import env_name


def run(*args: str, stdin: str | None = None):
    result = CliRunner().invoke(cli, list(args), input=stdin)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result


def refused(result, *needles: str) -> str:
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("tratado: error: ") and result.stderr.count("\n") == 1
    for needle in needles:
        assert needle in result.stderr, result.stderr
    return result.stderr


# -- standard input --------------------------------------------------------------------
def test_check_and_analyze_read_standard_input() -> None:
    result = run("check", "-", stdin=SMALL)
    assert result.exit_code == 0 and result.stdout.startswith("Small: 2 parties")
    assert run("analyze", "-", "--json", stdin=SMALL).exit_code == 0


def test_a_mistake_on_standard_input_is_named_so() -> None:
    refused(run("check", "-", stdin=SMALL.replace("0.7", "0.8", 1)), "<standard input>", "weights")


def test_standard_input_is_size_capped(monkeypatch) -> None:
    monkeypatch.setenv(env_name("input_bytes"), "100")
    refused(run("check", "-", stdin=SMALL), "<standard input>", env_name("input_bytes"))


def test_convert_reads_standard_input(tmp_path: Path) -> None:
    result = run("convert", "-", str(tmp_path / "copy.yaml"), stdin=SMALL)
    assert result.exit_code == 0 and (tmp_path / "copy.yaml").exists()


# -- bundled examples -------------------------------------------------------------------
def test_a_near_example_name_is_suggested() -> None:
    refused(run("check", "venezuela"), "did you mean the bundled example 'venezuela-2021'")
    refused(run("check", "job_offer"), "'job-offer'")


# -- yes/no options ----------------------------------------------------------------------
def test_yes_no_options_get_a_fix(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(SMALL.replace("[low, mid, high]", "[yes, no]"))
    refused(run("check", str(path)), "agenda.issues[0].options[0]", "yes/no value", "Fix:",
            "quotes")


# -- convert -----------------------------------------------------------------------------
def test_convert_says_what_the_target_cannot_hold(tmp_path: Path) -> None:
    result = run("convert", "job-offer", str(tmp_path / "g"), "--to", "genius")
    assert result.exit_code == 0, result.output
    notes = [line for line in result.stderr.splitlines() if line]
    assert notes and all(line.startswith("tratado: note: ") for line in notes)
    assert any("deadline 20 rounds" in line for line in notes)
    assert "wrote " in result.stdout and "tratado: note" not in result.stdout
    back = run("convert", str(tmp_path / "g"), str(tmp_path / "back.yaml"))
    assert back.exit_code == 0 and back.stderr == ""
    assert "deadline: 20" in (tmp_path / "back.yaml").read_text()


def test_convert_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    target = tmp_path / "supplier.yaml"
    target.write_text("mine")
    refused(run("convert", "job-offer", str(target)), "already exists", "--force")
    assert target.read_text() == "mine"
    assert run("convert", "job-offer", str(target), "--force").exit_code == 0
    assert target.read_text().startswith("tratado: 1")


def test_convert_into_an_existing_genius_folder(tmp_path: Path) -> None:
    folder = tmp_path / "g"
    assert run("convert", "job-offer", str(folder), "--to", "genius").exit_code == 0
    (folder / "03-old-party.xml").write_text((folder / "01-candidate.xml").read_text())
    refused(run("convert", "job-offer", str(folder), "--to", "genius"), "already exists")
    assert run("convert", "job-offer", str(folder), "--to", "genius", "--force").exit_code == 0
    assert not (folder / "03-old-party.xml").exists()
    assert run("check", str(folder)).exit_code == 0


def test_convert_never_replaces_its_own_source(tmp_path: Path) -> None:
    folder = tmp_path / "g"
    assert run("convert", "job-offer", str(folder), "--to", "genius").exit_code == 0
    refused(run("convert", str(folder), str(folder), "--to", "genius", "--force"), "input")
    refused(run("convert", str(folder / "domain.xml"), str(folder / "01-candidate.xml"),
                str(folder / "02-employer.xml"), str(folder), "--to", "genius", "--force"))
    assert run("check", str(folder)).exit_code == 0


def test_check_names_files_it_ignored(tmp_path: Path) -> None:
    folder = tmp_path / "g"
    assert run("convert", "job-offer", str(folder), "--to", "genius").exit_code == 0
    (folder / "pareto.xml").write_text("0.1,0.9\n")
    result = run("check", str(folder))
    assert result.exit_code == 0 and "ignored pareto.xml" in result.stderr


def test_the_examples_listing_is_unchanged_by_the_supplier_folder() -> None:
    listing = run("examples").stdout
    assert sorted(line.split()[0] for line in listing.splitlines()) == sorted(EXAMPLES)
