"""Liveness and what is loaded."""

from __future__ import annotations

from fastapi import APIRouter

from plangraph import __version__

from ..deps import CatalogDep
from ..examples import ok

router = APIRouter(tags=["health"])


@router.get("/health", responses=ok({"status": "ok", "version": "0.1.0", "jurisdictions": 5}))
async def health(catalog: CatalogDep) -> dict:
    """The service is up; how many jurisdictions it holds (from the name catalogue, not a scan)."""
    return {"status": "ok", "version": __version__, "jurisdictions": len(catalog.jurisdictions())}
