"""Scanned plans read by OCR: a text PDF rasterised and wrapped back into a PDF with no text layer
(as a scanner writes one), and page images given together (a folder of pages).

OCR is slow (seconds per page and core), so one seed is scanned whole and two pages are given as
images; the tests are marked ``ocr`` and run in the suite. The seed's edges must come back with
F1 >= 0.99 against the oracle (``tests/seed_truth.py``), every miss listed in the output.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rapidfuzz.distance import Levenshtein

from plangraph.graph.model import Plan
from plangraph.loaders import parse_bytes, parse_file
from plangraph.loaders.read import read_pages
from tests.conftest import SEED_PATHS
from tests.loaders.builders import make_scanned_pdf
from tests.seed_truth import EXPECTED

pytestmark = pytest.mark.ocr
OCR_SEED = SEED_PATHS[0]
Edge = tuple[str, int, str, str]  # action key, task seq (0: the action's own leads), role, name


def oracle_edges(seed_id: str) -> set[Edge]:
    edges: set[Edge] = set()
    for action in EXPECTED[seed_id].actions:
        edges |= {(action.key, 0, "action-lead", name) for name in action.leads}
        for seq, task in enumerate(action.tasks, 1):
            for role in ("lead", "support", "responsible"):
                edges |= {(action.key, seq, role, name) for name in getattr(task, role)}
    return edges


def plan_edges(plan: Plan) -> set[Edge]:
    edges: set[Edge] = set()
    for action in plan.actions:
        edges |= {(action.key, 0, "action-lead", m.name) for m in action.leads}
        for task in action.tasks:
            for role in ("lead", "support", "responsible"):
                edges |= {(action.key, task.seq, role, m.name) for m in getattr(task, role)}
    return edges


def test_scanned_pdf_recovers_the_seed_edges() -> None:
    scan = make_scanned_pdf(OCR_SEED.read_text(encoding="utf-8").split("\n"))
    plan = parse_bytes(scan, "scan.pdf")
    expected, got = oracle_edges("000"), plan_edges(plan)
    missing, extra = sorted(expected - got), sorted(got - expected)
    hit = len(expected & got)
    f1 = 2 * hit / (len(expected) + len(got))
    report = "\n".join(
        [f"OCR edge F1 {f1:.4f} ({hit} of {len(expected)} expected, {len(got)} read)"]
        + [f"  missing {e}" for e in missing] + [f"  extra   {e}" for e in extra]
    )
    print(report)
    assert plan.source.format == "pdf-ocr"
    assert plan.source.low_confidence_share is not None and 0.0 <= plan.source.low_confidence_share <= 0.05
    assert plan.jurisdiction.name == EXPECTED["000"].name
    assert f1 >= 0.99, report


def _page_images(lines: list[str], pages: int) -> list[object]:
    """The first pages of the seed's scan, as a scanner saves pages one image each."""
    import pypdfium2

    document = pypdfium2.PdfDocument(make_scanned_pdf(lines))
    try:
        return [document[i].render(scale=150 / 72).to_pil().convert("L") for i in range(pages)]
    finally:
        document.close()


def test_page_images_given_together_read_as_one_plan(tmp_path: Path) -> None:
    """Two pages, one a PNG and one a TIFF, in a folder: one source, pages in order, every line's
    text close to what was drawn there."""
    lines = OCR_SEED.read_text(encoding="utf-8").split("\n")
    images = _page_images(lines, 2)
    folder = tmp_path / "scan"
    folder.mkdir()
    images[0].save(folder / "page-1.png")
    images[1].save(folder / "page-2.tif", compression="tiff_deflate")
    from plangraph.loaders.plan_files import page_files, plan_files

    assert plan_files(tmp_path) == [folder]  # a folder of page images is one plan
    pages = page_files(folder)
    source = read_pages([(p.read_bytes(), str(p)) for p in pages], "scan")
    assert source.format == "image-ocr"
    assert {r.page for r in source.regions} == {1, 2}
    drawn = "".join(line.strip() for line in lines)
    read = "".join(source.raw.split()).replace("\u3000", "")
    start = drawn.index(read[:6]) if read[:6] in drawn else 0
    reference = drawn[start : start + len(read)]
    distance = Levenshtein.normalized_distance(read, reference)
    assert distance <= 0.02, f"OCR text differs from the drawn text by {distance:.3f}"
    # a mention's span maps back to the page and box it was read from
    region = source.region_of(source.raw.index("科学"))
    assert region is not None and region.page in (1, 2) and region.box[2] > region.box[0]


def test_multi_page_tiff_counts_its_pages() -> None:
    from PIL import Image

    from plangraph.loaders.read_ocr import _frame_count

    frames = [Image.new("L", (200, 300), 255) for _ in range(3)]
    buf = io.BytesIO()
    frames[0].save(buf, "TIFF", save_all=True, append_images=frames[1:])
    assert _frame_count(buf.getvalue(), "pages.tif") == 3


def test_folder_of_page_images_is_parsed_as_one_plan_by_name(tmp_path: Path) -> None:
    """parse_file on a page folder names the folder in its error when the pages hold no plan."""
    from PIL import Image, ImageDraw

    folder = tmp_path / "blank-scan"
    folder.mkdir()
    image = Image.new("L", (600, 800), 255)
    ImageDraw.Draw(image).rectangle((100, 100, 300, 200), fill=0)
    image.save(folder / "p1.png")
    from plangraph.loaders import PlanError

    with pytest.raises(PlanError, match="blank-scan"):
        parse_file(folder)

