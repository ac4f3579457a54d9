"""The graph, or one jurisdiction of it, as JSON, CSV (one row per agency-task edge) and GraphML.

Exports are generators of text chunks, so the API can stream a national graph without holding
it in memory twice.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import TYPE_CHECKING

import orjson

from plangraph.graph.rows import AssignmentRow

from .names import NameCatalog, resolve_jurisdiction

if TYPE_CHECKING:  # networkx is imported where a graph is built: a question that exports none never pays for it
    import networkx as nx

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


def export_csv(catalog: NameCatalog, jurisdiction: str | None = None) -> Iterator[str]:
    scope = _scope(catalog, jurisdiction)
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(CSV_COLUMNS)
    for name in scope:
        for row in catalog.store.assignments(jurisdiction=name):
            writer.writerow(_csv_row(row))
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
    """Agencies and tasks as nodes, one edge per agency-task role, for GraphML and other tools."""
    import networkx as nx

    g = nx.MultiDiGraph()
    store = catalog.store
    for name in _scope(catalog, jurisdiction):
        for t in store.tasks(jurisdiction=name):
            g.add_node(t.id, label="Task", title=t.title, jurisdiction=name, action=t.action_key)
        for a in store.agencies(jurisdiction=name):
            g.add_node(a.id, label="AgencyGroup" if a.is_group else "Agency", name=a.name,
                       jurisdiction=name, kinds=",".join(a.kinds))
        for r in store.assignments(jurisdiction=name):
            g.add_edge(r.agency_id, r.task_id, key=r.role, role=r.role, spelling=r.spelling)
    return g


def export_graphml(catalog: NameCatalog, jurisdiction: str | None = None) -> Iterator[str]:
    import networkx as nx

    yield from (line + "\n" for line in nx.generate_graphml(to_networkx(catalog, jurisdiction)))
