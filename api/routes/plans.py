"""Loading a plan over HTTP: off unless a token is configured, size- and time-limited."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, File, Header, HTTPException, Request, UploadFile, status

from plangraph.graph.rows import LoadResult
from plangraph.loaders import PlanError

from ..deps import CatalogDep, SettingsDep, StoreDep
from ..uploads import parse_with_limit

router = APIRouter(tags=["plans"])


def _check_token(configured: str | None, given: str | None) -> None:
    if configured is None:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "loading over HTTP is off: no PLANGRAPH_API_TOKEN is configured")
    token = (given or "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(token.encode(), configured.encode()):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "a valid token is required: Authorization: Bearer <token>",
                            headers={"WWW-Authenticate": "Bearer"})


@router.post(
    "/plans", status_code=status.HTTP_201_CREATED, response_model=LoadResult,
    responses={
        201: {"content": {"application/json": {"example": {
            "plan_id": "plan:丰都县", "jurisdiction": "丰都县", "source_file": "fengdu.txt", "nodes": 80,
            "edges": 400, "tasks": 34, "assignments": 255, "replaced": False}}}},
        401: {"description": "Missing or wrong token"}, 403: {"description": "Loading over HTTP is off"},
        413: {"description": "File too large"}, 422: {"description": "Not a readable plan (the reason is given)"},
    },
)
async def upload_plan(
    request: Request, store: StoreDep, catalog: CatalogDep, settings: SettingsDep,
    file: Annotated[UploadFile, File(description="A plan file: .txt, .docx, .pdf or .html")],
    authorization: Annotated[str | None, Header(max_length=500)] = None,
) -> LoadResult:
    """Load a plan file, replacing the stored plan of the same jurisdiction."""
    _check_token(settings.token(), authorization)
    data = await file.read(settings.max_upload_bytes + 1)
    name = (file.filename or "upload.txt")[:200]
    if len(data) > settings.max_upload_bytes:
        raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE,
                            f"{name}: larger than the limit of {settings.max_upload_bytes} bytes")
    try:
        plan = parse_with_limit(data, name, settings.parse_timeout)
    except PlanError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from None
    result = store.replace_plan(plan)
    catalog.refresh()
    return result
