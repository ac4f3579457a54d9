"""Fixed places for comparison maps: one column per jurisdiction, one row per action key.

Why fixed: a reader compares plans action by action, so the same action must sit on the same row
in every column, and a jurisdiction's name must sit above its column, never under an action box.
Only the agency kinds between the columns are left to the physics.

Example:
    >>> from plangraph.viz.mapdata import MapData, MapNode
    >>> m = MapData(title="t", nodes=[
    ...     MapNode(id="plan:甲", label="甲", kind="jurisdiction", jurisdiction="甲"),
    ...     MapNode(id="plan:乙", label="乙", kind="jurisdiction", jurisdiction="乙"),
    ...     MapNode(id="甲:group:youth", label="青少年", kind="actiongroup", action="youth", jurisdiction="甲"),
    ...     MapNode(id="乙:group:youth", label="青少年", kind="actiongroup", action="youth", jurisdiction="乙")])
    >>> p = comparison_places(m)
    >>> p["甲:group:youth"][1] == p["乙:group:youth"][1], p["plan:甲"][1] < p["甲:group:youth"][1]
    (True, True)
"""

from __future__ import annotations

from .mapdata import MapData

COLUMN_GAP = 560.0
ROW_GAP = 95.0
HUB_GAP = 130.0


def comparison_places(data: MapData) -> dict[str, tuple[float, float]]:
    """(x, y) of each jurisdiction hub and action group of a comparison; empty for other maps."""
    hubs = [n for n in data.nodes if n.kind == "jurisdiction"]
    if len(hubs) < 2:
        return {}
    columns = {n.jurisdiction: i for i, n in enumerate(hubs)}
    keys = list(dict.fromkeys([a.key for a in data.actions]
                              + [n.action or "" for n in data.nodes if n.kind == "actiongroup"]))
    rows = {key: i for i, key in enumerate(keys)}
    left = -(len(hubs) - 1) / 2 * COLUMN_GAP
    places = {n.id: (left + columns[n.jurisdiction] * COLUMN_GAP, -HUB_GAP) for n in hubs}
    for n in data.nodes:
        if n.kind == "actiongroup" and n.jurisdiction in columns:
            places[n.id] = (left + columns[n.jurisdiction] * COLUMN_GAP, rows[n.action or ""] * ROW_GAP)
    return places
