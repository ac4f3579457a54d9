"""The embedded store: one SQLite file in WAL mode (``graph/schema.py``), through ``sqlite3``.

Why this shape: a question from a fresh process opens the file and reads the few rows it needs
from indexes (by agency, jurisdiction, role, name key, kind), instead of loading a whole graph
first; any number of processes read while one writes, with SQLite's locks and journal (a plan is
replaced in one transaction: a reader sees it old or new, never half; a writer killed or a disk
that fills mid-write leaves the last committed state whole). Each thread uses its own connection.

- A plan is identified by its place (``Jurisdiction.key``) and period: storing a plan replaces only
  the stored plan of the same place and period. Its rows keep the public ids of ``graph/model.py``
  (``丰都县:t1.2``), which resolve to the place's current plan (the latest period).
- The source file of each plan is kept (zlib-compressed) with a checksum of everything stored for
  the plan: ``check`` finds damaged plans, ``sources`` lets ``plangraph reparse`` store them again.
- ``generation`` (a row of ``meta``, +1 per write transaction) is the one way to know that the
  store changed, in this process or another; derived data (themes) is kept in ``derived`` tagged
  with the generation it was computed from.

Example:
    >>> store = EmbeddedStore(None)  # a store in a temporary file, removed on close
    >>> store.stats()
    {'nodes': {}, 'edges': {}}
    >>> store.close()
"""

from __future__ import annotations

import hashlib
import sqlite3
import tempfile
import threading
import zlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from . import schema
from .build import ROLE_TYPES, PlanRecords, as_records
from .errors import StoreError, StoreFileError, StoreMissingError, StoreWriteError
from .model import ROLES, Role
from .rows import (
    ROLE_OF_TYPE,
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
from .store import CheckReport, DamagedPlan, KeptSource, PlanLike, Progress, Stats

__all__ = ["EmbeddedStore", "StoreFileError"]

Props = dict[str, Any]
#: Plans per write transaction in a bulk load: each plan is whole either way; fewer commits (one
#: fsync each) load faster, and a waiting writer of another process gets its turn between batches.
PLANS_PER_COMMIT = 64
ROLE_CODE = {role: i for i, role in enumerate(ROLES)}
TYPE_CODE = {t: ROLE_CODE[ROLE_OF_TYPE[t]] for t in ROLE_TYPES}
#: Every row of a jurisdiction's current plan: ``p`` is its ``plans`` row.
CURRENT = "JOIN plans p ON p.n = {0}.plan AND p.current"
_TASK_COLUMNS = ("title", "text")
_AGENCY_DROPPED = ("keys",)  # in agency_keys


def _dumps(props: Props) -> str:
    return orjson.dumps(props).decode()


def _ids(values: Iterable[str]) -> str:
    """A list of ids as one JSON parameter, read in SQL with ``json_each``: no limit on how many."""
    return orjson.dumps(list(values)).decode()


# --- a plan's rows ------------------------------------------------------------------------------


@dataclass
class _PlanRows:
    """What one plan puts in each table (``n`` columns numbered from the given bases)."""

    plan: tuple[Any, ...]  # id, place, period, jurisdiction, props, jprops
    source: tuple[Any, ...]  # name, sha256, data
    tables: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)

    def checksum(self) -> str:
        return plan_checksum(self.plan, self.source, self.tables)


def plan_checksum(plan: tuple[Any, ...], source: tuple[Any, ...], tables: dict[str, list[tuple[Any, ...]]]) -> str:
    """SHA-256 of everything stored for one plan, table by table in ``PLAN_TABLES`` order: the
    same values read back give the same sum, a changed byte another."""
    name, sha, data = source if source else (None, None, None)
    digest = hashlib.sha256(orjson.dumps([list(plan), name, sha]))
    digest.update(data or b"")
    for table in schema.PLAN_TABLES:
        digest.update(f"\x00{table}\x00".encode())
        digest.update(orjson.dumps(tables.get(table, [])))
    return digest.hexdigest()


def _check(recs: PlanRecords) -> None:
    """Refuse records whose edges point nowhere, before anything is changed."""
    new = {(n.label, n.id) for n in recs.nodes}
    for e in recs.edges:
        for key in ((e.src_label, e.src), (e.dst_label, e.dst)):
            if key not in new:
                raise ValueError(f"{recs.plan_id}: edge {e.type} refers to unknown node {key}")


def _plan_rows(recs: PlanRecords, base: dict[str, int]) -> _PlanRows:
    """The rows of every table for one plan; ``base``: the last ``n`` used in each numbered table
    (advanced here)."""
    by_label: dict[str, list[Any]] = {}
    for node in recs.nodes:
        by_label.setdefault(node.label, []).append(node)
    plan = by_label["Plan"][0].props
    jur = by_label["Jurisdiction"][0].props
    name = jur.get("name") or recs.jurisdiction
    place = jur.get("code") or name
    data = recs.source
    source = (recs.source_file, plan.get("source_sha256"), zlib.compress(data, 1) if data is not None else None)
    rows = _PlanRows((recs.plan_id, place, plan.get("period") or "", name, _dumps(plan), _dumps(jur)), source)

    def number(table: str, ids: Iterable[str]) -> dict[str, int]:
        out = {}
        for i in ids:
            base[table] += 1
            out[i] = base[table]
        return out

    actions = by_label.get("Action", [])
    tasks = by_label.get("Task", [])
    agencies = [*by_label.get("Agency", []), *by_label.get("AgencyGroup", [])]
    action_n = number("actions", (a.id for a in actions))
    task_n = number("tasks", (t.id for t in tasks))
    agency_n = number("agencies", (a.id for a in agencies))
    rows.tables["actions"] = [(action_n[a.id], a.id, a.props.get("seq"), _dumps(a.props)) for a in actions]
    rows.tables["tasks"] = [
        (task_n[t.id], t.id, action_n.get(t.props.get("action_id"), 0), t.props.get("action_seq"), t.props.get("seq"),
         t.props.get("title"), t.props.get("text"), _dumps({k: v for k, v in t.props.items() if k not in _TASK_COLUMNS}))
        for t in tasks
    ]
    rows.tables["agencies"] = [
        (agency_n[a.id], a.id, int(a.label == "AgencyGroup"), a.props.get("name") or a.id,
         a.props.get("n_lead", 0), a.props.get("n_support", 0), a.props.get("n_responsible", 0),
         _dumps({k: v for k, v in a.props.items() if k not in _AGENCY_DROPPED}))
        for a in agencies
    ]
    rows.tables["agency_keys"] = [(agency_n[a.id], k) for a in agencies for k in dict.fromkeys(a.props.get("keys") or ())]
    kinds, members, roles, leads = [], [], [], []
    for e in recs.edges:
        p = e.props
        if e.type == "IS_KIND":
            kinds.append((agency_n[e.src], e.dst, int(bool(p.get("guessed")))))
        elif e.type == "MEMBER_OF":
            members.append((agency_n[e.src], agency_n[e.dst]))
        elif e.dst_label == "Task" and e.type in TYPE_CODE:
            roles.append((agency_n[e.src], task_n[e.dst], TYPE_CODE[e.type], p.get("spelling"),
                          p.get("span_start"), p.get("span_end")))
        elif e.type == "LEADS" and e.dst_label == "Action":
            leads.append((agency_n[e.src], action_n[e.dst], p.get("spelling"), p.get("span_start"), p.get("span_end")))
    rows.tables.update(agency_kinds=kinds, members=members, roles=roles, action_leads=leads)
    return rows


def _span(start: Any, end: Any) -> tuple[int, int] | None:
    return None if start is None or end is None else (int(start), int(end))


def _where(clauses: list[str]) -> str:
    return f"WHERE {' AND '.join(clauses)}" if clauses else ""


# --- errors -------------------------------------------------------------------------------------

_FILE_ERRORS = (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


def _reason(exc: sqlite3.Error) -> str:
    code = getattr(exc, "sqlite_errorcode", None)  # set on errors raised by SQLite itself
    if code == sqlite3.SQLITE_FULL:
        return "the disk (or the store's size limit) is full"
    if code == sqlite3.SQLITE_READONLY:
        return "the store file is read-only"
    return str(exc)


# --- the store ----------------------------------------------------------------------------------


class EmbeddedStore:
    """The default store. ``path=None``: a store in a temporary folder, removed on ``close``.

    ``create``: make an empty store when the file does not exist (writers); readers pass False
    and get ``StoreMissingError`` instead of an empty store made by mistake.
    """

    def __init__(self, path: Path | str | None = None, create: bool = True) -> None:
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        temporary = path is None
        if path is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="plangraph-store-")
            path = Path(self._tmp.name) / "graph.db"
        self.path = Path(path)
        self._local = threading.local()
        self._conns: list[sqlite3.Connection] = []
        self._conns_lock = threading.Lock()
        self._closed = False
        self._ready = False
        if self.path.exists() or temporary:
            self._ensure(create=True)

    # --- connections ------------------------------------------------------------------------

    def make(self) -> None:
        """Make the store file now, empty, if there is none: for a server that takes uploads, whose
        questions before the first upload answer an empty store rather than "no store here"."""
        self._ensure(create=True)

    def _ensure(self, create: bool) -> None:
        """Open the file as a store: checked before SQLite touches it (a missing file is made only
        for a write: a read never leaves an empty store behind), then the schema made or checked."""
        if self._ready:
            return
        with self._conns_lock:
            if self._ready:
                return
            head = self._head(create)
            conn = self._connect()
            try:
                app_id = conn.execute("PRAGMA application_id").fetchone()[0]
                if app_id == 0 and not head and create:
                    schema.create(conn)
                    app_id = schema.APPLICATION_ID
            except sqlite3.DatabaseError as exc:
                code = getattr(exc, "sqlite_errorcode", None)
                if code in (sqlite3.SQLITE_FULL, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_IOERR):
                    raise StoreWriteError(f"{self.path}: cannot create the store: {_reason(exc)}") from None
                raise StoreFileError(f"{self.path}: not a plangraph store, or damaged ({exc})") from None
            if app_id != schema.APPLICATION_ID:
                raise StoreFileError(f"{self.path}: an SQLite database, but not a plangraph store")
            row = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            if row is None or row[0] != schema.SCHEMA_VERSION:
                raise StoreFileError(f"{self.path}: a plangraph store of schema {row and row[0]}; "
                                     f"this version reads schema {schema.SCHEMA_VERSION}")
            self._ready = True

    def _head(self, create: bool) -> bytes:
        """The file's first bytes ('' for a new store); what is not a store is refused here."""
        try:
            with open(self.path, "rb") as f:
                head = f.read(len(schema.SQLITE_MAGIC))
        except FileNotFoundError:
            if not create:
                raise StoreMissingError(f"{self.path}: no store here (nothing was loaded into it; "
                                        f"load plans first: plangraph load PLANS --db {self.path})") from None
            self.path.parent.mkdir(parents=True, exist_ok=True)
            return b""
        except IsADirectoryError:
            raise StoreFileError(f"{self.path}: a folder, not a store file") from None
        if head and schema.LEGACY_MAGIC.startswith(head):
            raise StoreFileError(
                f"{self.path}: a store of an earlier plangraph (a pickled graph), which this version no longer "
                f"opens; import it once with: plangraph import-legacy {self.path} --db NEW.db")
        if head and head != schema.SQLITE_MAGIC:
            raise StoreFileError(f"{self.path}: not a plangraph store (not an SQLite database)")
        return head

    def _connect(self) -> sqlite3.Connection:
        """This thread's connection (made on first use; the caller holds no lock it needs)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            if self._closed:
                raise StoreError(f"{self.path}: the store was closed")
            try:
                conn = schema.connect(self.path)
            except sqlite3.Error as exc:
                raise StoreFileError(f"{self.path}: cannot open the store ({_reason(exc)})") from None
            self._local.conn = conn
            self._conns.append(conn)
        return conn

    def _conn(self, create: bool = False) -> sqlite3.Connection:
        if not self._ready:
            self._ensure(create)
        conn = getattr(self._local, "conn", None)
        if conn is None:
            with self._conns_lock:
                conn = self._connect()
        return conn

    def close(self) -> None:
        """Close every thread's connection (the last one to close folds the WAL into the file). A
        store on a file may be used again after (it opens new connections); a temporary one is gone."""
        self._closed = self._tmp is not None
        with self._conns_lock:
            conns, self._conns = self._conns, []
        for conn in conns:
            try:
                conn.close()
            except sqlite3.Error:
                pass
        self._local = threading.local()
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        try:
            return self._conn().execute(sql, params).fetchall()
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError) and getattr(exc, "sqlite_errorcode", None) not in _FILE_ERRORS:
                raise StoreError(f"{self.path}: {exc}") from None
            raise StoreFileError(f"{self.path}: damaged store ({exc}); run: plangraph check --db {self.path}") from None

    def _one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        rows = self._rows(sql, params)
        return rows[0][0] if rows else None

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction (``BEGIN IMMEDIATE``: it waits for another writer, then holds the
        write lock until commit); rolled back whole on any failure, which is reported as
        ``StoreWriteError`` (nothing of it stored) when SQLite could not write."""
        conn = self._conn(create=True)
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise StoreWriteError(f"{self.path}: nothing was stored: {_reason(exc)}") from None
        try:
            yield conn
            conn.execute("UPDATE meta SET value = value + 1 WHERE key = 'generation'")
            conn.execute("COMMIT")
        except BaseException as exc:
            try:
                conn.execute("ROLLBACK")
            except sqlite3.Error:  # SQLite rolled back already (a full disk does)
                pass
            if isinstance(exc, sqlite3.Error):
                if getattr(exc, "sqlite_errorcode", None) in _FILE_ERRORS:
                    raise StoreFileError(f"{self.path}: damaged store ({exc}); nothing was stored") from None
                raise StoreWriteError(f"{self.path}: nothing of this write was stored: {_reason(exc)}") from None
            raise

    @property
    def generation(self) -> int:
        """+1 per write transaction, by any process: what a reader compares to know the store changed."""
        return int(self._one("SELECT value FROM meta WHERE key = 'generation'") or 0)

    # --- writes -----------------------------------------------------------------------------

    def replace_plan(self, plan: PlanLike) -> LoadResult:
        return self.replace_plans([plan])[0]

    def replace_plans(self, plans: Iterable[PlanLike], progress: Progress | None = None) -> list[LoadResult]:
        results: list[LoadResult] = []
        batch: list[PlanRecords] = []
        for plan in plans:
            recs = as_records(plan)
            _check(recs)
            batch.append(recs)
            if len(batch) >= PLANS_PER_COMMIT:
                results += self._write(batch, progress)
                batch = []
        if batch:
            results += self._write(batch, progress)
        if len(results) > PLANS_PER_COMMIT:
            self._rows("PRAGMA optimize")  # table statistics for the query planner after a bulk load
        return results

    def _write(self, batch: list[PlanRecords], progress: Progress | None, replacing: int | None = None) -> list[LoadResult]:
        results = []
        with self._transaction() as conn:
            if replacing is not None:  # the stored plan ``replacing`` goes in the same transaction
                row = conn.execute("SELECT place, jurisdiction FROM plans WHERE n = ?", (replacing,)).fetchone()
                _delete_rows(conn, replacing)
                if row is not None:
                    _set_current(conn, *row)
            base = {t: conn.execute(f"SELECT COALESCE(MAX(n), 0) FROM {t}").fetchone()[0]
                    for t in ("plans", "actions", "tasks", "agencies")}
            for recs in batch:
                rows = _plan_rows(recs, base)
                _, place, period, name = rows.plan[:4]
                old = conn.execute("SELECT n FROM plans WHERE place IN (?, ?) AND period = ?", (place, name, period)).fetchall()
                for (n,) in old:
                    _delete_rows(conn, n)
                base["plans"] += 1
                self._insert(conn, base["plans"], rows)
                _set_current(conn, place, name)
                results.append(LoadResult(
                    plan_id=recs.plan_id, jurisdiction=recs.jurisdiction, source_file=recs.source_file,
                    nodes=len(recs.nodes), edges=len(recs.edges), tasks=recs.tasks,
                    assignments=recs.assignments, replaced=bool(old),
                ))
        if progress:
            for result in results:
                progress(result)
        return results

    @staticmethod
    def _insert(conn: sqlite3.Connection, n: int, rows: _PlanRows) -> None:
        conn.execute("INSERT INTO plans VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?)", (n, *rows.plan, rows.checksum()))
        conn.execute("INSERT INTO sources VALUES (?, ?, ?, ?)", (n, *rows.source))
        for table, columns in schema.PLAN_TABLES.items():
            values = rows.tables.get(table)
            if values:
                marks = ", ".join("?" * (len(columns) + 1))
                conn.executemany(f"INSERT INTO {table} (plan, {', '.join(columns)}) VALUES ({marks})",
                                 [(n, *v) for v in values])

    def delete_plan(self, plan_id: str) -> bool:
        with self._transaction() as conn:
            found = conn.execute("SELECT n, place, jurisdiction FROM plans WHERE id = ? AND current", (plan_id,)).fetchall()
            for n, place, name in found:
                _delete_rows(conn, n)
                _set_current(conn, place, name)
        return bool(found)

    # --- derived data -----------------------------------------------------------------------

    def load_derived(self, name: str) -> tuple[int, str, bytes] | None:
        """(generation, version, data) of what was derived from all plans and saved as ``name``."""
        rows = self._rows("SELECT generation, version, data FROM derived WHERE name = ?", (name,))
        return (int(rows[0][0]), rows[0][1], bytes(rows[0][2])) if rows else None

    def save_derived(self, name: str, generation: int, version: str, data: bytes) -> bool:
        """Keep ``data`` as derived from the store at ``generation``; False (nothing saved) when the
        store was written since. Saving is no write of plans: the generation stays."""
        conn = self._conn()
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                if conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()[0] != generation:
                    conn.execute("ROLLBACK")
                    return False
                conn.execute("INSERT OR REPLACE INTO derived VALUES (?, ?, ?, ?)", (name, generation, version, data))
                conn.execute("COMMIT")
                return True
            except BaseException:
                try:
                    conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
                raise
        except sqlite3.Error as exc:
            raise StoreWriteError(f"{self.path}: {name} not saved: {_reason(exc)}") from None

    # --- checks and sources -----------------------------------------------------------------

    def check(self) -> CheckReport:
        """SQLite's integrity check, and each plan's checksum against what its rows hold now."""
        try:
            problems = [r[0] for r in self._conn().execute("PRAGMA integrity_check").fetchall()]
        except sqlite3.DatabaseError as exc:
            problems = [str(exc)]
        problems = [p for p in problems if p != "ok"]
        damaged: list[DamagedPlan] = []
        try:
            plans = self._conn().execute("SELECT n, id, place, period, jurisdiction, props, jprops, checksum FROM plans ORDER BY n").fetchall()
        except sqlite3.DatabaseError as exc:
            return CheckReport(problems=[*problems, f"plans table unreadable: {exc}"], damaged=[], plans=0)
        for n, plan_id, place, period, name, props, jprops, checksum in plans:
            reason = self._plan_problem(n, (plan_id, place, period, name, props, jprops), checksum)
            if reason:
                damaged.append(DamagedPlan(plan_id=plan_id, jurisdiction=name, period=period, reason=reason))
        return CheckReport(problems=problems, damaged=damaged, plans=len(plans))

    def _plan_problem(self, n: int, plan: tuple[Any, ...], checksum: str) -> str | None:
        conn = self._conn()
        try:
            source = conn.execute("SELECT name, sha256, data FROM sources WHERE plan = ?", (n,)).fetchone()
            tables = {
                t: conn.execute(f"SELECT {', '.join(c)} FROM {t} WHERE plan = ? ORDER BY rowid", (n,)).fetchall()
                for t, c in schema.PLAN_TABLES.items()
            }
        except sqlite3.DatabaseError as exc:
            return f"rows unreadable: {exc}"
        if plan_checksum(plan, tuple(source) if source else (), tables) != checksum:
            return "what is stored differs from what was written (checksum)"
        return None

    def kept_sources(self) -> list[KeptSource]:
        """The file each stored plan was read from, as kept; ``data`` None when it was not kept
        (a plan stored from a parsed object) or no longer matches its SHA-256 (damaged)."""
        out = []
        for n, plan_id, name, period, file, sha, data in self._rows(
                "SELECT p.n, p.id, p.jurisdiction, p.period, s.name, s.sha256, s.data FROM plans p "
                "LEFT JOIN sources s ON s.plan = p.n ORDER BY p.n"):
            raw: bytes | None = None
            problem = "no source file was kept for this plan"
            if data is not None:
                try:
                    raw = zlib.decompress(data)
                    problem = ""
                except zlib.error:
                    raw, problem = None, "its kept source is damaged"
                if raw is not None and sha and hashlib.sha256(raw).hexdigest() != sha:
                    raw, problem = None, "its kept source is damaged (SHA-256 differs)"
            out.append(KeptSource(key=n, plan_id=plan_id, jurisdiction=name, period=period, file=file or "",
                                  data=raw, problem=problem or None))
        return out

    def replace_kept(self, key: int, plan: PlanLike) -> LoadResult:
        """Store ``plan`` in place of the stored plan ``key`` (``KeptSource.key``), in one
        transaction: the repair of ``plangraph reparse``, which must drop the damaged rows even
        where the damage changed the place or period they name."""
        recs = as_records(plan)
        _check(recs)
        return self._write([recs], None, replacing=key)[0]

    def checkpoint(self) -> int:
        """Fold the write-ahead log into the file (``wal_checkpoint(TRUNCATE)``), so that the file
        alone holds every committed plan (to copy it). Returns the log's pages folded in."""
        self._conn()
        try:
            busy, log, folded = self._conn().execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        except sqlite3.DatabaseError as exc:
            raise StoreWriteError(f"{self.path}: the write-ahead log could not be folded in: {_reason(exc)}") from None
        if busy:
            raise StoreError(f"{self.path}: other processes are reading or writing; the log is folded in as they finish")
        return max(int(folded), 0)

    def rebuild_indexes(self) -> None:
        """``REINDEX``: indexes made again from the tables (a repair when only an index was damaged)."""
        with self._transaction() as conn:
            conn.execute("REINDEX")

    # --- stats ------------------------------------------------------------------------------

    def stats(self) -> Stats:
        def count(table: str, where: str = "") -> int:
            return int(self._one(f"SELECT COUNT(*) FROM {table} x {CURRENT.format('x')} {where}"))

        plans = int(self._one("SELECT COUNT(*) FROM plans WHERE current"))
        agencies = count("agencies", "WHERE x.is_group = 0")
        groups = count("agencies", "WHERE x.is_group = 1")
        actions, tasks = count("actions"), count("tasks")
        kinds = int(self._one(f"SELECT COUNT(DISTINCT x.kind) FROM agency_kinds x {CURRENT.format('x')}"))
        roles = dict(self._rows(f"SELECT x.role, COUNT(*) FROM roles x {CURRENT.format('x')} GROUP BY x.role"))
        nodes = {"Jurisdiction": plans, "Plan": plans, "Action": actions, "Task": tasks, "Agency": agencies,
                 "AgencyGroup": groups, "AgencyKind": kinds}
        edges = {
            "LEADS": roles.get(0, 0) + count("action_leads"), "SUPPORTS": roles.get(1, 0),
            "RESPONSIBLE": roles.get(2, 0), "IN": tasks + actions, "OF": plans + agencies + groups,
            "MEMBER_OF": count("members"), "IS_KIND": count("agency_kinds"),
        }
        return {"nodes": {k: v for k, v in sorted(nodes.items()) if v},
                "edges": {k: v for k, v in sorted(edges.items()) if v}}

    # --- reads ------------------------------------------------------------------------------

    def jurisdictions(self) -> list[JurisdictionRow]:
        rows = self._rows("SELECT jprops, props FROM plans WHERE current")
        return sort_rows(JurisdictionRow.from_props(orjson.loads(j), orjson.loads(p)) for j, p in rows)

    def jurisdiction(self, name: str) -> JurisdictionRow | None:
        rows = self._rows("SELECT jprops, props FROM plans WHERE jurisdiction = ? AND current", (name,))
        return JurisdictionRow.from_props(orjson.loads(rows[0][0]), orjson.loads(rows[0][1])) if rows else None

    def jurisdiction_names(self) -> list[str]:
        """Every jurisdiction's name (the query layer's prefixes and suggestions), sorted."""
        return [r[0] for r in self._rows("SELECT jurisdiction FROM plans WHERE current ORDER BY jurisdiction")]

    def actions(self, jurisdiction: str) -> list[ActionRow]:
        rows = self._rows(f"SELECT a.props FROM actions a {CURRENT.format('a')} WHERE p.jurisdiction = ?", (jurisdiction,))
        return sort_rows(ActionRow.from_props(orjson.loads(r[0])) for r in rows)

    def tasks(
        self, jurisdiction: str | None = None, action_id: str | None = None,
        ids: Sequence[str] | None = None,
    ) -> list[TaskRow]:
        where, params = self._task_filters(jurisdiction, action_id, ids)
        return self._task_rows(where, params)

    @staticmethod
    def _task_filters(
        jurisdiction: str | None, action_id: str | None, ids: Sequence[str] | None
    ) -> tuple[list[str], list[Any]]:
        where: list[str] = []
        params: list[Any] = []
        if ids is not None:
            where.append("t.id IN (SELECT value FROM json_each(?))")
            params.append(_ids(ids))
        if action_id is not None:
            where.append("t.action IN (SELECT n FROM actions WHERE id = ?)")
            params.append(action_id)
        if jurisdiction is not None:
            where.append("p.jurisdiction = ?")
            params.append(jurisdiction)
        return where, params

    def _task_rows(self, where: list[str], params: list[Any]) -> list[TaskRow]:
        rows = self._rows(f"SELECT t.title, t.text, t.props FROM tasks t {CURRENT.format('t')} {_where(where)} "
                          "ORDER BY p.jurisdiction, t.action_seq, t.seq, t.id", params)  # = sort_rows' order
        return [TaskRow.from_props({**orjson.loads(p), "title": title, "text": text}) for title, text, p in rows]

    def task(self, task_id: str) -> TaskRow | None:
        found = self._task_rows(["t.id = ?"], [task_id])
        return found[0] if found else None

    def search_tasks(self, text: str, jurisdiction: str | None = None) -> list[TaskRow]:
        where, params = self._task_filters(jurisdiction, None, None)
        return self._task_rows([*where, "(instr(t.title, ?) > 0 OR instr(t.text, ?) > 0)"], [*params, text, text])

    def agencies(
        self, jurisdiction: str | None = None, ids: Sequence[str] | None = None,
        name: str | None = None, kind: str | None = None, include_groups: bool = True,
    ) -> list[AgencyRow]:
        where: list[str] = []
        params: list[Any] = []
        if ids is not None:
            where.append("a.id IN (SELECT value FROM json_each(?))")
            params.append(_ids(ids))
        if name is not None:
            where.append("a.n IN (SELECT agency FROM agency_keys WHERE key = ?)")
            params.append(name)
        if kind is not None:
            where.append("a.n IN (SELECT agency FROM agency_kinds WHERE kind = ?)")
            params.append(kind)
        if jurisdiction is not None:
            where.append("p.jurisdiction = ?")
            params.append(jurisdiction)
        if not include_groups:
            where.append("a.is_group = 0")
        return self._agency_rows(f"SELECT a.props, a.is_group FROM agencies a {CURRENT.format('a')} {_where(where)}", params)

    def _agency_rows(self, sql: str, params: Sequence[Any]) -> list[AgencyRow]:
        rows = self._rows(sql + " ORDER BY p.jurisdiction, a.is_group, a.name, a.id", params)  # = sort_rows' order
        return [AgencyRow.from_props(orjson.loads(props), bool(g)) for props, g in rows]

    def group_members(self, group_id: str) -> list[AgencyRow]:
        return self._agency_rows(
            f"SELECT a.props, a.is_group FROM members m {CURRENT.format('m')} JOIN agencies a ON a.n = m.agency "
            "JOIN agencies g ON g.n = m.grp WHERE g.id = ? AND g.is_group", (group_id,))

    def kinds(self) -> list[KindRow]:
        rows = self._rows(f"SELECT k.kind, COUNT(*) FROM agency_kinds k {CURRENT.format('k')} GROUP BY k.kind")
        return sort_rows(KindRow(kind=k, agencies=n) for k, n in rows)

    _ASSIGNMENTS = (
        "SELECT r.role, r.spelling, r.span_start, r.span_end, a.id, a.name, a.is_group, t.n, t.title, t.props "
        "FROM roles r {current} JOIN agencies a ON a.n = r.agency JOIN tasks t ON t.n = r.task {where}"
    )
    _ASSIGNMENT_ORDER = (
        " ORDER BY p.jurisdiction, t.action_seq, t.seq, r.role,"
        " CASE WHEN r.span_start IS NULL OR r.span_end IS NULL THEN 0 ELSE r.span_start END,"
        " CASE WHEN r.span_start IS NULL OR r.span_end IS NULL THEN 0 ELSE r.span_end END, a.id"
    )

    @staticmethod
    def _assignment_filters(
        agency_ids: Sequence[str] | None, task_ids: Sequence[str] | None,
        roles: Sequence[Role] | None, jurisdiction: str | None,
    ) -> tuple[str, list[Any]]:
        where: list[str] = []
        params: list[Any] = []
        if agency_ids is not None:
            where.append("r.agency IN (SELECT n FROM agencies WHERE id IN (SELECT value FROM json_each(?)))")
            params.append(_ids(agency_ids))
        if task_ids is not None:
            where.append("r.task IN (SELECT n FROM tasks WHERE id IN (SELECT value FROM json_each(?)))")
            params.append(_ids(task_ids))
        if roles is not None:
            where.append(f"r.role IN ({', '.join(str(ROLE_CODE[r]) for r in dict.fromkeys(roles))})")
        if jurisdiction is not None:
            where.append("p.jurisdiction = ?")
            params.append(jurisdiction)
        return _where(where), params

    def _assignment_rows(self, sql: str, params: Sequence[Any]) -> list[AssignmentRow]:
        tasks: dict[int, Props] = {}
        out = []
        for role, spelling, start, end, a_id, a_name, is_group, t_n, title, props in self._rows(sql, params):
            t = tasks.get(t_n)
            if t is None:
                t = tasks[t_n] = orjson.loads(props)
            out.append(AssignmentRow.model_construct(  # values straight from the store's own columns
                role=ROLES[role], agency_id=a_id, agency_name=a_name, agency_is_group=bool(is_group),
                spelling=spelling or a_name, span=_span(start, end), clause=t.get("clause"), task_id=t["id"],
                task_seq=t["seq"], task_title=title or "", action_id=t["action_id"], action_seq=t["action_seq"],
                action_key=t.get("action_key") or "", action_title=t.get("action_title") or "",
                plan_id=t["plan_id"], jurisdiction=t["jurisdiction"],
            ))
        return out

    def assignments(
        self, agency_ids: Sequence[str] | None = None, task_ids: Sequence[str] | None = None,
        roles: Sequence[Role] | None = None, jurisdiction: str | None = None,
    ) -> list[AssignmentRow]:
        where, params = self._assignment_filters(agency_ids, task_ids, roles, jurisdiction)
        sql = self._ASSIGNMENTS.format(current=CURRENT.format("r"), where=where) + self._ASSIGNMENT_ORDER
        return self._assignment_rows(sql, params)

    def assignments_page(
        self, offset: int, limit: int, agency_ids: Sequence[str] | None = None,
        task_ids: Sequence[str] | None = None, roles: Sequence[Role] | None = None,
        jurisdiction: str | None = None,
    ) -> tuple[int, list[AssignmentRow]]:
        """``(len(rows), rows[offset:offset + limit])`` for ``rows = assignments(...)``: SQLite
        counts and orders, and only the page's rows are made (a national "科协" has 40,000)."""
        if offset < 0 or limit < 0:  # slice arithmetic from the end: no shortcut
            rows = self.assignments(agency_ids, task_ids, roles, jurisdiction)
            return len(rows), rows[offset: offset + limit]
        if agency_ids is not None and task_ids is None and jurisdiction is None:
            return self._agencies_page(offset, limit, agency_ids, roles)
        where, params = self._assignment_filters(agency_ids, task_ids, roles, jurisdiction)
        current = CURRENT.format("r")
        total = int(self._one(f"SELECT COUNT(*) FROM roles r {current} {where}", params))
        sql = self._ASSIGNMENTS.format(current=current, where=where) + self._ASSIGNMENT_ORDER + " LIMIT ? OFFSET ?"
        return total, self._assignment_rows(sql, [*params, limit, offset])

    def _agencies_page(
        self, offset: int, limit: int, agency_ids: Sequence[str], roles: Sequence[Role] | None,
    ) -> tuple[int, list[AssignmentRow]]:
        """``assignments_page`` for many agencies ("科协" names 2,800 nationally, with 38,000 lead
        edges): the total from the agencies' own edge counts, and the page from the agencies of
        the first places only. Rows sort by jurisdiction first, and an agency's edges are all in
        its own jurisdiction, so the places before the page are skipped whole by their counts."""
        columns = [f"a.n_{r}" for r in (roles if roles is not None else ROLES)]
        found = self._rows(
            f"SELECT p.jurisdiction, a.n, {' + '.join(dict.fromkeys(columns))} FROM agencies a {CURRENT.format('a')} "
            "WHERE a.id IN (SELECT value FROM json_each(?))", (_ids(dict.fromkeys(agency_ids)),))
        by_place: dict[str, list[tuple[int, int]]] = {}
        for place, n, edges in found:
            by_place.setdefault(place, []).append((n, edges or 0))
        total = sum(edges for group in by_place.values() for _, edges in group)
        skipped, taken, wanted = 0, 0, []
        for place in sorted(by_place):
            count = sum(edges for _, edges in by_place[place])
            if not wanted and skipped + count <= offset:  # a place wholly before the page
                skipped += count
                continue
            wanted += [n for n, _ in by_place[place]]
            taken += count
            if skipped + taken >= offset + limit:
                break
        if not wanted:
            return total, []
        role_filter = f" AND r.role IN ({', '.join(str(ROLE_CODE[r]) for r in dict.fromkeys(roles))})" if roles is not None else ""
        sql = self._ASSIGNMENTS.format(
            current=CURRENT.format("r"),
            where=f"WHERE r.agency IN (SELECT value FROM json_each(?)){role_filter}",
        ) + self._ASSIGNMENT_ORDER + " LIMIT ? OFFSET ?"
        return total, self._assignment_rows(sql, [orjson.dumps(wanted).decode(), limit, offset - skipped])

    def action_leads(
        self, jurisdiction: str | None = None, agency_ids: Sequence[str] | None = None,
        action_ids: Sequence[str] | None = None,
    ) -> list[ActionLeadRow]:
        where: list[str] = []
        params: list[Any] = []
        if agency_ids is not None:
            where.append("l.agency IN (SELECT n FROM agencies WHERE id IN (SELECT value FROM json_each(?)))")
            params.append(_ids(agency_ids))
        if action_ids is not None:
            where.append("l.action IN (SELECT n FROM actions WHERE id IN (SELECT value FROM json_each(?)))")
            params.append(_ids(action_ids))
        if jurisdiction is not None:
            where.append("p.jurisdiction = ?")
            params.append(jurisdiction)
        rows = self._rows(
            "SELECT l.spelling, l.span_start, l.span_end, a.id, a.name, a.is_group, x.props "
            f"FROM action_leads l {CURRENT.format('l')} JOIN agencies a ON a.n = l.agency "
            f"JOIN actions x ON x.n = l.action {_where(where)} ORDER BY p.jurisdiction, x.seq,"
            " CASE WHEN l.span_start IS NULL OR l.span_end IS NULL THEN 0 ELSE l.span_start END,"
            " CASE WHEN l.span_start IS NULL OR l.span_end IS NULL THEN 0 ELSE l.span_end END, a.id", params)
        out = []
        for spelling, start, end, a_id, a_name, is_group, props in rows:
            x = orjson.loads(props)
            out.append(ActionLeadRow.model_construct(  # values straight from the store's own columns
                agency_id=a_id, agency_name=a_name, agency_is_group=bool(is_group), spelling=spelling or a_name,
                span=_span(start, end), action_id=x["id"], action_seq=x["seq"], action_key=x.get("key") or "",
                action_title=x.get("title") or "", plan_id=x["plan_id"], jurisdiction=x["jurisdiction"],
            ))
        return out


def _delete_rows(conn: sqlite3.Connection, n: int) -> None:
    """Every row of the stored plan ``n`` (within the caller's transaction)."""
    for table in schema.PLAN_TABLES:
        conn.execute(f"DELETE FROM {table} WHERE plan = ?", (n,))
    conn.execute("DELETE FROM sources WHERE plan = ?", (n,))
    conn.execute("DELETE FROM plans WHERE n = ?", (n,))


def _set_current(conn: sqlite3.Connection, place: str, name: str) -> None:
    """Of a place's stored plans, the latest period is the current one (its ids resolve to it)."""
    conn.execute(
        "UPDATE plans SET current = (n = (SELECT n FROM plans WHERE place IN (?1, ?2) ORDER BY period DESC, n DESC LIMIT 1)) "
        "WHERE place IN (?1, ?2)", (place, name))
