"""``plangraph load PATH... [--store embedded|neo4j] [--db PATH]``: parse plan files into the graph.

Why it is built this way: a national corpus is thousands of files, so files are parsed (and turned
into graph records) in worker processes while the main process writes finished plans to the store
in input order. A file that cannot be read is reported with its reason and skipped; it never reaches
the store, so nothing already stored is lost, and the exit code is 1 when any file failed.

The workers are forked (cheap to start, and they inherit the parser's tables, warmed by parsing the
first file in the main process) before the store is opened and before the progress bar starts its
thread, so they hold no copy of a large graph and no lock of another thread. They return
``PlanRecords``, which pickle compactly (``graph/build.py``), never ``Plan`` objects. See
BENCHMARKS.md for what parallel parsing gains (or costs) on two cores.

``STORE_OPTION``, ``DB_OPTION`` and ``open_or_exit`` serve any command that opens a store (import
them inside the command function, or after ``plangraph.cli``: this module imports the cli).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import orjson
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from plangraph.cli import app
from plangraph.graph.build import PlanRecords, build_records
from plangraph.graph.rows import LoadResult
from plangraph.graph.settings import StoreKind
from plangraph.graph.store import GraphStore, open_store
from plangraph.loaders.detect import readable_suffixes
from plangraph.loaders.plan_files import plan_files

SUFFIXES: frozenset[str] = readable_suffixes()  # every format the loaders read
#: Below this many files, parsing in-process beats starting worker processes.
PARALLEL_FROM = 8
#: Files per task sent to a worker: few enough round trips, results still arriving steadily.
CHUNK = 16

STORE_OPTION = Annotated[
    StoreKind | None,
    typer.Option("--store", help="embedded (default, env PLANGRAPH_STORE) or neo4j (env NEO4J_URI …)"),
]
DB_OPTION = Annotated[
    Path | None,
    typer.Option("--db", help="Embedded store file (env PLANGRAPH_DB; default ./plangraph-data/graph.bin)"),
]

err = Console(stderr=True, soft_wrap=True)
Parsed = tuple[Path, PlanRecords | None, str | None]


def collect_files(paths: Iterable[Path]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Files named, and plan files found in folders (recursively, sorted); missing paths fail."""
    files: list[Path] = []
    missing: list[tuple[Path, str]] = []
    for path in paths:
        if path.is_dir():
            files.extend(plan_files(path))  # a folder of page images is one plan
        elif path.is_file():
            files.append(path)
        else:
            missing.append((path, f"{path}: no such file or folder"))
    return list(dict.fromkeys(files)), missing


def parse_to_records(path: Path) -> Parsed:
    """Parse one file and build its records; any failure becomes a message naming the file."""
    from plangraph.loaders import PlanError, parse_file

    try:
        return path, build_records(parse_file(path)), None
    except PlanError as exc:
        return path, None, str(exc)
    except OSError as exc:
        return path, None, f"{path}: cannot read: {exc.strerror or exc}"
    except Exception as exc:  # a parser bug must not stop the other files
        return path, None, f"{path}: unexpected error: {type(exc).__name__}: {exc}"


#: Parse in worker processes only when at least this much of a core is idle (1-minute load average).
IDLE_CORE = 0.5


def auto_workers() -> int:
    """One parser process per core but one (the main process unpickles and writes the store), and
    two on a two-core machine that has a core to spare: the main process needs only about a third of
    a worker's CPU time per plan.

    Measured on the 2-vCPU machine of this project (BENCHMARKS.md): with a core idle, two workers
    loaded 3,200 plans in 22-24 s against 26-28 s in one process; with both cores already busy
    with other work, they took 78 s against 45 s. So a busy two-core machine parses in-process.
    """
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if cores <= 1:
        return 1
    try:
        idle = cores - os.getloadavg()[0]
    except OSError:  # no load average on this platform
        idle = 0.0
    return max(2 if idle >= IDLE_CORE else 1, cores - 1)


def _worker_init(parent: int) -> None:
    """A worker ends with the process that started it, even when that one is killed (Linux)."""
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError, TypeError):  # not Linux: a killed load may leave idle workers
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _start_method() -> str:
    return "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"


@contextmanager
def parsed_files(files: list[Path], workers: int) -> Iterator[Iterator[Parsed]]:
    """Parse results in input order; across worker processes when there are many files.

    Enter it before opening the store or starting any thread: the workers are forked on entry.
    """
    if workers <= 1 or len(files) < PARALLEL_FROM:
        yield map(parse_to_records, files)
        return
    first = parse_to_records(files[0])  # in this process: warms the caches the workers inherit
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=multiprocessing.get_context(_start_method()),
        initializer=_worker_init, initargs=(os.getpid(),),
    )
    try:
        try:
            pending: Iterator[Parsed] = pool.map(parse_to_records, files[1:], chunksize=CHUNK)  # forks now
        except (BrokenProcessPool, OSError):  # no worker could start: parse in this process
            pending = map(parse_to_records, files[1:])
        yield _in_order(first, pending, files)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _in_order(first: Parsed, pending: Iterator[Parsed], files: list[Path]) -> Iterator[Parsed]:
    yield first
    done = 1
    try:
        for result in pending:
            done += 1
            yield result
    except BrokenProcessPool:  # a worker died (e.g. out of memory): finish in this process
        yield from map(parse_to_records, files[done:])


def parse_all(files: list[Path], workers: int) -> Iterator[Parsed]:
    """Results in input order (``parsed_files`` as a plain generator)."""
    with parsed_files(files, workers) as results:
        yield from results


def _progress() -> Progress:
    return Progress(
        TextColumn("[bold]loading"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        TextColumn("{task.fields[file]}"), console=err, disable=not err.is_terminal, transient=False,
    )


def run_load(
    store: GraphStore, files: list[Path], workers: int, progress: Progress,
    parsed: Iterator[Parsed] | None = None,
) -> tuple[list[LoadResult], list[tuple[Path, str]]]:
    """Parse and store every file; returns what was stored and what failed (with reasons).

    ``parsed``: results of ``parsed_files`` entered by the caller (else ``parse_all`` is used).
    """
    failures: list[tuple[Path, str]] = []
    bar = progress.add_task("load", total=len(files), file="")

    def plans() -> Iterator[PlanRecords]:
        for path, records, error in parsed if parsed is not None else parse_all(files, workers):
            progress.update(bar, file=path.name)
            if records is None:
                failures.append((path, error or f"{path}: failed"))
                progress.advance(bar)
                continue
            yield records

    results = store.replace_plans(plans(), progress=lambda _: progress.advance(bar))
    return results, failures


def _summary(results: list[LoadResult], failures: list[tuple[Path, str]]) -> dict:
    return {
        "plans": len(results),
        "replaced": sum(r.replaced for r in results),
        "tasks": sum(r.tasks for r in results),
        "edges": sum(r.edges for r in results),
        "assignments": sum(r.assignments for r in results),
        "failed": [{"file": str(p), "error": e} for p, e in failures],
    }


def open_or_exit(store: StoreKind | None, db: Path | None) -> GraphStore:
    """The store, or a one-line error (no traceback) when it cannot be opened."""
    try:
        return open_store(store, db)
    except Exception as exc:  # unreachable server, damaged file, bad settings
        err.print(f"[red]error[/red] cannot open the {store or 'configured'} store: {exc}", highlight=False)
        raise typer.Exit(1) from None


def _print_failures(summary: dict) -> None:
    if summary["failed"]:
        err.print(f"[red]{len(summary['failed'])} files failed:[/red]", highlight=False)
        for f in summary["failed"]:
            err.print(f"  [red]error[/red] {f['error']}", highlight=False)


@app.command()
def load(
    paths: Annotated[list[Path], typer.Argument(help="Plan files or folders (.txt .docx .pdf .html .htm)")],
    store: STORE_OPTION = None,
    db: DB_OPTION = None,
    workers: Annotated[int, typer.Option(help="Parser processes (0: per core and load, see BENCHMARKS.md; 1: parse in this process)")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON")] = False,
) -> None:
    """Parse plan files and store them; a plan of a jurisdiction already stored replaces it."""
    files, failures = collect_files(paths)
    if not files and not failures:
        err.print("[red]error[/red] no plan files found", highlight=False)
        raise typer.Exit(1)
    with parsed_files(files, workers or auto_workers()) as parsed:  # workers start before the store opens
        graph = open_or_exit(store, db)
        try:
            with _progress() as progress:
                results, parse_failures = run_load(graph, files, 0, progress, parsed=parsed)
        finally:
            graph.close()
    summary = _summary(results, failures + parse_failures)
    _print_failures(summary)
    if as_json:
        sys.stdout.buffer.write(orjson.dumps(summary, option=orjson.OPT_INDENT_2) + b"\n")
    else:
        Console().print(
            f"loaded {summary['plans']} plans ({summary['replaced']} replaced): {summary['tasks']} tasks, "
            f"{summary['edges']} edges ({summary['assignments']} agency-task); "
            f"{len(summary['failed'])} files failed", highlight=False,
        )
    raise typer.Exit(1 if summary["failed"] else 0)
