"""Parsing speed on the seed plans: plans per second and MB/s, beside a bare read-and-decode.

The ratio parse / bare read is the figure that survives a noisy machine.

    python benchmarks/parse_bench.py [--seeds ../shared/seeds] [--repeat 20] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from plangraph.loaders import parse_file
from plangraph.loaders.read import read_source

REPO = Path(__file__).resolve().parents[1]


def _time(fn, files: list[Path], repeat: int) -> list[float]:
    rounds = []
    for _ in range(repeat):
        start = time.perf_counter()
        for f in files:
            fn(f)
        rounds.append(time.perf_counter() - start)
    return rounds


def bare_read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=Path, default=REPO.parent / "shared" / "seeds")
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    files = sorted(args.seeds.glob("*.txt"))
    size_mb = sum(f.stat().st_size for f in files) / 1e6
    for f in files:  # warm caches (OpenCC, YAML data, regexes)
        parse_file(f)
    steps = {
        "bare read+decode": bare_read,
        "read+normalise": read_source,
        "full parse": parse_file,
    }
    results = {}
    for name, fn in steps.items():
        best = min(_time(fn, files, args.repeat))
        median = statistics.median(_time(fn, files, args.repeat))
        results[name] = {
            "plans_per_s": round(len(files) / median, 1),
            "mb_per_s": round(size_mb / median, 2),
            "ms_per_plan_median": round(1000 * median / len(files), 3),
            "ms_per_plan_best": round(1000 * best / len(files), 3),
        }
    results["ratio full parse / bare read"] = round(
        results["full parse"]["ms_per_plan_median"] / results["bare read+decode"]["ms_per_plan_median"], 1
    )
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return
    print(f"{len(files)} plans, {size_mb:.2f} MB, {args.repeat} rounds")
    print(f"{'step':<20}{'plans/s':>12}{'MB/s':>10}{'ms/plan':>10}")
    for name, r in results.items():
        if isinstance(r, dict):
            print(f"{name:<20}{r['plans_per_s']:>12}{r['mb_per_s']:>10}{r['ms_per_plan_median']:>10}")
    print(f"ratio full parse / bare read: {results['ratio full parse / bare read']}x")


if __name__ == "__main__":
    main()
