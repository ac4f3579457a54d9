"""Maps and figures from a real ``plangraph serve`` process: formats, compression, a missing Graphviz.

Sizes are read from the wire: ``Content-Length`` of what was sent and the length once decoded.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.seed_truth import EXPECTED
from tests.viz.figures import A4_POINTS, agencies_of, pdf_pages, png_size, svg_words
from tests.viz.servers import serving

FENGDU = EXPECTED["004"].name
WANNIAN = EXPECTED["003"].name
needs_graphviz = pytest.mark.skipif(shutil.which("dot") is None,
                                    reason="Graphviz is absent (apt-get install -y graphviz)")


@pytest.fixture(scope="module")
def server(seeded_db: Path) -> Iterator[str]:
    with serving(seeded_db) as base:
        yield base


def get(url: str, **headers: str) -> httpx.Response:
    return httpx.get(url, headers=headers, timeout=120)


@needs_graphviz
def test_maps_answer_svg_png_and_pdf(server: str) -> None:
    svg = get(f"{server}/maps/jurisdictions/{FENGDU}?format=svg")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert agencies_of(EXPECTED["004"]) <= svg_words(svg.content)
    png = get(f"{server}/maps/compare?jurisdiction={FENGDU}&jurisdiction={WANNIAN}&format=png")
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert png_size(png.content)[0] >= 1600
    pdf = get(f"{server}/maps/agencies/县教委?jurisdiction={FENGDU}&format=pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf_pages(pdf.content) == [pytest.approx(A4_POINTS, abs=1.5)]


def test_a_format_the_server_does_not_make_is_the_clients_mistake(server: str) -> None:
    assert get(f"{server}/maps/jurisdictions/{FENGDU}?format=gif").status_code == 422


def test_without_graphviz_a_figure_is_503_naming_what_to_install(seeded_db: Path, tmp_path: Path) -> None:
    with serving(seeded_db, PATH=str(tmp_path)) as base:  # a PATH with no Graphviz on it
        r = get(f"{base}/maps/jurisdictions/{FENGDU}?format=svg")
        assert r.status_code == 503
        assert "apt-get install -y graphviz" in r.json()["detail"]
        assert get(f"{base}/maps/jurisdictions/{FENGDU}").status_code == 200  # the page still works


@pytest.mark.parametrize("path", [
    f"/maps/jurisdictions/{FENGDU}", "/maps/overlap", f"/tasks?jurisdiction={FENGDU}&limit=200",
    "/agencies", "/openapi.json", f"/jurisdictions/{FENGDU}",
])
def test_pages_and_json_are_gzipped_when_the_client_accepts_it(server: str, path: str) -> None:
    with httpx.Client(timeout=120) as client:
        zipped = client.get(f"{server}{path}", headers={"Accept-Encoding": "gzip"})
        plain = client.get(f"{server}{path}", headers={"Accept-Encoding": "identity"})
    assert zipped.status_code == plain.status_code == 200
    assert zipped.headers.get("content-encoding") == "gzip"
    assert "content-encoding" not in plain.headers
    sent = int(zipped.headers["content-length"])
    assert zipped.content == plain.content  # httpx decoded it: the same answer
    assert sent < len(plain.content) / 2
    print(f"{path}: {len(plain.content)} bytes, {sent} gzipped")
