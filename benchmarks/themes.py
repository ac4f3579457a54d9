"""Task themes at national size: building them over every plan, and placing one new plan into them.

    plangraph synth 3200 -o /tmp/nat && plangraph load /tmp/nat --db /tmp/nat.bin
    python benchmarks/themes.py /tmp/nat.bin [--rounds 3]

Prints wall and CPU seconds (the machine is shared: CPU time is what survives others' load), per
step, beside a reference measured in the same run:

- reference: ``store.tasks()`` plus the lead kinds (what every build reads first) and the vectors
  alone (TF-IDF of every task: the floor of any method that reads every paragraph);
- build: the themes of all plans (``build_matched``: vectors, clustering, scores, labels);
- add plan: the themes of all plans but one, then that plan placed with ``Themes.add_plan`` (no
  rebuild), beside rebuilding everything with it; and whether the plan's tasks landed in the
  themes the full build gives them (same partners);
- the peak resident memory of the process.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1].parent))

from plangraph.graph.store import open_store  # noqa: E402
from plangraph.queries.theme_match import cluster, encode  # noqa: E402
from plangraph.queries.themes import build_matched, lead_kinds_of, task_text, theme_settings  # noqa: E402


def _rss_mb() -> float:
    """Resident memory now (Linux), in MB."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


def timed(work: Callable[[], Any]) -> tuple[tuple[float, float], Any]:
    """(wall seconds, CPU seconds of this process) and the result: on a shared machine the CPU
    time is the figure that survives other people's load."""
    start, cpu = time.perf_counter(), time.process_time()
    result = work()
    return (time.perf_counter() - start, time.process_time() - cpu), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("db", help="an embedded store of a national corpus (plangraph load … --db)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    store = open_store("embedded", db=args.db)
    settings = theme_settings()
    rows: dict[str, list[tuple[float, float]]] = {}

    def note(name: str, seconds: tuple[float, float]) -> None:
        rows.setdefault(name, []).append(seconds)

    resident: list[float] = []
    for round_ in range(args.rounds):
        t_read, tasks = timed(store.tasks)
        resident.append(_rss_mb())
        t_kinds, kinds = timed(lambda: lead_kinds_of(store, tasks))
        note("reference: store.tasks()", t_read)
        note("reference: lead kinds of every task", t_kinds)
        texts = [task_text(t, kinds.get(t.id, ())) for t in tasks]
        note("reference: vectors only (TF-IDF of every task)", timed(lambda: encode(texts, settings))[0])
        t_build, (themes, _) = timed(lambda: build_matched(tasks, settings, kinds))
        note("build: themes of all plans", t_build)
        plans = sorted({t.plan for t in texts})
        last = plans[-1]
        rest = [t for t in texts if t.plan != last]
        new = [t for t in texts if t.plan == last]
        t_rest, built = timed(lambda: cluster(rest, settings))
        note("build: themes of all plans but one (clustering)", t_rest)
        t_add, placed = timed(lambda: built.add_plan(new))
        note("add plan: one plan placed into them", t_add)
        note("add plan, reference: clustering all plans again", timed(lambda: cluster(texts, settings))[0])
        if round_ == 0:
            full = {m.task_id: th.id for th in themes for m in th.members}
            partners = {th.id: {m.task_id for m in th.members} for th in themes}
            same = 0
            for task, t in zip(new, placed, strict=True):
                got = {built.tasks[r].id for r in built.themes[t].members} - {task.id}
                want = partners[full[task.id]] - {task.id}
                same += got == want
            print(f"{len(plans)} plans, {len(tasks)} tasks, {len(themes)} themes "
                  f"({sum(1 for th in themes if th.jurisdictions > 1)} held by more than one plan); "
                  f"the added plan ({len(new)} tasks): {same} land with exactly the partners of the full build")
    print(f"| step | wall, median of {args.rounds} (s) | CPU, median (s) | CPU, min (s) |")
    print("|---|---|---|---|")
    for name, values in rows.items():
        walls, cpus = [v[0] for v in values], [v[1] for v in values]
        print(f"| {name} | {statistics.median(walls):.2f} | {statistics.median(cpus):.2f} | {min(cpus):.2f} |")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"resident memory with the store open and its tasks read (reference): {resident[0]:.0f} MB; "
          f"peak of this process: {peak:.0f} MB")
    store.close()


if __name__ == "__main__":
    main()
