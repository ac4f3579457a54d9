"""``plangraph load PATH... [--store embedded|neo4j] [--db PATH]``: parse plan files into the graph.

Why it is built this way: a national corpus is thousands of files, so files are parsed (and turned
into graph records) in worker processes while the main process writes finished plans to the store
in input order. A file that cannot be read is reported with its reason and skipped; it never reaches
the store, so nothing already stored is lost, and the exit code is 1 when any file failed. A
folder's files that no loader reads (``loaders.readable_suffixes``: a .doc, a .zip, a picture, the
manifest beside a synthetic corpus) are named too, as skipped with the reason, and counted as not
loaded; they do not fail the load (a folder of plans often holds other files).

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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import orjson
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from plangraph.cli import app
from plangraph.graph.build import PlanRecords, build_records
from plangraph.graph.errors import StoreError
from plangraph.graph.rows import LoadResult
from plangraph.graph.settings import StoreKind
from plangraph.graph.store import GraphStore, open_store
from plangraph.loaders.detect import readable_suffixes
from plangraph.loaders.plan_files import plan_files

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


@dataclass
class Collected:
    """What the paths given to ``load`` hold: plan files to read, paths that are not there, and
    files of a folder that no loader reads (named in the summary, never passed over in silence)."""

    files: list[Path] = field(default_factory=list)
    missing: list[tuple[Path, str]] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    hidden: int = 0  # files in hidden folders or hidden themselves (.git, .DS_Store): counted, not listed


def _hidden(path: Path, top: Path) -> bool:
    """Inside a hidden folder or hidden itself (.git, .DS_Store): not the user's plans."""
    return any(part.startswith(".") for part in path.relative_to(top).parts)


def collect_files(paths: Iterable[Path]) -> Collected:
    """Files named (read whatever their suffix: the loader sniffs), and files found in folders
    (recursively, sorted): those the loaders read, the others named as skipped with the reason.
    Hidden files and folders (.git) are passed over and counted. Missing paths fail."""
    readable = readable_suffixes()
    found = Collected()
    for path in paths:
        if path.is_dir():
            plans = [p for p in plan_files(path) if not _hidden(p, path)]  # a folder of page images is one plan
            found.files.extend(plans)
            taken = set(plans)
            for p in sorted(p for p in path.rglob("*") if p.is_file()):
                if _hidden(p, path):
                    found.hidden += 1
                elif p in taken or p.parent in taken:  # a plan, or a page of a plan's page folder
                    continue
                else:
                    found.skipped.append((p, f"unsupported format ({p.suffix or 'no suffix'}; "
                                             f"readable: {' '.join(sorted(readable))})"))
        elif path.is_file():
            found.files.append(path)
        else:
            found.missing.append((path, f"{path}: no such file or folder"))
    found.files = list(dict.fromkeys(found.files))
    return found


def parse_to_records(path: Path) -> Parsed:
    """Parse one file and build its records; any failure becomes a message naming the file."""
    from plangraph.loaders import PlanError, parse_file

    try:  # the file's bytes go with the records: the embedded store keeps them (plangraph reparse)
        return path, build_records(parse_file(path), source=path.read_bytes()), None
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


def _summary(
    results: list[LoadResult], failures: list[tuple[Path, str]], skipped: list[tuple[Path, str]], hidden: int = 0,
) -> dict:
    return {
        "plans": len(results),
        "replaced": sum(r.replaced for r in results),
        "tasks": sum(r.tasks for r in results),
        "edges": sum(r.edges for r in results),
        "assignments": sum(r.assignments for r in results),
        "failed": [{"file": str(p), "error": e} for p, e in failures],
        "skipped": [{"file": str(p), "reason": r} for p, r in skipped],
        "not_loaded": len(failures) + len(skipped),
        "hidden_passed_over": hidden,
    }


def open_or_exit(store: StoreKind | None, db: Path | None, create: bool = False) -> GraphStore:
    """The store (``create``: started empty when there is none), or a one-line error (no traceback)
    when it cannot be opened: a ``StoreError`` (missing, damaged) by ``plangraph.cli.Commands``,
    anything else (an unreachable server, bad settings) here."""
    try:
        return open_store(store, db, create=create)
    except StoreError:
        raise
    except Exception as exc:  # unreachable server, bad settings
        err.print(f"[red]error[/red] cannot open the {store or 'configured'} store: {exc}", highlight=False)
        raise typer.Exit(1) from None


def _keep_themes(graph: GraphStore) -> None:
    """The themes of the plans now stored, computed once here and kept in the store (where it
    keeps derived data), so that no question after the load waits for them."""
    from plangraph.graph.store import KeepsDerived
    from plangraph.queries.themes import theme_index

    if isinstance(graph, KeepsDerived):
        theme_index(graph, keep=True)


def _print_not_loaded(summary: dict) -> None:
    """Every file not loaded, one line each: the failed with their error, the skipped with why."""
    if summary["failed"]:
        err.print(f"[red]{len(summary['failed'])} files failed:[/red]", highlight=False)
        for f in summary["failed"]:
            err.print(f"  [red]error[/red] {f['error']}", highlight=False)
    if summary["skipped"]:
        err.print(f"[yellow]{len(summary['skipped'])} files skipped:[/yellow]", highlight=False)
        for f in summary["skipped"]:
            err.print(f"  [yellow]skipped[/yellow] {f['file']}: {f['reason']}", highlight=False)
    if summary["hidden_passed_over"]:
        err.print(f"{summary['hidden_passed_over']} hidden files (in .git and the like) passed over", highlight=False)


@app.command()
def load(
    paths: Annotated[list[Path], typer.Argument(help="Plan files or folders (a folder's files of other formats are named as skipped)")],
    store: STORE_OPTION = None,
    db: DB_OPTION = None,
    workers: Annotated[int, typer.Option(help="Parser processes (0: per core and load, see BENCHMARKS.md; 1: parse in this process)")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON")] = False,
) -> None:
    """Parse plan files and store them; a plan of a jurisdiction already stored replaces it."""
    found = collect_files(paths)
    files = found.files
    if not files and not found.missing:
        skipped = f" ({len(found.skipped)} files of other formats)" if found.skipped else ""
        err.print(f"[red]error[/red] no plan files found{skipped}", highlight=False)
        _print_not_loaded(_summary([], [], found.skipped, found.hidden))
        raise typer.Exit(1)
    with parsed_files(files, workers or auto_workers()) as parsed:  # workers start before the store opens
        graph = open_or_exit(store, db, create=True)
        try:
            with _progress() as progress:
                results, parse_failures = run_load(graph, files, 0, progress, parsed=parsed)
            if results:
                _keep_themes(graph)
        except StoreError as exc:  # a full disk, a damaged file: the plans committed before stay
            err.print(f"[red]error[/red] {exc}", highlight=False)
            raise typer.Exit(1) from None
        finally:
            graph.close()
    summary = _summary(results, found.missing + parse_failures, found.skipped, found.hidden)
    _print_not_loaded(summary)
    if as_json:
        sys.stdout.buffer.write(orjson.dumps(summary, option=orjson.OPT_INDENT_2) + b"\n")
    else:
        Console(soft_wrap=True).print(
            f"loaded {summary['plans']} plans ({summary['replaced']} replaced): {summary['tasks']} tasks, "
            f"{summary['edges']} edges ({summary['assignments']} agency-task); "
            f"{summary['not_loaded']} files not loaded ({len(summary['failed'])} failed, "
            f"{len(summary['skipped'])} skipped)", highlight=False,
        )
    raise typer.Exit(1 if summary["failed"] else 0)
