"""Limits have documented defaults and can be changed per run."""

import pytest

from tratado.limits import DEFAULTS, env_name, excerpt, limit, override


def test_defaults_and_environment(monkeypatch):
    assert limit("rounds") == DEFAULTS["rounds"]
    monkeypatch.setenv(env_name("rounds"), "123")
    assert limit("rounds") == 123
    monkeypatch.setenv(env_name("rounds"), "not a number")
    assert limit("rounds") == DEFAULTS["rounds"]


def test_override_is_scoped():
    with override(nesting=3):
        assert limit("nesting") == 3
    assert limit("nesting") == DEFAULTS["nesting"]
    with pytest.raises(KeyError):
        limit("nosuch")


def test_excerpt_is_short():
    text = excerpt("9" * 5000)
    assert len(text) < 100 and "5,000 characters" in text
    assert excerpt("short") == "short"
