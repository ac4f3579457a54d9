"""``plangraph compact``: fold the embedded store's journal into its graph file.

Small writes (an upload, a deletion, a load of a few plans) are appended to ``graph.bin.journal``
beside the graph file (``graph/journal.py``); the store is both files. After ``compact`` the graph
file alone holds everything: the moment to copy or back it up.
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
    """Fold the journal of small writes into the store file, so that one file holds the store."""
    graph = open_or_exit(store, db)
    fold = getattr(graph, "compact", None)
    try:
        if fold is None:
            message = "nothing to compact: this store keeps no journal"
        else:
            folded = fold()
            message = f"{graph.path}: {folded:,} bytes of journal folded in" if folded else f"{graph.path}: no journal, nothing to do"
    finally:
        graph.close()
    if not quiet:
        Console(soft_wrap=True).print(message, highlight=False)
