"""What the action-level leads add to ``GET /tasks`` answers about leading, on a stored graph.

Prints, for each question, the time of the whole answer (``tasks_for``) beside the time of its
action-lead part alone (``queries.tasks._action_leads``) in the same run: its first asking on a fresh catalogue (as the
first request after a write), and the median of ``--repeat`` runs after it:

    python benchmarks/action_leads.py --db corpus.bin --agency 科协
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from plangraph.graph.store import open_store
from plangraph.queries import NameCatalog, tasks_for
from plangraph.queries.names import resolve_agencies
from plangraph.queries.tasks import _action_leads


def _first_and_median_ms(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    start = time.perf_counter()
    fn()
    first = time.perf_counter() - start
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return round(first * 1000, 2), round(statistics.median(times) * 1000, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--agency", default="科协")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    store = open_store("embedded", args.db, create=False)
    page = slice(0, 50)
    print(f"{len(store.jurisdictions())} plans, {len(store.action_leads())} action-level leads")
    questions: dict[str, tuple[Callable[[NameCatalog], object], Callable[[NameCatalog], object]]] = {
        f"tasks {args.agency} leads, every jurisdiction": (
            lambda c: tasks_for(c, agency=args.agency, role="lead"),
            lambda c: _action_leads(c, args.agency, resolve_agencies(c, args.agency), "lead", None, None, page)),
        "every lead of the graph (role=lead, no agency)": (
            lambda c: tasks_for(c, role="lead"),
            lambda c: _action_leads(c, None, [], "lead", None, None, page)),
    }
    for name, (whole, part) in questions.items():
        catalog = NameCatalog(store)
        resolve_agencies(catalog, args.agency)  # the names, read once per store state in any case
        part_first, part_median = _first_and_median_ms(lambda: part(catalog), args.repeat)
        catalog = NameCatalog(store)
        resolve_agencies(catalog, args.agency)
        whole_first, whole_median = _first_and_median_ms(lambda: whole(catalog), args.repeat)
        print(f"{name}: whole answer first {whole_first} ms, then {whole_median} ms (median of {args.repeat}); "
              f"its action-lead part first {part_first} ms, then {part_median} ms")
    store.close()


if __name__ == "__main__":
    main()
