"""Rows already made from the embedded store's attribute dicts, kept while those dicts are stored.

Why: making a pydantic row costs a few microseconds, and the main questions make many of them (a
profile about 400, "tasks 县科协 leads" on a national graph 3,000 agency rows): on a read-mostly
graph that was most of a request's time. The embedded store replaces attribute dicts, it never
changes them in place, so a row made from some dicts is right for exactly as long as the store
still holds those dicts. An entry remembers the arguments its row was made from and is used only
when they are the same objects (or equal ones) again; a replaced plan's rows are made afresh on
their next read, with no invalidation step that a reader racing a writer could miss. A journaled
write (one plan) keeps the cache: every other plan's rows stay good, so a server stays warm after
an upload. Deletions and whole-graph writes or reads empty it, so that rows of removed plans do not
stay in memory.

Cached rows live as long as the graph, so they are moved out of the garbage collector's sight
(``heap.settle``) every ``SETTLE_EVERY`` new rows: otherwise each full collection walks them all
(``graph/heap.py``).

Rows are frozen models (``graph/rows.py``): they are shared between requests, so nobody may
change one in place.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from .heap import settle

Row = TypeVar("Row")
SETTLE_EVERY = 20_000


class RowCache:
    """``get(key, make, *args)`` returns ``make(*args)``, made once while ``args`` stay the same."""

    def __init__(self) -> None:
        self._rows: dict[Hashable, tuple[tuple[Any, ...], Any]] = {}
        self._made = 0

    def get(self, key: Hashable, make: Callable[..., Row], *args: Any) -> Row:
        hit = self._rows.get(key)
        if hit is not None and hit[0] == args:  # tuple == compares items by identity first
            return hit[1]
        row = make(*args)
        self._rows[key] = (args, row)
        self._made += 1
        if self._made % SETTLE_EVERY == 0:
            settle(young_only=True)
        return row

    def clear(self) -> None:
        self._rows.clear()

    def __len__(self) -> int:
        return len(self._rows)


class Same:
    """An argument that matches only the very object it holds, not an equal one: for a dict that
    marks a version rather than being what a row is made from (a jurisdiction's lists are right
    while its plan's dict is the stored one; a new version of the plan may have an equal dict).
    Holding the object keeps it alive, so its identity cannot pass to a new one."""

    __slots__ = ("obj",)

    def __init__(self, obj: object) -> None:
        self.obj = obj

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Same) and other.obj is self.obj

    __hash__ = None  # type: ignore[assignment]

