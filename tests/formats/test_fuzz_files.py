"""Bad input is normal: mutated GENIUS and GeniusWeb files give ScenarioError, never a crash."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tratado.analysis import analyze
from tratado.errors import TratadoError
from tratado.formats import load

DATA = Path(__file__).parent.parent / "data"
WEB = {p.name: json.loads(p.read_text()) for p in sorted((DATA / "geniusweb" / "jobs").iterdir())}
XML = {p.name: p.read_text() for p in sorted((DATA / "genius" / "supplier").iterdir())}

ODD_JSON = st.one_of(st.none(), st.booleans(), st.integers(-5, 10**6), st.floats(allow_nan=True),
                     st.sampled_from([1e308, -1e308, "abc", "", [], {}, [1, 2], {"a": 1}]))
ODD_ATTRIBUTE = st.sampled_from(["", "-1", "abc", "1e999", "nan", "0", "100", "2.5", "-0.5",
                                 "1e12", "inf", "3"])
SETTINGS = settings(max_examples=120, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def leaves(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path] if path else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += leaves(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += leaves(value, (*path, index))
    return found


def analyse_or_refuse(folder: Path) -> None:
    """Either the files load and analyse, or the refusal names the file it is about."""
    try:
        result = analyze(load(folder))
    except TratadoError as error:
        assert error.file, f"the message does not name a file: {error}"
        assert str(folder) in error.file
    else:
        assert len(result.frontier) > 0


@SETTINGS
@given(st.data())
def test_mutated_geniusweb_files(tmp_path: Path, data: st.DataObject) -> None:
    for name, document in WEB.items():
        document = copy.deepcopy(document)
        for _ in range(data.draw(st.integers(0, 2))):
            if not leaves(document):
                break
            path = data.draw(st.sampled_from(leaves(document)))
            parent = document
            for part in path[:-1]:
                parent = parent[part]
            if data.draw(st.booleans()) and isinstance(parent, dict):
                del parent[path[-1]]
            else:
                parent[path[-1]] = copy.deepcopy(data.draw(ODD_JSON))  # never share a drawn value
        (tmp_path / name).write_text(json.dumps(document))
    analyse_or_refuse(tmp_path)


@SETTINGS
@given(st.data())
def test_mutated_genius_files(tmp_path: Path, data: st.DataObject) -> None:
    for name, text in XML.items():
        spans = [m.span(2) for m in re.finditer(r'(\w+)="([^"]*)"', text)]
        chosen = data.draw(st.lists(st.sampled_from(spans), max_size=3, unique=True))
        for start, end in sorted(chosen, reverse=True):
            text = text[:start] + data.draw(ODD_ATTRIBUTE) + text[end:]
        if data.draw(st.integers(0, 19)) == 0:
            text = text[: data.draw(st.integers(0, len(text)))]
        (tmp_path / name).write_text(text)
    analyse_or_refuse(tmp_path)


# -- hostile shapes: huge numbers, deep nesting ------------------------------------------
# As JSON text: Python itself will not turn 5,000 digits into an int.
HUGE_NUMBER = st.one_of(st.integers(65, 400).map(lambda n: "9" * n),
                        st.integers(65, 400).map(lambda n: "-" + "7" * n),
                        st.just("1" + "0" * 400), st.just("1e308"), st.just("-1.5e308"),
                        st.integers(1, 9).map(lambda k: str(k) * 5000),
                        st.just("0." + "3" * 5000))
QUICK = settings(max_examples=40, deadline=None,
                 suppress_health_check=[HealthCheck.function_scoped_fixture])


def _numeric_leaves(node: Any) -> list[tuple[Any, ...]]:
    out = []
    for path in leaves(node):
        value = node
        for part in path:
            value = value[part]
        if isinstance(value, int | float) and not isinstance(value, bool):
            out.append(path)
    return out


@QUICK
@given(st.data())
def test_huge_numbers_anywhere_in_geniusweb_files(tmp_path: Path, data: st.DataObject) -> None:
    for name, document in WEB.items():
        document = copy.deepcopy(document)
        targets = _numeric_leaves(document)
        chosen = data.draw(st.lists(st.sampled_from(targets), max_size=2, unique=True))
        for k, path in enumerate(chosen):
            parent = document
            for part in path[:-1]:
                parent = parent[part]
            parent[path[-1]] = f"@huge{k}@"
        text = json.dumps(document)
        for k in range(len(chosen)):
            text = text.replace(f'"@huge{k}@"', data.draw(HUGE_NUMBER))
        (tmp_path / name).write_text(text)
    analyse_or_refuse(tmp_path)


@QUICK
@given(st.data())
def test_huge_and_deep_attributes_in_genius_files(tmp_path: Path, data: st.DataObject) -> None:
    for name, text in XML.items():
        numbers = [m.span(1) for m in re.finditer(r'="(-?[0-9.]+)"', text)]
        for start, end in sorted(data.draw(st.lists(st.sampled_from(numbers), max_size=2,
                                                    unique=True)), reverse=True):
            text = text[:start] + data.draw(st.sampled_from(
                ["-1e308", "1e308", "9" * 400, "1" * 5000, "-" + "7" * 80])) + text[end:]
        if data.draw(st.booleans()):
            depth = data.draw(st.integers(1, 300))
            text = text.replace("</objective>", "<x>" * depth + "</x>" * depth + "</objective>", 1)
        (tmp_path / name).write_text(text)
    analyse_or_refuse(tmp_path)


@QUICK
@given(depth=st.integers(1, 3000), wrap=st.sampled_from(["[]", "{}"]))
def test_deeply_nested_json_never_crashes(tmp_path: Path, depth: int, wrap: str) -> None:
    for name, document in WEB.items():
        (tmp_path / name).write_text(json.dumps(document))
    inner = '{"a": ' * depth + "1" + "}" * depth if wrap == "{}" else "[" * depth + "]" * depth
    (tmp_path / "employee.json").write_text(
        '{"LinearAdditiveUtilitySpace": {"issueUtilities": ' + inner + "}}")
    analyse_or_refuse(tmp_path)
