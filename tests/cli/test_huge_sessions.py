"""Sessions on spaces too large to list: a 10^10-package additive scenario and GENIUS
non-linear domains of the ANAC 2014 shape, through the command line and the library."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from huge_builders import additive_huge, anac_like

from tratado import Agenda, Issue, OutcomeSpaceTooLarge, Party, Scenario
from tratado.cli import cli
from tratado.formats import FormatNote, save
from tratado.negotiators import registered
from tratado.preferences import Table
from tratado.session import Session

pytest.importorskip("scipy")  # non-linear spaces are searched with HiGHS (the huge extra)


def invoke(*args: str) -> Any:
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


@pytest.fixture(scope="module")
def domain(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An ANAC-2014-shaped GENIUS non-linear folder of 10 issues (10^10 packages)."""
    folder = tmp_path_factory.mktemp("anac") / "anac-like-10"
    with pytest.warns(UserWarning):  # the deadline goes to tratado.json, with a note
        save(anac_like(10), folder, "genius")
    return folder


@pytest.fixture(scope="module")
def additive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("additive") / "additive.yaml"
    save(additive_huge(), path, "yaml")
    return path


def test_simulate_negotiates_on_ten_to_the_ten_packages(additive: Path) -> None:
    result = invoke("simulate", str(additive), "--moves", "4")
    assert result.exit_code == 0, result.output
    assert "Agreement" in result.stdout and "Distance to the Pareto frontier" in result.stdout


def test_a_non_linear_session_is_deterministic_and_replays(domain: Path, tmp_path: Path) -> None:
    logs = [tmp_path / "a.json", tmp_path / "b.json"]
    for log in logs:
        assert invoke("simulate", str(domain), "--log", str(log)).exit_code == 0
    assert logs[0].read_bytes() == logs[1].read_bytes()
    replayed = invoke("replay", str(logs[0]))
    assert replayed.exit_code == 0 and "Reproduces" in replayed.stdout


def test_compare_agendas_runs_on_a_non_linear_domain(domain: Path) -> None:
    result = invoke("compare-agendas", str(domain))
    assert result.exit_code == 0, result.output
    assert "item by item" in result.stdout.lower()


def test_without_scipy_a_non_linear_huge_session_says_how_to_install_it(
        domain: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("tratado.negotiators.programme.has_solver", lambda: False)
    result = invoke("simulate", str(domain), "--negotiators", "boulware,boulware")
    assert result.exit_code == 2
    assert "SciPy" in result.stderr and "pip install 'tratado[huge]'" in result.stderr
    assert "--max-outcomes" not in result.stderr


PLUGIN = '''
from tratado.negotiators import Negotiator

class Lister(Negotiator):
    name = "lister"
    def propose(self, t):
        return self.table.outcomes[-1]
'''


def test_a_negotiator_that_lists_the_space_is_refused_up_front(
        additive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "huge_lister.py").write_text(PLUGIN, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    result = invoke("simulate", str(additive), "--negotiators",
                    "huge_lister:Lister,boulware", "--no-isolate")
    assert result.exit_code == 2
    assert "10,000,000,000 outcomes" in result.stderr and "lists_outcomes" in result.stderr
    assert "--max-outcomes" not in result.stderr


def test_table_preferences_on_a_huge_space_are_refused_with_a_fix() -> None:
    agenda = Agenda(tuple(Issue.integer(f"i{k}", 0, 9) for k in range(8)))
    table = Table(agenda.shape, {(0,) * 8: 1.0})
    scenario = Scenario("tables", agenda, (Party("a", table), Party("b", table)))
    with pytest.raises(OutcomeSpaceTooLarge) as info:
        Session(scenario, "alternating", ["boulware", "boulware"], 0)
    assert "table" in info.value.message and "constraints" in (info.value.fix or "")


def test_a_table_over_a_huge_space_is_refused_naming_file_and_field(tmp_path: Path) -> None:
    import yaml

    issues = [{"name": f"i{j}", "options": [f"o{o}" for o in range(10)]} for j in range(8)]
    table = {"type": "table", "default": 0.0, "reservation_value": 0.1, "outcomes": [
        {"outcome": {f"i{j}": "o0" for j in range(8)}, "utility": 1.0}]}
    linear = {"weights": {f"i{j}": 1 for j in range(8)}, "normalize": True,
              "values": {f"i{j}": {f"o{o}": o / 9 for o in range(10)} for j in range(8)}}
    path = tmp_path / "tables.yaml"
    path.write_text(yaml.safe_dump({
        "tratado": 1, "name": "tables", "agenda": {"issues": issues},
        "parties": [{"id": "a", "preferences": linear}, {"id": "b", "preferences": table}]}),
        encoding="utf-8")
    result = invoke("simulate", str(path))
    assert result.exit_code == 2
    assert "tables.yaml" in result.stderr and "parties[1].preferences" in result.stderr
    assert "party 'b'" in result.stderr and "Fix: give linear-additive" in result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("scenario", [additive_huge(), anac_like(40)], ids=["1e10", "anac40"])
@pytest.mark.parametrize("protocol", ["alternating", "single-text", "mediated"])
def test_every_built_in_negotiator_negotiates_on_a_huge_space(scenario: Scenario,
                                                               protocol: str) -> None:
    names = sorted(registered())
    for first, second in zip(names, names[1:] + names[:1], strict=True):
        runs = [Session(scenario, protocol, [first, second], 7).run() for _ in range(2)]
        assert runs[0].agreement == runs[1].agreement
        assert list(runs[0].log) == list(runs[1].log)
        assert all(0.0 <= u <= 1.0 for u in runs[0].utilities.values())


def test_the_neutral_searches_a_frontier_beyond_sixteen_issues_and_replays() -> None:
    from tratado.negotiators.search_frontier import needs_search

    scenario = anac_like(17, seed=2)
    assert needs_search(scenario, 2_000_000)
    runs = [Session(scenario, "mediated", ["boulware", "frequency"], 3).run() for _ in range(2)]
    assert list(runs[0].events) == list(runs[1].events)
    assert runs[0].agreement is not None


def test_item_by_item_without_scipy_is_refused_before_the_talks(
        domain: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("tratado.negotiators.programme.has_solver", lambda: False)
    result = invoke("compare-agendas", str(domain))
    assert result.exit_code == 2 and "pip install 'tratado[huge]'" in result.stderr


def test_the_anac_how_to_shows_what_the_commands_print(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from test_docs import DOCS, _argv, _blocks, _console_transcripts, _squeeze

    page = DOCS / "howto" / "import-anac-nonlinear.md"
    monkeypatch.chdir(tmp_path)
    exec(compile(_blocks(page, ("python",))[0], page.name, "exec"), {})  # noqa: S102
    runner = CliRunner()
    for command, lines in _console_transcripts(page):
        printed = {_squeeze(line) for line in runner.invoke(
            cli, _argv(command), prog_name="tratado").output.splitlines()}
        assert [line for line in lines if _squeeze(line) not in printed] == [], command


def test_distances_are_measured_unless_the_frontier_is_beyond_the_neutral() -> None:
    from tratado.session.simulation import distances_by_default

    assert distances_by_default(anac_like(10))  # the exact walk: well under a second
    assert distances_by_default(additive_huge())  # the additive programme
    assert not distances_by_default(anac_like(17, seed=2))  # the neutral searches too


def test_simulate_on_forty_issues_says_the_distances_were_not_measured(tmp_path: Path) -> None:
    folder = tmp_path / "anac-like-40"
    with pytest.warns(FormatNote):
        save(anac_like(40), folder, "genius")
    shown = invoke("simulate", str(folder), "--rounds", "30")
    assert shown.exit_code == 0, shown.output
    assert "not measured" in shown.stdout and "--distances" in shown.stdout
    as_json = invoke("simulate", str(folder), "--rounds", "30", "--json")
    record = json.loads(as_json.stdout)
    assert record["result"]["distance_to_pareto"] is None
    assert record["result"]["distance_to_nash"] is None
