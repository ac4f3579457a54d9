"""Sizes of the map pages and figures of the seed plans: plain, and gzipped as the API sends them.

Run from the repository root::

    .venv/bin/python benchmarks/page_sizes.py

Beside each page it prints, measured in the same run, the reference the pages used to carry: the
vis-network build that ships in pyvis (JS + CSS with its base64 icons) that every page inlined
before. Gzip is level 9, as Starlette's GZipMiddleware (api/app.py) sends it.
"""

from __future__ import annotations

import gzip
import sys
import time
from pathlib import Path

from plangraph.loaders import parse_file
from plangraph.viz.figure import render_figure
from plangraph.viz.html import render_html
from plangraph.viz.mapdata import MapData
from plangraph.viz.views import agency_map, comparison_map, jurisdiction_map

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
LIMIT = 500_000


def zipped(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9))


def reference() -> tuple[int, int]:
    """pyvis's standalone vis-network JS and CSS, which every page inlined before."""
    import pyvis

    lib = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    data = (lib / "vis-network.min.js").read_bytes() + (lib / "vis-network.css").read_bytes()
    return len(data), zipped(data)


def row(name: str, data: MapData, limit: int | None = None) -> bool:
    """Print a page's sizes; ``limit``: the size a page of one county must stay under."""
    page = render_html(data).encode("utf-8")
    ok = limit is None or len(page) < limit
    verdict = "" if limit is None else f"under {limit:,}" if ok else f"OVER {limit:,}"
    print(f"{name:<34} {len(page):>9,} {zipped(page):>9,}  {verdict}")
    return ok


def main() -> int:
    plans = [parse_file(p) for p in sorted(SEEDS.glob("*.txt"))]
    ref, ref_zipped = reference()
    print(f"{'page':<34} {'bytes':>9} {'gzipped':>9}")
    print(f"{'(reference: old inlined vis lib)':<34} {ref:>9,} {ref_zipped:>9,}")
    ok = True
    for plan in plans:
        ok &= row(f"jurisdiction {plan.jurisdiction.name}", jurisdiction_map(plan), LIMIT)
    ok &= row("agency 县教委 (丰都县)", agency_map(plans[4:5], agencies=["县教委"]))
    ok &= row("compare 丰都县 万年县", comparison_map([plans[4], plans[3]]))
    ok &= row("compare all five", comparison_map(plans))
    print(f"\n{'figure of 丰都县':<34} {'bytes':>9} {'seconds':>9}")
    for fmt in ("svg", "png", "pdf"):
        start = time.perf_counter()
        figure = render_figure(jurisdiction_map(plans[4]), fmt)  # type: ignore[arg-type]
        print(f"{fmt:<34} {len(figure):>9,} {time.perf_counter() - start:>9.2f}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
