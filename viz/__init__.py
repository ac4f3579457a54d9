"""Maps of who does what: interactive HTML views of plans that work offline, inside reports.

Build a map from parsed plans with one of the three views, then write it as one HTML file (or
take the string, e.g. to serve it from the API)::

    >>> from plangraph.viz import jurisdiction_map, render_html        # doctest: +SKIP
    >>> html = render_html(jurisdiction_map(plan, actions=["youth"]))  # doctest: +SKIP

- ``views``: ``jurisdiction_map``, ``agency_map``, ``comparison_map`` -> ``MapData``
- ``mapdata``: what a map holds (nodes, edges, legend actions, notes on what was left out)
- ``html``: ``render_html`` / ``write_html`` (offline page: vis-network inlined, no CDN, UTF-8)
- ``figure`` / ``graphviz``: ``render_figure`` (static SVG/PNG/PDF for reports, laid out by Graphviz)
- ``layout``: fixed columns of comparison maps; ``heatmap``: the overlap matrix as a page
- ``style``: how roles, actions and node kinds look; ``labels``: short labels and hover texts
- ``select`` / ``index`` / ``nodes``: filters and cap, per-plan look-ups, map parts
- ``kinds``: the ``kind_of`` callable used to line agencies up across jurisdictions
"""

from __future__ import annotations

from .html import OfflineError, remote_references, render_html, write_html
from .mapdata import MapData, MapEdge, MapNode
from .select import DEFAULT_MAX_NODES
from .views import agency_map, comparison_map, jurisdiction_map

__all__ = [
    "DEFAULT_MAX_NODES",
    "MapData",
    "MapEdge",
    "MapNode",
    "OfflineError",
    "agency_map",
    "comparison_map",
    "jurisdiction_map",
    "remote_references",
    "render_html",
    "write_html",
]
