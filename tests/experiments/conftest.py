"""Shared pieces for tournament tests: misbehaving plug-in negotiators in a module the
worker processes can import (the test's current folder)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

PLUGS = '''
import os
import time

from tratado.negotiators import Negotiator


class Raises(Negotiator):
    def propose(self, t):
        raise RuntimeError("boom")


class Garbage(Negotiator):
    def propose(self, t):
        return "garbage"


class Sleeper(Negotiator):
    def propose(self, t):
        time.sleep(3600)


class Stubborn(Negotiator):
    """Swallows every interruption: only killing its process stops it."""

    def propose(self, t):
        while True:
            try:
                time.sleep(0.05)
            except BaseException:
                pass


class Exits(Negotiator):
    def propose(self, t):
        os._exit(3)


class Slow(Negotiator):
    """Plays like a hard-liner, a few milliseconds a move."""

    def propose(self, t):
        time.sleep(0.002)
        return self.best_outcome


class Spy(Negotiator):
    """Fails (on purpose) when it can find any party's preferences but its own."""

    def propose(self, t):
        import gc

        from tratado.preferences import Preferences

        found = {id(o) for o in gc.get_objects() if isinstance(o, Preferences)}
        if len(found) > 1:
            raise RuntimeError(f"saw {len(found)} parties' preferences")
        return self.best_outcome


class Hog(Negotiator):
    def propose(self, t):
        return bytearray(1 << 34)
'''


@pytest.fixture
def plugs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder holding ``plugs.py``, made the current folder."""
    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / "plugs.py").write_text(textwrap.dedent(PLUGS), encoding="utf-8")
    monkeypatch.chdir(folder)
    monkeypatch.syspath_prepend(str(folder))
    return folder
