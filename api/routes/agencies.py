"""Agencies: listing, one agency with its load and collaborators, who works with whom."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from plangraph.graph.rows import AgencyRow
from plangraph.queries import agency_detail, collaboration, list_agencies
from plangraph.queries.results import AgencyDetail, Collaboration

from ..deps import CatalogDep
from ..examples import AGENCY, ok
from ..params import MAX_NAME, JurisdictionName, Words

router = APIRouter(tags=["agencies"])
AGENCY_ROW = {"id": "丰都县:县科协", "jurisdiction": "丰都县", "plan_id": "plan:丰都县", "name": "县科协",
              "spellings": ["县科协"], "stem": "科协", "is_group": False, "kinds": ["science_association"]}


@router.get("/agencies", response_model=list[AgencyRow], responses=ok([AGENCY_ROW], 404))
def get_agencies(
    catalog: CatalogDep, jurisdiction: JurisdictionName = None, q: Words = None,
    kind: Annotated[str | None, Query(max_length=MAX_NAME, examples=["education"])] = None,
) -> list[AgencyRow]:
    """Agencies (and group references) of a jurisdiction or all, by words in a name or by kind."""
    return list_agencies(catalog, jurisdiction=jurisdiction, q=q, kind=kind)


@router.get("/agencies/{agency_id}", response_model=AgencyDetail, responses=ok(
    {"agency": AGENCY_ROW, "load": {"agency": AGENCY_ROW, "lead": 23, "support": 9, "responsible": 0, "total": 32,
                                    "action_leads": 0},
     "collaborators": [{"agency": AGENCY, "shared_tasks": 26, "roles": {"support": 15, "lead": 11}}],
     "action_leads": []}, 404))
async def get_agency(catalog: CatalogDep, agency_id: Annotated[str, Path(max_length=MAX_NAME * 2, examples=["丰都县:县科协"])]) -> AgencyDetail:
    """One agency: its spellings, kinds, tasks per role, the agencies it shares tasks with, and the
    actions it leads as a whole (〔牵头部门：…〕, with their tasks)."""
    return agency_detail(catalog, agency_id)


@router.get("/collaborators", response_model=list[Collaboration], responses=ok(
    [{"agency": AGENCY_ROW, "collaborators": [{"agency": AGENCY, "shared_tasks": 26, "roles": {"lead": 11}}],
      "action_leads": []}], 404))
def get_collaborators(
    catalog: CatalogDep,
    agency: Annotated[str, Query(min_length=1, max_length=MAX_NAME, examples=["县科协"])],
    jurisdiction: JurisdictionName = None,
) -> list[Collaboration]:
    """Who works with whom: agencies named on the same tasks as the given one, with counts (and the
    actions the given one leads as a whole)."""
    return collaboration(catalog, agency, jurisdiction)
