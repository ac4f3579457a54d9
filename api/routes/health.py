"""Liveness and what is loaded."""

from __future__ import annotations

from fastapi import APIRouter

from plangraph import __version__

from ..deps import StoreDep
from ..examples import ok

router = APIRouter(tags=["health"])


@router.get("/health", responses=ok({"status": "ok", "version": "0.1.0", "jurisdictions": 5}))
def health(store: StoreDep) -> dict:
    """The service is up; how many jurisdictions it holds."""
    return {"status": "ok", "version": __version__, "jurisdictions": len(store.jurisdictions())}
