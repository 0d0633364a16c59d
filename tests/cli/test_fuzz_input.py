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
