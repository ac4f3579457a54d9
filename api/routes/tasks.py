"""Tasks: which tasks an agency leads or supports, search, and one task in full."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from plangraph.queries import task_detail, tasks_for
from plangraph.queries.results import TaskDetail, TaskPage

from ..deps import CatalogDep
from ..examples import ACTION_LEAD_ITEM, TASK_ITEM, ok
from ..params import MAX_NAME, AgencyName, JurisdictionName, Limit, Offset, RoleParam, Words

router = APIRouter(tags=["tasks"])


@router.get("/tasks", response_model=TaskPage, responses=ok(
    {"total": 23, "limit": 50, "offset": 0, "items": [TASK_ITEM], "agencies": [],
     "action_leads": [ACTION_LEAD_ITEM], "action_leads_total": 1}, 404))
async def list_tasks(
    catalog: CatalogDep, agency: AgencyName = None, role: RoleParam = None,
    jurisdiction: JurisdictionName = None, q: Words = None, limit: Limit = 50, offset: Offset = 0,
) -> TaskPage:
    """Which tasks an agency leads, supports or shares responsibility for (or tasks by place and words).

    Each item says the task, its action, its plan, the role, and the agency as written in the clause.
    A name that several jurisdictions use ("科协") answers for each of them. Some plans name leads
    per action (〔牵头部门：…〕) instead of per task: for role=lead, and when no role is given, the
    actions the agency leads that way come in ``action_leads``, each with its tasks (empty for
    role=support and role=responsible); ``limit`` and ``offset`` page that list too.
    """
    return tasks_for(catalog, agency=agency, role=role, jurisdiction=jurisdiction, q=q, limit=limit, offset=offset)


@router.get("/tasks/{task_id}", response_model=TaskDetail, responses=ok(
    {"task": {"id": "丰都县:t1.4", "title": "加强各类青少年科普阵地建设", "span": [1600, 1760]},
     "lead": [], "support": [], "responsible": [], "action_leads": []}, 404))
async def get_task(catalog: CatalogDep, task_id: Annotated[str, Path(max_length=MAX_NAME * 2, examples=["丰都县:t1.4"])]) -> TaskDetail:
    """One task: full text, where it stands in the source, and its agencies by role."""
    return task_detail(catalog, task_id)
