"""The embedded store: a networkx MultiDiGraph in memory, dict indexes beside it, one file on disk.

Why this shape: a national corpus (≈3,200 plans, 100k tasks, 1M edges) fits in memory, and the
questions users ask start from an agency, a jurisdiction, a kind, a role or a task, so a dict index
per starting point answers them without scanning edges. The graph is the truth; the indexes are
derived from it and rebuilt when the file is opened.

- Nodes are keyed ``(label, id)``, so ids of different labels can never collide; node attributes
  are the record properties of ``graph/build.py``. Edges are keyed by their type.
- The file is a pickle (protocol 5) of the graph behind a magic line, written atomically: a temp
  file in the same folder, fsync, ``os.replace``, fsync of the folder. A crash mid-write leaves the
  previous file intact. Pickle runs code when loaded: open only graph files you wrote yourself.
- Thread safety: writers take ``_write_lock`` for a whole write (apply + save); the short apply
  step also takes ``_lock``, which every read takes while it collects the attribute dicts it needs.
  Attribute dicts are replaced, never changed in place, so rows are built outside the lock from a
  consistent snapshot, and a reader sees a plan entirely old or entirely new. Saving holds only
  ``_write_lock``, so reads go on while a big graph is written out.
- Processes: a write also locks the file (``flock`` on ``.<name>.lock``) and first reads the file
  again if another process wrote it since, so two loads, or API workers, never write over each
  other's plans; ``read_disk``/``adopt`` let a server follow other processes' writes.
- Small writes (up to ``JOURNAL_MAX_PLANS`` plans, a deletion) are appended to a journal beside the
  file instead of rewriting it (``graph/journal.py``): an upload costs milliseconds, not the 3 s of
  a national file, and other processes apply just the new entries. The graph is written whole,
  and the journal removed, for bigger writes and once the journal outgrows its share of the file.
- Rows are made once per version of what they are made from (``graph/row_cache.py``), and tasks of
  many agencies are paged from a (agency, role) -> tasks index.
- A failure while a plan is applied puts the old plan back (and re-derives the indexes), so a
  stored plan is never left half replaced. A bulk load (``replace_plans``) saves once at the end: a
  process killed mid-load leaves the file as it was before the load.
- Measured on the 2-vCPU machine of this project, for 3,200 plans (105k tasks, 1.1M edges):
  applying them about 6 s and writing the 225 MB file about 4-5 s; reopening about 4 s; one reload
  of one plan about 4 s, nearly all of it the file write. After a load the graph is moved out of
  the garbage collector's sight (``gc.freeze``) so that no request pays for walking it.
"""

from __future__ import annotations

import fcntl
import functools
import heapq
import inspect
import os
import pickle
import threading
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple, TypeVar

import networkx as nx

from . import journal
from .errors import StoreFileError
from .build import AGENCY_LABELS, ROLE_TYPES, PlanRecords, as_records
from .files import stale_temps, write_atomically
from .heap import no_gc, settle
from .journal import Entry, JournalError, JournalState
from .model import Role
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
from .row_cache import RowCache, Same
from .store import PlanLike, Progress, Stats

__all__ = ["EmbeddedStore", "StoreFileError"]


MAGIC = b"plangraph-embedded-graph v1\n"
NodeKey = tuple[str, str]
Row = TypeVar("Row")
Props = dict[str, Any]

#: A write of more plans than this rewrites the graph file (a bulk load); fewer are journaled.
JOURNAL_MAX_PLANS = 16
#: The journal is folded into the graph file once it is larger than this share of the file (or
#: than ``JOURNAL_MIN_BYTES``): then reading it on open would cost more than the rewrite saved.
JOURNAL_SHARE = 0.25
JOURNAL_MIN_BYTES = 1 << 20


class _Indexes:
    """Derived lookups over the graph; every write updates them, every open rebuilds them."""

    def __init__(self) -> None:
        self.by_label: dict[str, set[NodeKey]] = defaultdict(set)
        self.owned: dict[str, set[NodeKey]] = defaultdict(set)
        self.by_jurisdiction: dict[tuple[str, str], set[NodeKey]] = defaultdict(set)
        self.plans: dict[str, str] = {}  # jurisdiction -> plan id
        self.names: dict[str, set[NodeKey]] = defaultdict(set)
        self.by_kind: dict[str, set[NodeKey]] = defaultdict(set)
        #: (agency, edge type) -> the tasks it is linked to by that role: the tasks of an agency in
        #: one role, and their number, without walking its other edges
        self.role_targets: dict[tuple[NodeKey, str], set[NodeKey]] = defaultdict(set)
        self.edge_counts: dict[str, int] = defaultdict(int)

    def add_node(self, key: NodeKey, props: Props) -> None:
        label = key[0]
        self.by_label[label].add(key)
        if "plan_id" in props:
            self.owned[props["plan_id"]].add(key)
        if label in ("Action", "Task", *AGENCY_LABELS):
            self.by_jurisdiction[(label, props["jurisdiction"])].add(key)
        if label == "Plan":
            self.plans[props["jurisdiction"]] = props["id"]
        if label in AGENCY_LABELS:
            for name in props.get("keys") or ():
                self.names[name].add(key)
            for kind in props.get("kinds") or ():
                self.by_kind[kind].add(key)

    def drop_node(self, key: NodeKey, props: Props) -> None:
        label = key[0]
        _discard(self.by_label, label, key)
        if "plan_id" in props:
            _discard(self.owned, props["plan_id"], key)
        if label in ("Action", "Task", *AGENCY_LABELS):
            _discard(self.by_jurisdiction, (label, props["jurisdiction"]), key)
        if label == "Plan" and self.plans.get(props["jurisdiction"]) == props["id"]:
            del self.plans[props["jurisdiction"]]
        if label in AGENCY_LABELS:
            for name in props.get("keys") or ():
                _discard(self.names, name, key)
            for kind in props.get("kinds") or ():
                _discard(self.by_kind, kind, key)

    def add_edge(self, u: NodeKey, v: NodeKey, type: str) -> None:
        self.edge_counts[type] += 1
        if type in ROLE_TYPES and v[0] == "Task":
            self.role_targets[(u, type)].add(v)

    def drop_edge(self, u: NodeKey, v: NodeKey, type: str) -> None:
        self.edge_counts[type] -= 1
        if not self.edge_counts[type]:
            del self.edge_counts[type]
        if type in ROLE_TYPES and v[0] == "Task":
            _discard(self.role_targets, (u, type), v)


def _discard(index: dict[Any, set[Any]], key: Any, value: Any) -> None:
    values = index.get(key)
    if values is not None:
        values.discard(value)
        if not values:
            del index[key]


class EmbeddedStore:
    """The default store. ``path=None`` keeps the graph in memory only (tests, tools)."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self._g: nx.MultiDiGraph = nx.MultiDiGraph()
        self._idx = _Indexes()
        self._lock = threading.RLock()
        self._write_lock = threading.RLock()
        #: Bumped by every write. A reader that keeps something derived from the store (the query
        #: layer's name catalogue) rebuilds it when this changed, instead of on a timer.
        self.generation = 0
        self._rows = RowCache()
        #: What the file was when this store last read or wrote it (device, inode, size, mtime):
        #: another process's write shows as a different identity (``changed_on_disk``).
        self._identity: tuple[int, ...] | None = None
        #: The graph file's stamp (new at every whole write; ``graph/journal.py``) and how far this
        #: store has read the journal that extends it.
        self._stamp: str | None = None
        self._journal: JournalState | None = None
        if self.path is not None:
            _remove_stale_temps(self.path)
        if self.path is not None and self.path.exists():
            self._g, self._identity, self._stamp = self._read(self.path)
            self._reindex()
            entries, self._journal = self._read_journal(self._stamp, None)
            self._apply(entries)
            settle(collect=False)  # a fresh load made no garbage worth a full walk

    # --- file --------------------------------------------------------------------------------

    @staticmethod
    def _read(path: Path) -> tuple[nx.MultiDiGraph, tuple[int, ...], str | None]:
        """The file's graph, the identity of exactly the file read (``fstat`` of it), its stamp."""
        with open(path, "rb") as f:
            identity = _identity(os.fstat(f.fileno()))
            if f.read(len(MAGIC)) != MAGIC:
                raise StoreFileError(f"{path}: not a plangraph graph file")
            try:
                with no_gc():
                    data = pickle.load(f)
            except Exception as exc:  # truncated or damaged file
                raise StoreFileError(f"{path}: damaged graph file ({exc})") from exc
        if not isinstance(data, dict) or not isinstance(data.get("graph"), nx.MultiDiGraph):
            raise StoreFileError(f"{path}: not a plangraph graph file")
        stamp = data.get("stamp")  # files written before the journal have none
        return data["graph"], identity, stamp if isinstance(stamp, str) else None

    def _read_journal(self, stamp: str | None, since: JournalState | None) -> tuple[list[Entry], JournalState | None]:
        assert self.path is not None
        try:
            return journal.read(self.path, stamp, since)
        except JournalError as exc:
            raise StoreFileError(str(exc)) from exc

    def _apply(self, entries: list[Entry]) -> None:
        """Journal entries, in order (on open, or written by another process)."""
        with no_gc():
            for kind, value in entries:
                if kind == "replace":
                    self._replace(value)
                elif kind == "delete":
                    self._delete(value)
                else:
                    raise StoreFileError(f"{self.path}: unknown journal entry {kind!r}")

    def _reindex(self) -> None:
        self._idx = _index(self._g)

    # --- following the file --------------------------------------------------------------------
    # Several processes may hold the same file: API workers, a ``plangraph load`` beside a running
    # server. Writes take a lock on the file and start from what is on disk, so that no process
    # writes over another's plans; readers pick up other processes' writes (``read_disk`` then
    # ``adopt``, which the API runs on a timer, or ``reload_if_changed``).

    def changed_on_disk(self) -> bool:
        """True when another process has written the file since this store read or wrote it."""
        if self.path is None or not self._write_lock.acquire(blocking=False):  # writing it ourselves
            return False
        try:
            return _disk_identity(self.path) != self._identity or journal.changed(self.path, self._journal)
        finally:
            self._write_lock.release()

    def read_disk(self) -> DiskGraph | JournalTail | None:
        """What another process wrote: the journal entries this store has not applied (read, not
        applied yet), or, when the graph file itself was rewritten, that file read and indexed
        beside what this store serves (seconds on a national graph, while reads go on); None when
        nothing changed."""
        if self.path is None:
            return None
        with self._write_lock:
            identity = _disk_identity(self.path)
            if identity is None:
                return None
            if identity == self._identity:
                if not journal.changed(self.path, self._journal):
                    return None
                entries, state = self._read_journal(self._stamp, self._journal)
                if not entries:  # a partial entry being written, or an ignored journal
                    self._journal = state
                    return None
                return JournalTail(entries, state)
            graph, identity, stamp = self._read(self.path)
            replayed = EmbeddedStore()
            replayed._g, replayed._idx = graph, _index(graph)
            entries, state = self._read_journal(stamp, None)
            replayed._apply(entries)
            disk = DiskGraph(replayed._g, replayed._idx, identity, stamp, state)
        settle(collect=False)  # out of the collector's sight before it is served (graph/heap.py)
        return disk

    def adopt(self, disk: DiskGraph | JournalTail) -> None:
        """Serve what ``read_disk`` returned from now on: the new entries applied, or the graph
        swapped (readers see a plan old or new, never half of it)."""
        if isinstance(disk, JournalTail):
            with self._write_lock, self._lock:
                try:
                    self._apply(disk.entries)
                except Exception:  # the file is the truth: read it whole next time, replayed afresh
                    self._identity = None
                    raise
                self._journal = disk.state
            settle(young_only=True)
            return
        with self._write_lock, self._lock:
            old = self._g
            self._g, self._idx, self._identity = disk.graph, disk.indexes, disk.identity
            self._stamp, self._journal = disk.stamp, disk.journal
            self.generation += 1
        self._forget_rows()
        _drop_cached_views(old)
        settle(young_only=True)

    def reload_if_changed(self) -> bool:
        disk = self.read_disk()
        if disk is not None:
            self.adopt(disk)
        return disk is not None

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """This process's write lock and the file's lock (other processes), then the file's
        latest state: a write starts from what is on disk, never from an older copy."""
        with self._write_lock, _file_lock(self.path):
            self.reload_if_changed()
            yield

    def _persist(self, entries: list[Entry] | None) -> None:
        """Make a write durable (called within ``_writing``): ``entries`` appended to the journal,
        or the graph written whole: for a bulk write (``entries`` None), for a file written before
        journals (no stamp), and when the journal has outgrown its share of the file."""
        if self.path is None:
            return
        if entries is not None and self._stamp is not None and self._identity is not None:
            self._journal = journal.append(self.path, self._stamp, entries, self._journal)
            if self._journal.applied <= max(JOURNAL_MIN_BYTES, JOURNAL_SHARE * self._identity[2]):
                return
        self._save()

    def _save(self) -> None:
        """Write the graph to ``path`` atomically (no-op in memory), with a new stamp, then drop
        the journal its entries are now in; called within ``_writing``. A process killed between
        the two leaves a journal of the old stamp, which readers ignore."""
        if self.path is None:
            return
        stamp = uuid.uuid4().hex
        _atomic_write(self.path, self._g, stamp)
        self._identity, self._stamp = _disk_identity(self.path), stamp
        journal.remove(self.path)
        self._journal = None
        self._forget_rows()

    # --- writes ------------------------------------------------------------------------------

    def replace_plan(self, plan: PlanLike) -> LoadResult:
        return self.replace_plans([plan])[0]

    def replace_plans(self, plans: Iterable[PlanLike], progress: Progress | None = None) -> list[LoadResult]:
        results: list[LoadResult] = []
        journaled: list[Entry] | None = []  # None once there are too many: the file is rewritten
        with self._writing():
            try:
                with no_gc():  # one pause for the whole batch, not a full collection per plan
                    for plan in plans:
                        recs = as_records(plan)
                        result = self._replace(recs)
                        results.append(result)
                        if journaled is not None:
                            journaled.append(("replace", recs))
                            journaled = journaled if len(journaled) <= JOURNAL_MAX_PLANS else None
                        if progress:
                            progress(result)
            finally:
                if results:
                    self._persist(journaled)
                settle()
        return results

    def compact(self) -> int:
        """Fold the journal into the graph file (written whole), so that one file holds the store:
        to copy or back it up. Returns the bytes of journal folded in (0: nothing to do)."""
        if self.path is None:
            return 0
        with self._writing():
            folded = journal.size(self.path)
            if folded or (self._stamp is None and self.path.exists()):
                self._save()
        return folded

    def delete_plan(self, plan_id: str) -> bool:
        with self._writing():
            found = self._delete(plan_id)
            if found:
                self._persist([("delete", plan_id)])
        return found

    def _delete(self, plan_id: str) -> bool:
        with self._lock, no_gc():
            found = bool(self._detach(plan_id)[0])
            self.generation += found
        if found:
            self._forget_rows()
        return found

    def _forget_rows(self) -> None:
        """Drop every kept row. Rows are checked against the dicts they were made from, so this
        is for memory only: a replaced plan's rows are overwritten when its place is asked again,
        but a deleted plan's, or those of a whole graph read or written anew, would stay. Freeing
        a national graph's rows takes about a second, outside the lock that reads wait for."""
        with self._lock:
            old, self._rows = self._rows, RowCache()
        old.clear()

    def _replace(self, recs: PlanRecords) -> LoadResult:
        self._check(recs)
        with self._lock, no_gc():
            removed = self._detach(recs.plan_id)
            try:
                self._add(recs)
            except BaseException:  # put the old plan back: readers never see half of one
                self._detach(recs.plan_id)
                self._prune_kinds({(n.label, n.id) for n in recs.nodes if n.label == "AgencyKind"})
                self._add_parts(*removed)
                self._reindex()  # the graph is the truth; derive the indexes from it again
                raise
            finally:
                self.generation += 1  # rows need no clearing: a replaced plan's dicts are new ones
            replaced = bool(removed[0])
        return LoadResult(
            plan_id=recs.plan_id, jurisdiction=recs.jurisdiction, source_file=recs.source_file,
            nodes=len(recs.nodes), edges=len(recs.edges), tasks=recs.tasks,
            assignments=recs.assignments, replaced=replaced,
        )

    def _check(self, recs: PlanRecords) -> None:
        """Refuse records whose edges point nowhere, before anything is changed."""
        new = {(n.label, n.id) for n in recs.nodes}
        stored = self._g._node  # networkx's node -> attributes dict (read only here)
        for label, id in new:
            props = stored.get((label, id))
            owner = props.get("plan_id") if props is not None else None
            if owner is not None and owner != recs.plan_id:
                raise ValueError(f"{recs.plan_id}: node {(label, id)} belongs to {owner}")
        for e in recs.edges:
            for key in ((e.src_label, e.src), (e.dst_label, e.dst)):
                if key not in new:
                    raise ValueError(f"{recs.plan_id}: edge {e.type} refers to unknown node {key}")

    def _detach(self, plan_id: str) -> tuple[list[tuple[NodeKey, Props]], list[tuple[NodeKey, NodeKey, str, Props]]]:
        """Remove the plan's nodes with their edges (and orphaned kinds); returns what went."""
        nodes: list[tuple[NodeKey, Props]] = []
        edges: dict[tuple[NodeKey, NodeKey, str], Props] = {}
        kinds: set[NodeKey] = set()
        for key in list(self._idx.owned.get(plan_id, ())):
            nodes.append((key, self._g.nodes[key]))
            edges.update(self._drop_node(key))
            kinds.update(v for _, v, _ in edges if v[0] == "AgencyKind")
        nodes.extend(self._prune_kinds(kinds))
        return nodes, [(u, v, t, p) for (u, v, t), p in edges.items()]

    def _prune_kinds(self, kinds: set[NodeKey]) -> list[tuple[NodeKey, Props]]:
        """Shared kind nodes go when no agency has them any more."""
        gone = [(k, self._g.nodes[k]) for k in kinds if k in self._g and self._g.in_degree(k) == 0]
        for key, _ in gone:
            self._drop_node(key)
        return gone

    def _drop_node(self, key: NodeKey) -> dict[tuple[NodeKey, NodeKey, str], Props]:
        g = self._g
        edges = {(u, v, t): p for u, v, t, p in g.out_edges(key, keys=True, data=True)}
        edges.update({(u, v, t): p for u, v, t, p in g.in_edges(key, keys=True, data=True)})
        for u, v, t in edges:
            self._idx.drop_edge(u, v, t)
        self._idx.drop_node(key, g.nodes[key])
        g.remove_node(key)
        return edges

    def _add(self, recs: PlanRecords) -> None:
        self._add_parts(
            [((n.label, n.id), n.props) for n in recs.nodes],
            [((e.src_label, e.src), (e.dst_label, e.dst), e.type, e.props) for e in recs.edges],
        )

    def _add_parts(
        self, nodes: Iterable[tuple[NodeKey, Props]], edges: Iterable[tuple[NodeKey, NodeKey, str, Props]]
    ) -> None:
        # What ``g.add_node(key, **props)`` and ``g.add_edge(u, v, key=t, **props)`` do, written
        # against networkx's adjacency dicts (``_succ``/``_pred``/``_node``, the structures its own
        # methods use): without a keyword dict and a cache reset per call, a national load (1M
        # edges) spends 0.3 ms per plan here instead of 0.75. Attribute dicts are copies, as there.
        g = self._g
        succ, pred, node_attrs = g._succ, g._pred, g._node
        idx = self._idx

        def ensure(key: NodeKey) -> None:
            if key not in succ:
                succ[key], pred[key], node_attrs[key] = {}, {}, {}

        for key, props in nodes:
            if key in succ:  # a shared AgencyKind already stored
                continue
            succ[key], pred[key], node_attrs[key] = {}, {}, dict(props)
            idx.add_node(key, props)
        for u, v, t, props in edges:
            ensure(u)
            ensure(v)
            keydict = succ[u].get(v)
            if keydict is None:
                keydict = succ[u][v] = pred[v][u] = {}
            data = keydict.get(t)
            if data is None:
                keydict[t] = dict(props)
            else:
                data.update(props)
            idx.add_edge(u, v, t)
        nx._clear_cache(g)

    # --- stats -------------------------------------------------------------------------------

    def stats(self) -> Stats:
        with self._lock:
            nodes = {label: len(keys) for label, keys in self._idx.by_label.items() if keys}
            edges = {t: n for t, n in self._idx.edge_counts.items() if n}
        return {"nodes": dict(sorted(nodes.items())), "edges": dict(sorted(edges.items()))}

    def close(self) -> None:
        """Nothing to release: every write is already on disk."""

    # --- reads -------------------------------------------------------------------------------

    def prewarm(self) -> None:
        """Make every plan's rows now, so that no first question about a place waits for them
        (a national graph: about 1M rows, 10 s of CPU, 1.5 GB; the API does it in the background)."""
        for place in list(self._idx.plans):
            self.actions(place)
            self.tasks(jurisdiction=place)
            self.agencies(jurisdiction=place)
            self.assignments(jurisdiction=place)
            self.action_leads(jurisdiction=place)

    def _plan_rows(self, kind: str, jurisdiction: str, read: Callable[[str], list[Row]]) -> list[Row]:
        """``read(jurisdiction)``, made once per version of the jurisdiction's plan (a copy).

        Everything of a jurisdiction belongs to its plan and is replaced with it, and a new
        version of a plan is a new Plan attribute dict: the cached rows are used only while that
        dict is the stored one (``graph/row_cache.py``). The per-place questions (a profile, a
        comparison) read the same few lists again and again; this makes them a look-up.
        """
        with self._lock:  # the plan and the rows read under one hold: both of the same version
            plan_id = self._idx.plans.get(jurisdiction)
            plan = self._g._node.get(("Plan", plan_id)) if plan_id is not None else None
            return list(self._rows.get((kind, jurisdiction), _ignoring_plan(read, jurisdiction), Same(plan)))

    def _node(self, key: NodeKey) -> Props | None:
        return self._g.nodes[key] if key in self._g else None

    def jurisdictions(self) -> list[JurisdictionRow]:
        with self._lock:
            pairs = [(self._g.nodes[("Jurisdiction", j)], self._g.nodes[("Plan", p)])
                     for j, p in self._idx.plans.items()]
        row = self._rows.get
        return sort_rows(row(("Jurisdiction", j["name"]), JurisdictionRow.from_props, j, p) for j, p in pairs)

    def jurisdiction(self, name: str) -> JurisdictionRow | None:
        with self._lock:
            plan_id = self._idx.plans.get(name)
            if plan_id is None:
                return None
            j, p = self._g.nodes[("Jurisdiction", name)], self._g.nodes[("Plan", plan_id)]
        return self._rows.get(("Jurisdiction", name), JurisdictionRow.from_props, j, p)

    def actions(self, jurisdiction: str) -> list[ActionRow]:
        return self._plan_rows("actions", jurisdiction, self._actions)

    def _actions(self, jurisdiction: str) -> list[ActionRow]:
        with self._lock:
            props = [(k, self._g.nodes[k]) for k in self._idx.by_jurisdiction.get(("Action", jurisdiction), ())]
        row = self._rows.get
        return sort_rows(row(k, ActionRow.from_props, p) for k, p in props)

    def tasks(
        self, jurisdiction: str | None = None, action_id: str | None = None,
        ids: Sequence[str] | None = None,
    ) -> list[TaskRow]:
        if jurisdiction is not None and action_id is None and ids is None:
            return self._plan_rows("tasks", jurisdiction, self._tasks)
        return self._tasks(jurisdiction, action_id, ids)

    def _tasks(
        self, jurisdiction: str | None = None, action_id: str | None = None,
        ids: Sequence[str] | None = None,
    ) -> list[TaskRow]:
        with self._lock:
            keys = self._task_keys(jurisdiction, action_id, ids)
            props = [(k, self._g.nodes[k]) for k in keys]
        row = self._rows.get
        return sort_rows(row(k, TaskRow.from_props, p) for k, p in props
                         if _keep(p, jurisdiction=jurisdiction, action_id=action_id))

    def _task_keys(
        self, jurisdiction: str | None, action_id: str | None, ids: Sequence[str] | None
    ) -> Iterable[NodeKey]:
        if ids is not None:
            return [k for k in (("Task", i) for i in dict.fromkeys(ids)) if k in self._g]
        if action_id is not None:
            action = ("Action", action_id)
            return [u for u, _, t in self._g.in_edges(action, keys=True) if t == "IN"] if action in self._g else []
        if jurisdiction is not None:
            return list(self._idx.by_jurisdiction.get(("Task", jurisdiction), ()))
        return list(self._idx.by_label.get("Task", ()))

    def task(self, task_id: str) -> TaskRow | None:
        with self._lock:
            props = self._node(("Task", task_id))
        return self._rows.get(("Task", task_id), TaskRow.from_props, props) if props else None

    def search_tasks(self, text: str, jurisdiction: str | None = None) -> list[TaskRow]:
        with self._lock:
            keys = self._task_keys(jurisdiction, None, None)
            props = [(k, self._g.nodes[k]) for k in keys]
        row = self._rows.get
        return sort_rows(row(k, TaskRow.from_props, p) for k, p in props
                         if text in (p.get("title") or "") or text in (p.get("text") or ""))

    def agencies(
        self, jurisdiction: str | None = None, ids: Sequence[str] | None = None,
        name: str | None = None, kind: str | None = None, include_groups: bool = True,
    ) -> list[AgencyRow]:
        if jurisdiction is not None and ids is None and name is None and kind is None:
            rows = self._plan_rows("agencies", jurisdiction, self._agencies)
            return rows if include_groups else [a for a in rows if not a.is_group]
        return self._agencies(jurisdiction, ids, name, kind, include_groups)

    def _agencies(
        self, jurisdiction: str | None = None, ids: Sequence[str] | None = None,
        name: str | None = None, kind: str | None = None, include_groups: bool = True,
    ) -> list[AgencyRow]:
        labels = AGENCY_LABELS if include_groups else ("Agency",)
        with self._lock:
            keys = self._agency_keys(labels, jurisdiction, ids, name, kind)
            props = [(k, self._g.nodes[k]) for k in keys]
        return self._agency_rows(props)

    def _agency_keys(
        self, labels: Sequence[str], jurisdiction: str | None, ids: Sequence[str] | None,
        name: str | None, kind: str | None,
    ) -> set[NodeKey]:
        """Intersect the index sets the filters name (smallest first); all agencies when none."""
        sets: list[set[NodeKey]] = []
        if ids is not None:
            sets.append({(label, i) for i in ids for label in labels if (label, i) in self._g})
        if name is not None:
            sets.append(self._idx.names.get(name, set()))
        if kind is not None:
            sets.append(self._idx.by_kind.get(kind, set()))
        if jurisdiction is not None:
            sets.append(set().union(*(self._idx.by_jurisdiction.get((lb, jurisdiction), set()) for lb in labels)))
        if not sets:
            sets.append(set().union(*(self._idx.by_label.get(lb, set()) for lb in labels)))
        sets.sort(key=len)
        return {k for k in sets[0] if k[0] in labels and all(k in s for s in sets[1:])}

    def group_members(self, group_id: str) -> list[AgencyRow]:
        group = ("AgencyGroup", group_id)
        with self._lock:
            if group not in self._g:
                return []
            props = [(u, self._g.nodes[u]) for u, _, t in self._g.in_edges(group, keys=True) if t == "MEMBER_OF"]
        return self._agency_rows(props)

    def _agency_rows(self, props: list[tuple[NodeKey, Props]]) -> list[AgencyRow]:
        row = self._rows.get
        return sort_rows(row(k, AgencyRow.from_props, p, k[0] == "AgencyGroup") for k, p in props)

    def _assignment_row(self, found: tuple[str, Props, NodeKey, Props, Props]) -> AssignmentRow:
        t, r, k, a, task = found
        return self._rows.get((k, ("Task", task["id"]), t), AssignmentRow.from_props, t, r, a, k[0] == "AgencyGroup", task)

    def kinds(self) -> list[KindRow]:
        with self._lock:
            rows = [KindRow(kind=k[1], agencies=self._g.in_degree(k)) for k in self._idx.by_label.get("AgencyKind", ())]
        return sort_rows(rows)

    def assignments(
        self, agency_ids: Sequence[str] | None = None, task_ids: Sequence[str] | None = None,
        roles: Sequence[Role] | None = None, jurisdiction: str | None = None,
    ) -> list[AssignmentRow]:
        if jurisdiction is not None and agency_ids is None and task_ids is None:
            rows = self._plan_rows("assignments", jurisdiction, self._assignments)
            return rows if roles is None else [r for r in rows if r.role in roles]
        return self._assignments(jurisdiction, agency_ids, task_ids, roles)

    def _assignments(
        self, jurisdiction: str | None, agency_ids: Sequence[str] | None = None,
        task_ids: Sequence[str] | None = None, roles: Sequence[Role] | None = None,
    ) -> list[AssignmentRow]:
        found = self._assignment_props(agency_ids, task_ids, roles, jurisdiction)
        return sort_rows(self._assignment_row(f) for f in found)

    def assignments_page(
        self, offset: int, limit: int, agency_ids: Sequence[str] | None = None,
        task_ids: Sequence[str] | None = None, roles: Sequence[Role] | None = None,
        jurisdiction: str | None = None,
    ) -> tuple[int, list[AssignmentRow]]:
        """``(len(rows), rows[offset:offset + limit])`` for ``rows = assignments(...)``, building
        rows for the page only: "tasks 县科协 leads" on a national graph has 40,000 of them.

        Not (yet) part of ``GraphStore``: the query layer uses it where a store offers it.
        """
        if offset < 0 or limit < 0:  # slice arithmetic from the end: no shortcut
            found = self._assignment_props(agency_ids, task_ids, roles, jurisdiction)
            page = sorted(found, key=_assignment_order)[offset : offset + limit]
            return len(found), [self._assignment_row(f) for f in page]
        # Rows sort by jurisdiction first: group the matching edges by their task's jurisdiction and
        # order only the first places that hold the page (a national answer spans 3,000 places).
        if agency_ids is not None and task_ids is None and jurisdiction is None:
            return self._agencies_page(offset, limit, agency_ids, roles)
        succ, node = self._g._succ, self._g._node
        need = offset + limit
        with self._lock:
            by_place: dict[str, list[tuple[NodeKey, NodeKey, str]]] = defaultdict(list)
            for u, v, t in self._matching_edges(agency_ids, task_ids, roles, jurisdiction):
                by_place[node[v]["jurisdiction"]].append((u, v, t))
            total = sum(len(edges) for edges in by_place.values())
            picked: list[tuple[str, Props, NodeKey, Props, Props]] = []
            for place in sorted(by_place):
                if len(picked) >= need:
                    break
                picked.extend((t, succ[u][v][t], u, node[u], node[v]) for u, v, t in by_place[place])
        page = heapq.nsmallest(need, picked, key=_assignment_order)[offset:]  # = sorted(picked)[offset:need]
        return total, [self._assignment_row(f) for f in page]

    def _agencies_page(
        self, offset: int, limit: int, agency_ids: Sequence[str], roles: Sequence[Role] | None,
    ) -> tuple[int, list[AssignmentRow]]:
        """``assignments_page`` for agencies alone ("科协" names 2,800 of them nationally): the
        total from the role index's set sizes, edges walked only for the first places, in order.

        An agency's tasks are in its own jurisdiction (both belong to one plan), so ordering the
        agencies by jurisdiction orders their edges' places.
        """
        types = tuple(TYPE_OF_ROLE[r] for r in roles) if roles is not None else ROLE_TYPES
        succ, node, targets = self._g._succ, self._g._node, self._idx.role_targets
        need = offset + limit
        with self._lock:
            ids = tuple(agency_ids)
            total, places = self._rows.get(("agencies by place", ids, types), self._agencies_by_place,
                                           self.generation, ids, types)
            picked: list[tuple[str, Props, NodeKey, Props, Props]] = []
            for keys in places:
                if len(picked) >= need:
                    break
                picked.extend((t, succ[u][v][t], u, node[u], node[v])
                              for u in keys for t in types for v in targets.get((u, t), ()))
        page = heapq.nsmallest(need, picked, key=_assignment_order)[offset:]
        return total, [self._assignment_row(f) for f in page]

    def _agencies_by_place(
        self, _generation: int, agency_ids: tuple[str, ...], types: tuple[str, ...]
    ) -> tuple[int, list[list[NodeKey]]]:
        """Their edges in these roles in all, and the agencies grouped by place in place order.

        Kept per store generation (``generation`` is part of the cache check): the same name asked
        again ("科协" is 2,800 agencies) costs a look-up, not a walk of all of them.
        """
        node, targets = self._g._node, self._idx.role_targets
        keys = [k for a in dict.fromkeys(agency_ids) for k in ((lb, a) for lb in AGENCY_LABELS) if k in node]
        by_place: dict[str, list[NodeKey]] = defaultdict(list)
        for k in keys:
            by_place[node[k]["jurisdiction"]].append(k)
        total = sum(len(targets.get((k, t), ())) for k in keys for t in types)
        return total, [by_place[place] for place in sorted(by_place)]

    def _assignment_props(
        self, agency_ids: Sequence[str] | None, task_ids: Sequence[str] | None,
        roles: Sequence[Role] | None, jurisdiction: str | None,
    ) -> list[tuple[str, Props, NodeKey, Props, Props]]:
        """(edge type, edge props, agency key, agency props, task props) of every matching edge."""
        succ, node = self._g._succ, self._g._node  # networkx's adjacency and node dicts
        with self._lock:
            return [
                (t, succ[u][v][t], u, node[u], node[v])
                for u, v, t in self._matching_edges(agency_ids, task_ids, roles, jurisdiction)
            ]

    def _matching_edges(
        self, agency_ids: Sequence[str] | None, task_ids: Sequence[str] | None,
        roles: Sequence[Role] | None, jurisdiction: str | None,
    ) -> Iterator[tuple[NodeKey, NodeKey, str]]:
        """Agency -> task edges passing every filter (call with ``_lock`` held)."""
        types = {TYPE_OF_ROLE[r] for r in roles} if roles is not None else set(ROLE_TYPES)
        agencies = set(agency_ids) if agency_ids is not None else None
        tasks = set(task_ids) if task_ids is not None else None
        node = self._g._node
        return (
            (u, v, t) for u, v, t in self._role_edges(agencies, tasks, types, jurisdiction)
            if (agencies is None or u[1] in agencies) and (tasks is None or v[1] in tasks)
            and (jurisdiction is None or node[v]["jurisdiction"] == jurisdiction)
        )

    def _role_edges(
        self, agencies: set[str] | None, tasks: set[str] | None, types: set[str], jurisdiction: str | None
    ) -> Iterator[tuple[NodeKey, NodeKey, str]]:
        """Candidate agency -> task edges from the most selective index the filters allow."""
        g = self._g
        pred = g._pred  # what in_edges(keys=True) walks, without the view
        if agencies is not None:
            keys = [(lb, a) for a in agencies for lb in AGENCY_LABELS if (lb, a) in g]
            targets = self._idx.role_targets
            yield from ((u, v, t) for u in keys for t in types for v in targets.get((u, t), ()))
        elif tasks is not None or jurisdiction is not None:
            keys = ([("Task", t) for t in tasks if ("Task", t) in g] if tasks is not None
                    else self._idx.by_jurisdiction.get(("Task", jurisdiction), ()))
            yield from ((u, v, t) for v in keys for u, types_uv in pred[v].items() for t in types_uv if t in types)
        else:
            yield from ((u, v, t) for (u, t), targets in self._idx.role_targets.items() if t in types for v in targets)

    def action_leads(
        self, jurisdiction: str | None = None, agency_ids: Sequence[str] | None = None,
        action_ids: Sequence[str] | None = None,
    ) -> list[ActionLeadRow]:
        if jurisdiction is not None and agency_ids is None and action_ids is None:
            return self._plan_rows("action_leads", jurisdiction, self._action_leads)
        return self._action_leads(jurisdiction, agency_ids, action_ids)

    def _action_leads(
        self, jurisdiction: str | None = None, agency_ids: Sequence[str] | None = None,
        action_ids: Sequence[str] | None = None,
    ) -> list[ActionLeadRow]:
        agencies = set(agency_ids) if agency_ids is not None else None
        with self._lock:
            found = [
                (self._g.edges[u, v, "LEADS"], u, self._g.nodes[u], v, self._g.nodes[v])
                for u, v in self._action_lead_edges(jurisdiction, agencies, action_ids)
                if (agencies is None or u[1] in agencies)
                and (jurisdiction is None or self._g.nodes[v]["jurisdiction"] == jurisdiction)
            ]
        row = self._rows.get
        return sort_rows(row((key, v, "LEADS"), ActionLeadRow.from_props, r, a, key[0] == "AgencyGroup", x)
                         for r, key, a, v, x in found)

    def _action_lead_edges(
        self, jurisdiction: str | None, agencies: set[str] | None, action_ids: Sequence[str] | None
    ) -> Iterator[tuple[NodeKey, NodeKey]]:
        g = self._g
        if agencies is not None and action_ids is None:
            keys = [(lb, a) for a in agencies for lb in AGENCY_LABELS if (lb, a) in g]
            yield from ((u, v) for u in keys for _, v, t in g.out_edges(u, keys=True)
                        if t == "LEADS" and v[0] == "Action")
            return
        if action_ids is not None:
            actions = [k for k in (("Action", a) for a in dict.fromkeys(action_ids)) if k in g]
        elif jurisdiction is not None:
            actions = list(self._idx.by_jurisdiction.get(("Action", jurisdiction), ()))
        else:
            actions = list(self._idx.by_label.get("Action", ()))
        yield from ((u, v) for v in actions for u, _, t in g.in_edges(v, keys=True) if t == "LEADS")


_ROLE_RANK = {t: i for i, t in enumerate(ROLE_TYPES)}  # ROLE_TYPES follows ROLES: lead, support, responsible


def _assignment_order(found: tuple[str, Props, NodeKey, Props, Props]) -> tuple[Any, ...]:
    """``rows._key`` of the AssignmentRow these props make, without making it."""
    t, r, _, a, task = found
    start, end = r.get("span_start"), r.get("span_end")
    span = (0, 0) if start is None or end is None else (int(start), int(end))
    return (task["jurisdiction"], task["action_seq"], task["seq"], _ROLE_RANK[t], span, a["id"])


def _index(graph: nx.MultiDiGraph) -> _Indexes:
    """The indexes of a whole graph (on open and on reload)."""
    idx = _Indexes()
    with no_gc():
        for key, props in graph.nodes(data=True):
            idx.add_node(key, props)
        # ``idx.add_edge`` for every edge, inlined: a national graph has a million of them
        counts, role_targets, roles = idx.edge_counts, idx.role_targets, frozenset(ROLE_TYPES)
        for u, adjacent in graph._succ.items():  # networkx's adjacency: u -> v -> type -> data
            for v, types in adjacent.items():
                to_task = v[0] == "Task"
                for type in types:
                    counts[type] += 1
                    if to_task and type in roles:
                        role_targets[(u, type)].add(v)
    return idx


def _drop_cached_views(graph: nx.MultiDiGraph) -> None:
    """networkx keeps views (``graph.edges``, ``graph.in_edges``…) as cached properties that point
    back at their graph: a cycle, which the collector never frees in a frozen graph. Without them
    reference counting frees a swapped-out graph at once (1.3 GB nationally)."""
    cached = [name for name, attr in inspect.getmembers(type(graph)) if isinstance(attr, functools.cached_property)]
    for name in cached:
        graph.__dict__.pop(name, None)


class DiskGraph(NamedTuple):
    """A graph read from the file (its journal applied) with its indexes, for ``adopt``."""

    graph: nx.MultiDiGraph
    indexes: _Indexes
    identity: tuple[int, ...]
    stamp: str | None
    journal: JournalState | None


class JournalTail(NamedTuple):
    """Journal entries another process appended, read and not yet applied, for ``adopt``."""

    entries: list[Entry]
    state: JournalState | None


def _identity(st: os.stat_result) -> tuple[int, ...]:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def _disk_identity(path: Path) -> tuple[int, ...] | None:
    try:
        return _identity(os.stat(path))
    except FileNotFoundError:
        return None


@contextmanager
def _file_lock(path: Path | None) -> Iterator[None]:
    """An exclusive lock on ``.<name>.lock`` beside the store file (``flock``: released by the
    kernel when the process dies, so a killed writer never leaves it held)."""
    if path is None:
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(f".{path.name}.lock"), "a+b") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


def _ignoring_plan(read: Callable[[str], list[Row]], jurisdiction: str) -> Callable[[Same], list[Row]]:
    """The row cache passes the plan it checks against; the read itself needs only the place."""
    return lambda _plan: read(jurisdiction)


def _keep(props: Props, **filters: str | None) -> bool:
    return all(value is None or props.get(field) == value for field, value in filters.items())


def _atomic_write(path: Path, graph: nx.MultiDiGraph, stamp: str | None = None) -> None:
    """The graph file, put in place whole (``graph/files.py``). ``stamp`` names this version of the
    file for its journal (``graph/journal.py``)."""

    def write(f: BinaryIO) -> None:
        f.write(MAGIC)
        with no_gc():
            pickle.dump({"format": 1, "graph": graph, "stamp": stamp}, f, protocol=5)

    write_atomically(path, write)


def _remove_stale_temps(path: Path) -> None:
    """Delete temp files that a killed writer left beside the store (the store itself is intact)."""
    for stale in (*stale_temps(path), *stale_temps(journal.journal_path(path))):
        stale.unlink(missing_ok=True)
