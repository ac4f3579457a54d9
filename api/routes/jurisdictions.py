"""Jurisdictions: the list, one profile, and a comparison of two."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from plangraph.graph.rows import JurisdictionRow
from plangraph.queries import compare, list_jurisdictions, profile
from plangraph.queries.compare import Comparison
from plangraph.queries.results import JurisdictionProfile

from ..deps import CatalogDep
from ..examples import ok
from ..params import MAX_NAME

router = APIRouter(tags=["jurisdictions"])
JURISDICTION = {"name": "丰都县", "level": "county", "province": "重庆市", "parent_city": None, "plan_id": "plan:丰都县",
                "period": "2021-2025", "literacy_target_percent": 15.0, "actions": 10, "tasks": 34}
Name = Annotated[str, Path(min_length=1, max_length=MAX_NAME, examples=["丰都县"])]


@router.get("/jurisdictions", response_model=list[JurisdictionRow], responses=ok([JURISDICTION]))
def get_jurisdictions(catalog: CatalogDep) -> list[JurisdictionRow]:
    """Every jurisdiction with its plan's period, target and counts."""
    return list_jurisdictions(catalog)


@router.get("/jurisdictions/{name}", response_model=JurisdictionProfile, responses=ok(
    {"jurisdiction": JURISDICTION, "actions": [], "agencies": [], "groups": []}, 404))
async def get_jurisdiction(catalog: CatalogDep, name: Name) -> JurisdictionProfile:
    """A jurisdiction's profile: its plan, actions, tasks, agencies and each agency's tasks per role."""
    return profile(catalog, name)


@router.get("/compare", response_model=Comparison, responses=ok(
    {"a": JURISDICTION, "b": JURISDICTION, "shared_actions": [], "only_a": ["talent"], "only_b": [],
     "shared_agency_kinds": ["education"], "similarity": 0.62}, 404))
async def get_compare(
    catalog: CatalogDep,
    a: Annotated[str, Query(min_length=1, max_length=MAX_NAME, examples=["丰都县"])],
    b: Annotated[str, Query(min_length=1, max_length=MAX_NAME, examples=["万年县"])],
) -> Comparison:
    """Two jurisdictions: shared actions, who leads them (by kind), and one similarity figure."""
    return compare(catalog, a, b)
