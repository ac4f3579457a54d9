"""``/docs`` (Swagger UI) and ``/redoc`` of a real ``plangraph serve``, opened in Chromium with every
host but the server refused: the pages render every operation of the API, asking nothing of any
other host (their scripts and styles come from the server, out of the pinned fastapi-offline)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.server.conftest import ServerFactory, seeded_template, serve  # noqa: F401 - a real server per test

from .conftest import VIEWPORT

SETTLE_MS = 60_000


def _operations(base: str) -> list[tuple[str, str]]:
    spec = httpx.get(f"{base}/openapi.json", timeout=30).json()
    return [(method.upper(), path) for path, item in spec["paths"].items() for method in item
            if method in ("get", "post", "put", "delete", "patch")]


@pytest.fixture()
def offline_page(browser: object, serve: ServerFactory) -> Iterator[tuple[object, str, list[str]]]:  # noqa: F811 - the fixture
    """A page whose requests reach the server only; yields it, the server's URL and what it refused."""
    server = serve()
    refused: list[str] = []
    context = browser.new_context(viewport=VIEWPORT)  # type: ignore[attr-defined]

    def route(r: object) -> None:
        url = r.request.url  # type: ignore[attr-defined]
        if url.startswith(server.base + "/"):
            r.continue_()  # type: ignore[attr-defined]
        else:
            refused.append(url)
            r.abort()  # type: ignore[attr-defined]

    context.route("**/*", route)
    page = context.new_page()
    page.on("websocket", lambda ws: refused.append(ws.url))
    yield page, server.base, refused
    context.close()


def test_swagger_ui_renders_every_operation_offline(offline_page: tuple[object, str, list[str]]) -> None:
    page, base, refused = offline_page
    operations = _operations(base)
    page.goto(f"{base}/docs")  # type: ignore[attr-defined]
    page.wait_for_selector(".opblock", timeout=SETTLE_MS)  # type: ignore[attr-defined]
    shown = page.eval_on_selector_all(  # type: ignore[attr-defined]
        ".opblock", "els => els.map(e => [e.querySelector('.opblock-summary-method').textContent,"
                    " e.querySelector('.opblock-summary-path').getAttribute('data-path')])")
    assert sorted(map(tuple, shown)) == sorted(operations)
    assert refused == [], f"the page asked other hosts: {refused}"


def test_redoc_renders_every_operation_offline(offline_page: tuple[object, str, list[str]]) -> None:
    page, base, refused = offline_page
    operations = _operations(base)
    page.goto(f"{base}/redoc")  # type: ignore[attr-defined]
    page.wait_for_selector("[data-section-id^='operation/']", timeout=SETTLE_MS)  # type: ignore[attr-defined]
    sections = page.eval_on_selector_all(  # type: ignore[attr-defined]
        "[data-section-id^='operation/']", "els => els.map(e => e.getAttribute('data-section-id'))")
    assert len(set(sections)) == len(operations), sections
    assert refused == [], f"the page asked other hosts: {refused}"
