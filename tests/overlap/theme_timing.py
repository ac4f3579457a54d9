"""How long themes and overlap answers take on a large store (not a test: a measuring script).

    plangraph synth 3200 -o /tmp/c && plangraph load /tmp/c --db /tmp/c.bin
    python -m tests.overlap.theme_timing /tmp/c.bin

Prints the time of ``store.tasks()``, of building the themes (the first theme question after a
load pays both), of a cached look-up, of a two-way and a 30-way overlap, and of 200×200 matrices.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

from plangraph.graph.store import open_store
from plangraph.queries import NameCatalog, compare
from plangraph.queries.overlap import overlap, overlap_matrix
from plangraph.queries.themes import build_themes, theme_index


def timed(label: str, work: Callable[[], Any]) -> Any:
    start = time.perf_counter()
    result = work()
    print(f"{label:<42} {time.perf_counter() - start:8.2f} s")
    return result


def main(db: str) -> None:
    store = timed("open the embedded store", lambda: open_store("embedded", db=db))
    catalog = NameCatalog(store)
    names = sorted(j.name for j in store.jurisdictions())
    tasks = timed("store.tasks()", store.tasks)
    themes = timed("build_themes (clustering only)", lambda: build_themes(tasks))
    print(f"{len(names)} plans, {len(tasks)} tasks, {len(themes)} themes, "
          f"{sum(1 for t in themes if t.jurisdictions > 1)} held by more than one plan")
    timed("theme_index (first: tasks + build)", lambda: theme_index(store))
    timed("theme_index (cached)", lambda: theme_index(store))
    timed("name catalogue (first question of a process)", catalog.refresh)
    timed("compare A B (themes cached)", lambda: compare(catalog, names[0], names[1]))
    timed("overlap of 30 jurisdictions", lambda: overlap(catalog, names[:30]))
    timed("matrix 200×200, division", lambda: overlap_matrix(catalog, names[:200]))
    timed("matrix 200×200, themes", lambda: overlap_matrix(catalog, names[:200], "themes"))
    store.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/c.bin")
