"""The Neo4j store: the same graph and the same answers as the embedded store, on a shared server.

Why: a team that shares one graph, or a corpus that outgrows one machine, runs Neo4j. This module
is only plumbing around the official ``neo4j`` driver (v6): every statement comes from
``graph/cypher.py`` and every value travels as a parameter.

- ``connect`` creates the uniqueness constraints and indexes first (``IF NOT EXISTS``).
- Writes are ``UNWIND $rows … MERGE`` batches grouped by label / edge signature. ``replace_plans``
  writes up to ``plans_per_tx`` plans per transaction: in that one transaction it deletes every node
  the plans own (with their edges), then writes the new records; a failure rolls the whole
  transaction back, so a reader sees each plan old or new, never half.
- Reads pick the statement that starts from the most selective index the filters allow and apply
  any other filter in Python, then sort with the shared row order, so answers equal the embedded
  store's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import orjson
from neo4j import READ_ACCESS, Driver, GraphDatabase, ManagedTransaction

from . import cypher
from .build import AGENCY_LABELS, NODE_LABELS, OWNED_LABELS, PlanRecords, as_records
from .model import ROLES, Role
from .rows import (
    TYPE_OF_ROLE,
    ActionLeadRow,
    ActionRow,
    AgencyRow,
    AssignmentRow,
    JurisdictionRow,
    KindRow,
    LoadResult,
    TaskRow,
    sort_rows,
)
from .settings import Neo4jSettings
from .store import PlanLike, Progress, Stats

__all__ = ["Neo4jStore"]

Props = dict[str, Any]


def _batches(rows: list[Props], size: int, max_bytes: int | None = None) -> Iterator[list[Props]]:
    """Rows in batches of at most ``size`` rows and, when given, about ``max_bytes`` of JSON."""
    if max_bytes is None:
        for i in range(0, len(rows), size):
            yield rows[i : i + size]
        return
    batch: list[Props] = []
    used = 0
    for row in rows:
        n = len(orjson.dumps(row))
        if batch and (len(batch) >= size or used + n > max_bytes):
            yield batch
            batch, used = [], 0
        batch.append(row)
        used += n
    if batch:
        yield batch


def _chunks(records: Iterable[PlanRecords], size: int) -> Iterator[list[PlanRecords]]:
    """Plans per transaction; a plan id seen twice starts a new chunk so the later one wins."""
    chunk: list[PlanRecords] = []
    for recs in records:
        if len(chunk) >= size or any(r.plan_id == recs.plan_id for r in chunk):
            yield chunk
            chunk = []
        chunk.append(recs)
    if chunk:
        yield chunk


def _write_chunk(
    tx: ManagedTransaction, chunk: list[PlanRecords], batch_size: int, max_bytes: int | None
) -> set[str]:
    """Delete what the plans owned, write their records; returns the ids that were stored before."""
    plan_ids = [r.plan_id for r in chunk]
    stored = {rec["id"] for rec in tx.run(cypher.STORED_PLANS, plan_ids=plan_ids)}
    for label in OWNED_LABELS:
        tx.run(cypher.DELETE_OWNED[label], plan_ids=plan_ids).consume()
    nodes: dict[str, list[Props]] = defaultdict(list)
    edges: dict[tuple[str, str, str], list[Props]] = defaultdict(list)
    for recs in chunk:
        for n in recs.nodes:
            props = {**n.props, "keys_text": keys_text(n.props.get("keys"))} if n.label in AGENCY_LABELS else n.props
            nodes[n.label].append({"id": n.id, "props": props})
        for e in recs.edges:
            edges[e.signature].append({"src": e.src, "dst": e.dst, "props": e.props})
    for label in NODE_LABELS:
        for batch in _batches(nodes.get(label, []), batch_size, max_bytes):
            tx.run(cypher.MERGE_NODES[label], rows=batch).consume()
    for sig, statement in cypher.MERGE_EDGES.items():
        for batch in _batches(edges.get(sig, []), batch_size, max_bytes):
            tx.run(statement, rows=batch).consume()
    if stored:
        tx.run(cypher.PRUNE_KINDS).consume()
    return stored


def _delete(tx: ManagedTransaction, plan_id: str) -> bool:
    found = bool(list(tx.run(cypher.STORED_PLANS, plan_ids=[plan_id])))
    for label in OWNED_LABELS:
        tx.run(cypher.DELETE_OWNED[label], plan_ids=[plan_id]).consume()
    tx.run(cypher.PRUNE_KINDS).consume()
    return found


def _fetch(tx: ManagedTransaction, query: str, params: dict[str, Any]) -> list[Any]:
    return list(tx.run(query, params))


#: Between an agency's keys in ``keys_text``: a control character, which plan text never holds
#: (normalising drops them), so a key between two of them is a whole key.
KEY_SEPARATOR = "\x1f"


def keys_text(keys: Sequence[str] | None) -> str:
    """An agency's keys as one string, each between separators: what Neo4j's text index finds."""
    return KEY_SEPARATOR + "".join(f"{k}{KEY_SEPARATOR}" for k in keys or ())


def _agency_match(
    a: Props, jurisdiction: str | None, ids: set[str] | None, name: str | None, kind: str | None
) -> bool:
    return (
        (jurisdiction is None or a.get("jurisdiction") == jurisdiction)
        and (ids is None or a.get("id") in ids)
        and (name is None or name in (a.get("keys") or ()))
        and (kind is None or kind in (a.get("kinds") or ()))
    )


class Neo4jStore:
    """``GraphStore`` on a Neo4j server (or any Bolt server speaking the common Cypher subset)."""

    def __init__(
        self, driver: Driver, database: str | None = None, *, batch_size: int = 10_000,
        plans_per_tx: int = 50, max_batch_bytes: int | None = None, ensure_schema: bool = True,
        owns_driver: bool = True,
    ) -> None:
        self._driver = driver
        self.database = database
        self.batch_size = batch_size
        self.plans_per_tx = plans_per_tx
        self.max_batch_bytes = max_batch_bytes
        self._owns_driver = owns_driver
        if ensure_schema:
            self.ensure_schema()

    @classmethod
    def connect(cls, settings: Neo4jSettings | None = None, **kwargs: Any) -> Neo4jStore:
        """A store on the server ``settings`` (default: from the environment) name."""
        settings = settings or Neo4jSettings()
        driver = GraphDatabase.driver(settings.uri, auth=settings.auth())
        try:
            driver.verify_connectivity()
        except Exception:
            driver.close()
            raise
        return cls(driver, settings.database, batch_size=settings.batch_size,
                   plans_per_tx=settings.plans_per_tx, max_batch_bytes=settings.max_batch_bytes,
                   **kwargs)

    def ensure_schema(self) -> None:
        """Uniqueness constraints and indexes, created before any data (idempotent), and the
        indexed ``keys_text`` of agencies stored before it existed."""
        with self._driver.session(database=self.database) as session:
            for statement in cypher.SCHEMA:
                session.run(statement).consume()
            for statement in cypher.FILL_KEYS_TEXT.values():
                session.run(statement, separator=KEY_SEPARATOR).consume()

    def close(self) -> None:
        if self._owns_driver:
            self._driver.close()

    # --- writes ------------------------------------------------------------------------------

    def replace_plan(self, plan: PlanLike) -> LoadResult:
        return self.replace_plans([plan])[0]

    def replace_plans(self, plans: Iterable[PlanLike], progress: Progress | None = None) -> list[LoadResult]:
        results: list[LoadResult] = []
        with self._driver.session(database=self.database) as session:
            for chunk in _chunks((as_records(p) for p in plans), self.plans_per_tx):
                stored = session.execute_write(_write_chunk, chunk, self.batch_size, self.max_batch_bytes)
                for recs in chunk:
                    result = LoadResult(
                        plan_id=recs.plan_id, jurisdiction=recs.jurisdiction,
                        source_file=recs.source_file, nodes=len(recs.nodes), edges=len(recs.edges),
                        tasks=recs.tasks, assignments=recs.assignments, replaced=recs.plan_id in stored,
                    )
                    results.append(result)
                    if progress:
                        progress(result)
        return results

    def delete_plan(self, plan_id: str) -> bool:
        with self._driver.session(database=self.database) as session:
            return session.execute_write(_delete, plan_id)

    def stats(self) -> Stats:
        nodes = {r["label"]: r["n"] for r in self._read(cypher.COUNT_NODES)}
        edges = {r["type"]: r["n"] for r in self._read(cypher.COUNT_EDGES)}
        return {"nodes": dict(sorted(nodes.items())), "edges": dict(sorted(edges.items()))}

    # --- reads -------------------------------------------------------------------------------

    def _read(self, query: str, **params: Any) -> list[Any]:
        """One read transaction (a session's ``execute_read``: retried on transient errors)."""
        with self._driver.session(database=self.database, default_access_mode=READ_ACCESS) as session:
            return session.execute_read(_fetch, query, params)

    def jurisdictions(self) -> list[JurisdictionRow]:
        return sort_rows(JurisdictionRow.from_props(r["j"], r["p"]) for r in self._read(cypher.JURISDICTIONS))

    def jurisdiction(self, name: str) -> JurisdictionRow | None:
        records = self._read(cypher.JURISDICTION, name=name)
        return JurisdictionRow.from_props(records[0]["j"], records[0]["p"]) if records else None

    def actions(self, jurisdiction: str) -> list[ActionRow]:
        records = self._read(cypher.ACTIONS_OF_JURISDICTION, jurisdiction=jurisdiction)
        return sort_rows(ActionRow.from_props(r["a"]) for r in records)

    def tasks(
        self, jurisdiction: str | None = None, action_id: str | None = None,
        ids: Sequence[str] | None = None,
    ) -> list[TaskRow]:
        if ids is not None:
            records = self._read(cypher.TASKS_BY_IDS, ids=list(dict.fromkeys(ids)))
        elif action_id is not None:
            records = self._read(cypher.TASKS_OF_ACTION, action_id=action_id)
        elif jurisdiction is not None:
            records = self._read(cypher.TASKS_OF_JURISDICTION, jurisdiction=jurisdiction)
        else:
            records = self._read(cypher.TASKS_ALL)
        props = [r["t"] for r in records]
        props = [t for t in props if (jurisdiction is None or t["jurisdiction"] == jurisdiction)
                 and (action_id is None or t["action_id"] == action_id)]
        return sort_rows(TaskRow.from_props(t) for t in props)

    def task(self, task_id: str) -> TaskRow | None:
        rows = self.tasks(ids=[task_id])
        return rows[0] if rows else None

    def search_tasks(self, text: str, jurisdiction: str | None = None) -> list[TaskRow]:
        if jurisdiction is None:
            records = self._read(cypher.SEARCH_TASKS, text=text)
        else:
            records = self._read(cypher.SEARCH_TASKS_OF_JURISDICTION, text=text, jurisdiction=jurisdiction)
        return sort_rows(TaskRow.from_props(r["t"]) for r in records)

    def agencies(
        self, jurisdiction: str | None = None, ids: Sequence[str] | None = None,
        name: str | None = None, kind: str | None = None, include_groups: bool = True,
    ) -> list[AgencyRow]:
        labels = AGENCY_LABELS if include_groups else ("Agency",)
        id_set = set(ids) if ids is not None else None
        rows: list[AgencyRow] = []
        for label in labels:
            for r in self._agency_records(label, jurisdiction, id_set, name, kind):
                if _agency_match(r["a"], jurisdiction, id_set, name, kind):
                    rows.append(AgencyRow.from_props(r["a"], label == "AgencyGroup"))
        return sort_rows(rows)

    def _agency_records(
        self, label: str, jurisdiction: str | None, ids: set[str] | None, name: str | None, kind: str | None
    ) -> list[Any]:
        """From the most selective index: ids, jurisdiction, kind, then names (the text index on keys)."""
        if ids is not None:
            return self._read(cypher.AGENCIES_BY_IDS[label], ids=sorted(ids))
        if jurisdiction is not None:
            return self._read(cypher.AGENCIES_OF_JURISDICTION[label], jurisdiction=jurisdiction)
        if kind is not None:
            return self._read(cypher.AGENCIES_OF_KIND[label], kind=kind)
        if name is not None:
            if KEY_SEPARATOR in name:  # in no key: a separator in it would match across two keys
                return []
            return self._read(cypher.AGENCIES_BY_NAME[label], keyed=f"{KEY_SEPARATOR}{name}{KEY_SEPARATOR}")
        return self._read(cypher.AGENCIES_ALL[label])

    def group_members(self, group_id: str) -> list[AgencyRow]:
        records = self._read(cypher.GROUP_MEMBERS, group_id=group_id)
        return sort_rows(AgencyRow.from_props(r["a"], r["is_group"]) for r in records)

    def kinds(self) -> list[KindRow]:
        return sort_rows(KindRow(kind=r["kind"], agencies=r["agencies"]) for r in self._read(cypher.KINDS))

    def assignments(
        self, agency_ids: Sequence[str] | None = None, task_ids: Sequence[str] | None = None,
        roles: Sequence[Role] | None = None, jurisdiction: str | None = None,
    ) -> list[AssignmentRow]:
        types = sorted(TYPE_OF_ROLE[r] for r in (roles if roles is not None else ROLES))
        agencies = set(agency_ids) if agency_ids is not None else None
        tasks = set(task_ids) if task_ids is not None else None
        if agencies is not None:
            records = [rec for lb in AGENCY_LABELS for rec in self._read(
                cypher.ASSIGNMENTS_BY_AGENCIES[lb], agency_ids=sorted(agencies), types=types)]
        elif tasks is not None:
            records = self._read(cypher.ASSIGNMENTS_BY_TASKS, task_ids=sorted(tasks), types=types)
        elif jurisdiction is not None:
            records = self._read(cypher.ASSIGNMENTS_OF_JURISDICTION, jurisdiction=jurisdiction, types=types)
        else:
            records = self._read(cypher.ASSIGNMENTS_ALL, types=types)
        return sort_rows(
            AssignmentRow.from_props(r["type"], r["r"], r["a"], r["is_group"], r["t"])
            for r in records
            if (tasks is None or r["t"]["id"] in tasks)
            and (jurisdiction is None or r["t"]["jurisdiction"] == jurisdiction)
        )

    def action_leads(
        self, jurisdiction: str | None = None, agency_ids: Sequence[str] | None = None,
        action_ids: Sequence[str] | None = None,
    ) -> list[ActionLeadRow]:
        agencies = set(agency_ids) if agency_ids is not None else None
        if action_ids is not None:
            records = self._read(cypher.ACTION_LEADS_BY_ACTIONS, action_ids=list(dict.fromkeys(action_ids)))
        elif agencies is not None:
            records = [rec for lb in AGENCY_LABELS for rec in self._read(
                cypher.ACTION_LEADS_BY_AGENCIES[lb], agency_ids=sorted(agencies))]
        elif jurisdiction is not None:
            records = self._read(cypher.ACTION_LEADS_OF_JURISDICTION, jurisdiction=jurisdiction)
        else:
            records = self._read(cypher.ACTION_LEADS_ALL)
        return sort_rows(
            ActionLeadRow.from_props(r["r"], r["a"], r["is_group"], r["x"])
            for r in records
            if (agencies is None or r["a"]["id"] in agencies)
            and (jurisdiction is None or r["x"]["jurisdiction"] == jurisdiction)
        )

