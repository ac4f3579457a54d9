"""A ``MapData`` as one self-contained HTML page that works offline, inside reports and e-mail.

The page is ours, not pyvis's, because pyvis's template references CDNs (bootstrap, vis-network)
even with ``cdn_resources="in_line"`` and repeats every style on every node and edge. The page
inlines vis-network's esnext build (``assets/VENDORED.md``), the map as compact JSON (Chinese as
UTF-8, styles once per kind: ``map_payload``), our legend, filters and notes; it declares
``<meta charset="utf-8">`` and a Content-Security-Policy that forbids any fetch. ``remote_references`` finds what a browser would fetch from elsewhere; ``render_html``
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

from .layout import comparison_places
from .mapdata import AGENCY_NODES, ROLE_EDGES, MapData
from .style import (
    EDGE_STYLES,
    FONT_STACK,
    MIN_LABEL_PX,
    NODE_LABELS,
    action_colours,
    edge_styles,
    legend_shape,
    network_options,
    node_colour,
    node_styles,
    sizing,
)

ASSETS = Path(str(files("plangraph.viz") / "assets"))
#: vis-network's esnext build and the globals it expects, in load order (see assets/VENDORED.md);
#: ``uuidv4`` is the name vis-data's UMD wrapper looks up for the uuid library.
VIS_SCRIPTS = ("hammer-2.0.17.min.js", "component-emitter-1.3.1.js", "keycharm-0.4.0.js",
               "uuid-8.3.2.min.js", "var uuidv4 = uuid;", "vis-util-5.0.7.esnext.min.js",
               "vis-data-7.1.9.esnext.min.js", "vis-network-9.1.9.esnext.min.js")

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
    """The map as a pyvis ``Network`` (labels, shapes, edges by role), for those who want pyvis's
    own page or tools; ``render_html`` writes its own leaner page."""
    net = Network(height="100%", width="100%", directed=True, heading=data.title,
                  cdn_resources="in_line")
    shapes = node_styles()
    for node in data.nodes:
        net.add_node(node.id, label=node.label, shape=shapes[node.kind]["shape"], title=node.hover)
    for edge in data.edges:
        net.add_edge(edge.source, edge.target, title=edge.hover, role=edge.kind)
    net.options = network_options(len(data.nodes))
    return net


def map_payload(data: MapData) -> dict[str, Any]:
    """What the page's script draws, compact: nodes as [id, label, kind, action, weight, hover,
    colour, place], edges as [source index, target index, kind, weight, hover]; styles once per
    kind instead of once per node or edge; hover texts the page can make itself left out."""
    colours = action_colours(a.key for a in data.actions)
    places = comparison_places(data)
    index = {n.id: i for i, n in enumerate(data.nodes)}
    nodes = []
    for n in data.nodes:
        colour = node_colour(n, colours)
        nodes.append([n.id, n.label, n.kind, n.action or "", n.weight, n.hover,
                      [colour["background"], colour["border"]] if colour else "",
                      places.get(n.id, "")])
    edges = [[index[e.source], index[e.target], e.kind, e.weight, e.hover]
             for e in data.edges if e.source in index and e.target in index]
    return {
        "nodes": nodes, "edges": edges,
        "styles": {"nodes": node_styles(), "edges": edge_styles(), "sizing": sizing()},
        "options": network_options(len(data.nodes), columns=bool(places)),
    }


def render_html(data: MapData) -> str:
    """The page of one map, as a string; raises ``OfflineError`` if it would fetch anything."""
    page = _template().render(
        title=data.title,
        subtitle=data.subtitle,
        notes=data.notes,
        capped=data.capped,
        payload=map_payload(data),
        legend_edges=_legend_edges(data),
        legend_nodes=_legend_nodes(data),
        roles=[_edge_entry(k) for k in ROLE_EDGES],
        actions=_action_entries(data),
        agencies=_agency_entries(data),
        font_stack=FONT_STACK,
        min_label_px=MIN_LABEL_PX,
        opening_roles=data.opening_roles,
        vis_js=_vis_js(),
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
    # Chinese as UTF-8 characters (a third of the bytes of \uXXXX escapes), no padding spaces
    env.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "separators": (",", ":")}
    return env.get_template("page.html.j2")


@cache
def _asset_text(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if "</script" in text.lower():
        raise OfflineError(f"{path} holds '</script' and cannot be inlined")
    return text


@cache
def _vis_js() -> str:
    """The vendored scripts, one after the other (a name that is not a file is a line of code)."""
    return "\n;".join(_asset_text(ASSETS / name) if name.endswith(".js") else name
                      for name in VIS_SCRIPTS)


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
    out = []
    for kind in data.node_kinds():
        shape, colour = legend_shape(kind)
        out.append({"label": NODE_LABELS[kind],
                    "svg": _SHAPE_SVG[shape].format(fill=colour["background"], stroke=colour["border"])})
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
