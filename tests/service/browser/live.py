"""A live service for the browser tests: the real application on a fresh SQLite file,
served by uvicorn on a free loopback port in a thread, and what a person does in a
browser, step by step (log in, read a page, keep every page seen)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tratado.service import auth
from tratado.service.app import create_app
from tratado.service.base import Service


@contextmanager
def serving(service: Service) -> Iterator[str]:
    """Serve ``service``'s application; yields the base URL (``http://localhost:PORT``)."""
    import uvicorn

    app = create_app("", service=service)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://localhost:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def admin_invitation(service: Service, email: str, name: str) -> str:
    """The one-time token of an invitation to be the service's administrator (what the
    operator's first start hands to the mediator)."""
    with service.db.write() as session:
        return auth.make_invitation(session, email=email, name=name, role="admin", party=None,
                                    talks_id=None, created_by=None)


@dataclass
class Person:
    """One person in one browser context; ``seen`` keeps the HTML of every page shown."""

    name: str
    page: Any
    base: str
    shots: Path | None
    seen: list[str] = field(default_factory=list)

    def go(self, path: str) -> None:
        self.page.goto(self.base + path)
        self.keep()

    def keep(self) -> None:
        self.page.wait_for_load_state()
        self.seen.append(self.page.content())

    def shot(self, name: str) -> None:
        """A screenshot of the whole page. (The viewport is stretched to the page for it:
        Playwright's ``full_page`` leaves Chromium's clicks landing off their targets.)"""
        if self.shots is None:
            return
        page = self.page
        size = page.viewport_size
        page.set_viewport_size({"width": size["width"],
                                "height": page.evaluate("document.documentElement.scrollHeight")})
        page.screenshot(path=str(self.shots / f"{name}.png"))
        page.set_viewport_size(size)

    def click(self, selector: str) -> None:
        """Click what leads to another page (a link, a form's button), and wait for it."""
        with self.page.expect_navigation():
            self.page.click(selector)
        self.keep()
