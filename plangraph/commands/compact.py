"""``plangraph compact``: make the embedded store's file alone hold everything, to copy it.

The store is one SQLite file; while processes write, recent commits also sit in its write-ahead
log beside it (``graph.bin-wal``), which SQLite folds in by itself. ``compact`` folds it in now, so
that a copy of the file alone holds every stored plan. Kept for scripts written for the earlier
store (which kept a journal of its own beside the file).
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from plangraph.cli import app
from plangraph.commands.load import DB_OPTION, STORE_OPTION, open_or_exit


@app.command()
def compact(
    store: STORE_OPTION = None,
    db: DB_OPTION = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing")] = False,
) -> None:
    """Fold the store's write-ahead log into its file, so that the file alone holds the store."""
    from plangraph.graph.errors import StoreError
    from plangraph.graph.store import Verifiable

    graph = open_or_exit(store, db)
    try:
        if not isinstance(graph, Verifiable):
            message = "nothing to compact: this store keeps no file"
        else:
            pages = graph.checkpoint()
            message = (f"{graph.path}: the store is one file; {pages} pages of its write-ahead log folded in" if pages
                       else f"{graph.path}: the store is one file; nothing to fold in")
    except StoreError as exc:
        Console(stderr=True, soft_wrap=True).print(f"[red]error[/red] {exc}", highlight=False)
        raise typer.Exit(1) from None
    finally:
        graph.close()
    if not quiet:
        Console(soft_wrap=True).print(message, highlight=False)
