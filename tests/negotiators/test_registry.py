"""Negotiators are found by discovery and metadata, never from a hand-kept list."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tratado.negotiators as package
from tratado.negotiators import (
    DEFAULT_NEGOTIATOR,
    Negotiator,
    describe,
    find,
    make,
    negotiator_class,
    registered,
)
from tratado.negotiators.registry import SpecError, parse_spec, settable, spec_of
from tratado.negotiators.time_based import Boulware, TimeBased

BUILT_IN = {"boulware", "linear", "conceder", "hardliner", "tit-for-tat", "nice-tit-for-tat",
            "aspiration", "random", "frequency", "time-based"}


def test_every_named_class_in_the_package_is_registered() -> None:
    named = set()
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"tratado.negotiators.{info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Negotiator) and cls.__dict__.get("name"):
                named.add(cls.name)
    assert named == set(registered())
    assert named >= BUILT_IN
    assert DEFAULT_NEGOTIATOR in named


def test_names_and_module_class_specs() -> None:
    assert negotiator_class("boulware") is Boulware
    assert negotiator_class("tratado.negotiators.time_based:Boulware") is Boulware
    negotiator = make("time-based", e=3.0)
    assert isinstance(negotiator, TimeBased) and negotiator.e == 3.0
    for bad in ("no-such-negotiator", "tratado.negotiators.time_based:Nope", "json:dumps"):
        with pytest.raises(ValueError):
            negotiator_class(bad)


def test_filtered_by_metadata() -> None:
    assert [c.name for c in find(stochastic=True)] == ["random"]
    assert {c.name for c in find(uses_opponent_model=True)} == {"frequency"}
    assert {"boulware", "conceder", "linear"} <= {c.name for c in find(time_based=True)}
    with pytest.raises(ValueError):
        find(colour="red")
    info = describe(Boulware)
    assert info["name"] == "boulware" and info["class"].endswith(":Boulware")


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_a_negotiator_is_built_again_from_its_spec(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(sorted(registered())))
    cls = registered()[name]
    params = {}
    for key, default in settable(cls).items():
        if isinstance(default, float) and data.draw(st.booleans()):
            params[key] = data.draw(st.floats(0.05, 0.95))
        elif isinstance(default, int) and not isinstance(default, bool) and data.draw(st.booleans()):
            params[key] = data.draw(st.integers(1, 500))
    negotiator = make(name, **params)
    spec = spec_of(negotiator)
    assert spec is not None and parse_spec(spec)[0] == name
    assert make(spec).params == negotiator.params
    assert repr(make(spec)) == repr(negotiator)


@pytest.mark.parametrize("bad", ["", ":e=1", "boulware:e=1:linear", "boulware:e=1:e=2",
                                 "a:b:c", "boulware:2x=1"])
def test_malformed_specs_are_refused(bad: str) -> None:
    with pytest.raises(SpecError):
        make(bad)
