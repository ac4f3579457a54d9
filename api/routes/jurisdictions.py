"""Jurisdictions: the list, one profile, and a comparison of two."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from plangraph.graph.model import Level
from plangraph.graph.rows import JurisdictionRow
from plangraph.queries import compare, list_jurisdictions, profile
from plangraph.queries.cascade import Cascade, cascade
from plangraph.queries.compare import Comparison
from plangraph.queries.results import JurisdictionProfile

from ..deps import CatalogDep
from ..examples import ok
from ..params import MAX_NAME

router = APIRouter(tags=["jurisdictions"])
JURISDICTION = {"name": "丰都县", "level": "county", "province": "重庆市", "parent_city": None, "division": "县",
                "code": "500230", "plan_id": "plan:丰都县",
                "period": "2021-2025", "literacy_target_percent": 15.0, "actions": 10, "tasks": 34}
Name = Annotated[str, Path(min_length=1, max_length=MAX_NAME, examples=["丰都县"],
                           description="A jurisdiction's name, or its 6-digit division code (500230)")]
Place = Annotated[str | None, Query(min_length=1, max_length=MAX_NAME)]
AMBIGUOUS = {409: {"description": "A name several stored places share: ask by one of the candidates' codes",
                   "content": {"application/json": {"example": {
                       "detail": "'朝阳区' names 2 jurisdictions: ask by code: 110105 (北京市), 220104 (吉林省长春市)",
                       "kind": "jurisdiction", "name": "朝阳区", "candidates": [
                           {"name": "朝阳区", "code": "110105", "level": "district", "division": "市辖区",
                            "province": "北京市", "parent_city": None}]}}}}}


@router.get("/jurisdictions", response_model=list[JurisdictionRow], responses=ok([JURISDICTION]))
def get_jurisdictions(
    catalog: CatalogDep,
    province: Annotated[Place, Query(description="Only places of this province (and the province itself)",
                                     examples=["山西省"])] = None,
    parent: Annotated[Place, Query(description="Only places directly under this one: their city, or their "
                                               "province where they have no city", examples=["长治市"])] = None,
    level: Annotated[Level | None, Query(description="province, city, county or district")] = None,
    division: Annotated[Place, Query(description="The official type: 县, 县级市, 旗, 市辖区, 地级市, 省 …",
                                     examples=["县"])] = None,
) -> list[JurisdictionRow]:
    """Every jurisdiction with its plan's period, target and counts, narrowed by the filters given."""
    return list_jurisdictions(catalog, province=province, parent=parent, level=level, division=division)


@router.get("/jurisdictions/{name}", response_model=JurisdictionProfile, responses={**ok(
    {"jurisdiction": JURISDICTION, "actions": [], "agencies": [], "groups": []}, 404), **AMBIGUOUS})
async def get_jurisdiction(catalog: CatalogDep, name: Name) -> JurisdictionProfile:
    """A jurisdiction's profile: its plan, actions, tasks, agencies and each agency's tasks per role."""
    return profile(catalog, name)


@router.get("/cascade", response_model=Cascade, responses={**ok(
    {"jurisdiction": JURISDICTION, "below": [], "tasks": []}, 404), **AMBIGUOUS})
async def get_cascade(
    catalog: CatalogDep,
    jurisdiction: Annotated[str, Query(min_length=1, max_length=MAX_NAME, examples=["山西省"],
                                       description="A province's or city's name or code")],
) -> Cascade:
    """A province's or city's plan beside the plans of the places under it: for each of its tasks,
    which lower plans have a task of the same theme and who leads it there, and which leave it out."""
    return cascade(catalog, jurisdiction)


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
