"""The browser harness: Playwright driving Debian's Chromium (``/usr/bin/chromium``; no
browser is downloaded). The tests skip, saying why, when Playwright or Chromium is
missing; ``.ci/run`` installs both. Screenshots go to ``TRATADO_SHOTS`` (default
``/tmp/serve-web-shots``)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("TRATADO_CHROMIUM", "/usr/bin/chromium"))
SHOTS = Path(os.environ.get("TRATADO_SHOTS", "/tmp/serve-web-shots"))


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
def shots() -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS
