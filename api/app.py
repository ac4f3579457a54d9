"""The FastAPI application: routers, error handling, CORS, and the store it serves.

Errors are the client's to read: an unknown name is a 404 naming it with suggestions, a bad
parameter a 422; nothing a client sends should give a 500.
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from collections.abc import AsyncIterator

import anyio
from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi_offline import FastAPIOffline

from plangraph import __version__
from plangraph.graph.store import GraphStore
from plangraph.queries import NameCatalog, NotFound

from .deps import ReadingDep, ReadWriteLock
from .docs_pages import DocsPolicy
from .follow import can_follow, follow_store_file
from .parser_pool import ParserPool
from .rebuild import Rebuilder
from .routes import agencies, exports, health, jurisdictions, maps, overlap, plans, tasks
from .settings import ApiSettings
from .uploads import UploadGuard

DESCRIPTION = """Which government agency is responsible for what in China's science-literacy plans
(全民科学素质行动规划纲要实施方案): tasks by agency and role, profiles of jurisdictions, who works with
whom, comparisons, exports."""


DOCS_ASSETS = "/docs-assets"


def create_app(store: GraphStore, settings: ApiSettings | None = None, parsers: ParserPool | None = None) -> FastAPI:
    """The app on ``store``; ``parsers`` parse uploads (by default worker processes per ``settings``)."""
    settings = settings or ApiSettings()
    parsers = parsers or ParserPool(settings.parse_workers, settings.parse_timeout, settings.parse_memory_mb)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.rebuilder.request()  # the warm-up, in the background
        parsers.open(prestart=settings.token() is not None)  # a parse worker ready before the first upload
        try:
            async with anyio.create_task_group() as tasks:
                if settings.follow_seconds > 0 and can_follow(store):
                    tasks.start_soon(follow_store_file, app, settings.follow_seconds)
                yield
                tasks.cancel_scope.cancel()
        finally:
            parsers.close()  # no parse worker outlives its server
            store.close()

    # /docs and /redoc with Swagger UI's and ReDoc's files served by the app (from the pinned
    # fastapi-offline package), not a CDN: they work with no network
    app = FastAPIOffline(title="plangraph", version=__version__, description=DESCRIPTION, lifespan=lifespan,
                         dependencies=[ReadingDep], static_url=DOCS_ASSETS)
    app.state.store = store
    app.state.lock = ReadWriteLock()
    app.state.rebuilder = Rebuilder(lambda: _warm_up(app))
    app.state.catalog = NameCatalog(store, on_stale=app.state.rebuilder.request)
    app.state.settings = settings
    app.state.parsers = parsers
    app.state.warm = False
    app.add_middleware(DocsPolicy)
    app.add_middleware(UploadGuard, settings=settings)  # inside CORS: its refusals carry CORS headers
    if settings.origins():
        app.add_middleware(CORSMiddleware, allow_origins=settings.origins(), allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type"])
    for module in (health, tasks, agencies, jurisdictions, exports, maps, plans, overlap):
        app.include_router(module.router)
    app.add_exception_handler(NotFound, _not_found)
    return app


def app_from_environment() -> FastAPI:
    """The app on the store the environment names (``PLANGRAPH_STORE``, ``PLANGRAPH_DB``, ``NEO4J_*``):
    the factory each worker process of ``plangraph serve --workers N`` calls."""
    import os
    import signal

    from plangraph.graph.store import open_store

    from .parent_death import die_with_parent

    # uvicorn's supervisor starts this process from its main thread: if the supervisor is killed
    # (kill -9), this worker gets SIGTERM and shuts down instead of holding the port for ever
    die_with_parent(os.getppid(), signal.SIGTERM, watch=False)
    return create_app(open_store())


def _warm_up(app: FastAPI) -> None:
    """Build the theme index, read the name catalogue and (``PLANGRAPH_PREWARM``) make every
    plan's rows before the first user asks: on a national graph they take seconds, which the
    first requests would otherwise wait for (a profile asked first costs 2 ms, then 0.5 ms).
    At start-up and after every write (``api/rebuild.py``); meanwhile requests are answered from
    what was made before. ``/health`` says ``"warm": true`` when the first one is done.

    After a write it does less: the rows of unchanged plans are still there, and the comparisons'
    prepared sides are left to the first request of each place (a few ms each): making all of them
    again took 5 s of CPU nationally, while requests shared the process's GIL with it. Nor does it
    run a full collection then (a 0.7 s pause nationally): what the write replaced is freed by
    reference counting.
    """
    from plangraph.graph.heap import settle
    from plangraph.queries.overlap import prepare_comparisons
    from plangraph.queries.themes import theme_index

    first = not app.state.warm
    try:
        theme_index(app.state.store)  # first: the kept answers emptied next are made with it
        catalog = app.state.catalog
        if first or catalog.is_stale():
            catalog.refresh()
        else:  # an upload to this process read the new names already
            catalog.forget_derived()
        prewarm = getattr(app.state.store, "prewarm", None)
        if app.state.settings.prewarm and prewarm is not None:
            prewarm()
            if first:
                prepare_comparisons(catalog)
        settle(young_only=not first)  # out of the collector's sight until the next write (graph/heap.py)
    except Exception:  # a warm-up is an optimisation: a failure here shows up on a real request
        logging.getLogger(__name__).exception("warm-up failed")
    finally:
        app.state.warm = True


async def _not_found(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, NotFound)
    return JSONResponse(status_code=404, content={
        "detail": str(exc), "kind": exc.kind, "name": exc.name, "suggestions": exc.suggestions,
    })
