"""Which parts of the plans a map takes: the filters (actions, roles, agencies) and the node cap.

Filters accept what a user would type: an action by key, title, short title or number; an agency
by id, canonical name or any spelling seen in the plan. The cap keeps whole tasks in plan order
and stops at the first task that no longer fits, so the note can say exactly what was left out.

Example:
    >>> pick_roles(None)
    ('lead', 'support', 'responsible')
    >>> pick_roles(["support", "lead"])
    ('lead', 'support')
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable

from plangraph.graph.model import ROLES, Action, Mention, Plan, Role, Task

from .labels import short_action_title
from .mapdata import MapEdge, MapNode

DEFAULT_MAX_NODES = 300


def pick_roles(roles: Collection[str] | None) -> tuple[Role, ...]:
    """The roles asked for, in canonical order; ``None`` means all three."""
    if roles is None:
        return ROLES
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown role(s) {sorted(unknown)}; roles are {', '.join(ROLES)}")
    return tuple(r for r in ROLES if r in roles)


def action_names(action: Action) -> set[str]:
    """Every way a filter may name an action: key, title, short title, number."""
    return {action.key, action.title, short_action_title(action.title), str(action.seq)}


def action_matches(action: Action, wanted: Collection[str]) -> bool:
    return bool(action_names(action) & set(wanted))


def pick_actions(actions: Iterable[Action], wanted: Collection[str] | None) -> list[Action]:
    """The actions asked for (by key, title, short title or number); ``None`` means all."""
    return [a for a in actions if wanted is None or action_matches(a, wanted)]


def agency_ids_named(plans: Iterable[Plan], wanted: Collection[str]) -> set[str]:
    """Agency ids whose id, canonical name or any spelling (on an edge or listed) is in ``wanted``."""
    want = set(wanted)
    found: set[str] = set()
    for plan in plans:
        for agency in plan.agencies:
            if {agency.id, agency.name, *agency.spellings} & want:
                found.add(agency.id)
        for _, task in plan.tasks():
            found.update(m.agency_id for _, m in task.mentions() if {m.name, m.agency_id} & want)
        for action in plan.actions:
            found.update(m.agency_id for m in action.leads if {m.name, m.agency_id} & want)
    return found


def kept_mentions(
    task: Task, roles: Collection[Role], agencies: Collection[str] | None
) -> list[tuple[Role, Mention]]:
    """The task's mentions in the roles asked for, of the agencies asked for (all if ``None``)."""
    return [
        (role, m)
        for role, m in task.mentions()
        if role in roles and (agencies is None or m.agency_id in agencies)
    ]


def left_out_note(left: list[tuple[str, str]], shown: int, total: int) -> str:
    """The cap note from the (action label, action key) of each task left out."""
    per_action = Counter(left)
    detail = "; ".join(f"{label} ({key}) {n}" for (label, key), n in per_action.items())
    first_key = next(iter(per_action))[1] if per_action else "…"
    return (
        f"showing {shown} of {total} tasks; filter by action to see the rest "
        f"(e.g. --action {first_key} on the command line, ?action={first_key} in the API). "
        f"Left out: {detail}."
    )


class Budget:
    """Nodes and edges of a map under construction, with a cap on the number of nodes."""

    def __init__(self, max_nodes: int) -> None:
        if max_nodes < 1:
            raise ValueError("max_nodes must be at least 1")
        self.max_nodes = max_nodes
        self.nodes: dict[str, MapNode] = {}
        self.edges: dict[tuple[str, str, str], MapEdge] = {}

    def fits(self, ids: Iterable[str]) -> bool:
        """Whether adding the nodes ``ids`` (those not yet present) stays within the cap."""
        new = set(ids) - self.nodes.keys()
        return len(self.nodes) + len(new) <= self.max_nodes

    def has(self, node_id: str) -> bool:
        return node_id in self.nodes

    def node(self, node: MapNode) -> MapNode:
        return self.nodes.setdefault(node.id, node)

    def edge(self, edge: MapEdge) -> MapEdge:
        """Add an edge once per (source, target, kind); a repeat adds to its weight."""
        key = (edge.source, edge.target, edge.kind)
        if key in self.edges:
            self.edges[key].weight += edge.weight
        else:
            self.edges[key] = edge
        return self.edges[key]
