"""Render the three maps for one seed plan and save screenshots to docs/img/, for the README.

Run from the repository root (after ``scripts/setup.sh --test``, which installs chromium)::

    .venv/bin/python docs/screenshots.py            # seed 004 (丰都县), compared with 003 (万年县)
    .venv/bin/python docs/screenshots.py --seed 004 --other 003 --agency 县教委

Each page is opened in Debian's headless chromium with every request to another host refused
(the script fails if a page tried one), left to settle (the page stabilises its layout and then
turns physics off, so the picture is the same every run) and saved as a 1200x800 PNG, reduced to
a 256-colour palette to keep the files small.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from plangraph.graph.model import Plan
from plangraph.loaders import parse_file
from plangraph.viz.html import write_html
from plangraph.viz.mapdata import MapData
from plangraph.viz.views import agency_map, comparison_map, jurisdiction_map
from playwright.sync_api import Page, Route, sync_playwright

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"
OUT = REPO / "docs" / "img"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1200, "height": 800}


def seed(prefix: str) -> Plan:
    return parse_file(next(SEEDS.glob(f"{prefix}_*.txt")))


def views(main: Plan, other: Plan, agency: str) -> dict[str, MapData]:
    return {
        "map-jurisdiction.png": jurisdiction_map(main),
        "map-agency.png": agency_map([main], agencies=[agency]),
        "map-comparison.png": comparison_map([main, other]),
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


def shoot(page: Page, html: Path, png: Path, refused: list[str]) -> None:
    own = html.resolve().as_uri()
    page.goto(own)
    page.wait_for_selector("body[data-ready=true]", state="attached", timeout=60_000)
    page.wait_for_timeout(200)
    page.screenshot(path=str(png))
    if refused:
        raise SystemExit(f"{html.name} tried to reach other hosts: {refused}")


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
    maps = views(seed(args.seed), seed(args.other), args.agency)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for name, data in maps.items():
            html = write_html(data, Path(tmp) / name.replace(".png", ".html"))
            context = browser.new_context(viewport=VIEWPORT)
            refused: list[str] = []
            context.route("**/*", only_own_file(html, refused))
            shoot(context.new_page(), html, args.out / name, refused)
            context.close()
            shrink(args.out / name)
            print(f"{args.out / name}: {data.title} ({len(data.nodes)} nodes)")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
