"""``plangraph check`` and ``plangraph reparse``: verify the embedded store, and repair it.

``check`` runs SQLite's ``PRAGMA integrity_check`` and compares each stored plan with the checksum
written with it, naming every damaged plan (exit 1). ``reparse`` reads every plan again from the
source file the store kept, and stores it in place of what is stored (one transaction per plan):
the repair after damage, and the way to apply a newer parser to plans already loaded.
"""

from __future__ import annotations

import sys
from typing import Annotated

import orjson
import typer
from rich.console import Console

from plangraph.cli import app
from plangraph.commands.load import DB_OPTION, open_or_exit

JSON_OPTION = Annotated[bool, typer.Option("--json", help="Print the report as JSON")]
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def _verifiable(db: object):  # noqa: ANN202 - the store, or a clear exit
    from plangraph.graph.store import Verifiable

    graph = open_or_exit("embedded", db)  # type: ignore[arg-type]
    if not isinstance(graph, Verifiable):  # pragma: no cover - the embedded store is
        err.print("[red]error[/red] this store keeps no checksums", highlight=False)
        raise typer.Exit(1)
    return graph


@app.command()
def check(db: DB_OPTION = None, as_json: JSON_OPTION = False) -> None:
    """Verify the store file: SQLite's integrity check and each plan's checksum; exit 1 naming the
    damaged plans."""
    from plangraph.graph.errors import StoreError

    graph = _verifiable(db)
    try:
        report = graph.check()
    except StoreError as exc:
        err.print(f"[red]error[/red] {exc}", highlight=False)
        raise typer.Exit(1) from None
    finally:
        graph.close()
    if as_json:
        sys.stdout.buffer.write(orjson.dumps({
            "ok": report.ok, "plans": report.plans, "problems": report.problems,
            "damaged": [d.__dict__ for d in report.damaged]}, option=orjson.OPT_INDENT_2) + b"\n")
    elif report.ok:
        out.print(f"{graph.path}: ok ({report.plans} plans, each as written)", highlight=False)
    else:
        for problem in report.problems:
            err.print(f"[red]damaged[/red] {graph.path}: {problem}", highlight=False)
        for d in report.damaged:
            err.print(f"[red]damaged[/red] {d.plan_id} ({d.jurisdiction} {d.period or 'no period'}): {d.reason}",
                      highlight=False)
        err.print(f"{len(report.damaged)} of {report.plans} plans damaged; repair: plangraph reparse --db {graph.path}",
                  highlight=False)
    raise typer.Exit(0 if report.ok else 1)


@app.command()
def reparse(db: DB_OPTION = None, as_json: JSON_OPTION = False) -> None:
    """Read every stored plan again from the source file the store kept, and store it in place of
    what is stored: repairs damaged plans, and applies a newer parser to loaded plans."""
    from plangraph.graph.build import build_records
    from plangraph.graph.errors import StoreError
    from plangraph.loaders import PlanError, parse_bytes
    from plangraph.queries.themes import theme_index

    graph = _verifiable(db)
    done: list[str] = []
    failed: list[dict[str, str]] = []
    try:
        try:
            graph.rebuild_indexes()  # an index damaged alone is made again from its table
        except StoreError as exc:
            err.print(f"[yellow]warning[/yellow] indexes not rebuilt: {exc}", highlight=False)
        for kept in graph.kept_sources():
            where = f"{kept.plan_id} ({kept.file})"
            if kept.data is None:
                failed.append({"plan": kept.plan_id, "file": kept.file, "error": f"{where}: {kept.problem}"})
                continue
            try:
                plan = parse_bytes(kept.data, kept.file)
                graph.replace_kept(kept.key, build_records(plan, source=kept.data))
                done.append(kept.plan_id)
            except (PlanError, StoreError, ValueError) as exc:
                failed.append({"plan": kept.plan_id, "file": kept.file, "error": f"{where}: {exc}"})
        theme_index(graph, keep=True)
        report = graph.check()
    except StoreError as exc:
        err.print(f"[red]error[/red] {exc}", highlight=False)
        raise typer.Exit(1) from None
    finally:
        graph.close()
    if as_json:
        sys.stdout.buffer.write(orjson.dumps({"reparsed": done, "failed": failed, "ok": report.ok},
                                             option=orjson.OPT_INDENT_2) + b"\n")
    else:
        for f in failed:
            err.print(f"[red]error[/red] {f['error']}", highlight=False)
        out.print(f"{graph.path}: {len(done)} plans read again from their kept source; {len(failed)} could not be; "
                  f"check: {'ok' if report.ok else 'still damaged'}", highlight=False)
    raise typer.Exit(0 if report.ok and not failed else 1)
