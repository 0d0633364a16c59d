"""``tratado forecast-actors``: output, the JSON shape, determinism, plots and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tratado.cli import cli

DATA = Path(__file__).resolve().parents[1] / "data" / "bdm"
EMISSIONS = str(DATA / "bdm-emissions.csv")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["forecast-actors", *args])
    return result.exit_code, result.stdout, result.stderr


def test_it_prints_each_forecast_then_the_rounds() -> None:
    code, out, _ = run(EMISSIONS)
    assert code == 0
    assert "Issue bdm-emissions: 10 actors, scale 4 to 10" in out
    for label in ("weighted mean", "weighted median", "Nash bargaining", "expected utility"):
        assert label in out
    assert "  Belgium       7.00   8.42   9.61   9.96   4.80" in out
    assert "not settled after 10 round(s)" in out


def test_json_rounds_of_a_one_issue_file_map_actors_to_positions() -> None:
    code, out, _ = run(EMISSIONS, "--json", "--rounds", "3")
    assert code == 0
    document = json.loads(out)
    rounds = document["rounds"]
    assert isinstance(rounds, list) and len(rounds) == 4
    assert rounds[0]["Belgium"] == 7.0 and rounds[1]["Belgium"] == pytest.approx(8.415932315426764)
    assert list(rounds[2]) == [a["actor"] for a in document["actors"]]
    assert set(document["forecasts"]) == {"weighted_mean", "weighted_median", "nash_bargaining",
                                          "expected_utility"}
    assert document["expected_utility"]["variant"] == "replication"
    assert document["expected_utility"]["moves"][0]["Luxembourg"] == "confrontation"


def test_the_same_input_gives_the_same_bytes(tmp_path: Path) -> None:
    first = run(EMISSIONS, "--json", "--variant", "text")
    assert first == run(EMISSIONS, "--json", "--variant", "text") and first[0] == 0
    pytest.importorskip("matplotlib")
    a, b = tmp_path / "a.png", tmp_path / "b.png"
    assert run(EMISSIONS, "--plot", str(a))[0] == 0 and run(EMISSIONS, "--plot", str(b))[0] == 0
    assert a.read_bytes() == b.read_bytes() and a.stat().st_size > 1000


def test_several_issues_in_one_csv_and_several_files(tmp_path: Path) -> None:
    table = tmp_path / "two.csv"
    table.write_text("issue,actor,capability,position,salience\n"
                     "tax,a,1,0,1\ntax,b,1,10,1\nwar,a,2,5,0.5\nwar,b,1,1,0.5\n", encoding="utf-8")
    code, out, _ = run(str(table), EMISSIONS, "--json")
    assert code == 0
    issues = json.loads(out)["issues"]
    assert [i["issue"] for i in issues] == ["tax", "war", "bdm-emissions"]
    assert issues[0]["forecasts"]["weighted_mean"] == 5.0


def test_a_yaml_actors_section(tmp_path: Path) -> None:
    path = tmp_path / "talks.yaml"
    path.write_text("name: Talks\nactors:\n  date:\n    question: When?\n    scale: [2020, 2030]\n"
                    "    status_quo: 2030\n    positions:\n"
                    "      - {actor: a, capability: 1, position: 2022, salience: 1}\n"
                    "      - {actor: b, capability: 1, position: 2026, salience: 0.5}\n",
                    encoding="utf-8")
    code, out, _ = run(str(path), "--json")
    assert code == 0, out
    document = json.loads(out)
    assert document["scale"] == [2020, 2030] and document["status_quo"] == 2030
    assert 2022 < document["forecasts"]["nash_bargaining"] < 2026


def test_the_bundled_tables_run_by_name() -> None:
    code, out, _ = run("ec-car-emissions", "--rounds", "1")
    assert code == 0 and "Issue ec-car-emissions" in out


@pytest.mark.parametrize("text, expected", [
    ("actor,capability,position\na,1,2\n", "the column(s) salience are missing"),
    ("actor,capability,positon,salience\na,1,2,1\n", "did you mean 'position'?"),
    ("actor,capability,position,salience\na,1,2,high\nb,1,3,1\n", "line 2: field 'salience':"
     " expected a number, found 'high'"),
    ("actor,capability,position,salience\na,1,2,1\n", "need at least two"),
    ("actor,capability,position,salience\na,1,2,1\nb,1,3,1.5\n",
     "line 3: field 'salience': actor 'b' has salience 1.5"),
    ("actor,capability,position,salience\na,1,2\n", "this row has 3 cells"),
    ("", "the file is empty"),
    ("actor,capability,position,salience\na\u202eb,1,2,1\nc,1,3,1\n",
     "line 2: field 'actor': the text holds an invisible RIGHT-TO-LEFT OVERRIDE"),
    ("actor,capability,position,salience\na,1,2,1\nb,1,3,1\na,2,4,1\n",
     "line 4: field 'actor': actor 'a' is given twice"),
])
def test_bad_csv_is_one_clear_message_exit_2(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "table.csv"
    path.write_text(text, encoding="utf-8")
    code, out, err = run(str(path))
    assert code == 2 and out == ""
    assert err.startswith(f"tratado: error: {path}") and expected in err and "Fix:" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("text, expected", [
    ("name: x\n", "the required field 'actors' is missing"),
    ("actors:\n  date:\n    positions:\n      - {actor: a, capability: 1, position: 2}\n",
     "field 'actors.date.positions[0].salience'"),
    ("actors:\n  date:\n    scale: [0, 10]\n    positions:\n"
     "      - {actor: a, capability: 1, position: 2, salience: 1}\n"
     "      - {actor: b, capability: 1, position: 12, salience: 1}\n",
     "line 6: field 'actors.date.positions[1].position'"),
    ("actors:\n  date:\n    postions: []\n", "did you mean 'positions'?"),
    ("actors: [1, 2\n", "not valid YAML"),
])
def test_bad_yaml_is_one_clear_message_exit_2(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "actors.yaml"
    path.write_text(text, encoding="utf-8")
    code, _, err = run(str(path))
    assert code == 2 and expected in err and "Traceback" not in err, err


def test_missing_files_and_unknown_formats(tmp_path: Path) -> None:
    code, _, err = run(str(tmp_path / "nope.csv"))
    assert code == 2 and "does not exist" in err and "ec-car-emissions" in err
    other = tmp_path / "table.xlsx"
    other.write_bytes(b"PK")
    code, _, err = run(str(other))
    assert code == 2 and "'.xlsx'" in err and "Fix:" in err
    code, _, err = run(EMISSIONS, "--plot", str(tmp_path / "rounds.gif"))
    assert code == 2 and ".png, .svg or .pdf" in err


def test_robustness_adds_bands_to_the_table_and_the_json() -> None:
    code, out, _ = run(EMISSIONS, "--robustness", "20", "--seed", "3")
    assert code == 0 and "10% .. 90% when the estimates move" in out
    assert "(20 samples, each estimate moved by up to 10%, seed 3)" in out
    first = run(EMISSIONS, "--robustness", "20", "--seed", "3", "--spread", "0.2", "--json")
    assert first == run(EMISSIONS, "--robustness", "20", "--seed", "3", "--spread", "0.2",
                        "--json")
    robust = json.loads(first[1])["robustness"]
    assert robust["samples"] == 20 and robust["spread"] == 0.2 and robust["seed"] == 3
    assert set(robust["bands"]["expected_utility"]) == {"p10", "median", "p90"}
    assert "robustness" not in json.loads(run(EMISSIONS, "--json")[1])
