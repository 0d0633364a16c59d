"""`tratado simulate`, `replay` and `negotiators` as a user runs them."""

from __future__ import annotations

import copy
import json

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tratado.cli import cli


def invoke(*args: str):
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def test_transcript_names_packages_in_the_agendas_words():
    out = invoke("simulate", "job-offer", "--negotiators", "boulware,conceder").stdout
    assert "candidate proposes" in out
    assert "        salary         80\n" in out  # the issue's short name and the option
    for words in ("Result", "gain", "Welfare", "Distance to the Pareto frontier",
                  "Distance to the Nash package"):
        assert words in out


def test_json_record_has_agreement_result_and_log_with_utilities():
    doc = json.loads(invoke("simulate", "job-offer", "--negotiators", "boulware,conceder",
                            "--json").stdout)
    assert doc["parties"] == ["candidate", "employer"]
    assert doc["agreement"] is None or set(doc["agreement"]) >= {"salary"}
    assert doc["result"]["reason"] in {"agreement", "deadline", "walk-away", "error"}
    offers = [e for e in doc["log"] if e["kind"] == "propose"]
    assert offers and all(set(e["utilities"]) == {"candidate", "employer"} for e in offers)
    assert doc["result"]["distance_to_pareto"] >= 0


def test_same_seed_same_bytes_and_other_seed_may_differ():
    args = ("simulate", "venezuela-2021", "--negotiators", "random,random", "--json")
    first = invoke(*args, "--seed", "3").stdout
    assert first == invoke(*args, "--seed", "3").stdout


def test_rounds_override_the_deadline():
    doc = json.loads(invoke("simulate", "job-offer", "--negotiators", "hardliner,hardliner",
                            "--rounds", "7", "--json").stdout)
    assert doc["agreement"] is None
    assert doc["result"]["reason"] == "deadline"
    assert doc["result"]["round"] <= 7


def test_log_replays(tmp_path):
    log = tmp_path / "session.json"
    assert invoke("simulate", "venezuela-2021", "--log", str(log)).exit_code == 0
    result = invoke("replay", str(log))
    assert result.exit_code == 0 and "Reproduces" in result.stdout


def test_tampered_log_does_not_replay(tmp_path):
    log = tmp_path / "session.json"
    invoke("simulate", "job-offer", "--negotiators", "boulware,conceder", "--log", str(log))
    record = json.loads(log.read_text())
    record["agreement"] = None
    log.write_text(json.dumps(record))
    result = invoke("replay", str(log))
    assert result.exit_code == 1 and "Does not reproduce" in result.stdout


def test_session_plot(tmp_path):
    pytest.importorskip("matplotlib")
    target = tmp_path / "talks.png"
    assert invoke("simulate", "job-offer", "--plot", str(target)).exit_code == 0
    assert target.stat().st_size > 10_000


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("--negotiators", "boulware"), "1 negotiator(s) for 2 parties"),
        (("--negotiators", "boulware,nobody"), "nobody"),
        (("--protocol", "shouting"), "--protocol"),
    ],
)
def test_bad_simulate_options(args, needle):
    result = invoke("simulate", "job-offer", *args)
    assert result.exit_code == 2
    assert needle in result.stderr


def test_replay_of_a_file_that_is_not_a_record(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{"hello": 1}')
    result = invoke("replay", str(path))
    assert result.exit_code == 2 and "not a session record" in result.stderr


def test_negotiators_listing():
    out = invoke("negotiators").stdout
    for name in ("boulware", "conceder", "linear", "hardliner", "tit-for-tat", "aspiration",
                 "random", "frequency"):
        assert name in out


USER_MODULE = '''
from tratado.negotiators import Negotiator

class Middle(Negotiator):
    name = "middle"
    def propose(self, t):
        return self.table.outcomes[len(self.table.outcomes) // 2]

class Broken(Negotiator):
    name = "broken"
    def propose(self, t):
        raise RuntimeError("my bug")
'''


def test_user_negotiator_from_current_folder(tmp_path, monkeypatch):
    (tmp_path / "user_negotiators_cli.py").write_text(USER_MODULE)
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    doc = json.loads(invoke("simulate", "job-offer", "--negotiators",
                            "user_negotiators_cli:Middle,boulware", "--json").stdout)
    assert doc["negotiators"]["candidate"] == {"name": "user_negotiators_cli:Middle", "params": {}}
    broken = json.loads(invoke("simulate", "job-offer", "--negotiators",
                               "user_negotiators_cli:Broken,boulware", "--json").stdout)
    assert broken["result"]["reason"] == "error"
    assert "my bug" in json.dumps(broken["result"]["failures"])


def test_deadline_in_seconds_ends_the_talks():
    doc = json.loads(invoke("simulate", "job-offer", "--negotiators", "hardliner,hardliner",
                            "--rounds", "1000000", "--seconds", "0.000001", "--json").stdout)
    assert doc["agreement"] is None
    assert doc["result"]["reason"] == "deadline"
    assert any(e["kind"] == "time-up" for e in doc["log"])


@pytest.mark.parametrize(
    ("protocol", "phrases"),
    [
        ("single-text", ("opens with a draft", "proposes changing", "→ change", "final text")),
        ("mediated", ("neutral proposes", "→ settlement: every party accepted", "Post-settlement")),
    ],
)
def test_mediated_transcripts_tell_the_protocol(protocol, phrases):
    out = invoke("simulate", "venezuela-2021", "--protocol", protocol, "--moves", "400").stdout
    for phrase in phrases:
        assert phrase in out


_ODD = st.one_of(st.none(), st.booleans(), st.integers(-3, 10), st.text(max_size=6),
                 st.sampled_from([[], {}, [1, 2], {"a": 1}, "propose", "accept", 1e308]))


def _leaves(node, path=()):
    found = [path] if path else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _leaves(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _leaves(value, (*path, index))
    return found


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_corrupted_logs_never_crash_replay(tmp_path, data):
    """A corrupted record either reproduces (exit 0), does not (exit 1), or is refused (2)."""
    log = tmp_path / "session.json"
    if not log.exists():
        invoke("simulate", "job-offer", "--negotiators", "boulware,conceder", "--log", str(log))
    record = json.loads(log.read_text())
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(_leaves(record)))
        parent = record
        for part in path[:-1]:
            parent = parent[part]
        parent[path[-1]] = copy.deepcopy(data.draw(_ODD))  # never share a drawn value
    corrupted = tmp_path / "corrupted.json"
    corrupted.write_text(json.dumps(record))
    result = invoke("replay", str(corrupted))
    assert result.exit_code in (0, 1, 2)


SLOW_MODULE = '''
import time
from tratado.negotiators import Negotiator

class Slow(Negotiator):
    name = "slow"
    def propose(self, t):
        time.sleep(0.05)
        return self.best_outcome
'''


def test_move_budget_fails_a_slow_negotiator_by_name(tmp_path, monkeypatch):
    (tmp_path / "slow_negotiators_cli.py").write_text(SLOW_MODULE)
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    doc = json.loads(invoke("simulate", "job-offer", "--negotiators",
                            "slow_negotiators_cli:Slow,boulware", "--move-budget", "0.01",
                            "--json").stdout)
    assert doc["result"]["reason"] == "error"
    assert doc["result"]["failures"][0]["negotiator"] == "slow_negotiators_cli:Slow"


def test_compare_agendas_sets_package_and_items_side_by_side():
    out = invoke("compare-agendas", "venezuela-2021", "--protocol", "mediated",
                 "--rounds", "70").stdout
    for words in ("package", "item by item", "welfare", "distance to Pareto frontier",
                  "Item by item costs government", "Where the two agreements differ"):
        assert words in out
    doc = json.loads(invoke("compare-agendas", "job-offer", "--json").stdout)
    assert doc["package"]["protocol"]["agreement"] == "package"
    assert doc["item_by_item"]["protocol"]["agreement"] == "item-by-item"


def test_compare_agendas_refuses_single_text():
    result = invoke("compare-agendas", "job-offer", "--protocol", "single-text")
    assert result.exit_code == 2 and "--protocol" in result.stderr


def test_what_if_sessions_record_it_and_replay(tmp_path):
    log = tmp_path / "what-if.json"
    invoke("simulate", "venezuela-2021", "--reservation", "government=0.7", "--log", str(log))
    record = json.loads(log.read_text())
    assert record["what_if"] == {"reservation_values": {"government": 0.7}}
    assert record["stakeholders"] == "effects-included"
    # the what-if sets the government's own no-deal value; the U.S. effects then fold in
    # (as analyze --reservation and forecast --what-if do)
    from tratado.formats import load
    from tratado.stakeholders import with_stakeholders

    ran = with_stakeholders(load("venezuela-2021").with_reservation_values({"government": 0.7}))
    assert record["result"]["gains"]["government"] == pytest.approx(
        record["result"]["utilities"]["government"]
        - ran.party("government").preferences.reservation_value)
    assert invoke("replay", str(log)).exit_code == 0
    alone = tmp_path / "alone.json"
    invoke("simulate", "venezuela-2021", "--reservation", "government=0.7",
           "--without-stakeholders", "--log", str(alone))
    record = json.loads(alone.read_text())
    assert record["stakeholders"] == "table-alone"
    assert record["result"]["gains"]["government"] == pytest.approx(
        record["result"]["utilities"]["government"] - 0.7)
    assert invoke("replay", str(alone)).exit_code == 0


def test_replay_of_a_log_with_an_absurd_deadline(tmp_path):
    """Found by the fuzz test: a deadline of 1e308 overflowed instead of not reproducing."""
    log = tmp_path / "session.json"
    invoke("simulate", "job-offer", "--negotiators", "boulware,conceder", "--log", str(log))
    record = json.loads(log.read_text())
    record["protocol"]["deadline"] = 1e308
    log.write_text(json.dumps(record))
    result = invoke("replay", str(log))
    assert result.exit_code == 1 and "Does not reproduce" in result.stdout


def test_compare_agendas_records_say_which_world_and_replay(tmp_path):
    from tratado.formats import load
    from tratado.records import canonical_json
    from tratado.session.replay import REPRODUCES, verify

    venezuela = load("venezuela-2021")
    seen = {}
    for flags, said in (((), "effects-included"), (("--without-stakeholders",), "table-alone")):
        result = invoke("compare-agendas", "venezuela-2021", "--protocol", "mediated",
                        "--rounds", "70", "--reservation", "opposition=0.5", "--json", *flags)
        assert result.exit_code == 0, result.output
        both = json.loads(result.stdout)
        for record in both.values():
            assert record["stakeholders"] == said
            assert record["what_if"] == {"reservation_values": {"opposition": 0.5}}
            assert verify(venezuela, canonical_json(record)).status == REPRODUCES
        seen[said] = both["package"]["agreement"]
    assert seen["effects-included"] != seen["table-alone"]
    text = invoke("compare-agendas", "venezuela-2021", "--protocol", "mediated", "--rounds",
                  "70").stdout
    assert "With the stakeholders away from the table" in text
