"""The limits tratado enforces on what it reads and runs, and how to change them.

Files, records and plug-ins can come from strangers; a limit turns "the machine hangs
or runs out of memory" into a clear refusal that says which limit was reached and how
to raise it. Each limit has a default (below) and can be changed for one run with an
environment variable ``TRATADO_LIMIT_<NAME>`` (``TRATADO_LIMIT_INPUT_BYTES=500000000``)
or in Python with :func:`override`. ``docs/security.md`` lists them for users.

    from tratado.limits import limit
    if size > limit("input_bytes"):
        ...
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

DEFAULTS: dict[str, int] = {
    # bytes of one input file (scenario, GENIUS/GeniusWeb file, session record)
    "input_bytes": 64 * 1024 * 1024,
    # nodes an input may have after YAML aliases are expanded
    "alias_nodes": 100_000,
    # depth of nested lists / mappings / XML elements in an input
    "nesting": 64,
    # decimal digits of one number in an input
    "number_digits": 64,
    # characters of a bad value quoted back in an error message
    "excerpt": 60,
    # rounds in a deadline (scenario file, --rounds)
    "rounds": 10_000_000,
    # party comparisons an exact Pareto frontier may take (four or more parties compare
    # each package with the frontier so far; about 10^9 take several seconds); estimated up
    # front and enforced while computing (tratado.analysis.budget)
    "analysis_work": 2_000_000_000,
    # mixed-integer programmes one exact frontier of three or more parties may solve when
    # the space is too large to list (tratado.analysis.milp_zones; each takes milliseconds
    # to seconds)
    "milp_solves": 5_000,
}

_OVERRIDES: dict[str, int] = {}


def limit(name: str) -> int:
    """The current value of limit ``name`` (an override, the environment, or the default)."""
    if name not in DEFAULTS:
        raise KeyError(f"no limit named '{name}'; known: {', '.join(DEFAULTS)}")
    if name in _OVERRIDES:
        return _OVERRIDES[name]
    text = os.environ.get(f"TRATADO_LIMIT_{name.upper()}")
    if text is not None:
        try:
            value = int(text)
        except ValueError:
            value = 0
        if value > 0:
            return value
    return DEFAULTS[name]


def env_name(name: str) -> str:
    """The environment variable that changes limit ``name`` (for messages' Fix: part)."""
    return f"TRATADO_LIMIT_{name.upper()}"


@contextlib.contextmanager
def override(**values: int) -> Iterator[None]:
    """Change limits inside a ``with`` block (tests, notebooks)."""
    unknown = set(values) - set(DEFAULTS)
    if unknown:
        raise KeyError(f"no limit named {', '.join(sorted(unknown))}")
    saved = dict(_OVERRIDES)
    _OVERRIDES.update(values)
    try:
        yield
    finally:
        _OVERRIDES.clear()
        _OVERRIDES.update(saved)


def excerpt(value: object) -> str:
    """``value`` as text, cut to the ``excerpt`` limit, for quoting in an error message."""
    text = str(value)
    size = limit("excerpt")
    if len(text) <= size:
        return text
    return f"{text[:size]}… ({len(text):,} characters)"
