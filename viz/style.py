"""How each kind of node and edge looks, in one place, so every map draws roles the same way.

Roles must stay distinct for readers who cannot tell colours apart and on grey-scale prints, so
each role differs in colour (Okabe-Ito, safe for colour blindness) AND in line pattern and width:
lead is a thick solid arrow, support a thin dashed one, responsible (named jointly, no lead given)
a dotted one. Agencies grow with the number of tasks they carry; groups are hexagons.

Example:
    >>> edge_style("lead")["dashes"], edge_style("support")["dashes"]
    (False, [8, 5])
    >>> agency_size(0) < agency_size(9)
    True
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any, TypedDict

from .mapdata import EdgeKind, MapNode, NodeKind

#: Fonts that hold simplified Chinese on Linux, macOS and Windows; no web fonts are loaded.
FONT_STACK = (
    '"Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "PingFang SC", '
    '"Hiragino Sans GB", "Microsoft YaHei", "Heiti SC", "SimHei", sans-serif'
)
BACKGROUND = "#ffffff"


class EdgeStyle(TypedDict):
    color: str
    width: float
    dashes: bool | list[int]
    arrow: bool
    label: str
    length: int  # spring length: short for task-of-action, so tasks gather round their action


EDGE_STYLES: dict[EdgeKind, EdgeStyle] = {
    "lead": {"color": "#D55E00", "width": 3.0, "dashes": False, "arrow": True,
             "label": "牵头 lead", "length": 140},
    "support": {"color": "#0072B2", "width": 1.5, "dashes": [8, 5], "arrow": True,
                "label": "配合 support", "length": 240},
    "responsible": {"color": "#009E73", "width": 2.0, "dashes": [2, 4], "arrow": True,
                    "label": "负责 responsible (jointly, no lead named)", "length": 180},
    "part": {"color": "#c8cdd2", "width": 1.0, "dashes": False, "arrow": False,
             "label": "task of action", "length": 35},
    "member": {"color": "#b9770e", "width": 1.0, "dashes": [4, 4], "arrow": False,
               "label": "member of group", "length": 120},
}

NODE_SHAPES: dict[NodeKind, str] = {
    "task": "square",
    "action": "box",
    "actiongroup": "box",
    "agency": "dot",
    "group": "hexagon",
    "kind": "dot",
    "jurisdiction": "box",
}
NODE_LABELS: dict[NodeKind, str] = {
    "task": "任务 task (colour = action)",
    "action": "行动/工程 action",
    "actiongroup": "一地一行动的任务 tasks of one action in one place",
    "agency": "部门 agency (size = tasks carried)",
    "group": "群组 group of agencies",
    "kind": "部门类别 agency kind (size = tasks carried)",
    "jurisdiction": "地区 jurisdiction",
}
AGENCY_COLOUR = {"background": "#5d6d7e", "border": "#2e4053"}
GROUP_COLOUR = {"background": "#f5b041", "border": "#b9770e"}
UNSHARED_KIND_COLOUR = {"background": "#c3c9cf", "border": "#85929e"}
JURISDICTION_COLOUR = {"background": "#1b2631", "border": "#1b2631"}

#: Action colours by key, the same on every map: the national outline's ten actions (and talent)
#: get fixed colours (Tableau 10 and one more); other keys take the spare colours in order.
ACTION_COLOURS: dict[str, str] = {
    "youth": "#4e79a7", "farmers": "#f28e2b", "workers": "#59a14f", "elderly": "#e15759",
    "officials": "#76b7b2", "science_resources": "#edc948", "informatization": "#b07aa1",
    "infrastructure": "#ff9da7", "grassroots": "#9c755f", "exchange": "#bab0ac",
    "talent": "#8cd17d",
}
SPARE_COLOURS = ("#d4a6c8", "#86bcb6", "#f1ce63", "#d37295", "#a0cbe8", "#ffbe7d", "#b6992d")
_OPACITY: dict[EdgeKind, float] = {"support": 0.55, "part": 0.7}


def edge_style(kind: EdgeKind) -> EdgeStyle:
    return EDGE_STYLES[kind]


def action_colours(keys: Iterable[str]) -> dict[str, str]:
    """A colour per action key: fixed for the outline's actions, spares in order for the rest."""
    out: dict[str, str] = {}
    spare = 0
    for key in dict.fromkeys(keys):
        if key in ACTION_COLOURS:
            out[key] = ACTION_COLOURS[key]
        else:
            out[key] = SPARE_COLOURS[spare % len(SPARE_COLOURS)]
            spare += 1
    return out


def agency_size(tasks: int) -> float:
    """Node radius for an agency carrying ``tasks`` tasks: grows with the square root, capped."""
    return round(min(8 + 3 * math.sqrt(max(tasks, 0)), 30), 1)


def agency_font(tasks: int) -> int:
    """Label size of an agency: the busiest stay readable when the whole map is in view."""
    return AGENCY_FONT + min(tasks, 16) // 2


#: Smallest label size on any map, in CSS pixels at scale 1; the page never zooms out so far that
#: a label is drawn under MIN_LABEL_PX on screen.
BASE_FONT = 14
AGENCY_FONT = 14
MIN_LABEL_PX = 12


def edge_styles() -> dict[str, dict[str, Any]]:
    """vis-network attributes per edge kind, sent once per page (not once per edge)."""
    out = {}
    for kind, s in EDGE_STYLES.items():
        out[kind] = {
            "color": {"color": s["color"], "highlight": s["color"], "hover": s["color"],
                      "opacity": _OPACITY.get(kind, 0.9)},
            "width": s["width"], "dashes": s["dashes"], "length": s["length"],
            # support edges are many and weak facts: drawn, but they do not pull the layout about
            "physics": kind != "support",
            "arrows": {"to": {"enabled": s["arrow"], "scaleFactor": 0.6}},
        }
    return out


def node_styles() -> dict[str, dict[str, Any]]:
    """vis-network attributes per node kind, sent once per page; a node adds only its own."""
    def font(size: int, **more: Any) -> dict[str, Any]:
        return {"face": FONT_STACK, "size": size, "color": "#1b2631", **more}

    halo = {"strokeWidth": 3, "strokeColor": "#ffffff"}
    agency = {"shape": "dot", "color": AGENCY_COLOUR, "borderWidth": 2,
              "font": font(AGENCY_FONT, strokeWidth=4, strokeColor="#ffffff")}
    return {
        "task": {"shape": "square", "size": 8, "font": font(BASE_FONT, **halo) | {"color": "#4d5656"}},
        "action": {"shape": "box", "margin": 6, "borderWidth": 1,
                   "font": font(17, bold=True) | {"color": "#111111"}},
        "actiongroup": {"shape": "box", "margin": 6, "borderWidth": 1,
                        "font": font(15, bold=True) | {"color": "#111111"}},
        "agency": agency,
        "group": agency | {"shape": "hexagon", "color": GROUP_COLOUR},
        "kind": agency,
        "jurisdiction": {"shape": "box", "color": JURISDICTION_COLOUR, "margin": 10,
                         "font": font(22) | {"color": "#ffffff"}},
    }


def sizing() -> dict[str, float]:
    """The constants of ``agency_size``/``agency_font``, for the page that resizes agencies to
    what the active filter leaves them."""
    return {"base": 8, "per": 3, "max": 30, "font": AGENCY_FONT, "fontMax": 16, "minPx": MIN_LABEL_PX}


def node_colour(node: MapNode, colours: dict[str, str]) -> dict[str, str] | None:
    """The colour of a node that has its own (tasks and actions take their action's)."""
    if node.kind in ("task", "action", "actiongroup"):
        fill = colours.get(node.action or "", "#95a5a6")
        return {"background": fill, "border": darker(fill)}
    if node.kind == "kind" and not node.shared:
        return UNSHARED_KIND_COLOUR
    return None


def legend_shape(kind: NodeKind) -> tuple[str, dict[str, str]]:
    """Shape and colour a legend draws for a node kind (grey for kinds coloured by action)."""
    base = node_styles()[kind]
    colour = base.get("color", {"background": "#d5d8dc", "border": "#7f8c8d"})
    return base["shape"], colour


def darker(hex_colour: str, factor: float = 0.7) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(int(c * factor) for c in (r, g, b)))


def network_options(nodes: int = 0, columns: bool = False) -> dict[str, Any]:
    """Physics that settles in a few seconds; the page turns physics off once it has settled.

    vis's "improved layout" (a Kamada-Kawai start) is slow on large maps, so only small ones use it.
    With ``columns`` (a comparison: hubs and action groups pinned in columns) only the agency kinds
    move, and they push each other further apart, so their labels do not sit on one another.
    """
    spread = ({"gravitationalConstant": -120, "centralGravity": 0.01, "springLength": 140,
               "springConstant": 0.04, "avoidOverlap": 1.0} if columns else
              {"gravitationalConstant": -80, "centralGravity": 0.01, "springLength": 100,
               "springConstant": 0.06, "avoidOverlap": 0.6})
    return {
        "physics": {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": spread,
            "stabilization": {"enabled": True, "iterations": 600, "updateInterval": 50,
                              "fit": True},
        },
        "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False,
                        "multiselect": False},
        "edges": {"smooth": {"enabled": True, "type": "continuous", "roundness": 0.2},
                  "selectionWidth": 2},
        "nodes": {"font": {"face": FONT_STACK}},
        "layout": {"randomSeed": 7, "improvedLayout": nodes <= 100},
    }
