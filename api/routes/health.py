"""Liveness and what is loaded."""

from __future__ import annotations

from fastapi import APIRouter, Request

from plangraph import __version__

from ..deps import CatalogDep
from ..examples import ok

router = APIRouter(tags=["health"])


@router.get("/health", responses=ok({"status": "ok", "version": "0.1.0", "jurisdictions": 5, "warm": True}))
async def health(catalog: CatalogDep, request: Request) -> dict:
    """The service is up; how many jurisdictions it holds (from the name catalogue, not a scan);
    ``warm``: the start-up work (names, themes, rows) is done and answers are at full speed."""
    return {"status": "ok", "version": __version__, "jurisdictions": len(catalog.jurisdictions()),
            "warm": bool(request.app.state.warm)}
