"""``plangraph serve``: the HTTP API on the embedded store (default) or Neo4j.

Connections are bounded (``ServerSettings`` in ``api/settings.py``: a time limit on request
headers, keep-alive, a concurrency limit, the listen backlog) and SIGTERM ends the server within
``PLANGRAPH_GRACEFUL_SHUTDOWN`` seconds plus its shutdown (requests under way are cut then).
"""

from __future__ import annotations

import os
import resource
from pathlib import Path
from typing import Annotated, Any

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
    """Serve the query API (docs at /docs) on the stored graph.

    The store must exist, unless uploads are on (``PLANGRAPH_API_TOKEN``): then the first upload
    makes it. A missing or damaged store stops the start in one line (``plangraph.cli.Commands``).
    """
    import uvicorn

    from plangraph.api.settings import ApiSettings
    from plangraph.graph.settings import StoreSettings
    from plangraph.graph.store import check_store_file

    settings = ApiSettings()
    create = settings.token() is not None
    options = _server_options()
    _raise_open_files_limit()
    if workers == 1:
        from plangraph.api.app import create_app, open_serving_store

        application = create_app(open_serving_store(store, db, settings), settings)
        uvicorn.run(application, host=host, port=port, log_level="info", access_log=False, **options)
        return
    # Worker processes build their own app from the environment: name the store there.
    if store is not None:
        os.environ["PLANGRAPH_STORE"] = store
    if db is not None or (store or StoreSettings().plangraph_store) == "embedded":
        os.environ["PLANGRAPH_DB"] = str(StoreSettings().db_path(db))
        check_store_file(StoreSettings().db_path(db), must_exist=not create)  # here, not once per worker
    uvicorn.run("plangraph.api.app:app_from_environment", factory=True, workers=workers, host=host, port=port,
                log_level="info", access_log=False, **options)


def _server_options() -> dict[str, Any]:
    """uvicorn's connection limits, from the PLANGRAPH_ settings."""
    from plangraph.api.connections import HeaderTimeoutProtocol
    from plangraph.api.settings import ServerSettings

    settings = ServerSettings()
    return {
        "http": HeaderTimeoutProtocol,
        "timeout_keep_alive": settings.keep_alive,
        "limit_concurrency": settings.limit_concurrency or None,
        "backlog": settings.backlog,
        "timeout_graceful_shutdown": settings.graceful_shutdown,
    }


def _raise_open_files_limit() -> None:
    """Open files up to the hard limit: every connection is one, and with the usual soft limit
    of 1024 idle sockets ran the server out of them before the concurrency limit was reached."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        target = hard if hard != resource.RLIM_INFINITY else max(soft, 65536)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        except (ValueError, OSError):  # some systems cap it lower than they say: keep what there is
            pass
