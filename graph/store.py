"""The ``GraphStore`` protocol: what every store does, and what the query layer may ask.

Why a protocol: the same questions must give the same answers on the embedded store (SQLite, one
file) and on Neo4j, so the query layer (``plangraph.queries``) and the API are written against this
interface only. Writes are whole plans; reads are a handful of primitives, each answered from an
index (by id, jurisdiction, agency, name, kind or role), never by scanning every edge, and each
returning the rows of ``graph/rows.py`` in one fixed order.

What only some stores can do is a protocol of its own below (``CountsWrites``, ``PagesAssignments``,
``KeepsDerived``, ``Verifiable``), checked with ``isinstance``: the embedded store has them all,
the Neo4j store none (a caller falls back to the plain reads).

Example:
    >>> from plangraph.graph.store import open_store
    >>> store = open_store("embedded", db="/tmp/plangraph-doctest/graph.bin")  # doctest: +SKIP
    >>> store.replace_plan(plan)                                              # doctest: +SKIP
    >>> [a.task_title for a in store.assignments(agency_ids=["丰都县:县科协"], roles=["lead"])]  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from .build import PlanRecords
from .errors import StoreError, StoreFileError, StoreMissingError
from .model import Plan, Role
from .rows import (
    ActionLeadRow,
    ActionRow,
    AgencyRow,
    AssignmentRow,
    JurisdictionRow,
    KindRow,
    LoadResult,
    TaskRow,
)
from .settings import Neo4jSettings, StoreKind, StoreSettings

__all__ = [
    "CheckReport", "CountsWrites", "DamagedPlan", "GraphStore", "KeepsDerived", "KeptSource",
    "PagesAssignments", "Stats", "Verifiable", "check_store_file", "open_store",
]

#: ``{"nodes": {label: count}, "edges": {TYPE: count}}``
Stats = dict[str, dict[str, int]]
PlanLike = Plan | PlanRecords
Progress = Callable[[LoadResult], None]


@runtime_checkable
class GraphStore(Protocol):
    """A graph of plans. Every method is safe to call from several threads.

    Writes: ``replace_plan`` is atomic per plan (a reader sees the old plan or the new one, never
    half) and touches no other plan. Reads: optional filters combine with AND; ``None`` means "any".
    """

    # --- writes -----------------------------------------------------------------------------

    def replace_plan(self, plan: PlanLike) -> LoadResult:
        """Store a plan, replacing the stored plan of the same jurisdiction and period (the
        embedded store keeps plans of other periods; Neo4j keeps one plan per jurisdiction)."""
        ...

    def replace_plans(self, plans: Iterable[PlanLike], progress: Progress | None = None) -> list[LoadResult]:
        """Bulk form of ``replace_plan``: each plan still atomic; persisted/committed in batches."""
        ...

    def delete_plan(self, plan_id: str) -> bool:
        """Remove a plan and everything that belongs to it; False when it was not stored."""
        ...

    def stats(self) -> Stats:
        """``{"nodes": {label: count}, "edges": {TYPE: count}}``, labels and types sorted."""
        ...

    def close(self) -> None: ...

    # --- reads ------------------------------------------------------------------------------

    def jurisdictions(self) -> list[JurisdictionRow]:
        """Every jurisdiction with its plan's summary (counts of actions, tasks, agencies…)."""
        ...

    def jurisdiction(self, name: str) -> JurisdictionRow | None: ...

    def actions(self, jurisdiction: str) -> list[ActionRow]:
        """A jurisdiction's actions in plan order."""
        ...

    def tasks(
        self, jurisdiction: str | None = None, action_id: str | None = None,
        ids: Sequence[str] | None = None,
    ) -> list[TaskRow]:
        """Tasks (full text, span, clause) of a jurisdiction, an action, or by id; all when no filter."""
        ...

    def task(self, task_id: str) -> TaskRow | None: ...

    def agencies(
        self, jurisdiction: str | None = None, ids: Sequence[str] | None = None,
        name: str | None = None, kind: str | None = None, include_groups: bool = True,
    ) -> list[AgencyRow]:
        """Agencies and groups. ``name`` matches exactly one of an agency's keys: its canonical
        name, any spelling, the stem of either without the jurisdiction prefix (``kinds.strip_prefix``:
        "科协" finds every 县科协/市科协) or its alias key (``names.name_key``: "人社局"). Fuzzy matching
        is the query layer's job (list all agencies once to build its own index)."""
        ...

    def assignments(
        self, agency_ids: Sequence[str] | None = None, task_ids: Sequence[str] | None = None,
        roles: Sequence[Role] | None = None, jurisdiction: str | None = None,
    ) -> list[AssignmentRow]:
        """Agency -> task edges: role, spelling as written, span, clause, task, action, jurisdiction."""
        ...

    def action_leads(
        self, jurisdiction: str | None = None, agency_ids: Sequence[str] | None = None,
        action_ids: Sequence[str] | None = None,
    ) -> list[ActionLeadRow]:
        """Agencies named as lead of a whole action."""
        ...

    def group_members(self, group_id: str) -> list[AgencyRow]:
        """The agencies a group lists as its members (empty when the plan lists none)."""
        ...

    def kinds(self) -> list[KindRow]:
        """Every agency kind with how many agencies (and groups) have it."""
        ...

    def search_tasks(self, text: str, jurisdiction: str | None = None) -> list[TaskRow]:
        """Tasks whose title or text contains ``text`` (a substring; Chinese has no word breaks)."""
        ...


@runtime_checkable
class CountsWrites(Protocol):
    """A store that counts its writes: ``generation`` changes with every write, by any process.
    The one way the query layer knows that what it derived from the store is out of date."""

    @property
    def generation(self) -> int: ...


@runtime_checkable
class PagesAssignments(Protocol):
    """A store that answers one page of ``assignments`` without making every row."""

    def assignments_page(
        self, offset: int, limit: int, agency_ids: Sequence[str] | None = None,
        task_ids: Sequence[str] | None = None, roles: Sequence[Role] | None = None,
        jurisdiction: str | None = None,
    ) -> tuple[int, list[AssignmentRow]]:
        """``(len(rows), rows[offset:offset + limit])`` for ``rows = assignments(...)``."""
        ...


@runtime_checkable
class KeepsDerived(Protocol):
    """A store that keeps what is computed from all its plans (themes), tagged with the
    ``generation`` it was computed at."""

    @property
    def generation(self) -> int: ...

    def load_derived(self, name: str) -> tuple[int, str, bytes] | None:
        """(generation, version, data) saved under ``name``, or None."""
        ...

    def save_derived(self, name: str, generation: int, version: str, data: bytes) -> bool:
        """Save unless the store was written since ``generation`` (then False)."""
        ...


@dataclass(frozen=True)
class DamagedPlan:
    plan_id: str
    jurisdiction: str
    period: str
    reason: str


@dataclass(frozen=True)
class CheckReport:
    """``problems``: what the database's own check found; ``damaged``: plans whose stored rows no
    longer match their checksum."""

    problems: list[str]
    damaged: list[DamagedPlan]
    plans: int

    @property
    def ok(self) -> bool:
        return not self.problems and not self.damaged


@dataclass(frozen=True)
class KeptSource:
    """The file a stored plan was read from, as the store kept it (``data`` None: not usable);
    ``key``: the store's number of the stored plan (for ``replace_kept``)."""

    key: int
    plan_id: str
    jurisdiction: str
    period: str
    file: str
    data: bytes | None
    problem: str | None = None


@runtime_checkable
class Verifiable(Protocol):
    """A store that keeps each plan's source and checksum: ``plangraph check`` and ``reparse``."""

    path: Path

    def check(self) -> CheckReport: ...

    def kept_sources(self) -> list[KeptSource]: ...

    def replace_kept(self, key: int, plan: PlanLike) -> LoadResult:
        """Store ``plan`` in place of the stored plan ``key``, in one transaction."""
        ...

    def rebuild_indexes(self) -> None: ...

    def checkpoint(self) -> int:
        """Make the file alone hold every committed write (to copy it); pages folded in."""
        ...


def open_store(
    kind: StoreKind | None = None, db: Path | str | None = None, *, create: bool = True, **neo4j: Any
) -> GraphStore:
    """The store the settings (or the arguments) name: embedded at ``db``, or Neo4j.

    ``create=False`` is for readers: an embedded store that does not exist raises
    ``StoreMissingError`` (a wrong directory or ``--db`` would otherwise answer as an empty graph)
    instead of starting an empty one. ``neo4j`` keyword arguments override ``Neo4jSettings``
    fields (uri, user, password, database).
    """
    settings = StoreSettings()
    kind = kind or settings.plangraph_store
    if kind == "embedded":
        from .embedded import EmbeddedStore

        path = settings.db_path(db)
        check_store_file(path, must_exist=not create)
        try:
            store = EmbeddedStore(path, create=create)
            if not create:
                store.generation  # a foreign or damaged file is reported here, not by the first question
            return store
        except OSError as exc:  # unreadable (permissions, an I/O error): the user's to fix, not a bug
            raise StoreError(f"{path}: cannot open the store: {exc.strerror or exc}") from exc
    if kind == "neo4j":
        from neo4j.exceptions import DriverError, Neo4jError

        from .neo4j import Neo4jStore

        try:
            return Neo4jStore.connect(Neo4jSettings(**neo4j))
        except (DriverError, Neo4jError) as exc:  # unreachable, refused credentials: the user's to fix
            # the driver's message names the address, never the password
            raise StoreError(f"cannot open the neo4j store: {' '.join(str(exc).split())}") from exc
    raise ValueError(f"unknown store {kind!r}: use 'embedded' or 'neo4j'")


def check_store_file(path: Path, must_exist: bool) -> None:
    """Raise the ``StoreError`` a user can act on for an embedded store path that cannot be one: a
    folder, or (``must_exist``) nothing at all."""
    if path.is_dir():
        raise StoreFileError(f"{path}: is a folder, not a store file (name the file, e.g. {path / 'graph.bin'})")
    if must_exist and not path.exists():
        raise StoreMissingError(
            f"{path}: no plangraph store here (load plans first with `plangraph load PLANS --db {path}`, "
            "or name the store with --db or PLANGRAPH_DB)")
