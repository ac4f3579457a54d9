"""A ``MapData`` as a static figure for a report: SVG, PNG or PDF, laid out by Graphviz.

Why Graphviz: a figure must be the same every time, its labels must not overlap, and it must fit
a page; a layout engine does that, a hand-made one does not. Jurisdiction and agency maps are
layered (``dot``: actions on the left, their tasks, then the agencies), comparisons are networks
(``neato`` with overlap removal). Text stays text in the SVG, with a CJK font stack, so a report
can search and copy it; PNG is at least ``PNG_MIN_WIDTH`` pixels wide; PDF is one A4 page.

Example:
    >>> from plangraph.viz.mapdata import MapData, MapNode
    >>> src = figure_dot(MapData(title="示例", nodes=[MapNode(id="a", label="县科协", kind="agency")]))
    >>> '"a" [label="县科协"' in src
    True
"""

from __future__ import annotations

import math
import re
from typing import Literal

from .graphviz import Engine, GraphvizFailed, run
from .mapdata import ROLE_EDGES, MapData, MapEdge, MapNode
from .style import EDGE_STYLES, GROUP_COLOUR, JURISDICTION_COLOUR, UNSHARED_KIND_COLOUR, action_colours

FigureFormat = Literal["svg", "png", "pdf"]
FIGURE_FORMATS: tuple[FigureFormat, ...] = ("svg", "png", "pdf")
MEDIA_TYPES = {"svg": "image/svg+xml", "png": "image/png", "pdf": "application/pdf",
               "html": "text/html; charset=utf-8"}

#: Graphviz measures text with this font (installed by scripts/setup.sh: fonts-noto-cjk).
GRAPHVIZ_FONT = "Noto Sans CJK SC"
#: What the SVG asks a reader's machine for, in order (quoted for an XML attribute).
SVG_FONT_STACK = ("'Noto Sans CJK SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', "
                  "'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', SimHei, sans-serif")
PNG_MIN_WIDTH = 1600
PNG_MAX_DPI = 300
#: A4 in inches, and the drawing area inside 1 cm margins.
A4 = (8.27, 11.69)
A4_DRAWING = (7.48, 10.9)
AGENCY_FILL = "#d6dbdf"


def figure_dot(data: MapData) -> str:
    """The DOT source of the figure of ``data`` (layered, or a network for comparisons)."""
    layered = _engine(data) == "dot"
    colours = action_colours(a.key for a in data.actions)
    lines = [
        "digraph figure {",
        f"  graph [{_attrs(_graph_attrs(data, layered))}];",
        f'  node [fontname="{GRAPHVIZ_FONT}", fontsize=12, style=filled, penwidth=1];',
        f'  edge [fontname="{GRAPHVIZ_FONT}", arrowsize=0.6];',
    ]
    node_line = {n.id: f"{_quote(n.id)} [{_attrs(_node_attrs(n, colours, layered))}];"
                 for n in data.nodes}
    if layered:
        for n, members in enumerate(_action_clusters(data)):
            lines.append(f'  subgraph cluster_{n} {{ graph [label="", color="#e5e8e8", '
                         f'style="rounded"]; {" ".join(node_line.pop(m) for m in members)} }}')
    lines += [f"  {line}" for line in node_line.values()]
    lines += [f"  {_edge(e, layered)}" for e in _drawn_edges(data)]
    lines.append("}")
    return "\n".join(lines) + "\n"


def render_figure(data: MapData, fmt: FigureFormat) -> bytes:
    """The figure of ``data`` as SVG, PNG (at least ``PNG_MIN_WIDTH`` px wide) or A4 PDF bytes."""
    source = figure_dot(data)
    engine = _engine(data)
    if fmt == "svg":
        return _svg_fonts(run(source, engine, "svg"))
    if fmt == "png":
        return run(source, engine, "png", extra=[f"-Gdpi={_png_dpi(source, engine)}"])
    return run(source, engine, "pdf", extra=_a4_options(source, engine))


# --- layout -------------------------------------------------------------------------------------


def _engine(data: MapData) -> Engine:
    """Comparisons (kinds between jurisdictions) are networks; the rest are layered."""
    return "neato" if any(n.kind in ("jurisdiction", "kind") for n in data.nodes) else "dot"


def _action_clusters(data: MapData) -> list[list[str]]:
    """Per action key: its hub and its tasks, in map order, so each action's tasks stay together
    and in plan order down the page."""
    clusters: dict[str, list[str]] = {}
    for n in data.nodes:
        if n.kind in ("action", "task") and n.action:
            clusters.setdefault(n.action, []).append(n.id)
    return list(clusters.values())


def _graph_attrs(data: MapData, layered: bool) -> dict[str, str]:
    title = data.title + (f"\n{data.subtitle}" if data.subtitle else "")
    common = {"label": title, "labelloc": "t", "labeljust": "l", "fontsize": "18",
              "fontname": GRAPHVIZ_FONT, "bgcolor": "white", "pad": "0.3"}
    if layered:
        return common | {"rankdir": "LR", "nodesep": "0.08", "ranksep": "1.6", "splines": "true",
                         "newrank": "true"}
    return common | {"overlap": "prism", "overlap_scaling": "-4", "sep": "+8", "splines": "curved",
                     "start": "7", "mode": "major", "esep": "+3"}


def _node_attrs(node: MapNode, colours: dict[str, str], layered: bool) -> dict[str, str]:
    fill = colours.get(node.action or "", "#95a5a6")
    label = node.label.replace("\n", " ") if layered else node.label
    if node.kind == "actiongroup" and node.jurisdiction:  # no columns here: say whose it is
        label = f"{node.jurisdiction}\n{label}"
    if node.kind == "task":
        text = f"{node.place} {label}" if node.place else label
        return {"label": text, "shape": "box", "fillcolor": _tint(fill), "color": fill,
                "fontsize": "11", "margin": "0.06,0.02", "height": "0.2"}
    if node.kind in ("action", "actiongroup"):
        return {"label": label, "shape": "box", "fillcolor": fill, "color": fill, "fontsize": "14",
                "style": "filled,rounded,bold", "margin": "0.1,0.05"}
    if node.kind == "jurisdiction":
        return {"label": label, "shape": "box", "fillcolor": JURISDICTION_COLOUR["background"],
                "fontcolor": "white", "fontsize": "18", "margin": "0.15,0.08"}
    colour = GROUP_COLOUR if node.kind == "group" else {"background": AGENCY_FILL,
                                                          "border": "#5d6d7e"}
    if node.kind == "kind" and not node.shared:
        colour = UNSHARED_KIND_COLOUR
    size = 12 + min(node.weight, 16) // 2
    text = f"{label} {node.weight}" if node.weight else label
    if node.spellings:
        text += "\n又作 " + "、".join(node.spellings)
    return {"label": text,
            "shape": "hexagon" if node.kind == "group" else "ellipse",
            "fillcolor": colour["background"], "color": colour["border"], "fontsize": str(size),
            "margin": "0.04,0.02"}


def _drawn_edges(data: MapData) -> list[MapEdge]:
    """Edges whose two ends are drawn, in the map's order."""
    ids = {n.id for n in data.nodes}
    return [e for e in data.edges if e.source in ids and e.target in ids]


def _edge(edge: MapEdge, layered: bool) -> str:
    """One edge; in layered figures role edges run task -> agency (``dir=back``) so agencies form
    the right-hand column, and links that would bend the layers are not constraints."""
    style = EDGE_STYLES[edge.kind]
    dashes = style["dashes"]
    attrs = {"color": style["color"] + ("99" if edge.kind == "support" else ""),
             "penwidth": str(round(style["width"] * (1 + 0.4 * (edge.weight - 1) ** 0.5), 2)),
             "style": "dotted" if dashes == [2, 4] else "dashed" if dashes else "solid"}
    if not style["arrow"]:
        attrs["arrowhead"] = "none"
    source, target = edge.source, edge.target
    if layered and edge.kind in ROLE_EDGES:
        source, target, attrs["dir"] = target, source, "back"
    if layered and edge.kind == "member":
        attrs["constraint"] = "false"
    if not layered:
        attrs["len"] = "2.2" if edge.kind in ROLE_EDGES else "1.0"
    return f"{_quote(source)} -> {_quote(target)} [{_attrs(attrs)}];"


def _tint(hex_colour: str, keep: float = 0.35) -> str:
    """A pale version of an action's colour, so black task text stays readable on it."""
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(round(255 - (255 - c) * keep) for c in (r, g, b)))


# --- output -------------------------------------------------------------------------------------

_SVG_SIZE = re.compile(rb'<svg width="([\d.]+)pt" height="([\d.]+)pt"')
_MEDIA_BOX = re.compile(rb"/MediaBox \[ 0 0 ([\d.]+) ([\d.]+) \]")
_SVG_FONT = re.compile(rb'font-family="[^"]*"')


def _svg_fonts(svg: bytes) -> bytes:
    """Ask the reader's machine for a CJK font stack, not only the font Graphviz measured with."""
    return _SVG_FONT.sub(f'font-family="{SVG_FONT_STACK}"'.encode(), svg)


def _size_points(source: str, engine: Engine, extra: list[str] | None = None) -> tuple[float, float]:
    """Width and height of the drawing in points (one run of the engine)."""
    found = _SVG_SIZE.search(run(source, engine, "svg", extra=extra))
    if found is None:
        raise ValueError("Graphviz gave an SVG without a size")
    return float(found.group(1)), float(found.group(2))


def _png_dpi(source: str, engine: Engine) -> int:
    """The resolution that makes the PNG at least ``PNG_MIN_WIDTH`` pixels wide."""
    width_pt, _ = _size_points(source, engine)
    return max(96, min(PNG_MAX_DPI, math.ceil(PNG_MIN_WIDTH * 72 / width_pt) + 1))


def _a4_options(source: str, engine: Engine) -> list[str]:
    """Scale the drawing into A4's drawing area, then margins that make the page exactly A4
    (Graphviz's PDF page is the drawing plus its margins; it has no paper size of its own)."""
    fit = [f"-Gsize={A4_DRAWING[0]},{A4_DRAWING[1]}!", "-Gpad=0"]
    bare = _MEDIA_BOX.search(run(source, engine, "pdf", extra=[*fit, "-Gmargin=0"]))
    if bare is None:
        raise GraphvizFailed("Graphviz gave a PDF without a page size")
    width_pt, height_pt = float(bare.group(1)), float(bare.group(2))
    margin_x = (A4[0] * 72 - width_pt) / 2 / 72
    margin_y = (A4[1] * 72 - height_pt) / 2 / 72
    return [*fit, f"-Gmargin={margin_x:.4f},{margin_y:.4f}"]


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _attrs(attrs: dict[str, str]) -> str:
    return ", ".join(f"{k}={_quote(v)}" for k, v in attrs.items())


__all__ = ["FIGURE_FORMATS", "MEDIA_TYPES", "figure_dot", "render_figure"]
