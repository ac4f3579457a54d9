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
import time
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from rapidfuzz import fuzz, process

from plangraph.graph.kinds import strip_prefix
from plangraph.graph.names import name_key
from plangraph.graph.rows import AgencyRow
from plangraph.graph.store import GraphStore

from .errors import NotFound

SUGGESTIONS = 5
SUGGESTION_CUTOFF = 40
NAMES_TTL_SECONDS = 30.0
DERIVED_KEPT = 1 << 16  # answers kept by NameCatalog.derived (the warm-up alone keeps 2 per place)
_MISSING = object()
T = TypeVar("T")


@dataclass(frozen=True)
class Resolved:
    """What a typed name resolved to: the agencies, and their ids (a national "科协" is 2,800:
    listing their ids took a third of such a request)."""

    agencies: tuple[AgencyRow, ...]
    ids: tuple[str, ...]


class NameCatalog:
    """The jurisdiction and agency names a store knows, for prefixes and suggestions.

    Kept in memory and refreshed when stale or when told (after a load), so that typing a name
    costs a dictionary look-up, not a scan of the store. A store that counts its writes
    (``generation``, as the embedded one does) is re-read when it was written, never on a timer:
    reading every agency of a national graph takes seconds, which one request in every ``ttl``
    would otherwise wait for.

    ``on_stale``: a server's way to rebuild elsewhere. When set, a stale catalogue that has been
    read once calls it (it must return at once, having started the work in the background) and
    goes on answering from what it has, as do the theme index and the answers kept with
    ``derived``: after a write, a server answers from the previous names and themes for the few
    seconds the rebuild takes (the store's own rows are always current), instead of one request
    rebuilding a national catalogue and theme index on the event loop while every other waits
    (p99 of 20 s measured right after an upload). Without it (the command line, tests) a stale
    catalogue is refreshed in the call that finds it stale.
    """

    def __init__(
        self, store: GraphStore, ttl: float = NAMES_TTL_SECONDS, on_stale: Callable[[], None] | None = None,
    ) -> None:
        self.store = store
        self.ttl = ttl
        self.on_stale = on_stale
        self._lock = threading.Lock()
        self._loaded_at = -1.0
        self._generation: object = None  # the store's generation when last read
        self._jurisdictions: list[str] = []
        # the jurisdiction names as a set, and their lengths longest first (one reference: read at once)
        self._known: tuple[frozenset[str], tuple[int, ...]] = (frozenset(), ())
        self._agency_names: list[str] = []
        self._derived: dict[Hashable, Any] = {}

    def refresh(self) -> None:
        generation = getattr(self.store, "generation", None)
        jurisdictions = sorted((j.name for j in self.store.jurisdictions()), key=len, reverse=True)
        names = sorted({s for a in self.store.agencies() for s in (a.name, *a.spellings)})
        with self._lock:
            self._jurisdictions, self._agency_names = jurisdictions, names
            self._known = (frozenset(jurisdictions), tuple(sorted({len(j) for j in jurisdictions}, reverse=True)))
            self._loaded_at = time.monotonic()
            self._generation = generation
            self._derived = {}

    def forget_derived(self) -> None:
        """Drop the answers kept with ``derived`` (the names stay): what a server's rebuild does
        when its names are current but the theme index its kept comparisons used was replaced."""
        with self._lock:
            self._derived = {}

    @property
    def serves_stale(self) -> bool:
        """Answers may come from the previous store state while a rebuild runs (``on_stale``)."""
        return self.on_stale is not None

    def is_stale(self) -> bool:
        generation = getattr(self.store, "generation", None)
        if generation is not None and self._loaded_at >= 0:
            return generation != self._generation
        return time.monotonic() - self._loaded_at > self.ttl

    def refresh_soon(self) -> None:
        """Refresh now, or, with ``on_stale`` and something to answer from meanwhile, have it done."""
        if self.on_stale is not None and self._loaded_at >= 0:
            self.on_stale()
        else:
            self.refresh()

    def _fresh(self) -> None:
        if self.is_stale():
            self.refresh_soon()

    def jurisdictions(self) -> list[str]:
        self._fresh()
        return self._jurisdictions

    def agency_names(self) -> list[str]:
        self._fresh()
        return self._agency_names

    def is_jurisdiction(self, name: str) -> bool:
        self._fresh()
        return name in self._known[0]

    def derived(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, kept until the store is written (at most ``DERIVED_KEPT`` answers).

        For what the query layer derives from one store state again and again: what a typed name
        resolves to, a jurisdiction's division of work. Callers must not change what they get.
        A store that does not count its writes (Neo4j) is re-read on the catalogue's timer, so
        there a kept answer may be up to ``ttl`` seconds old, like the names themselves.
        """
        self._fresh()
        memo = self._derived  # one reference: a refresh replaces the dict, never empties this one
        found = memo.get(key, _MISSING)
        if found is _MISSING:
            found = compute()
            if len(memo) >= DERIVED_KEPT:
                memo.clear()
            memo[key] = found
        return found

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
        self._fresh()
        known, lengths = self._known
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
    if catalog.store.jurisdiction(name) is not None:  # loaded since the catalogue was read
        catalog.refresh_soon()
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
