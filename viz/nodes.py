"""Nodes and edges of the domain model as map parts, shared by the jurisdiction and agency maps.

Ids are the graph's own ids (``plangraph.graph.model``), so a node on a map names the same thing
as the node in the store and the API.
"""

from __future__ import annotations

from collections import defaultdict

from plangraph.graph.model import Action, Mention, Role, Task, action_id, task_id

from .index import AgencyIndex
from .labels import agency_hover, clip, edge_hover, short_action_title, task_hover
from .mapdata import ROLE_EDGES, MapData, MapEdge, MapNode
from .select import Budget

TASK_LABEL_CHARS = 12


def where(idx: AgencyIndex) -> str:
    return idx.plan.jurisdiction.name


def hub_id(idx: AgencyIndex, action: Action, multi: bool) -> str:
    """The action's node: its own in a one-plan map, one per action key when plans are mixed."""
    return f"action:{action.key}" if multi else action_id(where(idx), action.seq)


def action_node(idx: AgencyIndex, action: Action, multi: bool) -> MapNode:
    """An action as the hub its tasks hang from; across plans, one hub per action key."""
    j = where(idx)
    short = short_action_title(action.title)
    if multi:
        return MapNode(id=hub_id(idx, action, multi), label=short, kind="action",
                       hover=f"{short} ({action.key})\nthe tasks of this action in every plan shown",
                       action=action.key)
    leads = "、".join(dict.fromkeys(m.name for m in action.leads))
    hover = f"{j} · {action.title}\n{len(action.tasks)} 项任务 tasks"
    if leads:
        hover += f"\n牵头部门 leads the action: {leads}"
    return MapNode(id=hub_id(idx, action, multi), label=short, kind="action", hover=hover,
                   action=action.key, jurisdiction=j)


def task_node(idx: AgencyIndex, action: Action, task: Task) -> MapNode:
    j = where(idx)
    return MapNode(
        id=task_id(j, action.seq, task.seq), label=clip(task.title, TASK_LABEL_CHARS), kind="task",
        hover=task_hover(action, task, j), action=action.key, jurisdiction=j,
        place=f"{action.seq}.{task.seq}",
    )


def agency_node(idx: AgencyIndex, agency_id: str, multi: bool) -> MapNode:
    j = where(idx)
    agency = idx.agency(agency_id)
    hover = agency_hover(agency, idx.spellings(agency_id), idx.role_counts(agency_id), j)
    if idx.action_leads(agency_id):
        hover += f"\n牵头行动 leads {idx.action_leads(agency_id)} action(s)"
    others = [s for s in dict.fromkeys([*agency.spellings, *idx.spellings(agency_id)])
              if s != agency.name]
    return MapNode(
        id=agency_id, label=f"{j} {agency.name}" if multi else agency.name,
        kind="group" if idx.is_group(agency_id) else "agency", hover=hover, jurisdiction=j,
        spellings=others,
    )


def by_agency_role(mentions: list[tuple[Role, Mention]]) -> dict[tuple[str, Role], list[str]]:
    """Mentions folded to one entry per (agency, role), keeping every spelling as written."""
    out: dict[tuple[str, Role], list[str]] = defaultdict(list)
    for role, m in mentions:
        out[(m.agency_id, role)].append(m.name)
    return out


def task_ids_needed(
    idx: AgencyIndex, action: Action, task: Task, mentions: list[tuple[Role, Mention]],
    multi: bool = False,
) -> list[str]:
    """Node ids drawing this task adds: its action, itself and the agencies in its clause."""
    j = where(idx)
    return [hub_id(idx, action, multi), task_id(j, action.seq, task.seq),
            *(m.agency_id for _, m in mentions)]


def add_task(
    budget: Budget, idx: AgencyIndex, action: Action, task: Task,
    mentions: list[tuple[Role, Mention]], multi: bool = False,
) -> None:
    """Draw a task with its action (a hub, ``part`` edge) and its agencies (role edges)."""
    hub = budget.node(action_node(idx, action, multi))
    node = budget.node(task_node(idx, action, task))
    budget.edge(MapEdge(source=hub.id, target=node.id, kind="part"))
    for (agency_id, role), spellings in by_agency_role(mentions).items():
        agency = budget.node(agency_node(idx, agency_id, multi))
        budget.edge(MapEdge(source=agency.id, target=node.id, kind=role,
                            hover=edge_hover(idx.agency(agency_id).name, spellings)))


def add_action_leads(
    budget: Budget, idx: AgencyIndex, action: Action, agencies: set[str] | None, multi: bool
) -> None:
    """Agencies that lead the action as a whole (〔牵头部门：…〕 after its intro) -> the action hub."""
    hub = hub_id(idx, action, multi)
    if not budget.has(hub):
        return
    for m in action.leads:
        if agencies is not None and m.agency_id not in agencies:
            continue
        if not budget.fits([m.agency_id]):
            continue
        agency = budget.node(agency_node(idx, m.agency_id, multi))
        written = edge_hover(idx.agency(m.agency_id).name, [m.name])
        hover = "\n".join(filter(None, ["整个行动 leads the whole action", written]))
        budget.edge(MapEdge(source=agency.id, target=hub, kind="lead", hover=hover))


def add_group_members(budget: Budget, idx: AgencyIndex, multi: bool) -> int:
    """Link the listed members of each group on the map to it; returns members left out by the cap."""
    left = 0
    for group_id in [n.id for n in budget.nodes.values() if n.kind == "group"]:
        for member in idx.members(group_id):
            if not budget.fits([member]):
                left += 1
                continue
            budget.node(agency_node(idx, member, multi))
            budget.edge(MapEdge(source=member, target=group_id, kind="member"))
    return left


def set_agency_weights(data: MapData) -> None:
    """Size agencies (and kinds) by the distinct tasks or actions they carry on this map."""
    targets: dict[str, set[str]] = defaultdict(set)
    for e in data.edges:
        if e.kind in ROLE_EDGES:
            targets[e.source].add(e.target)
    for n in data.nodes:
        if n.kind in ("agency", "group") or (n.kind == "kind" and not n.weight):
            n.weight = len(targets.get(n.id, ()))
