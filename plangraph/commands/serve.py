"""``plangraph serve``: the HTTP API on the embedded store (default) or Neo4j."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from plangraph.cli import app
from plangraph.graph.settings import StoreKind


@app.command()
def serve(
    store: Annotated[StoreKind | None, typer.Option(help="embedded (default) or neo4j; env PLANGRAPH_STORE")] = None,
    db: Annotated[Path | None, typer.Option(help="Embedded store file; env PLANGRAPH_DB")] = None,
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
    workers: Annotated[int, typer.Option(
        min=1, max=64, help="Server processes, all reading the one store file (a plan loaded through one, "
                            "or by plangraph load, is served by all from the next question on).")] = 1,
) -> None:
    """Serve the query API (docs at /docs) on the stored graph."""
    import uvicorn

    from plangraph.graph.settings import StoreSettings

    if workers == 1:
        from plangraph.api.app import create_app
        from plangraph.graph.store import open_store

        application = create_app(open_store(store, db))
        uvicorn.run(application, host=host, port=port, log_level="info", access_log=False)
        return
    # Worker processes build their own app from the environment: name the store there.
    if store is not None:
        os.environ["PLANGRAPH_STORE"] = store
    if db is not None or (store or StoreSettings().plangraph_store) == "embedded":
        os.environ["PLANGRAPH_DB"] = str(StoreSettings().db_path(db))
    uvicorn.run("plangraph.api.app:app_from_environment", factory=True, workers=workers, host=host, port=port,
                log_level="info", access_log=False)
