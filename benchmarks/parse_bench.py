"""Parsing speed: plans per second and MB/s, beside a bare read-and-decode of the same files.

The ratio parse / bare read is the figure that survives a noisy machine. Times are CPU time of this
process (``time.process_time``), so other work on a shared machine does not count, and the steps
are interleaved round by round, so a slow spell touches them all alike.

    python benchmarks/parse_bench.py [--seeds ../shared/seeds] [--corpus DIR [--sample 200]]
                                     [--repeat 20] [--json]

``--corpus`` adds an even spread of ``--sample`` plans of a synthetic corpus (``plangraph synth``).
Repeated rounds parse the same files, so the loaders' caches of recurring names and list items are
warm after the first; a corpus of files parsed once each is a few per cent slower per plan.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from plangraph.loaders import parse_file
from plangraph.loaders.read import read_source

REPO = Path(__file__).resolve().parents[1]


def _time(fn: Callable[[Path], object], files: list[Path]) -> float:
    """CPU seconds for one pass of ``fn`` over ``files``."""
    start = time.process_time()
    for f in files:
        fn(f)
    return time.process_time() - start


def bare_read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def _files(seeds: Path, corpus: Path | None, sample: int) -> list[Path]:
    files = sorted(seeds.glob("*.txt"))
    if corpus is not None:
        plans = sorted(corpus.glob("*.txt"))
        step = max(1, len(plans) // sample)
        files += plans[::step][:sample]
    return files


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=Path, default=REPO.parent / "shared" / "seeds")
    ap.add_argument("--corpus", type=Path, default=None, help="a folder of synthetic plans to add a spread of")
    ap.add_argument("--sample", type=int, default=200, help="how many corpus plans (with --corpus)")
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    files = _files(args.seeds, args.corpus, args.sample)
    size_mb = sum(f.stat().st_size for f in files) / 1e6
    for f in files:  # warm caches (OpenCC, YAML data, regexes)
        parse_file(f)
    steps: dict[str, Callable[[Path], object]] = {
        "bare read+decode": bare_read,
        "read+normalise": read_source,
        "full parse": parse_file,
    }
    rounds: dict[str, list[float]] = {name: [] for name in steps}
    for _ in range(args.repeat):
        for name, fn in steps.items():
            rounds[name].append(_time(fn, files))
    results: dict[str, object] = {}
    for name, times in rounds.items():
        median = statistics.median(times)
        results[name] = {
            "plans_per_s": round(len(files) / median, 1),
            "mb_per_s": round(size_mb / median, 2),
            "ms_per_plan_median": round(1000 * median / len(files), 3),
            "ms_per_plan_best": round(1000 * min(times) / len(files), 3),
        }
    results["ratio full parse / bare read"] = round(
        results["full parse"]["ms_per_plan_median"] / results["bare read+decode"]["ms_per_plan_median"], 1  # type: ignore[index]
    )
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return
    print(f"{len(files)} plans, {size_mb:.2f} MB, {args.repeat} rounds, CPU time")
    print(f"{'step':<20}{'plans/s':>12}{'MB/s':>10}{'ms/plan':>10}")
    for name, r in results.items():
        if isinstance(r, dict):
            print(f"{name:<20}{r['plans_per_s']:>12}{r['mb_per_s']:>10}{r['ms_per_plan_median']:>10}")
    print(f"ratio full parse / bare read: {results['ratio full parse / bare read']}x")


if __name__ == "__main__":
    main()
