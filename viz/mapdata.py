"""What a map shows, before any styling: nodes, edges, a legend and notes on what was left out.

The view builders (``views.py``) turn plans into a ``MapData``; ``html.py`` turns a ``MapData`` into
an offline page. Keeping the two apart means a map can be tested (or served as JSON) without a
browser, and the styling can change without touching what the map says.

Example:
    >>> m = MapData(title="t", nodes=[MapNode(id="a", label="A", kind="agency")])
    >>> m.count("agency"), m.count("task")
    (1, 0)
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

NodeKind = Literal["task", "action", "agency", "group", "jurisdiction", "kind", "actiongroup"]
EdgeKind = Literal["lead", "support", "responsible", "part", "member"]

#: Edge kinds that carry a role from the plan's responsibility clauses; the rest draw structure.
ROLE_EDGES: tuple[EdgeKind, ...] = ("lead", "support", "responsible")
#: Node kinds the in-page agency filter offers (an agency, a group, or an agency kind).
AGENCY_NODES: tuple[NodeKind, ...] = ("agency", "group", "kind")
#: Node kinds whose visibility follows the action filter directly (the work items).
ITEM_NODES: tuple[NodeKind, ...] = ("task", "actiongroup")


class MapNode(BaseModel):
    id: str
    label: str
    kind: NodeKind
    hover: str = ""
    action: str | None = Field(None, description="Action key, for colour and the action filter")
    weight: int = Field(0, description="Tasks carried (agencies, kinds) or held (action groups)")
    jurisdiction: str | None = None
    shared: bool = Field(False, description="A kind used by two or more of the jurisdictions shown")
    spellings: list[str] = Field([], description="Other ways the plan writes an agency's name")
    place: str = Field("", description="Where a task stands in its plan: action.task number, e.g. 1.3")


class MapEdge(BaseModel):
    source: str
    target: str
    kind: EdgeKind
    hover: str = ""
    weight: int = Field(1, description="How many facts the edge stands for (comparison map)")


class ActionEntry(BaseModel):
    """One action key as the legend and the action filter show it."""

    key: str
    label: str
    tasks: int = 0


class MapData(BaseModel):
    """One map: what is drawn, and what a cap or filter left out (said in ``notes``)."""

    title: str
    subtitle: str = ""
    nodes: list[MapNode] = []
    edges: list[MapEdge] = []
    actions: list[ActionEntry] = []
    notes: list[str] = []
    tasks_shown: int = 0
    tasks_total: int = 0
    opening_roles: list[EdgeKind] = Field(
        ["lead", "responsible"],
        description="Roles the page opens on; the others are counted in the boxes until asked for")

    def count(self, kind: NodeKind) -> int:
        return sum(1 for n in self.nodes if n.kind == kind)

    def edge_count(self, kind: EdgeKind) -> int:
        return sum(1 for e in self.edges if e.kind == kind)

    @property
    def capped(self) -> bool:
        return self.tasks_shown < self.tasks_total

    def node_kinds(self) -> list[NodeKind]:
        """The node kinds present, in first-seen order (the legend shows only these)."""
        return list(dict.fromkeys(n.kind for n in self.nodes))

    def edge_kinds(self) -> list[EdgeKind]:
        return list(dict.fromkeys(e.kind for e in self.edges))
