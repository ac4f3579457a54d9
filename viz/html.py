"""A ``MapData`` as one self-contained HTML page that works offline, inside reports and e-mail.

pyvis holds the network (nodes, edges, options); the page around it is ours, because pyvis's own
template references CDNs (bootstrap, vis-network) even with ``cdn_resources="in_line"``. The page
inlines the vis-network JS and CSS that ship inside the installed pyvis package, plus our legend,
filters and notes, declares ``<meta charset="utf-8">`` and a Content-Security-Policy that forbids
any fetch. ``remote_references`` finds what a browser would fetch from elsewhere; ``render_html``
refuses to return a page that has any.

Example:
    >>> from plangraph.viz.mapdata import MapData, MapNode
    >>> page = render_html(MapData(title="示例", nodes=[MapNode(id="a", label="县科协", kind="agency")]))
    >>> remote_references(page), '<meta charset="utf-8">' in page
    ([], True)
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from pyvis.network import Network

from .mapdata import AGENCY_NODES, ROLE_EDGES, MapData
from .style import (
    EDGE_STYLES,
    FONT_STACK,
    NODE_LABELS,
    action_colours,
    hub_positions,
    network_options,
    vis_edge,
    vis_node,
)

ASSETS = Path(str(files("plangraph.viz") / "assets"))
VIS_VERSION = "vis-9.1.2"

#: Anything a browser would load: src/href/action attributes, CSS url() and @import.
_REMOTE = re.compile(
    r"""(?:\b(?:src|href|action|poster|data|srcset)\s*=\s*["']?\s*(?:https?:)?//[^"'\s>]+)"""
    r"""|(?:url\(\s*["']?\s*(?:https?:)?//[^)"']+)"""
    r"""|(?:@import\s+(?:url\()?\s*["']?\s*(?:https?:)?//[^"')\s;]+)""",
    re.IGNORECASE,
)


class OfflineError(RuntimeError):
    """The page would load something from another host."""


def remote_references(html: str) -> list[str]:
    """Every reference in ``html`` that a browser would fetch from another host."""
    return [m.group(0) for m in _REMOTE.finditer(html)]


def build_network(data: MapData) -> Network:
    """The map as a pyvis ``Network``: styled nodes and edges, physics options."""
    net = Network(height="100%", width="100%", directed=True, heading=data.title,
                  cdn_resources="in_line")
    colours = action_colours(a.key for a in data.actions)
    hubs = [n.id for n in data.nodes if n.kind == "jurisdiction"]
    places = dict(zip(hubs, hub_positions(len(hubs)), strict=True)) if len(hubs) > 1 else {}
    for node in data.nodes:
        attrs = vis_node(node, colours)
        if node.id in places:
            attrs.update(x=places[node.id][0], y=places[node.id][1], fixed=True)
        net.add_node(node.id, **attrs)
    for n, edge in enumerate(data.edges):
        net.add_edge(edge.source, edge.target, **vis_edge(edge, f"e{n}"))
    net.options = network_options(len(data.nodes))
    return net


def render_html(data: MapData) -> str:
    """The page of one map, as a string; raises ``OfflineError`` if it would fetch anything."""
    net = build_network(data)
    nodes, edges, *_ = net.get_network_data()
    page = _template().render(
        title=data.title,
        subtitle=data.subtitle,
        notes=data.notes,
        capped=data.capped,
        nodes=nodes,
        edges=edges,
        options=net.options,
        legend_edges=_legend_edges(data),
        legend_nodes=_legend_nodes(data),
        roles=[_edge_entry(k) for k in ROLE_EDGES],
        actions=_action_entries(data),
        agencies=_agency_entries(data),
        font_stack=FONT_STACK,
        vis_js=_asset_text(_vis_lib() / "vis-network.min.js"),
        vis_css=_asset_text(_vis_lib() / "vis-network.css"),
        page_css=_asset_text(ASSETS / "page.css"),
        page_js=_asset_text(ASSETS / "map.js"),
    )
    found = remote_references(page)
    if found:
        raise OfflineError(f"map page would fetch from other hosts: {found[:5]}")
    return page


def write_html(data: MapData, path: str | Path) -> Path:
    """Write the page as UTF-8 (never the platform's default encoding) and return its path."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_html(data), encoding="utf-8")
    return out


# --- pieces of the page -------------------------------------------------------------------------


@cache
def _template() -> Any:
    env = Environment(loader=FileSystemLoader(str(ASSETS)),
                      autoescape=select_autoescape(["html", "j2"]))
    return env.get_template("page.html.j2")


@cache
def _asset_text(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if "</script" in text.lower():
        raise OfflineError(f"{path} holds '</script' and cannot be inlined")
    return text


def _vis_lib() -> Path:
    """vis-network as shipped inside the installed pyvis package (no download, no CDN)."""
    import pyvis

    return Path(pyvis.__file__).parent / "templates" / "lib" / VIS_VERSION


def _edge_entry(kind: str) -> dict[str, Any]:
    s = EDGE_STYLES[kind]  # type: ignore[index]
    dash = s["dashes"]
    return {"kind": kind, "color": s["color"], "width": s["width"], "label": s["label"],
            "short": s["label"].split(" (")[0],
            "dash": " ".join(str(d) for d in dash) if isinstance(dash, list) else ""}


def _legend_edges(data: MapData) -> list[dict[str, Any]]:
    """All three roles always (so a reader learns the difference), then structure edges present."""
    present = [k for k in data.edge_kinds() if k not in ROLE_EDGES]
    return [_edge_entry(k) for k in [*ROLE_EDGES, *present]]


_SHAPE_SVG = {
    "square": '<rect x="5" y="3" width="12" height="12" fill="{fill}" stroke="{stroke}"/>',
    "box": '<rect x="1" y="3" width="20" height="12" rx="3" fill="{fill}" stroke="{stroke}"/>',
    "dot": '<circle cx="11" cy="9" r="7" fill="{fill}" stroke="{stroke}"/>',
    "hexagon": '<polygon points="11,1 18,5 18,13 11,17 4,13 4,5" fill="{fill}" stroke="{stroke}"/>',
}


def _legend_nodes(data: MapData) -> list[dict[str, str]]:
    colours = action_colours(a.key for a in data.actions)
    out = []
    for kind in data.node_kinds():
        sample = next(n for n in data.nodes if n.kind == kind)
        color = vis_node(sample, colours)["color"]
        fill = color.get("background", "#95a5a6") if isinstance(color, dict) else color
        stroke = color.get("border", "#555555") if isinstance(color, dict) else color
        if kind in ("task", "action", "actiongroup"):
            fill, stroke = "#d5d8dc", "#7f8c8d"  # their colour is the action's: see the filter
        shape = vis_node(sample, colours)["shape"]
        out.append({"label": NODE_LABELS[kind],
                    "svg": _SHAPE_SVG[shape].format(fill=fill, stroke=stroke)})
    if any(n.kind == "kind" and not n.shared for n in data.nodes):
        out.append({"label": "部门类别 used by one jurisdiction only",
                    "svg": _SHAPE_SVG["dot"].format(fill="#c3c9cf", stroke="#85929e")})
    return out


def _action_entries(data: MapData) -> list[dict[str, Any]]:
    colours = action_colours(a.key for a in data.actions)
    return [{"key": a.key, "label": a.label, "tasks": a.tasks, "color": colours[a.key]}
            for a in data.actions]


def _agency_entries(data: MapData) -> list[dict[str, Any]]:
    agencies = [n for n in data.nodes if n.kind in AGENCY_NODES]
    agencies.sort(key=lambda n: (-n.weight, n.label))
    return [{"id": n.id, "label": n.label, "weight": n.weight} for n in agencies]
