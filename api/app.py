"""The FastAPI application: routers, error handling, CORS, and the store it serves.

Errors are the client's to read: an unknown name is a 404 naming it with suggestions, a bad
parameter a 422; nothing a client sends should give a 500.
"""

from __future__ import annotations

import logging
import threading
from contextlib import asynccontextmanager
from collections.abc import AsyncIterator

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse

from plangraph import __version__
from plangraph.graph.store import GraphStore
from plangraph.queries import NameCatalog, NotFound

from .deps import ReadingDep, ReadWriteLock
from .routes import agencies, exports, health, jurisdictions, maps, overlap, plans, tasks
from .settings import ApiSettings
from .uploads import UploadGuard

DESCRIPTION = """Which government agency is responsible for what in China's science-literacy plans
(全民科学素质行动规划纲要实施方案): tasks by agency and role, profiles of jurisdictions, who works with
whom, comparisons, exports."""


def create_app(store: GraphStore, settings: ApiSettings | None = None) -> FastAPI:
    settings = settings or ApiSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        threading.Thread(target=_warm_up, args=(app,), name="plangraph-warm-up", daemon=True).start()
        yield
        store.close()

    app = FastAPI(title="plangraph", version=__version__, description=DESCRIPTION, lifespan=lifespan,
                  dependencies=[ReadingDep])
    app.state.store = store
    app.state.lock = ReadWriteLock()
    app.state.catalog = NameCatalog(store)
    app.state.settings = settings
    app.state.warm = False
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
    from plangraph.graph.store import open_store

    return create_app(open_store())


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


async def _not_found(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, NotFound)
    return JSONResponse(status_code=404, content={
        "detail": str(exc), "kind": exc.kind, "name": exc.name, "suggestions": exc.suggestions,
    })
