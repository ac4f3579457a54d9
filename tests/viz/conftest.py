"""Fixtures of the map tests: the seed plans, parsed once, and a real headless browser.

The browser is Debian's chromium (``apt-get install -y chromium``), driven by playwright without
playwright's own browser download. Every request the page makes is routed: file:// (the page
itself) is allowed, anything else is aborted and recorded, so a test can assert that nothing left
the page. Without /usr/bin/chromium the browser tests are skipped, unless CI is set: there a
missing browser is a failure, so CI cannot pass by skipping them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from plangraph.graph.model import Plan
from plangraph.loaders import parse_file

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
VIEWPORT = {"width": 1200, "height": 800}
SETTLE_MS = 60_000


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="session")
def seed_plan(seeds_dir: Path) -> Callable[[str], Plan]:
    """The parsed seed plan whose file name starts with a prefix ("004"), parsed once."""
    cache: dict[str, Plan] = {}

    def get(prefix: str) -> Plan:
        if prefix not in cache:
            path = next(seeds_dir.glob(f"{prefix}_*.txt"))
            cache[prefix] = parse_file(path)
        return cache[prefix]

    return get


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        if in_ci():
            pytest.fail(f"CI is set but {CHROMIUM} is missing: apt-get install -y chromium")
        pytest.skip(f"{CHROMIUM} is absent (apt-get install -y chromium); browser tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class MapPage:
    """A map opened in the browser, with every request it tried that was not its own file."""

    page: object
    refused: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def eval(self, script: str) -> object:
        return self.page.evaluate(script)  # type: ignore[attr-defined]

    def wait_ready(self) -> None:
        # A selector wait, not wait_for_function: the page's CSP forbids the eval that needs.
        self.page.wait_for_selector(  # type: ignore[attr-defined]
            "body[data-ready=true]", state="attached", timeout=SETTLE_MS)


@pytest.fixture
def open_map(browser: object) -> Iterator[Callable[[Path], MapPage]]:
    """Open an HTML file with networking to other hosts refused; yields an opener."""
    contexts = []

    def opener(path: Path, viewport: dict[str, int] | None = None) -> MapPage:
        context = browser.new_context(viewport=viewport or VIEWPORT)  # type: ignore[attr-defined]
        contexts.append(context)
        page = context.new_page()
        result = MapPage(page)
        own = path.resolve().as_uri()

        def route(r: object) -> None:
            url = r.request.url  # type: ignore[attr-defined]
            if url.startswith("file://") and url.split("#")[0] == own:
                r.continue_()  # type: ignore[attr-defined]
            else:
                result.refused.append(url)
                r.abort()  # type: ignore[attr-defined]

        context.route("**/*", route)
        page.on("websocket", lambda ws: result.refused.append(ws.url))
        page.on("pageerror", lambda exc: result.errors.append(str(exc)))
        page.on("console", lambda m: m.type == "error" and result.errors.append(m.text))
        page.goto(own)
        result.wait_ready()
        return result

    yield opener
    for context in contexts:
        context.close()
