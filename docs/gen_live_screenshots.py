"""Redraw the live-talks screenshots in docs/images (docs/mediator-guide.md and
docs/delegation-guide.md show them) from the demo talks, in Debian's Chromium:

    python docs/gen_live_screenshots.py docs/images

Run it by hand after changing a page, and look at the pictures. Needs the ``test`` extra
(Playwright) and /usr/bin/chromium.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

TALKS = "venezuela-2021"


def main(out: Path) -> None:
    from playwright.sync_api import sync_playwright
    from service.browser.live import serving

    from tratado.service.app import make_service
    from tratado.service.demo import ACCOUNTS, DEMO_PASSWORD, load_demo

    out.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="tratado-screenshots-"))
    service = make_service(f"sqlite:///{folder / 'talks.db'}", folder / "service.key")
    load_demo(service, folder / "keys")
    with serving(service) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])

        def login(email: str) -> Any:
            page = browser.new_context(viewport={"width": 1000, "height": 760}).new_page()
            page.goto(base + "/login")
            page.fill("#email", email)
            page.fill("#password", DEMO_PASSWORD)
            with page.expect_navigation():
                page.click("button[type=submit]")
            return page

        def submit(page: Any, selector: str) -> None:
            with page.expect_navigation():
                page.click(selector)

        def shot(page: Any, name: str, at: str | None = None) -> None:
            if at is not None:
                page.locator(at).first.evaluate("e => e.scrollIntoView({block: 'start'})")
                page.evaluate("window.scrollBy(0, -20)")
            page.screenshot(path=str(out / f"{name}.png"))

        mediator = login(ACCOUNTS[0][0])
        mediator.goto(f"{base}/talks/{TALKS}")
        shot(mediator, "live-mediator")
        submit(mediator, "text=Open the next round")
        submit(mediator, "text=Ask the neutral for a package")
        government = login(ACCOUNTS[1][0])
        government.goto(f"{base}/talks/{TALKS}")
        shot(government, "live-delegation-round", "h2:has-text('the package on the table')")
        government.goto(f"{base}/talks/{TALKS}/preferences")
        shot(government, "live-preferences", "h1")
        government.goto(f"{base}/talks/{TALKS}/preferences/ranking")
        for place, name in enumerate("ABCD", start=1):
            government.select_option(f"#place-{name}", str(place))
        submit(government, "text=Check my ranking")
        shot(government, "live-ranking-check", "h1")
        government.goto(f"{base}/talks/{TALKS}")
        government.fill("#comment", "acceptable if the licences are renewed on schedule")
        submit(government, "text=Accept this package")
        opposition = login(ACCOUNTS[3][0])
        opposition.goto(f"{base}/talks/{TALKS}")
        opposition.fill("#comment", "the election date is too late")
        submit(opposition, "text=Reject this package")
        mediator.goto(f"{base}/talks/{TALKS}")
        submit(mediator, "text=Close round")
        shot(mediator, "live-answers-revealed", "#rounds")
        mediator.goto(f"{base}/talks/{TALKS}/record")
        shot(mediator, "live-record")
        government.goto(f"{base}/talks/{TALKS}")
        shot(government, "live-sign", "h2:has-text('Your signing key')")
        browser.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/images"))
