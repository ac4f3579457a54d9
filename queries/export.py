"""The graph, or one jurisdiction of it, as JSON, CSV (one row per agency-task edge and per
action-level lead) and GraphML (tasks, actions and agencies, with their edges).

An action-level lead (〔牵头部门：…〕: an agency leading a whole action) is a lead like a task's
(``queries/leads.py``): a CSV row of role ``action_lead`` with the task columns empty, and in
GraphML a LEADS edge from the agency to an Action node.

Exports are generators of text chunks, so the API can stream a national graph without holding
it in memory twice.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import TYPE_CHECKING

import orjson

from plangraph.graph.rows import TYPE_OF_ROLE, ActionLeadRow, AssignmentRow

from .names import NameCatalog, resolve_jurisdiction

if TYPE_CHECKING:  # networkx is imported where a graph is built: a question that exports none never pays for it
    import networkx as nx

#: The role of an action-level lead in the CSV and GraphML exports.
ACTION_LEAD = "action_lead"
CSV_COLUMNS = [
    "jurisdiction", "plan_id", "action_seq", "action_key", "action_title", "task_id", "task_seq",
    "task_title", "role", "agency_id", "agency_name", "spelling", "is_group", "span_start", "span_end", "clause",
]


def _scope(catalog: NameCatalog, jurisdiction: str | None) -> list[str]:
    if jurisdiction is not None:
        return [resolve_jurisdiction(catalog, jurisdiction)]
    return [j.name for j in catalog.store.jurisdictions()]


def _csv_row(r: AssignmentRow) -> list[object]:
    start, end = r.span or (None, None)
    return [
        r.jurisdiction, r.plan_id, r.action_seq, r.action_key, r.action_title, r.task_id, r.task_seq,
        r.task_title, r.role, r.agency_id, r.agency_name, r.spelling, r.agency_is_group, start, end, r.clause,
    ]


def _csv_action_lead_row(r: ActionLeadRow) -> list[object]:
    start, end = r.span or (None, None)
    return [
        r.jurisdiction, r.plan_id, r.action_seq, r.action_key, r.action_title, "", "", "", ACTION_LEAD,
        r.agency_id, r.agency_name, r.spelling, r.agency_is_group, start, end, "",
    ]


def export_csv(catalog: NameCatalog, jurisdiction: str | None = None) -> Iterator[str]:
    """Per jurisdiction: its agency-task edges, then its action-level leads (role ``action_lead``)."""
    scope = _scope(catalog, jurisdiction)
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(CSV_COLUMNS)
    for name in scope:
        for row in catalog.store.assignments(jurisdiction=name):
            writer.writerow(_csv_row(row))
        for lead in catalog.store.action_leads(jurisdiction=name):
            writer.writerow(_csv_action_lead_row(lead))
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()
    yield buf.getvalue()


def jurisdiction_document(catalog: NameCatalog, name: str) -> dict:
    store = catalog.store
    row = store.jurisdiction(name)
    return {
        "jurisdiction": row.model_dump(mode="json") if row else None,
        "actions": [a.model_dump(mode="json") for a in store.actions(name)],
        "tasks": [t.model_dump(mode="json") for t in store.tasks(jurisdiction=name)],
        "agencies": [a.model_dump(mode="json") for a in store.agencies(jurisdiction=name)],
        "assignments": [a.model_dump(mode="json") for a in store.assignments(jurisdiction=name)],
        "action_leads": [a.model_dump(mode="json") for a in store.action_leads(jurisdiction=name)],
    }


def export_json(catalog: NameCatalog, jurisdiction: str | None = None) -> Iterator[bytes]:
    """``{"jurisdictions": [doc, …]}`` where each doc holds a plan's rows, streamed per plan."""
    scope = _scope(catalog, jurisdiction)
    yield b'{"jurisdictions":['
    for i, name in enumerate(scope):
        yield (b"," if i else b"") + orjson.dumps(jurisdiction_document(catalog, name))
    yield b"]}"


def to_networkx(catalog: NameCatalog, jurisdiction: str | None = None) -> nx.MultiDiGraph:
    """Actions, tasks and agencies as nodes; an edge per agency-task role (``type`` LEADS, SUPPORTS
    or RESPONSIBLE), per action-level lead (agency -> action, LEADS, role ``action_lead``) and per
    task of an action (action -> task, HAS_TASK); for GraphML and other tools."""
    import networkx as nx

    g = nx.MultiDiGraph()
    store = catalog.store
    for name in _scope(catalog, jurisdiction):
        for x in store.actions(name):
            g.add_node(x.id, label="Action", title=x.title, jurisdiction=name, action=x.key, seq=x.seq)
        for t in store.tasks(jurisdiction=name):
            g.add_node(t.id, label="Task", title=t.title, jurisdiction=name, action=t.action_key)
            g.add_edge(t.action_id, t.id, key="has_task", type="HAS_TASK")
        for a in store.agencies(jurisdiction=name):
            g.add_node(a.id, label="AgencyGroup" if a.is_group else "Agency", name=a.name,
                       jurisdiction=name, kinds=",".join(a.kinds))
        for r in store.assignments(jurisdiction=name):
            g.add_edge(r.agency_id, r.task_id, key=r.role, type=TYPE_OF_ROLE[r.role], role=r.role,
                       spelling=r.spelling)
        for lead in store.action_leads(jurisdiction=name):
            g.add_edge(lead.agency_id, lead.action_id, key=ACTION_LEAD, type="LEADS", role=ACTION_LEAD,
                       spelling=lead.spelling)
    return g


def export_graphml(catalog: NameCatalog, jurisdiction: str | None = None) -> Iterator[str]:
    import networkx as nx

    yield from (line + "\n" for line in nx.generate_graphml(to_networkx(catalog, jurisdiction)))
