"""Whatever the bytes of an actor table, reading it gives tables or one TratadoError —
never another exception."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tratado.errors import TratadoError
from tratado.formats.actors_file import loads_actors_csv, loads_actors_yaml

CELLS = st.sampled_from(["actor", "capability", "position", "salience", "issue", "note", "a",
                         "b", "1", "0.5", "-3", "1e400", "nan", "", "\"x,y\"", "2", "1.5", " "])
LINES = st.lists(CELLS, min_size=0, max_size=6).map(",".join)
CSV = st.lists(LINES, min_size=0, max_size=6).map("\n".join)
YAML_BITS = st.sampled_from(["actors:", "  x:", "    positions:", "    scale: [0, 1]",
                             "    status_quo: 5", "      - {actor: a, capability: 1, position: 0,"
                             " salience: 1}", "      - {actor: b, capability: 0, position: 3,"
                             " salience: 0.5}", "      - actor: c", "        position: x",
                             "name: n", "tratado: 2", "  - 1", "    question: q", "[", ":"])
YAML = st.lists(YAML_BITS, min_size=0, max_size=8).map("\n".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(CSV, st.text(max_size=80)))
def test_any_csv_reads_or_is_refused_cleanly(text: str) -> None:
    try:
        tables = loads_actors_csv(text, "fuzz.csv", "fuzz")
    except TratadoError as error:
        assert error.file == "fuzz.csv" and str(error)
    else:
        assert tables and all(len(t.actors) >= 2 for t in tables)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(YAML, st.text(max_size=80)))
def test_any_yaml_reads_or_is_refused_cleanly(text: str) -> None:
    try:
        tables = loads_actors_yaml(text, "fuzz.yaml")
    except TratadoError as error:
        assert error.file == "fuzz.yaml" and str(error)
    else:
        assert tables


@pytest.mark.parametrize("text", ["actors: [1]\n", "- 1\n", "actors:\n  x: 3\n",
                                  "actors:\n  x:\n    positions: [1, 2]\n", "actors: {}\n"])
def test_wrong_shapes_name_the_field(text: str) -> None:
    with pytest.raises(TratadoError) as caught:
        loads_actors_yaml(text, "shape.yaml")
    assert caught.value.file == "shape.yaml"
