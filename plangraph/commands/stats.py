"""``plangraph stats [--json]``: how many nodes and edges of each kind the current store holds.

The JSON form, ``{"nodes": {label: count}, "edges": {TYPE: count}}``, is what tests and benchmarks
compare (loading the same plans twice must print the same).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import orjson
import typer
from rich.console import Console
from rich.table import Table

from plangraph.cli import app
from plangraph.graph.settings import StoreKind


@app.command()
def stats(
    store: Annotated[
        StoreKind | None,
        typer.Option("--store", help="embedded (default, env PLANGRAPH_STORE) or neo4j (env NEO4J_URI …)"),
    ] = None,
    db: Annotated[
        Path | None,
        typer.Option("--db", help="Embedded store file (env PLANGRAPH_DB; default ./plangraph-data/graph.bin)"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help='Print {"nodes": {…}, "edges": {…}} as JSON')] = False,
) -> None:
    """Count the stored graph's nodes by label and edges by type."""
    from plangraph.commands.load import open_or_exit  # not at import time: load imports the cli

    graph = open_or_exit(store, db)
    try:
        counts = graph.stats()
    finally:
        graph.close()
    if as_json:
        sys.stdout.buffer.write(orjson.dumps(counts, option=orjson.OPT_INDENT_2) + b"\n")
        return
    table = Table("kind", "name", "count")
    for kind in ("nodes", "edges"):
        for name, n in counts[kind].items():
            table.add_row(kind, name, str(n))
    Console().print(table)
