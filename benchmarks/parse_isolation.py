"""What parsing an upload in a worker process costs, beside parsing it in the server's process.

For the five seeds and ``--synth`` synthetic plans, prints per-file median and p90 times of:
``in-process`` (``parse_bytes``: the reference), ``pool`` (``ParserPool.parse`` with a warm worker,
as ``POST /plans`` runs it: a pipe round trip and the plan's JSON back) and ``fresh process`` (a
worker started for each file, as a pool without a ready worker would). The overhead is ``pool``
minus ``in-process``.

    python benchmarks/parse_isolation.py               # seeds + 40 synthetic plans, 3 rounds
    python benchmarks/parse_isolation.py --synth 200 --rounds 1
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from plangraph.api.parser_pool import ParserPool
from plangraph.loaders import parse_bytes
from plangraph.synth import generate

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def _files(synth: int) -> list[tuple[str, bytes]]:
    files = [(p.name, p.read_bytes()) for p in sorted(SEEDS.glob("*.txt"))]
    files += [(name, text.encode()) for name, text, _ in generate(synth, seed=7)]
    return files


def _time(fn, files: list[tuple[str, bytes]], rounds: int) -> list[float]:  # noqa: ANN001
    times = []
    for _ in range(rounds):
        for name, data in files:
            start = time.perf_counter()
            fn(data, name)
            times.append(time.perf_counter() - start)
    return times


def _line(label: str, times: list[float]) -> str:
    p90 = statistics.quantiles(times, n=10)[-1] if len(times) >= 10 else max(times)
    return f"{label:<16} n={len(times):<4} median {statistics.median(times) * 1000:7.1f} ms   p90 {p90 * 1000:7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synth", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    files = _files(args.synth)
    parse_bytes(*reversed(files[0]))  # the loaders' data files, read once, as in a warm server
    reference = _time(parse_bytes, files, args.rounds)

    pool = ParserPool(1, 60, 1536)
    pool.start()
    pool.parse(files[0][1], files[0][0])  # waits until the worker is ready
    pooled = _time(pool.parse, files, args.rounds)
    pool.close()

    def fresh(data: bytes, name: str) -> None:
        one = ParserPool(1, 60, 1536)
        try:
            one.parse(data, name)
        finally:
            one.close()

    cold = _time(fresh, files[:10], 1)
    print(f"{len(files)} plans x {args.rounds} rounds, python {sys.version.split()[0]}")
    print(_line("in-process", reference))
    print(_line("pool (warm)", pooled))
    print(_line("fresh process", cold))
    overhead = statistics.median(pooled) - statistics.median(reference)
    print(f"overhead of the warm pool: {overhead * 1000:.1f} ms per upload (median)")


if __name__ == "__main__":
    main()
