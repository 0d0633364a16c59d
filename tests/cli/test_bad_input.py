"""One test per kind of user mistake: exit code 2, no traceback, the field named."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from tratado.cli import cli


def run(*args: str):
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result


def assert_user_error(result, *needles: str) -> None:
    assert result.exit_code == 2, result.output
    message = result.stderr
    assert message.startswith("tratado: error: ")
    assert message.count("\n") == 1, "one paragraph"
    for needle in needles:
        assert needle in message, message


CASES = {
    "yaml-syntax": (
        ("agenda:\n  issues: [a, b\n", ""),
        ("not valid YAML", "line"),
    ),
    "unknown-issue-in-weights": (
        ("weights: {price: 0.7, days: 0.3}", "weights: {price: 0.7, dayz: 0.3}"),
        ("parties[0].preferences.weights.dayz", "'dayz' is not an issue", "line 14"),
    ),
    "unknown-option-in-values": (
        ("price: {low: 1, mid: 0.5, high: 0}", "price: {low: 1, middle: 0.5, high: 0}"),
        ("parties[0].preferences.values.price.middle", "not an option", "low, mid, high"),
    ),
    "negative-weight": (
        ("weights: {price: 0.7, days: 0.3}", "weights: {price: 1.3, days: -0.3}"),
        ("parties[0].preferences.weights.days", "negative"),
    ),
    "weights-do-not-sum-to-one": (
        ("weights: {price: 0.7, days: 0.3}", "weights: {price: 7, days: 2}"),
        ("parties[0].preferences.weights", "sum to 9", "normalize: true"),
    ),
    "value-outside-unit-interval": (
        ("days: {1: 1, 3: 0}", "days: {1: 1.5, 3: 0}"),
        ("parties[0].preferences.values.days.1", "outside [0, 1]"),
    ),
    "duplicate-party-id": (
        ("- id: seller", "- id: buyer"),
        ("parties[1].id", "two parties have the id 'buyer'"),
    ),
    "duplicate-issue-name": (
        ("- name: days", "- name: price"),
        ("agenda.issues[1].name", "two issues are named 'price'"),
    ),
    "duplicate-option": (
        ("options: [low, mid, high]", "options: [low, mid, mid]"),
        ("agenda.issues[0]", "option 'mid' twice"),
    ),
    "duplicate-key": (
        ("      reservation_value: 0.2\n", "      reservation_value: 0.2\n      reservation_value: 0.4\n"),
        ("parties[0].preferences.reservation_value", "given twice"),
    ),
    "reservation-outside-unit-interval": (
        ("reservation_value: 0.3", "reservation_value: 30"),
        ("parties[1].preferences.reservation_value", "outside [0, 1]"),
    ),
    "unknown-field": (
        ("reservation_value: 0.3", "reservation: 0.3"),
        ("parties[1].preferences.reservation", "did you mean 'reservation_value'"),
    ),
    "continuous-without-step": (
        ("type: integer\n      min: 1\n      max: 3", "type: continuous\n      min: 1\n      max: 3"),
        ("agenda.issues[1].step", "step"),
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_scenario_yaml(case, small_yaml, write_yaml):
    (old, new), needles = CASES[case]
    text = new if case == "yaml-syntax" else small_yaml.replace(old, new, 1)
    assert case == "yaml-syntax" or text != small_yaml
    path = write_yaml(text if case != "yaml-syntax" else "tratado: 1\n" + old)
    assert_user_error(run("analyze", str(path)), str(path), *needles)


def test_fewer_than_two_parties(small_yaml, write_yaml):
    text = small_yaml[: small_yaml.index("  - id: seller")]
    assert_user_error(run("analyze", str(write_yaml(text))), "parties", "at least two parties")


def test_missing_file(tmp_path):
    missing = tmp_path / "nowhere.yaml"
    assert_user_error(run("analyze", str(missing)), str(missing), "does not exist")


def test_outcome_space_too_large_for_exact_operation(write_yaml):
    issues = "\n".join(f"    - {{name: i{k}, type: integer, min: 0, max: 9}}" for k in range(4))
    text = f"""\
tratado: 1
name: Big non-linear
agenda:
  issues:
{issues}
parties:
  - id: a
    preferences:
      type: constraints
      rules:
        - when: {{i0: {{min: 5}}}}
          bonus: 1
  - id: b
    preferences:
      type: constraints
      rules:
        - when: {{i1: {{max: 5}}}}
          bonus: 1
"""
    # Two or three such parties are analysed exactly without enumeration (mixed-integer
    # programmes)...
    two = run("analyze", str(write_yaml(text)), "--max-outcomes", "1000")
    assert two.exit_code == 0, two.output
    three = text + """\
  - id: c
    preferences:
      type: constraints
      rules:
        - when: {i2: {max: 5}}
          bonus: 1
"""
    assert run("analyze", str(write_yaml(three, "three.yaml")), "--max-outcomes", "1000").exit_code == 0
    # ... but a table has no such structure: enumeration is refused, with the option that
    # allows it.
    table = text + """\
  - id: c
    preferences:
      type: table
      outcomes:
        - outcome: {i0: 1, i1: 1, i2: 1, i3: 1}
          utility: 1
"""
    result = run("analyze", str(write_yaml(table, "table.yaml")), "--max-outcomes", "1000")
    assert_user_error(result, "10,000 outcomes", "--max-outcomes")


def test_not_a_scenario_file(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    assert_user_error(run("analyze", str(path)), "no scenario found")


def test_bad_plot_suffix_refused_before_work(tmp_path):
    assert_user_error(run("analyze", "job-offer", "--plot", str(tmp_path / "x.gif")), ".png")


def test_genius_file_that_is_not_a_utility_space(tmp_path):
    path = tmp_path / "notes.xml"
    path.write_text("<?xml version='1.0'?>\n<library><book title='x'/></library>\n")
    assert_user_error(run("analyze", str(path)), str(path), "utility_space")


@pytest.mark.parametrize(
    ("old", "new", "needles"),
    [
        ("options: [low, mid, high]", "options: [low, mid, high]\n      max: 3",
         ("agenda.issues[0].max", "does not apply to a categorical issue")),
        ("max: 3", "max: 3\n      options: [a]", ("agenda.issues[1].options", "does not apply")),
        ("tratado: 1", "tratado: 1.0", ("tratado", "format version")),
        ("reservation_value: 0.3\n", "reservation_value: 0.3\nrules:\n  deadline_seconds: -5\n",
         ("rules.deadline_seconds", "not positive")),
    ],
)
def test_fields_that_do_not_fit(small_yaml, write_yaml, old, new, needles):
    path = write_yaml(small_yaml.replace(old, new, 1))
    assert_user_error(run("analyze", str(path)), *needles)


@pytest.mark.parametrize(
    "args",
    [
        ("convert", "job-offer", "{missing}/copy.yaml"),
        ("simulate", "job-offer", "--log", "{missing}/session.json"),
    ],
)
def test_output_into_a_missing_folder(tmp_path, args):
    missing = tmp_path / "no-such-folder"
    result = run(*(a.format(missing=missing) for a in args))
    assert_user_error(result, str(missing), "folder")


def test_numeric_issue_with_too_many_options(small_yaml, write_yaml):
    path = write_yaml(small_yaml.replace("max: 3", "max: 1000000000000", 1))
    assert_user_error(run("analyze", str(path)), "agenda.issues[1]", "options", "larger step")


@pytest.mark.parametrize(("option", "typed", "meant"), [
    ("--negotiators", "boulwar,conceder", "boulware"),
    ("--protocol", "medated", "mediated"),
])
def test_a_misspelt_name_gets_a_did_you_mean(option: str, typed: str, meant: str) -> None:
    result = run("simulate", "job-offer", option, typed)
    assert_user_error(result, f"did you mean '{meant}'?", option)
