"""Names as users type them -> the agencies and jurisdictions they mean.

People write "县科协", "科协", "丰都县科协", "县人社局" or its long form "县人力资源社会保障局". Each is
looked up on the store's name index under the keys the loaders compare spellings by (the exact
spelling, the stem without the jurisdiction prefix, the alias key); a jurisdiction named at the
front ("丰都县科协") narrows the search to it. A name that matches nothing gets the closest known
names as suggestions, found with rapidfuzz on characters (token scorers split on spaces, which
Chinese has none of).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from rapidfuzz import fuzz, process

from plangraph.graph.kinds import strip_prefix
from plangraph.graph.names import name_key
from plangraph.graph.rows import AgencyRow
from plangraph.graph.store import CountsWrites, GraphStore

from .errors import NotFound

SUGGESTIONS = 5
SUGGESTION_CUTOFF = 40
DERIVED_KEPT = 1 << 16  # answers kept by NameCatalog.derived for one store generation
_MISSING = object()
T = TypeVar("T")


@dataclass(frozen=True)
class Resolved:
    """What a typed name resolved to: the agencies, and their ids (a national "科协" is 2,800:
    listing their ids took a third of such a request)."""

    agencies: tuple[AgencyRow, ...]
    ids: tuple[str, ...]


class NameCatalog:
    """A store, and what the query layer derives from it again and again (the jurisdiction names
    for prefixes, what a typed name resolves to, a place's division of work), kept for one store
    generation.

    A store that counts its writes (``CountsWrites``: the embedded one, whichever process wrote)
    is asked its generation, and everything kept is dropped when it changed: the one way to know
    the store changed. A store that does not (Neo4j) keeps nothing: every question reads afresh.
    """

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self._counts = isinstance(store, CountsWrites)
        self._lock = threading.Lock()
        self._kept: tuple[int | None, dict[Hashable, Any]] = (None, {})

    def refresh(self) -> None:
        """Forget everything kept (the next question reads the store again)."""
        with self._lock:
            self._kept = (None, {})

    def _memo(self) -> dict[Hashable, Any] | None:
        if not self._counts:
            return None
        generation = self.store.generation  # type: ignore[attr-defined]
        kept = self._kept  # one reference: a newer generation replaces the pair, never empties this dict
        if kept[0] != generation:
            with self._lock:
                if self._kept[0] != generation:
                    self._kept = (generation, {})
                kept = self._kept
        return kept[1]

    def derived(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, kept until the store is written (at most ``DERIVED_KEPT`` answers).
        Callers must not change what they get."""
        memo = self._memo()
        if memo is None:
            return compute()
        found = memo.get(key, _MISSING)
        if found is _MISSING:
            found = compute()
            if len(memo) >= DERIVED_KEPT:
                memo.clear()
            memo[key] = found
        return found

    def _names(self) -> tuple[list[str], frozenset[str], tuple[int, ...]]:
        def read() -> tuple[list[str], frozenset[str], tuple[int, ...]]:
            names = sorted((j.name for j in self.store.jurisdictions()), key=len, reverse=True)
            return names, frozenset(names), tuple(sorted({len(j) for j in names}, reverse=True))

        return self.derived(("jurisdiction names",), read)

    def jurisdictions(self) -> list[str]:
        return self._names()[0]

    def agency_names(self) -> list[str]:
        return self.derived(("agency names",), lambda: sorted({s for a in self.store.agencies() for s in (a.name, *a.spellings)}))

    def is_jurisdiction(self, name: str) -> bool:
        return name in self._names()[1]

    def resolved(
        self, typed: str, jurisdiction: str | None,
        resolve: Callable[[NameCatalog, str, str | None], list[AgencyRow]],
    ) -> Resolved:
        """``resolve(self, typed, jurisdiction)``, kept until the store is written."""

        def compute() -> Resolved:
            rows = tuple(resolve(self, typed, jurisdiction))
            return Resolved(rows, tuple(a.id for a in rows))

        return self.derived(("agencies", typed, jurisdiction), compute)

    def split_jurisdiction(self, name: str) -> tuple[str | None, str]:
        """("丰都县", "科协") for "丰都县科协"; (None, name) when no known jurisdiction leads it.

        The longest known name that is a proper prefix: one set look-up per name length.
        """
        _, known, lengths = self._names()
        for size in lengths:
            if size < len(name) and name[:size] in known:
                return name[:size], name[size:]
        return None, name


def suggest(typed: str, choices: Sequence[str], limit: int = SUGGESTIONS) -> list[str]:
    """The closest names to ``typed`` by character similarity."""
    found = process.extract(typed, choices, scorer=fuzz.WRatio, limit=limit, score_cutoff=SUGGESTION_CUTOFF)
    return [name for name, _, _ in found]


def lookup_keys(typed: str, jurisdiction: str | None) -> list[str]:
    """The index keys a typed name may be stored under, most specific first."""
    keys = [typed, strip_prefix(typed, jurisdiction), name_key(typed, jurisdiction or "")]
    return list(dict.fromkeys(k for k in keys if k))


LEVEL_CHARS = ("县", "市", "区")


def _same_level(typed: str, rows: list[AgencyRow]) -> list[AgencyRow]:
    """"县科协" means the county bodies, not 忻州市's 市科协; "科协" means all of them."""
    if len(typed) < 3 or typed[0] not in LEVEL_CHARS:
        return rows
    same = [a for a in rows if any(s.startswith(typed[0]) for s in (a.name, *a.spellings))]
    return same or rows


def resolve_jurisdiction(catalog: NameCatalog, name: str) -> str:
    """A jurisdiction's exact name, or NotFound with the closest ones."""
    if catalog.is_jurisdiction(name):
        return name
    raise NotFound("jurisdiction", name, suggest(name, catalog.jurisdictions()))


def resolve_agencies(catalog: NameCatalog, typed: str, jurisdiction: str | None = None) -> list[AgencyRow]:
    """Every agency ``typed`` may mean (one per jurisdiction where it is ambiguous).

    Raises NotFound, with suggestions, when nothing matches. Remembered by the catalogue until
    the store is written (``NameCatalog.resolved``): "科协" means 2,800 agencies nationally, and
    finding and ordering them took 40 ms of every such request.
    """
    return list(catalog.resolved(typed, jurisdiction, _resolve_agencies).agencies)


def resolve_agency_ids(catalog: NameCatalog, typed: str, jurisdiction: str | None = None) -> tuple[str, ...]:
    """The ids of ``resolve_agencies``, in its order."""
    return catalog.resolved(typed, jurisdiction, _resolve_agencies).ids


def _resolve_agencies(catalog: NameCatalog, typed: str, jurisdiction: str | None = None) -> list[AgencyRow]:
    store = catalog.store
    if jurisdiction is not None:
        jurisdiction = resolve_jurisdiction(catalog, jurisdiction)
    by_id = store.agencies(ids=[typed])
    if by_id and (jurisdiction is None or by_id[0].jurisdiction == jurisdiction):
        return by_id
    named, rest = catalog.split_jurisdiction(typed)
    if named is not None and jurisdiction not in (None, named):
        raise NotFound("agency", f"{typed} in {jurisdiction}", [])
    where = jurisdiction or named
    candidate = rest if named else typed
    found: dict[str, AgencyRow] = {}
    for key in lookup_keys(candidate, where):
        for row in store.agencies(name=key, jurisdiction=where):
            found.setdefault(row.id, row)
    if found:
        return sorted(_same_level(candidate, list(found.values())), key=lambda a: (a.jurisdiction, a.name))
    pool = catalog.agency_names() if where is None else sorted(
        {s for a in store.agencies(jurisdiction=where) for s in (a.name, *a.spellings)}
    )
    raise NotFound("agency", typed if where is None else f"{typed} ({where})", suggest(typed, pool))
