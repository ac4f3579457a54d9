"""Static figures (Graphviz): what a report takes from a map, checked by reading the files back.

Expected agencies come from the seed oracle (tests/seed_truth.py, written by reading the plans);
page sizes from the issue (PNG at least 1600 px wide, PDF one A4 page: 595.28 x 841.89 pt).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from plangraph.cli import app
from plangraph.viz.figure import render_figure
from plangraph.viz.views import agency_map, comparison_map, jurisdiction_map
from tests.seed_truth import EXPECTED
from tests.viz.figures import (
    A4_POINTS,
    agencies_of,
    node_boxes,
    overlapping,
    pdf_pages,
    png_size,
    svg_texts,
    svg_words,
)

pytestmark = pytest.mark.skipif(shutil.which("dot") is None,
                                reason="Graphviz is absent (apt-get install -y graphviz)")
runner = CliRunner()


@pytest.mark.parametrize("prefix", list(EXPECTED))
def test_the_svg_of_a_county_holds_every_agency_of_its_plan_as_text(seed_plan, prefix):
    svg = render_figure(jurisdiction_map(seed_plan(prefix)), "svg")
    missing = agencies_of(EXPECTED[prefix]) - svg_words(svg)
    assert not missing, f"agencies the plan names but the figure does not: {sorted(missing)}"
    assert EXPECTED[prefix].name in "".join(svg_texts(svg))  # the title names the place


def test_svg_is_deterministic_text_with_a_cjk_font_stack(seed_plan):
    data = jurisdiction_map(seed_plan("004"))
    first, second = render_figure(data, "svg"), render_figure(data, "svg")
    assert first == second
    assert b"<image" not in first  # nothing drawn as a picture: text is text
    fonts = {f for f in first.split(b'font-family="')[1:]}
    assert fonts and all(f.startswith(b"'Noto Sans CJK SC', ") and b"sans-serif" in f for f in fonts)


@pytest.mark.parametrize("view", ["jurisdiction", "agency", "comparison"])
def test_no_two_nodes_of_a_figure_overlap(seed_plan, view):
    """Labels sit inside their nodes, so nodes that never overlap mean labels that never do."""
    plans = [seed_plan("004"), seed_plan("003")]
    data = {"jurisdiction": lambda: jurisdiction_map(plans[0]),
            "agency": lambda: agency_map(plans[:1], agencies=["县教委"]),
            "comparison": lambda: comparison_map(plans)}[view]()
    boxes = node_boxes(render_figure(data, "svg"))
    assert len(boxes) == len(data.nodes)
    assert overlapping(boxes) == []


def test_png_is_wide_enough_for_a_report_page_and_pdf_is_one_a4_page(seed_plan):
    plans = [seed_plan("004"), seed_plan("003")]
    for data in (jurisdiction_map(plans[0]), agency_map(plans[:1], agencies=["县教委"]),
                 comparison_map(plans)):
        width, height = png_size(render_figure(data, "png"))
        assert width >= 1600, (data.title, width, height)
        pages = pdf_pages(render_figure(data, "pdf"))
        assert len(pages) == 1
        assert pages[0] == pytest.approx(A4_POINTS, abs=1.5), data.title


def test_render_writes_svg_png_and_pdf(seeds_dir: Path, tmp_path: Path):
    for fmt in ("svg", "png", "pdf"):
        out = tmp_path / f"fengdu.{fmt}"
        result = runner.invoke(app, ["render", "jurisdiction", "丰都县", "--plans", str(seeds_dir),
                                     "--format", fmt, "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert f"wrote {out}" in result.output.replace("\n", "")
    assert "县教委" in svg_words((tmp_path / "fengdu.svg").read_bytes())
    assert png_size((tmp_path / "fengdu.png").read_bytes())[0] >= 1600
    assert pdf_pages((tmp_path / "fengdu.pdf").read_bytes()) == [pytest.approx(A4_POINTS, abs=1.5)]


def test_render_without_graphviz_says_what_to_install(seeds_dir: Path, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH with no Graphviz on it
    out = tmp_path / "f.svg"
    result = runner.invoke(app, ["render", "compare", "丰都县", "万年县", "--plans", str(seeds_dir),
                                 "--format", "svg", "-o", str(out)])
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    assert "apt-get install -y graphviz" in said and "Traceback" not in said
    assert not out.exists()
