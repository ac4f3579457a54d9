"""One plan -> the node and edge records both stores write.

Why a separate step: the embedded store and Neo4j must hold the same facts, so the translation from
the domain model (``graph/model.py``) to graph records happens once, here, and each store only
writes records. Records carry flat properties (str, int, float, bool, None, list[str]) because that
is what a Neo4j property can hold; spans become ``span_start``/``span_end``.

The graph (labels and edge types):

    (Agency|AgencyGroup)-[:LEADS|SUPPORTS|RESPONSIBLE {spelling, span_start, span_end, clause}]->(Task)
    (Agency|AgencyGroup)-[:LEADS {spelling, span_start, span_end}]->(Action)      action-level leads
    (Task)-[:IN]->(Action)-[:IN]->(Plan)-[:OF]->(Jurisdiction)
    (Agency|AgencyGroup)-[:OF]->(Jurisdiction)
    (Agency|AgencyGroup)-[:MEMBER_OF]->(AgencyGroup)
    (Agency|AgencyGroup)-[:IS_KIND {guessed}]->(AgencyKind)

Every node except AgencyKind has a ``plan_id``: it belongs to that plan and goes when the plan is
replaced or deleted (agency ids are scoped to their jurisdiction, and a jurisdiction has one plan,
so no agency is shared between plans). AgencyKind nodes are shared and pruned when orphaned.

Example:
    >>> from plangraph.graph.model import Plan, Source, Jurisdiction
    >>> recs = build_records(Plan(source=Source(file="f.txt", sha256="0"),
    ...                           jurisdiction=Jurisdiction(name="丰都县")))
    >>> [n.label for n in recs.nodes]
    ['Jurisdiction', 'Plan']
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .model import ROLES, Action, Plan, Task, action_id, task_id
from .rows import TYPE_OF_ROLE

__all__ = [
    "EDGE_SIGNATURES",
    "EDGE_TYPES",
    "NODE_LABELS",
    "OWNED_LABELS",
    "PROPERTY_KEYS",
    "EdgeRecord",
    "NodeRecord",
    "PlanRecords",
    "as_records",
    "build_records",
    "classifier",
]

NODE_LABELS: tuple[str, ...] = (
    "Jurisdiction", "Plan", "Action", "Task", "Agency", "AgencyGroup", "AgencyKind",
)
#: Labels whose nodes belong to one plan (they carry ``plan_id``).
OWNED_LABELS: tuple[str, ...] = ("Jurisdiction", "Plan", "Action", "Task", "Agency", "AgencyGroup")
AGENCY_LABELS: tuple[str, ...] = ("Agency", "AgencyGroup")
ROLE_TYPES: tuple[str, ...] = tuple(TYPE_OF_ROLE[r] for r in ROLES)
EDGE_TYPES: tuple[str, ...] = ("LEADS", "SUPPORTS", "RESPONSIBLE", "IN", "OF", "MEMBER_OF", "IS_KIND")

#: Every (source label, edge type, target label) the graph holds; Neo4j gets one write per entry.
EDGE_SIGNATURES: tuple[tuple[str, str, str], ...] = (
    *((src, t, "Task") for src in AGENCY_LABELS for t in ROLE_TYPES),
    *((src, "LEADS", "Action") for src in AGENCY_LABELS),
    ("Task", "IN", "Action"),
    ("Action", "IN", "Plan"),
    ("Plan", "OF", "Jurisdiction"),
    *((src, "OF", "Jurisdiction") for src in AGENCY_LABELS),
    *((src, "MEMBER_OF", "AgencyGroup") for src in AGENCY_LABELS),
    *((src, "IS_KIND", "AgencyKind") for src in AGENCY_LABELS),
)

#: Every property key a node or edge can carry (the Cypher linter declares these).
PROPERTY_KEYS: tuple[str, ...] = (
    "id", "plan_id", "jurisdiction", "name", "level", "province", "parent_city", "division", "code", "period",
    "literacy_target_percent", "source_file", "source_sha256", "source_format", "warnings",
    "n_actions", "n_tasks", "n_agencies", "n_groups", "n_assignments", "seq", "part", "key", "title",
    "span_start", "span_end", "action_id", "action_seq", "action_key", "action_title", "text",
    "clause", "clause_start", "clause_end", "shared_clause", "spellings", "stem", "keys", "kinds",
    "kinds_guessed", "members", "member_of", "office", "n_lead", "n_support", "n_responsible",
    "n_action_leads", "spelling", "guessed",
    "keys_text",  # Neo4j only: ``keys`` as one indexed string (graph/neo4j.py)
)

Props = dict[str, Any]


# Records cross process boundaries (``plangraph load`` builds them in worker processes). A slots
# dataclass unpickles through a Python ``__setstate__`` per object; ``__reduce__`` to the
# constructor makes the pickle smaller and both directions faster.


@dataclass(slots=True)
class NodeRecord:
    label: str
    id: str
    props: Props

    def __reduce__(self) -> tuple[Any, ...]:
        return (NodeRecord, (self.label, self.id, self.props))


@dataclass(slots=True)
class EdgeRecord:
    src_label: str
    src: str
    type: str
    dst_label: str
    dst: str
    props: Props = field(default_factory=dict)

    @property
    def signature(self) -> tuple[str, str, str]:
        return (self.src_label, self.type, self.dst_label)

    def __reduce__(self) -> tuple[Any, ...]:
        return (EdgeRecord, (self.src_label, self.src, self.type, self.dst_label, self.dst, self.props))


@dataclass(slots=True)
class PlanRecords:
    """All records of one plan; ``kinds`` are the shared AgencyKind nodes it links to."""

    plan_id: str
    jurisdiction: str
    source_file: str
    nodes: list[NodeRecord]
    edges: list[EdgeRecord]

    def __reduce__(self) -> tuple[Any, ...]:
        return (PlanRecords, (self.plan_id, self.jurisdiction, self.source_file, self.nodes, self.edges))

    @property
    def tasks(self) -> int:
        return sum(1 for n in self.nodes if n.label == "Task")

    @property
    def assignments(self) -> int:
        return sum(1 for e in self.edges if e.type in ROLE_TYPES and e.dst_label == "Task")


# --- agency kinds: the hook into graph/kinds.py -----------------------------------------------

Classify = Callable[[str, str], tuple[list[str], bool, str]]


def _fallback_classify(name: str, jurisdiction: str) -> tuple[list[str], bool, str]:
    """Without graph/kinds.py: no kinds, and the name without its jurisdiction prefix as stem."""
    stem = name.removeprefix(jurisdiction)
    if len(stem) > 1 and stem[0] in "县市区省":
        stem = stem[1:]
    return [], False, stem


@functools.lru_cache(maxsize=1)
def classifier() -> Classify:
    """``plangraph.graph.kinds.classify`` as (kinds, guessed, stem), or a fallback without kinds."""
    try:
        from .kinds import classify
    except ImportError:  # the kinds module is optional: the graph simply has no AgencyKind nodes
        return _fallback_classify

    @functools.lru_cache(maxsize=200_000)
    def cached(name: str, jurisdiction: str) -> tuple[list[str], bool, str]:
        result = classify(name, jurisdiction or None)
        return list(result.kinds), bool(result.guessed), result.stem

    def run(name: str, jurisdiction: str) -> tuple[list[str], bool, str]:
        # The jurisdiction only matters when the name spells it (丰都县科协, 市生态环境局沁源分局):
        # other names are cached once for all plans, which halves a national load's build time.
        core = jurisdiction[:-1] if len(jurisdiction) > 2 else jurisdiction
        return cached(name, jurisdiction if core and core in name else "")

    return run


@functools.lru_cache(maxsize=1)
def name_keyer() -> Callable[[str, str], str]:
    """``plangraph.graph.names.name_key`` (the key typed names are resolved on), cached."""
    try:
        from .names import name_key
    except ImportError:  # without the aliases module a name is its own key
        return lambda name, jurisdiction: name

    @functools.lru_cache(maxsize=200_000)
    def cached(name: str, jurisdiction: str) -> str:
        return name_key(name, jurisdiction)

    # the jurisdiction only matters as a prefix of the name: other names share one cache entry
    return lambda name, jurisdiction: cached(name, jurisdiction if name.startswith(jurisdiction) else "")


# --- agencies -------------------------------------------------------------------------------


@dataclass
class _AgencyNode:
    id: str
    name: str
    is_group: bool
    spellings: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)
    member_of: list[str] = field(default_factory=list)
    office: str | None = None

    def spell(self, name: str) -> None:
        if name and name not in self.spellings:
            self.spellings.append(name)

    @property
    def label(self) -> str:
        return "AgencyGroup" if self.is_group else "Agency"


def _name_from_id(jurisdiction: str, agency_id: str) -> str:
    return agency_id.removeprefix(f"{jurisdiction}:")


def _collect_agencies(plan: Plan) -> dict[str, _AgencyNode]:
    """Every agency and group the plan names, keyed by id, with all spellings seen."""
    j = plan.jurisdiction.name
    group_ids = {g.agency_id for g in plan.groups} | {a.id for a in plan.agencies if a.is_group}
    nodes: dict[str, _AgencyNode] = {}

    def get(aid: str, name: str | None = None) -> _AgencyNode:
        if aid not in nodes:
            nodes[aid] = _AgencyNode(aid, name or _name_from_id(j, aid), aid in group_ids)
        return nodes[aid]

    for a in plan.agencies:
        node = get(a.id, a.name)
        for s in (a.name, *a.spellings):
            node.spell(s)
    for action in plan.actions:
        for m in action.leads:
            get(m.agency_id, m.name).spell(m.name)
        for task in action.tasks:
            for _, m in task.mentions():
                get(m.agency_id, m.name).spell(m.name)
    for g in plan.groups:
        group = get(g.agency_id, g.name)
        group.spell(g.name)
        group.office = getattr(g, "office", None)
        for member in dict.fromkeys(g.members):
            if member != g.agency_id:
                group.members.append(member)
                get(member).member_of.append(g.agency_id)
    for node in nodes.values():
        node.spell(node.name)
    return nodes


def _agency_props(node: _AgencyNode, plan: Plan, classify: Classify) -> tuple[Props, list[tuple[str, bool]]]:
    j = plan.jurisdiction.name
    kinds, guessed, stem = classify(node.name, j)
    key_of = name_keyer()
    keys = dict.fromkeys([node.name, *node.spellings, stem])
    for s in node.spellings:  # every form a user may type: as written, stem, alias key
        keys[classify(s, j)[2]] = None
        keys[key_of(s, j)] = None  # the alias key (name_key, cached): 县人力社保局 is found as 人社局
    props: Props = {
        "id": node.id, "plan_id": plan.id, "jurisdiction": j, "name": node.name,
        "spellings": list(node.spellings), "stem": stem, "keys": [k for k in keys if k],
        "kinds": list(kinds), "kinds_guessed": guessed, "members": node.members,
        "member_of": node.member_of, "office": node.office,
    }
    return props, [(k, guessed) for k in kinds]


# --- the plan -------------------------------------------------------------------------------


class _Builder:
    """Collects records, dropping repeated edges so both stores count the same."""

    def __init__(self) -> None:
        self.nodes: list[NodeRecord] = []
        self.edges: list[EdgeRecord] = []
        self._seen: set[tuple[str, str, str, str, str]] = set()

    def node(self, label: str, id: str, props: Props) -> None:
        self.nodes.append(NodeRecord(label, id, props))

    def edge(self, src_label: str, src: str, type: str, dst_label: str, dst: str, props: Props | None = None) -> None:
        key = (src_label, src, type, dst_label, dst)
        if key not in self._seen:
            self._seen.add(key)
            self.edges.append(EdgeRecord(src_label, src, type, dst_label, dst, props or {}))


def _span_props(span: tuple[int, int] | None, prefix: str = "span") -> Props:
    return {f"{prefix}_start": span[0] if span else None, f"{prefix}_end": span[1] if span else None}


def _action_props(plan: Plan, action: Action) -> Props:
    j = plan.jurisdiction.name
    return {
        "id": action_id(j, action.seq), "plan_id": plan.id, "jurisdiction": j, "seq": action.seq,
        "part": action.part, "key": action.key, "title": action.title,
        **_span_props(action.span), "n_tasks": len(action.tasks),
    }


def _task_props(plan: Plan, action: Action, task: Task) -> Props:
    j = plan.jurisdiction.name
    return {
        "id": task_id(j, action.seq, task.seq), "plan_id": plan.id, "jurisdiction": j,
        "action_id": action_id(j, action.seq), "action_seq": action.seq, "action_key": action.key,
        "action_title": action.title, "seq": task.seq, "title": task.title, "text": task.text,
        **_span_props(task.span), "clause": task.clause, **_span_props(task.clause_span, "clause"),
        "shared_clause": task.shared_clause,
    }


def _structure(b: _Builder, plan: Plan) -> None:
    """Jurisdiction, Plan, Actions, Tasks and the IN/OF edges between them."""
    j, pid = plan.jurisdiction.name, plan.id
    b.node("Jurisdiction", j, {"id": j, "plan_id": pid, **plan.jurisdiction.model_dump()})
    b.node("Plan", pid, {
        "id": pid, "plan_id": pid, "jurisdiction": j, "period": plan.period,
        "literacy_target_percent": plan.literacy_target_percent, "source_file": plan.source.file,
        "source_sha256": plan.source.sha256, "source_format": plan.source.format,
        "warnings": list(plan.warnings),
    })
    b.edge("Plan", pid, "OF", "Jurisdiction", j)
    for action in plan.actions:
        aid = action_id(j, action.seq)
        b.node("Action", aid, _action_props(plan, action))
        b.edge("Action", aid, "IN", "Plan", pid)
        for task in action.tasks:
            tid = task_id(j, action.seq, task.seq)
            b.node("Task", tid, _task_props(plan, action, task))
            b.edge("Task", tid, "IN", "Action", aid)


def _responsibilities(b: _Builder, plan: Plan, agencies: dict[str, _AgencyNode]) -> None:
    """Agency -> task edges by role, and action-level leads, each with its spelling and span."""
    j = plan.jurisdiction.name
    for action in plan.actions:
        aid = action_id(j, action.seq)
        for m in action.leads:
            b.edge(agencies[m.agency_id].label, m.agency_id, "LEADS", "Action", aid,
                   {"spelling": m.name, **_span_props(m.span)})
        for task in action.tasks:
            tid = task_id(j, action.seq, task.seq)
            clause = task.clause
            for role, m in task.mentions():
                span = m.span
                b.edge(agencies[m.agency_id].label, m.agency_id, TYPE_OF_ROLE[role], "Task", tid, {
                    "spelling": m.name, "span_start": span[0] if span else None,
                    "span_end": span[1] if span else None, "clause": clause,
                })


def _agencies(b: _Builder, plan: Plan, agencies: dict[str, _AgencyNode], classify: Classify) -> None:
    """Agency and AgencyGroup nodes, their OF, MEMBER_OF and IS_KIND edges, and kind nodes."""
    j = plan.jurisdiction.name
    counts = _role_counts(b.edges)
    for node in agencies.values():
        props, kinds = _agency_props(node, plan, classify)
        props.update(counts.get(node.id, {}))
        for key in (*(f"n_{r}" for r in ROLES), "n_action_leads"):
            props.setdefault(key, 0)
        b.node(node.label, node.id, props)
        b.edge(node.label, node.id, "OF", "Jurisdiction", j)
        for gid in node.member_of:
            b.edge(node.label, node.id, "MEMBER_OF", "AgencyGroup", gid)
        for kind, guessed in kinds:
            b.edge(node.label, node.id, "IS_KIND", "AgencyKind", kind, {"guessed": guessed})
    for kind in sorted({e.dst for e in b.edges if e.type == "IS_KIND"}):
        b.node("AgencyKind", kind, {"id": kind, "name": kind})


def _role_counts(edges: Iterable[EdgeRecord]) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    role_of = {t: r for r, t in TYPE_OF_ROLE.items()}
    for e in edges:
        if e.dst_label == "Task" and e.type in role_of:
            counts[e.src][f"n_{role_of[e.type]}"] += 1
        elif e.dst_label == "Action" and e.type == "LEADS":
            counts[e.src]["n_action_leads"] += 1
    return counts


def _summarise(b: _Builder, plan: Plan) -> None:
    """Counts kept on the Plan node, so a jurisdiction summary needs no traversal."""
    plan_props = next(n.props for n in b.nodes if n.label == "Plan")
    by_label: dict[str, int] = defaultdict(int)
    for n in b.nodes:
        by_label[n.label] += 1
    plan_props.update(
        n_actions=by_label["Action"], n_tasks=by_label["Task"], n_agencies=by_label["Agency"],
        n_groups=by_label["AgencyGroup"],
        n_assignments=sum(1 for e in b.edges if e.dst_label == "Task" and e.type in ROLE_TYPES),
    )


def build_records(plan: Plan, classify: Classify | None = None) -> PlanRecords:
    """The nodes and edges of one plan, with stable ids from ``graph/model.py``."""
    classify = classify or classifier()
    b = _Builder()
    agencies = _collect_agencies(plan)
    _structure(b, plan)
    _responsibilities(b, plan, agencies)
    _agencies(b, plan, agencies, classify)
    _summarise(b, plan)
    return PlanRecords(plan.id, plan.jurisdiction.name, plan.source.file, b.nodes, b.edges)


def as_records(item: Plan | PlanRecords) -> PlanRecords:
    """Accept either a parsed plan or records already built (e.g. in a worker process)."""
    return item if isinstance(item, PlanRecords) else build_records(item)

