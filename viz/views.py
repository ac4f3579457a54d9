"""The three maps, built from parsed plans: one jurisdiction, one agency (or kind), a comparison.

Each builder returns a ``MapData`` and never draws: ``viz.html.render_html`` turns it into a page.
Every builder takes the same filters (``actions``, ``roles``) and a ``max_nodes`` cap; what a filter
or the cap left out is said in ``MapData.notes``, so a large plan gives a usable page with a clear
note instead of a frozen one.

Example:
    >>> from plangraph.graph.model import Plan, Source, Jurisdiction
    >>> empty = Plan(source=Source(file="f", sha256="0"), jurisdiction=Jurisdiction(name="X县"))
    >>> jurisdiction_map(empty).title
    'X县：部门与任务 (who does what)'
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence

from plangraph.graph.model import Action, Mention, Plan, Role, Task, action_id, task_id

from .index import AgencyIndex
from .kinds import KindLabel, KindOf, default_kind_label, default_kind_of, prefix_kind_of
from .labels import ROLE_ZH, short_action_title
from .mapdata import ActionEntry, MapData, MapEdge, MapNode
from .nodes import (
    action_node,
    add_action_leads,
    add_group_members,
    add_task,
    agency_node,
    set_agency_weights,
    task_ids_needed,
)
from .select import (
    DEFAULT_MAX_NODES,
    Budget,
    agency_ids_named,
    kept_mentions,
    left_out_note,
    pick_actions,
    pick_roles,
)

__all__ = ["DEFAULT_MAX_NODES", "agency_map", "comparison_map", "jurisdiction_map"]

Candidate = tuple[AgencyIndex, Action, Task, list[tuple[Role, Mention]]]


def jurisdiction_map(
    plan: Plan,
    *,
    actions: Collection[str] | None = None,
    roles: Collection[str] | None = None,
    agencies: Collection[str] | None = None,
    max_nodes: int = DEFAULT_MAX_NODES,
) -> MapData:
    """One plan: its actions, tasks and agencies, edges by role, group members linked to groups.

    ``agencies`` (ids, names or spellings) keeps only the tasks of those agencies and their edges.
    """
    role_set = pick_roles(roles)
    idx = AgencyIndex(plan)
    wanted = agency_ids_named([plan], agencies) if agencies is not None else None
    candidates: list[Candidate] = [
        (idx, a, t, kept_mentions(t, role_set, wanted))
        for a in pick_actions(plan.actions, actions)
        for t in a.tasks
    ]
    if wanted is not None:
        candidates = [c for c in candidates if c[3]]
    budget = Budget(max_nodes)
    shown = _draw_tasks(budget, candidates, multi=False)
    if "lead" in role_set:
        for action in plan.actions:
            add_action_leads(budget, idx, action, wanted, multi=False)
    left_members = add_group_members(budget, idx, multi=False) if wanted is None else 0
    j = plan.jurisdiction.name
    data = _finish(budget, f"{j}：部门与任务 (who does what)", candidates, shown)
    data.subtitle = _plan_subtitle(plan, data)
    data.notes += _filter_notes(actions, roles, agencies, wanted)
    data.notes += _unassigned_note(candidates[:shown])
    if left_members:
        data.notes.append(f"{left_members} group member link(s) left out by the node cap.")
    return data


def agency_map(
    plans: Sequence[Plan],
    *,
    agencies: Collection[str] | None = None,
    kind: str | None = None,
    kind_of: KindOf | None = None,
    actions: Collection[str] | None = None,
    roles: Collection[str] | None = None,
    max_nodes: int = DEFAULT_MAX_NODES,
) -> MapData:
    """One agency, or every agency of one ``kind`` across the plans, and all it leads, supports or
    is responsible for, tasks hung from their actions.

    ``agencies`` are ids, names or spellings: a name found in several plans (县科协) draws each.
    ``kind`` is matched against ``kind_of(agency.name)`` (default: ``kinds.default_kind_of()``).
    """
    if (agencies is None) == (kind is None):
        raise ValueError("give agencies (ids, names or spellings) or a kind: exactly one of them")
    role_set = pick_roles(roles)
    targets = _targets(plans, agencies, kind, kind_of or default_kind_of())
    multi = len({idx.plan.id for idx, _ in targets}) > 1
    budget = Budget(max_nodes)
    for idx, agency_id in targets:
        if budget.fits([agency_id]):
            budget.node(agency_node(idx, agency_id, multi))
    candidates: list[Candidate] = [
        (idx, a, t, ms)
        for idx, agency_id in targets
        for a in pick_actions(idx.plan.actions, actions)
        for t in a.tasks
        if (ms := kept_mentions(t, role_set, {agency_id}))
    ]
    shown = _draw_tasks(budget, candidates, multi)
    if "lead" in role_set:
        for idx, agency_id in targets:
            for action in pick_actions(idx.plan.actions, actions):
                hub = action_node(idx, action, multi)
                leads = any(m.agency_id == agency_id for m in action.leads)
                if leads and budget.fits([hub.id, agency_id]):
                    budget.node(hub)
                    add_action_leads(budget, idx, action, {agency_id}, multi)
    title_kind = _kind_title(kind) if kind is not None else None
    data = _finish(budget, _agency_title(targets, title_kind), candidates, shown)
    data.subtitle = _agency_subtitle(data, targets)
    data.opening_roles = list(role_set)  # one agency's supports are few once tasks are folded
    data.notes += _filter_notes(actions, roles, None, None)
    if not targets:
        data.notes.append(f"No agency matched {sorted(agencies or [kind or ''])}.")
    return data


def comparison_map(
    plans: Sequence[Plan],
    *,
    kind_of: KindOf | None = None,
    kind_label: KindLabel | None = None,
    actions: Collection[str] | None = None,
    roles: Collection[str] | None = None,
    max_nodes: int = DEFAULT_MAX_NODES,
) -> MapData:
    """Two or more plans side by side: each jurisdiction's tasks grouped by action key, and each
    agency KIND drawn once, linked to every jurisdiction's action group it works on (edge width =
    number of tasks). A kind used by two or more jurisdictions is drawn dark (shared)."""
    if len(plans) < 2:
        raise ValueError("a comparison needs two or more plans")
    kind_of = kind_of or default_kind_of()
    label_of = kind_label or default_kind_label()
    role_set = pick_roles(roles)
    groups = _action_groups(plans, actions)
    budget = Budget(max_nodes)
    for plan in plans:
        budget.node(MapNode(id=plan.id, label=plan.jurisdiction.name, kind="jurisdiction",
                            hover=_jurisdiction_hover(plan), jurisdiction=plan.jurisdiction.name))
    stats = _KindStats()
    shown_tasks = shown_groups = 0
    for group in groups:
        key, _, plan, group_actions = group
        facts = _group_facts(plan, group_actions, role_set, kind_of)
        group_id = f"{plan.jurisdiction.name}:group:{key}"
        if not budget.fits([group_id, *(f"kind:{k}" for k, _ in facts)]):
            break
        _draw_group(budget, group, group_id, facts, stats, label_of)
        shown_tasks += _group_tasks(group)
        shown_groups += 1
    stats.apply(budget)
    total = sum(_group_tasks(g) for g in groups)
    data = _as_data(budget, "、".join(p.jurisdiction.name for p in plans) + "：对比 (comparison)")
    data.subtitle = ("agency kinds drawn once, linked to each jurisdiction's tasks grouped by "
                     "action; edge width = number of tasks")
    data.actions = _action_entries_of(groups)
    data.tasks_shown, data.tasks_total = shown_tasks, total
    if shown_groups < len(groups):
        left = [(g[1], g[0]) for g in groups[shown_groups:] for a in g[3] for _ in a.tasks]
        data.notes.append(left_out_note(left, shown_tasks, total))
    data.notes += _filter_notes(actions, roles, None, None)
    if kind_of is prefix_kind_of:
        data.notes.append("Agency kinds are approximate: names without their 县/市/区 prefix "
                          "(the kinds classifier was not available).")
    return data


# --- shared steps -------------------------------------------------------------------------------


def _draw_tasks(budget: Budget, candidates: list[Candidate], multi: bool) -> int:
    """Draw candidates in order until the next one would break the cap; returns how many."""
    for n, (idx, action, task, mentions) in enumerate(candidates):
        if not budget.fits(task_ids_needed(idx, action, task, mentions, multi)):
            return n
        add_task(budget, idx, action, task, mentions, multi)
    return len(candidates)


def _finish(budget: Budget, title: str, candidates: list[Candidate], shown: int) -> MapData:
    data = _as_data(budget, title)
    data.actions = _action_entries([(c[1], c[2]) for c in candidates[:shown]])
    listed = {a.key for a in data.actions}
    for hub in (n for n in data.nodes if n.kind == "action" and n.action not in listed):
        data.actions.append(ActionEntry(key=hub.action or "", label=hub.label))  # led, no tasks
        listed.add(hub.action)
    data.tasks_shown, data.tasks_total = shown, len(candidates)
    if shown < len(candidates):
        left = [(short_action_title(a.title), a.key) for _, a, _, _ in candidates[shown:]]
        data.notes.append(left_out_note(left, shown, len(candidates)))
    return data


def _as_data(budget: Budget, title: str) -> MapData:
    data = MapData(title=title, nodes=list(budget.nodes.values()), edges=list(budget.edges.values()))
    set_agency_weights(data)
    return data


def _action_entries(items: list[tuple[Action, Task]]) -> list[ActionEntry]:
    entries: dict[str, ActionEntry] = {}
    for action, _ in items:
        entry = entries.setdefault(
            action.key, ActionEntry(key=action.key, label=short_action_title(action.title)))
        entry.tasks += 1
    return list(entries.values())


def _filter_notes(
    actions: Collection[str] | None, roles: Collection[str] | None,
    agencies: Collection[str] | None, wanted: set[str] | None,
) -> list[str]:
    notes = []
    if actions is not None:
        notes.append(f"Filtered: only actions {', '.join(actions)}.")
    if roles is not None:
        notes.append(f"Filtered: only roles {', '.join(pick_roles(roles))}.")
    if agencies is not None:
        notes.append(f"Filtered: only agencies {', '.join(agencies)}"
                     + ("" if wanted else " (none matched)") + ".")
    return notes


def _unassigned_note(candidates: list[Candidate]) -> list[str]:
    bare = [t for _, _, t, _ in candidates if not t.mentions()]
    if not bare:
        return []
    titles = "；".join(t.title for t in bare[:5]) + ("…" if len(bare) > 5 else "")
    return [f"{len(bare)} task(s) name no agency and are drawn without agency edges: {titles}"]


def _plan_subtitle(plan: Plan, data: MapData) -> str:
    j = plan.jurisdiction
    place = "".join(p for p in (j.province, j.parent_city) if p and p != j.name) + j.name
    period = f"{plan.period.replace('-', '—')}年" if plan.period else ""
    parts = [place, period, f"{data.tasks_total} tasks", f"{len(data.actions)} actions",
             f"{data.count('agency')} agencies", f"{data.count('group')} groups"]
    return " · ".join(p for p in parts if p)


def _targets(
    plans: Sequence[Plan], agencies: Collection[str] | None, kind: str | None, kind_of: KindOf
) -> list[tuple[AgencyIndex, str]]:
    out = []
    for plan in plans:
        idx = AgencyIndex(plan)
        wanted = agency_ids_named([plan], agencies) if agencies is not None else None
        for agency_id in idx.all_ids():
            named = wanted is not None and agency_id in wanted
            if named or (kind is not None and kind in kind_of(idx.agency(agency_id).name)):
                out.append((idx, agency_id))
    return out


def _agency_title(targets: list[tuple[AgencyIndex, str]], kind: str | None) -> str:
    if kind is not None:
        places = len({idx.plan.id for idx, _ in targets})
        return f"{kind}：{places} 个地区 {len(targets)} 个部门牵头、配合、负责的任务"
    names = [f"{idx.agency(a).name}（{idx.plan.jurisdiction.name}）" for idx, a in targets]
    shown = "、".join(names[:3]) + (f" 等 {len(names)} 个部门" if len(names) > 3 else "")
    return f"{shown or '—'}：牵头、配合、负责的任务"


def _kind_title(kind: str) -> str:
    label = default_kind_label()(kind)
    return kind if label == kind else f"{label}（{kind}）"


def _agency_subtitle(data: MapData, targets: list[tuple[AgencyIndex, str]]) -> str:
    places = len({idx.plan.id for idx, _ in targets})
    tasks = f"{data.tasks_total} tasks in {len(data.actions)} actions"
    if len(targets) == 1:
        return f"what it leads, supports or is jointly responsible for · {tasks}"
    return (f"what they lead, support or are jointly responsible for · {tasks} · "
            f"{len(targets)} agencies in {places} plans")


# --- comparison ---------------------------------------------------------------------------------

#: (action key, short label, plan, that plan's actions with the key)
Group = tuple[str, str, Plan, list[Action]]
#: per (agency id, role): (fact id, title, spelling as written) of each task or action
Facts = dict[tuple[str, Role], list[tuple[str, str, str]]]


def _action_groups(plans: Sequence[Plan], actions: Collection[str] | None) -> list[Group]:
    """One group per action key per plan, ordered by key (first seen) then by plan."""
    by_key: dict[str, dict[str, list[Action]]] = defaultdict(dict)
    labels: dict[str, str] = {}
    for plan in plans:
        for action in pick_actions(plan.actions, actions):
            labels.setdefault(action.key, short_action_title(action.title))
            by_key[action.key].setdefault(plan.id, []).append(action)
    return [
        (key, labels[key], plan, by_key[key][plan.id])
        for key in by_key
        for plan in plans
        if plan.id in by_key[key]
    ]


def _group_tasks(group: Group) -> int:
    return sum(len(a.tasks) for a in group[3])


def _action_entries_of(groups: list[Group]) -> list[ActionEntry]:
    entries: dict[str, ActionEntry] = {}
    for group in groups:
        key, label = group[0], group[1]
        entries.setdefault(key, ActionEntry(key=key, label=label)).tasks += _group_tasks(group)
    return list(entries.values())


def _group_facts(
    plan: Plan, group_actions: list[Action], roles: tuple[Role, ...], kind_of: KindOf
) -> list[tuple[str, Facts]]:
    """Per kind, the facts of one jurisdiction's action group: who does which task in which role."""
    idx = AgencyIndex(plan)
    j = plan.jurisdiction.name
    per_kind: dict[str, Facts] = defaultdict(lambda: defaultdict(list))
    for action in group_actions:
        if "lead" in roles:
            whole = f"整个行动 the whole action: {action.title}"
            for m in action.leads:
                for k in _kinds(idx, m.agency_id, kind_of):
                    per_kind[k][(m.agency_id, "lead")].append(
                        (action_id(j, action.seq), whole, m.name))
        for task in action.tasks:
            for role, m in kept_mentions(task, roles, None):
                for k in _kinds(idx, m.agency_id, kind_of):
                    per_kind[k][(m.agency_id, role)].append(
                        (task_id(j, action.seq, task.seq), task.title, m.name))
    return list(per_kind.items())


def _kinds(idx: AgencyIndex, agency_id: str, kind_of: KindOf) -> list[str]:
    name = idx.agency(agency_id).name
    return list(dict.fromkeys(kind_of(name))) or prefix_kind_of(name)


def _draw_group(
    budget: Budget, group: Group, group_id: str, facts: list[tuple[str, Facts]],
    stats: _KindStats, label_of: KindLabel,
) -> None:
    """An action group node under its jurisdiction, and a weighted edge per (kind, role)."""
    key, label, plan, group_actions = group
    j = plan.jurisdiction.name
    titles = [t.title for a in group_actions for t in a.tasks]
    listed = "\n".join(f"· {t}" for t in titles[:12]) + ("\n…" if len(titles) > 12 else "")
    budget.node(MapNode(id=group_id, label=f"{label} {len(titles)}项", kind="actiongroup",
                        hover=f"{j} · {label}: {len(titles)} 项任务 tasks\n{listed}", action=key,
                        weight=len(titles), jurisdiction=j))
    budget.edge(MapEdge(source=plan.id, target=group_id, kind="part"))
    idx = AgencyIndex(plan)
    for kind, per in facts:
        kind_id = f"kind:{kind}"
        budget.node(MapNode(id=kind_id, label=label_of(kind), kind="kind"))
        by_role: dict[Role, list[str]] = defaultdict(list)
        for (agency_id, role), seen in per.items():
            stats.add(kind_id, j, idx.agency(agency_id).name, role, [f for f, _, _ in seen])
            by_role[role] += [f"· {title}（{spelling}）" for _, title, spelling in seen]
        for role, lines in by_role.items():
            hover = (f"{label_of(kind)} —{ROLE_ZH[role]} {role}→ {j} · {label}: {len(lines)}\n"
                     + "\n".join(lines[:12]) + ("\n…" if len(lines) > 12 else ""))
            budget.edge(MapEdge(source=kind_id, target=group_id, kind=role, hover=hover,
                                weight=len(lines)))


class _KindStats:
    """Per kind: which jurisdictions use it, under which names, and how many facts per role."""

    def __init__(self) -> None:
        self.names: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        self.facts: dict[str, dict[str, dict[Role, set[str]]]] = defaultdict(
            lambda: defaultdict(lambda: defaultdict(set)))

    def add(self, kind_id: str, j: str, name: str, role: Role, fact_ids: list[str]) -> None:
        self.names[kind_id][j].add(name)
        self.facts[kind_id][j][role].update(fact_ids)

    def apply(self, budget: Budget) -> None:
        """Mark kinds shared by two or more jurisdictions; size them; write their hover."""
        for kind_id, per_j in self.names.items():
            node = budget.nodes[kind_id]
            node.shared = len(per_j) > 1
            node.weight = sum(len(s) for f in self.facts[kind_id].values() for s in f.values())
            lines = [
                f"{j}: {'、'.join(sorted(names))} — " + " · ".join(
                    f"{ROLE_ZH[r]} {r} {len(s)}" for r, s in self.facts[kind_id][j].items())
                for j, names in per_j.items()
            ]
            shared = f"shared by {len(per_j)} jurisdictions" if node.shared else "one jurisdiction"
            node.hover = f"部门类别 kind: {node.label}\n{shared}\n" + "\n".join(lines)


def _jurisdiction_hover(plan: Plan) -> str:
    j = plan.jurisdiction
    bits = [j.name, j.level, j.province or "", j.parent_city or "", plan.period or "",
            f"{len(plan.tasks())} tasks", f"source: {plan.source.file}"]
    return "\n".join(b for b in bits if b and b != "unknown")
