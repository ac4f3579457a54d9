"""Remake the pictures in docs/img/ from the seed plans: every map view, the heatmap, a figure.

Run from the repository root (after ``scripts/setup.sh --test``, which installs chromium and
Graphviz)::

    .venv/bin/python docs/screenshots.py            # seed 004 (丰都县), compared with 003 (万年县)
    .venv/bin/python docs/screenshots.py --seed 004 --other 003 --agency 县教委

Each page is opened in Debian's headless chromium at 1400x900 (a report author's screen; the
narrow view at 900x900) with every request to another host refused (the script fails if a page
tried one), left to settle (the page stabilises its layout and then turns physics off, so the
picture is the same every run) and saved as a PNG reduced to a 256-colour palette. The static
figure is Graphviz's own PNG (``plangraph render … --format png``), reduced the same way.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from plangraph.graph.model import Plan
from plangraph.loaders import parse_file
from plangraph.viz.figure import render_figure
from plangraph.viz.heatmap import overlap_heatmap
from plangraph.viz.html import write_html
from plangraph.viz.views import agency_map, comparison_map, jurisdiction_map
from playwright.sync_api import Page, Route, sync_playwright

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"
OUT = REPO / "docs" / "img"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREEN = {"width": 1400, "height": 900}
NARROW = {"width": 900, "height": 900}


@dataclass
class Shot:
    """One picture: a page, the screen it is seen on, and what the reader clicks first."""

    page: str
    viewport: dict[str, int] = field(default_factory=lambda: dict(SCREEN))
    clicks: list[str] = field(default_factory=list)
    waits: bool = True  # a map page says when it has settled; the heatmap has nothing to wait for


def seed(prefix: str) -> Plan:
    return parse_file(next(SEEDS.glob(f"{prefix}_*.txt")))


def heatmap_page(plans: list[Plan]) -> str:
    """The overlap heatmap of the seeds, from a store of them in a temporary folder."""
    from plangraph.graph.store import open_store
    from plangraph.queries import NameCatalog
    from plangraph.queries.overlap import overlap_matrix

    with tempfile.TemporaryDirectory() as tmp:
        store = open_store("embedded", db=Path(tmp) / "graph.bin")
        try:
            store.replace_plans(plans)
            return overlap_heatmap(overlap_matrix(NameCatalog(store)))
        finally:
            store.close()


def pages(main: Plan, other: Plan, agency: str, folder: Path) -> dict[str, Shot]:
    everything = ["#toggle-detail", 'input[name="role"][value="support"]']
    j = write_html(jurisdiction_map(main), folder / "j.html")
    heat = folder / "heat.html"
    heat.write_text(heatmap_page([seed(p.name[:3]) for p in sorted(SEEDS.glob("*.txt"))]),
                    encoding="utf-8")
    return {
        "map-jurisdiction.png": Shot(str(j)),
        "map-jurisdiction-tasks.png": Shot(str(j), clicks=everything),
        "map-agency.png": Shot(str(write_html(agency_map([main], agencies=[agency]), folder / "a.html"))),
        "map-comparison.png": Shot(str(write_html(comparison_map([main, other]), folder / "c.html"))),
        "map-narrow.png": Shot(str(j), viewport=dict(NARROW)),
        "map-overlap.png": Shot(str(heat), waits=False),
    }


def only_own_file(html: Path, refused: list[str]) -> Callable[[Route], None]:
    """A route handler: the page's own file loads; any other request is aborted and recorded."""
    own = html.resolve().as_uri()

    def handle(route: Route) -> None:
        if route.request.url == own:
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    return handle


def shoot(page: Page, shot: Shot, png: Path, refused: list[str]) -> None:
    page.goto(Path(shot.page).resolve().as_uri())
    if shot.waits:
        page.wait_for_selector("body[data-ready=true]", state="attached", timeout=60_000)
    for selector in shot.clicks:
        page.click(selector)
        page.wait_for_selector("body[data-ready=true]", state="attached", timeout=60_000)
    page.wait_for_timeout(200)
    page.screenshot(path=str(png))
    if refused:
        raise SystemExit(f"{shot.page} tried to reach other hosts: {refused}")


def shrink(png: Path) -> None:
    """A 256-colour palette PNG: about a third of the size, no visible loss on these maps."""
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(png) as img:
        small = img.convert("RGB").quantize(colors=256, method=Image.Quantize.FASTOCTREE)
    small.save(png, optimize=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", default="004", help="seed file prefix of the main plan")
    parser.add_argument("--other", default="003", help="seed prefix of the plan compared with it")
    parser.add_argument("--agency", default="县教委", help="agency of the main plan to map")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    main_plan, other = seed(args.seed), seed(args.other)
    figure = args.out / "figure-jurisdiction.png"
    figure.write_bytes(render_figure(jurisdiction_map(main_plan), "png"))
    shrink(figure)
    print(f"{figure}: Graphviz figure of {main_plan.jurisdiction.name}")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for name, shot in pages(main_plan, other, args.agency, Path(tmp)).items():
            context = browser.new_context(viewport=shot.viewport)
            refused: list[str] = []
            context.route("**/*", only_own_file(Path(shot.page), refused))
            shoot(context.new_page(), shot, args.out / name, refused)
            context.close()
            shrink(args.out / name)
            print(f"{args.out / name}: {Path(shot.page).name} at {shot.viewport['width']} px")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
