"""Loading a plan over HTTP: off unless a token is configured, size- and time-limited."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Header, HTTPException, Request, UploadFile, status
from fastapi.concurrency import run_in_threadpool

from plangraph.graph.build import build_records
from plangraph.graph.errors import StoreWriteError
from plangraph.graph.rows import LoadResult
from plangraph.queries.themes import theme_index
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
        507: {"description": "The store could not write (a full disk): nothing of the plan was stored, "
                             "the plans stored before are whole", "model": Message},
        503: {"description": "The server is shutting down (the plan was not loaded)", "model": Message},
    },
)
async def upload_plan(
    request: Request, store: StoreDep, catalog: CatalogDep, settings: SettingsDep, lock: LockDep,
    file: Annotated[UploadFile, File(description="A plan file: .txt, .docx, .doc, .wps, .pdf, .ofd, .html or a page image")],
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
    try:
        result = (await run_in_threadpool(store.replace_plans, [build_records(plan, source=data)]))[0]
    except StoreWriteError as exc:  # a full disk, a read-only file: the previous plans stay whole
        raise HTTPException(status.HTTP_507_INSUFFICIENT_STORAGE, f"{name}: not stored: {exc}") from None
    finally:
        lock.release_write()
    # the themes of the new plans, computed and kept in the store now (the writer's job), so that no
    # reader, in this process or another, waits for them
    await run_in_threadpool(theme_index, store, None, True)
    return result
