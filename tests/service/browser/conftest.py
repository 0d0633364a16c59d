"""The browser harness: Playwright driving Debian's Chromium (``/usr/bin/chromium``; no
browser is downloaded). The tests skip, saying why, when Playwright or Chromium is
missing; ``.ci/run`` installs both. Screenshots of every page are taken when
``TRATADO_SHOTS`` names a folder (``TRATADO_SHOTS=/tmp/shots pytest tests/service/browser``):
look at them after a change to a page."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("TRATADO_CHROMIUM", "/usr/bin/chromium"))
SHOTS = os.environ.get("TRATADO_SHOTS")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="the browser tests need playwright")
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install -y chromium)")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                              args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def shots() -> Path | None:
    """Where screenshots go (``None``: none are taken)."""
    if not SHOTS:
        return None
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    return Path(SHOTS)
