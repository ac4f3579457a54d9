"""The FastAPI application: routers, error handling, CORS, and the store it serves.

Errors are the client's to read: an unknown name is a 404 naming it with suggestions, a bad
parameter a 422; nothing a client sends should give a 500. A store that fails an answer (missing,
damaged, not writable: ``graph/errors.py``) is a 503 with the store's one-line message.
"""

from __future__ import annotations

import logging
import sys
import threading
from contextlib import asynccontextmanager
from collections.abc import AsyncIterator
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi_offline import FastAPIOffline
from starlette.middleware.gzip import GZipMiddleware

from plangraph import __version__
from plangraph.graph.errors import StoreError
from plangraph.graph.settings import StoreKind
from plangraph.graph.store import GraphStore
from plangraph.queries import NameCatalog, NotFound
from plangraph.queries.errors import Ambiguous

from .deps import ReadingDep, ReadWriteLock
from .docs_pages import DocsPolicy
from .examples import STORE_UNAVAILABLE
from .parser_pool import ParserPool
from .routes import agencies, exports, health, jurisdictions, maps, overlap, plans, tasks
from .settings import ApiSettings
from .uploads import UploadGuard

#: The exit code by which a worker tells ``uvicorn --workers`` it cannot start (uvicorn.config's
#: STARTUP_FAILURE): uvicorn then stops instead of starting it again and again.
STARTUP_FAILURE = 3

DESCRIPTION = """Which government agency is responsible for what in China's science-literacy plans
(全民科学素质行动规划纲要实施方案): tasks by agency and role, profiles of jurisdictions, who works with
whom, comparisons, exports."""


DOCS_ASSETS = "/docs-assets"
#: How long a shutdown waits for the warm-up before leaving the store to the process's end.
WARM_UP_JOIN_SECONDS = 2.0


def create_app(store: GraphStore, settings: ApiSettings | None = None, parsers: ParserPool | None = None) -> FastAPI:
    """The app on ``store``; ``parsers`` parse uploads (by default worker processes per ``settings``)."""
    settings = settings or ApiSettings()
    parsers = parsers or ParserPool(settings.parse_workers, settings.parse_timeout, settings.parse_memory_mb)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        warm_up = threading.Thread(target=_warm_up, args=(app,), name="plangraph-warm-up", daemon=True)
        warm_up.start()
        parsers.open(prestart=settings.token() is not None)  # a parse worker ready before the first upload
        try:
            yield
        finally:
            parsers.close()  # no parse worker outlives its server
            # Closing a store's connections while the warm-up still reads through one of them would
            # pull an SQLite connection from under a running statement (a crash): a warm-up still
            # running at shutdown keeps the store open, and the process's end closes it.
            warm_up.join(WARM_UP_JOIN_SECONDS)
            if not warm_up.is_alive():
                store.close()

    # /docs and /redoc with Swagger UI's and ReDoc's files served by the app (from the pinned
    # fastapi-offline package), not a CDN: they work with no network
    app = FastAPIOffline(title="plangraph", version=__version__, description=DESCRIPTION, lifespan=lifespan,
                         responses=STORE_UNAVAILABLE, dependencies=[ReadingDep], static_url=DOCS_ASSETS)
    app.state.store = store
    app.state.lock = ReadWriteLock()
    app.state.catalog = NameCatalog(store)
    app.state.settings = settings
    app.state.parsers = parsers
    app.state.warm = False
    app.add_middleware(DocsPolicy)
    app.add_middleware(UploadGuard, settings=settings)  # inside CORS: its refusals carry CORS headers
    if settings.origins():
        app.add_middleware(CORSMiddleware, allow_origins=settings.origins(), allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type"])
    app.add_middleware(GZipMiddleware, minimum_size=1000)  # outermost: pages and JSON, when accepted
    for module in (health, tasks, agencies, jurisdictions, exports, maps, plans, overlap):
        app.include_router(module.router)
    app.add_exception_handler(NotFound, _not_found)
    app.add_exception_handler(Ambiguous, _ambiguous)
    app.add_exception_handler(StoreError, _store_unavailable)
    return app


def open_serving_store(kind: StoreKind | None, db: Path | None, settings: ApiSettings) -> GraphStore:
    """The store a server answers from. It must exist, unless uploads are on: then an embedded
    store is made empty at once (its first upload fills it), so that questions asked before
    answer "nothing yet" instead of failing."""
    from plangraph.graph.embedded import EmbeddedStore
    from plangraph.graph.store import open_store

    uploads = settings.token() is not None
    store = open_store(kind, db, create=uploads)
    if uploads and isinstance(store, EmbeddedStore):
        store.make()
    return store


def app_from_environment() -> FastAPI:
    """The app on the store the environment names (``PLANGRAPH_STORE``, ``PLANGRAPH_DB``, ``NEO4J_*``):
    the factory each worker process of ``plangraph serve --workers N`` calls. A store it cannot
    open ends the worker with uvicorn's start-up failure code, so that the server stops."""
    import os
    import signal

    from .parent_death import die_with_parent

    # uvicorn's supervisor starts this process from its main thread: if the supervisor is killed
    # (kill -9), this worker gets SIGTERM and shuts down instead of holding the port for ever
    die_with_parent(os.getppid(), signal.SIGTERM, watch=False)
    settings = ApiSettings()
    try:
        store = open_serving_store(None, None, settings)
    except StoreError as exc:  # one line, and uvicorn's code for "failed to start": it stops, not retries
        print(f"error: {' '.join(str(exc).split())}", file=sys.stderr, flush=True)
        raise SystemExit(STARTUP_FAILURE) from None
    return create_app(store, settings)


def _warm_up(app: FastAPI) -> None:
    """Have the store's themes computed and kept (``PLANGRAPH_PREWARM``, on by default), so that no
    first question about themes or overlaps waits for them (seconds on a national store). Every
    answer is correct without it: the store is read per question, and the themes are computed by
    the first question that needs them. ``/health`` says ``"warm": true`` when it is done.
    """
    from plangraph.queries.themes import themes_for

    try:
        if app.state.settings.prewarm:
            themes_for(app.state.catalog)
    except Exception:  # a warm-up is an optimisation: a failure here shows up on a real request
        logging.getLogger(__name__).exception("warm-up failed")
    finally:
        app.state.warm = True


async def _store_unavailable(request: Request, exc: Exception) -> JSONResponse:
    """The store, not the request, stopped the answer (missing, damaged, not writable): 503, the
    store's one-line message, so a client knows to try later or tell the operator (never a 500)."""
    assert isinstance(exc, StoreError)
    logging.getLogger(__name__).error("store error on %s %s: %s", request.method, request.url.path, exc)
    return JSONResponse(status_code=503, content={"detail": " ".join(str(exc).split()), "kind": "store"})


async def _not_found(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, NotFound)
    return JSONResponse(status_code=404, content={
        "detail": str(exc), "kind": exc.kind, "name": exc.name, "suggestions": exc.suggestions,
    })


async def _ambiguous(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Ambiguous)
    return JSONResponse(status_code=409, content={
        "detail": str(exc), "kind": exc.kind, "name": exc.name, "candidates": exc.candidates,
    })
