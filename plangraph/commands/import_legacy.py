"""``plangraph import-legacy OLD --db NEW``: the plans of an earlier plangraph's store, imported once.

Earlier versions kept a pickled graph (``graph.bin`` and ``graph.bin.journal``); this version keeps
one SQLite file and refuses to open the old one, naming this command. The old file is only read
(with a reader that runs nothing but graph classes: ``graph/legacy.py``), never changed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from plangraph.cli import app


@app.command("import-legacy")
def import_legacy(
    old: Annotated[Path, typer.Argument(help="The old store file (graph.bin of an earlier plangraph)")],
    db: Annotated[Path, typer.Option("--db", help="The new store file to import into (made when missing)")],
) -> None:
    """Import the plans of an earlier plangraph's store (a pickled graph) into a store file."""
    from plangraph.graph.embedded import EmbeddedStore
    from plangraph.graph.errors import StoreError
    from plangraph.graph.legacy import read_legacy
    from plangraph.queries.themes import theme_index

    err = Console(stderr=True, soft_wrap=True)
    if old.resolve() == db.resolve():
        err.print(f"[red]error[/red] {db}: import into another file than the old store (it is kept as it is)", highlight=False)
        raise typer.Exit(2)
    try:
        plans = read_legacy(old)
        store = EmbeddedStore(db)
        try:
            results = store.replace_plans(plans)
            theme_index(store, keep=True)
        finally:
            store.close()
    except FileNotFoundError:
        err.print(f"[red]error[/red] {old}: no such file", highlight=False)
        raise typer.Exit(1) from None
    except StoreError as exc:
        err.print(f"[red]error[/red] {exc}", highlight=False)
        raise typer.Exit(1) from None
    Console(soft_wrap=True).print(f"{db}: {len(results)} plans imported from {old} (their source files were not "
                                  "kept by the old store: plangraph reparse cannot read them again)", highlight=False)
