"""Loading a plan over HTTP: off unless a token is configured, size- and time-limited."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, File, Header, HTTPException, Request, UploadFile, status
from fastapi.concurrency import run_in_threadpool

from plangraph.graph.rows import LoadResult
from plangraph.loaders import PlanError

from ..deps import CatalogDep, LockDep, SettingsDep, StoreDep
from ..examples import ERRORS, Message, Problem
from ..parser_pool import ParserPool, ShuttingDown
from ..uploads import check_token

router = APIRouter(tags=["plans"])


@router.post(
    "/plans", status_code=status.HTTP_201_CREATED, response_model=LoadResult,
    responses={
        201: {"content": {"application/json": {"example": {
            "plan_id": "plan:丰都县", "jurisdiction": "丰都县", "source_file": "fengdu.txt", "nodes": 80,
            "edges": 400, "tasks": 34, "assignments": 255, "replaced": False}}}},
        400: {"description": "A body that is not multipart form data", "model": Message},
        401: {"description": "Missing or wrong token", "model": Message},
        403: {"description": "Loading over HTTP is off", "model": Message},
        413: {"description": "File too large", "model": Message},
        408: {"description": "The body paused longer than PLANGRAPH_BODY_TIMEOUT", "model": Message},
        422: {"description": "Not a readable plan (the reason is given: a limit it reached is named), or no file",
              "model": Problem,
              "content": {"application/json": {"example": ERRORS[422]}}},
        503: {"description": "The server is shutting down (the plan was not loaded)", "model": Message},
    },
)
async def upload_plan(
    request: Request, store: StoreDep, catalog: CatalogDep, settings: SettingsDep, lock: LockDep,
    file: Annotated[UploadFile, File(description="A plan file: .txt, .docx, .pdf or .html")],
    authorization: Annotated[str | None, Header(max_length=500)] = None,
) -> LoadResult:
    """Load a plan file, replacing the stored plan of the same jurisdiction."""
    check_token(settings.token(), authorization)
    data = await file.read(settings.max_upload_bytes + 1)
    name = (file.filename or "upload.txt")[:200]
    if len(data) > settings.max_upload_bytes:
        raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE,
                            f"{name}: larger than the limit of {settings.max_upload_bytes} bytes")
    parsers: ParserPool = request.app.state.parsers
    try:  # parsing (in a worker process, time- and memory-limited) and storing block: in a worker
        # thread, so the server answers other requests meanwhile
        plan = await run_in_threadpool(parsers.parse, data, name)
    except PlanError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from None
    except ShuttingDown as exc:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, str(exc)) from None
    await lock.acquire_write()  # waits (without a thread) for the GETs under way to finish
    release = _once(lock.release_write)
    try:  # the lock goes as soon as the store has applied the plan (its progress call), not after
        # the embedded store has written its file: reads go on during the write
        result = (await run_in_threadpool(store.replace_plans, [plan], release))[0]
    finally:
        release()  # when the write failed, or the store made no progress call
    # the new names before the answer, so that the uploader's next question finds them; the theme
    # index and the rest in the background (``api/rebuild.py``)
    await run_in_threadpool(catalog.refresh)
    request.app.state.rebuilder.request()
    return result


def _once(fn: Callable[[], None]) -> Callable[..., None]:
    done = threading.Lock()

    def call(*_: object) -> None:
        if done.acquire(blocking=False):
            fn()

    return call
