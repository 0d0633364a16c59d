"""Bad input is normal: mutated scenario files never crash the CLI.

Hypothesis takes a valid scenario, replaces, deletes or adds fields anywhere in it, and
checks that `tratado analyze` either works (exit 0) or says what is wrong (exit 2) —
never a traceback.
"""

from __future__ import annotations

import copy
from typing import Any

import yaml
from click.testing import CliRunner
from conftest import SMALL
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tratado.cli import cli
from tratado.formats import bundled_examples

# A small linear-additive scenario and the three-party example with non-linear preferences.
BASES = [yaml.safe_load(SMALL),
         yaml.safe_load(bundled_examples()["river-basin"].read_text(encoding="utf-8"))]

ODD_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 1000), st.floats(allow_nan=True),
    st.text(max_size=8), st.lists(st.integers(0, 3), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(0, 2), max_size=2),
)


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += paths(value, (*prefix, index))
    return found


PATHS = [paths(base) for base in BASES]


def mutate(document: dict[str, Any], path: tuple[Any, ...], how: str, value: Any) -> None:
    parent: Any = document
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if how == "delete":
        del parent[last]
    elif how == "replace":
        parent[last] = value
    elif isinstance(parent, dict):
        parent[f"extra_{last}"] = value
    else:
        parent.append(value)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.integers(0, len(BASES) - 1).flatmap(lambda k: st.tuples(st.just(k), st.lists(
    st.tuples(st.sampled_from(PATHS[k]), st.sampled_from(["replace", "delete", "add"]), ODD_VALUES),
    min_size=1, max_size=3))))
def test_mutated_scenarios_never_crash(tmp_path, case):
    base, mutations = case
    document = copy.deepcopy(BASES[base])
    for path, how, value in mutations:
        try:
            mutate(document, path, how, value)
        except (KeyError, IndexError, TypeError, AttributeError):
            continue  # an earlier mutation removed or reshaped this path
    target = tmp_path / "mutated.yaml"
    target.write_text(yaml.safe_dump(document, allow_unicode=True))
    result = CliRunner().invoke(cli, ["analyze", str(target), "--json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{type(result.exception).__name__}: {result.exception}\n{target.read_text()}")
    assert result.exit_code in (0, 2), result.output
    if result.exit_code == 2:
        assert result.stderr.startswith("tratado: error: ")
        assert str(target) in result.stderr, "the message names the file"


# -- hostile YAML: aliases, nesting, huge numbers -----------------------------------------
def _run_text(tmp_path, text: str):
    target = tmp_path / "hostile.yaml"
    target.write_text(text)
    result = CliRunner().invoke(cli, ["check", str(target)])
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{type(result.exception).__name__}: {result.exception}")
    assert result.exit_code in (0, 2), result.output
    if result.exit_code == 2:
        assert result.stderr.startswith("tratado: error: ") and str(target) in result.stderr
        assert len(result.stderr) < 1000, "the message quotes too much of the input"
    return result


HOSTILE = settings(max_examples=40, deadline=None,
                   suppress_health_check=[HealthCheck.function_scoped_fixture])


@HOSTILE
@given(levels=st.integers(1, 12), width=st.integers(1, 12),
       field=st.sampled_from(["description", "sources", "observers", "stakeholders"]))
def test_alias_chains_never_crash(tmp_path, levels: int, width: int, field: str) -> None:
    """A chain of anchors, each repeating the previous one ``width`` times, as the value of a
    field: small chains are read (and refused as the wrong type), large ones refused fast."""
    chain = [f"  - &x0 [{', '.join(['1'] * width)}]"]
    chain += [f"  - &x{k} [{', '.join([f'*x{k - 1}'] * width)}]" for k in range(1, levels)]
    text = yaml.safe_dump(BASES[0], sort_keys=False)
    text = text.replace("tratado: 1\n", f"tratado: 1\n{field}:\n" + "\n".join(chain) + "\n", 1)
    _run_text(tmp_path, text)


@HOSTILE
@given(depth=st.integers(1, 1500), flow=st.booleans(), at=st.sampled_from(
    ["description", "sources", "name"]))
def test_deep_nesting_never_crashes(tmp_path, depth: int, flow: bool, at: str) -> None:
    text = yaml.safe_dump(BASES[0], sort_keys=False)
    if flow:
        value = "[" * depth + "]" * depth
    else:
        value = "\n" + "".join("  " * (k + 1) + "-\n" for k in range(depth))
    text = text.replace("tratado: 1\n", f"tratado: 1\n{at}: {value}\n", 1)
    _run_text(tmp_path, text)


@HOSTILE
@given(st.data())
def test_huge_numbers_anywhere_never_crash(tmp_path, data) -> None:
    document = copy.deepcopy(BASES[0])
    numeric = [p for p in PATHS[0] if _is_number(document, p)]
    for path in data.draw(st.lists(st.sampled_from(numeric), min_size=1, max_size=3, unique=True)):
        mutate(document, path, "replace", data.draw(st.one_of(
            st.integers(65, 600).map(lambda n: int("9" * n)), st.just(int("1" * 4000)),
            st.just(10**400), st.just(-(10**300)), st.just(100_000_000))))
    _run_text(tmp_path, yaml.safe_dump(document, sort_keys=False))


def _is_number(document, path) -> bool:
    value = document
    for part in path:
        value = value[part]
    return isinstance(value, int | float) and not isinstance(value, bool)
