"""Across jurisdictions: task themes, where plans overlap (pairs, groups, a matrix and its
heatmap), and agency kinds, including the names the kinds file does not know.

Bounded by design: a group of at most ``MAX_JURISDICTIONS``, a matrix of at most ``MAX_MATRIX``
jurisdictions (N×N cells); beyond that a 422 says how to choose (``?jurisdiction=``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response

from plangraph.graph.rows import AgencyRow
from plangraph.queries.overlap import (
    MAX_JURISDICTIONS,
    MAX_MATRIX,
    KindInfo,
    Measure,
    Overlap,
    OverlapMatrix,
    TooLarge,
    guessed_agencies,
    list_kinds,
    matrix_csv,
    overlap,
    overlap_matrix,
)
from plangraph.queries.themes import Theme, ThemePage, get_theme, list_themes
from plangraph.viz.heatmap import overlap_heatmap

from ..deps import CatalogDep
from ..examples import NOT_FOUND_JSON, ok
from ..params import MAX_NAME, JurisdictionName, Limit, NameItem, Offset, Words

router = APIRouter(tags=["overlap"])

Group = Annotated[list[NameItem], Query(
    min_length=2, max_length=MAX_JURISDICTIONS, description="Two or more jurisdictions (repeat the parameter)",
    examples=[["丰都县", "万年县"]],
)]
Chosen = Annotated[list[NameItem] | None, Query(
    max_length=MAX_MATRIX, description=f"Jurisdictions of the matrix (repeat; at most {MAX_MATRIX}); all when omitted",
    examples=[["丰都县", "万年县", "忻州市"]],
)]
MeasureParam = Annotated[Measure, Query(
    description="division: similarity of the division of work (as /compare); themes: shared task themes",
)]
SIDE = {"jurisdiction": "丰都县", "task_id": "丰都县:t4.1", "task_title": "实施智慧助老科普行动", "score": 74.0,
        "lead_basis": "lead", "lead_kinds": ["organization_dept", "civil_affairs", "science_association"],
        "leads": [{"id": "丰都县:县民政局", "name": "县民政局", "kinds": ["civil_affairs"], "kinds_guessed": False}]}
SHARED = {"id": "elderly:实施智慧助老行动", "action_key": "elderly", "label": "实施智慧助老行动", "jurisdictions": 5,
          "sides": [SIDE], "common_lead_kinds": ["civil_affairs"]}
MATRIX = {"measure": "division", "jurisdictions": ["万年县", "丰都县"], "values": [[1.0, 0.61], [0.61, 1.0]],
          "loaded": 5, "notes": []}
CSV_EXAMPLE = "jurisdiction,万年县,丰都县\n万年县,1.0000,0.6112\n丰都县,0.6112,1.0000\n"
CSV = {200: {"content": {"text/csv": {"example": CSV_EXAMPLE}}},
       404: NOT_FOUND_JSON}
HTML = {200: {"content": {"text/html": {"example": "<!DOCTYPE html><html>…<table>…</table></html>"}}},
        404: NOT_FOUND_JSON}


def _refuse(message: str, value: object) -> RequestValidationError:
    """A 422 in the shape of every other one (FastAPI's validation errors), about ``jurisdiction``."""
    return RequestValidationError([{"type": "value_error", "loc": ("query", "jurisdiction"), "msg": message,
                                    "input": value}])


def _matrix(catalog: CatalogDep, jurisdiction: list[str] | None, measure: Measure) -> OverlapMatrix:
    try:
        return overlap_matrix(catalog, jurisdiction, measure)
    except TooLarge as exc:  # e.g. no ?jurisdiction= and more plans loaded than a matrix holds
        raise _refuse(str(exc), jurisdiction) from None


@router.get("/overlap", response_model=Overlap, responses=ok(
    {"jurisdictions": ["丰都县", "万年县"], "themes": {"丰都县": 34, "万年县": 32}, "shared_themes": [SHARED],
     "only": {"丰都县": ["talent:壮大科普专家人才队伍"], "万年县": []}, "similarity": 0.61, "theme_overlap": 0.40,
     "pairs": [{"a": "丰都县", "b": "万年县", "similarity": 0.61, "shared_themes": 19, "theme_overlap": 0.40}],
     "theme_threshold": 45.0}, 404))
def get_overlap(catalog: CatalogDep, jurisdiction: Group) -> Overlap:
    """Two or more jurisdictions: the task themes all share, who leads each in each (by kind), the
    themes only one has, and the similarity of their division of work (pairs and mean)."""
    try:
        return overlap(catalog, jurisdiction)
    except ValueError as exc:  # the same jurisdiction twice (TooLarge cannot pass the Query bound)
        raise _refuse(str(exc), jurisdiction) from None


@router.get("/overlap/matrix", response_model=OverlapMatrix, responses=ok(MATRIX, 404))
def get_matrix(catalog: CatalogDep, jurisdiction: Chosen = None, measure: MeasureParam = "division") -> OverlapMatrix:
    """The figure for every pair of jurisdictions (symmetric, 1.0 on the diagonal for a plan with itself)."""
    return _matrix(catalog, jurisdiction, measure)


@router.get("/overlap/matrix.csv", response_class=Response, responses=CSV)
def get_matrix_csv(catalog: CatalogDep, jurisdiction: Chosen = None, measure: MeasureParam = "division") -> Response:
    """The matrix as CSV: a header row of jurisdictions, then one row per jurisdiction."""
    body = matrix_csv(_matrix(catalog, jurisdiction, measure))
    headers = {"Content-Disposition": f"attachment; filename=overlap-{measure}.csv"}
    return Response(body, media_type="text/csv; charset=utf-8", headers=headers)


@router.get("/maps/overlap", response_class=HTMLResponse, responses=HTML)
def get_heatmap(catalog: CatalogDep, jurisdiction: Chosen = None, measure: MeasureParam = "division") -> HTMLResponse:
    """The matrix as a heatmap: one HTML page that works offline (no script, nothing fetched)."""
    page = overlap_heatmap(_matrix(catalog, jurisdiction, measure))
    return HTMLResponse(page, media_type="text/html; charset=utf-8")


@router.get("/themes", response_model=ThemePage, responses=ok(
    {"total": 13, "limit": 50, "offset": 0, "theme_threshold": 30.0, "items": [
        {"id": "elderly:实施智慧助老行动", "action_key": "elderly", "label": "实施智慧助老行动", "jurisdictions": 5,
         "titles": ["实施智慧助老行动", "开展智慧助老行动", "实施智慧助老科普行动"]}]}, 404))
def get_themes(
    catalog: CatalogDep,
    action: Annotated[str | None, Query(max_length=MAX_NAME, description="An action key", examples=["elderly"])] = None,
    jurisdiction: JurisdictionName = None, q: Words = None,
    min_jurisdictions: Annotated[int, Query(ge=1, le=100_000, description="Held by at least this many plans")] = 1,
    limit: Limit = 50, offset: Offset = 0,
) -> ThemePage:
    """Task themes (tasks of different plans that are the same work), most widespread first."""
    return list_themes(catalog, action=action, jurisdiction=jurisdiction, min_jurisdictions=min_jurisdictions,
                       q=q, limit=limit, offset=offset)


@router.get("/themes/{theme_id}", response_model=Theme, responses=ok(
    {"id": "elderly:实施智慧助老行动", "action_key": "elderly", "label": "实施智慧助老行动", "jurisdictions": 5,
     "members": [{"theme_id": "elderly:实施智慧助老行动", "task_id": "丰都县:t4.1",
                  "task_title": "实施智慧助老科普行动", "jurisdiction": "丰都县", "plan_id": "plan:丰都县",
                  "action_id": "丰都县:a4", "action_key": "elderly",
                  "action_title": "实施老年人科学素质提升行动", "score": 74.0, "split": False,
                  "evidence": {"compared_with": "忻州市:t4.1", "score": 78.0,
                               "parts": {"title": 17.5, "text": 30.2, "phrases": 20.0, "action_key": 10.0,
                                         "lead_kinds": 0.3},
                               "phrases": ["融入智慧社会的需求和困难", "提升老年人信息获取"],
                               "concepts": ["智慧助老"], "same_action_key": True, "shared_lead_kinds": []}}]},
    404))
def get_one_theme(
    catalog: CatalogDep,
    theme_id: Annotated[str, Path(min_length=1, max_length=MAX_NAME * 3, examples=["elderly:实施智慧助老行动"])],
) -> Theme:
    """One theme: every task linked to it, each with its score and the evidence of the link (compared
    with the theme's most typical task: each block's share of the score, shared phrases, known works)."""
    return get_theme(catalog, theme_id)


@router.get("/kinds", response_model=list[KindInfo], responses=ok(
    [{"key": "education", "label": "教育主管部门", "label_en": "Education authority", "group": False, "agencies": 5}]))
def get_kinds(
    catalog: CatalogDep,
    used: Annotated[bool, Query(description="Only kinds some agency has")] = False,
) -> list[KindInfo]:
    """Agency kinds with their labels and how many agencies (and groups) have each."""
    return list_kinds(catalog, used_only=used)


@router.get("/kinds/unknown", response_model=list[AgencyRow], responses=ok(
    [{"id": "某县:县宇宙探索局", "jurisdiction": "某县", "plan_id": "plan:某县", "name": "县宇宙探索局",
      "spellings": ["县宇宙探索局"], "stem": "宇宙探索局", "kinds": ["unknown"], "kinds_guessed": True}], 404))
def get_unknown_kinds(catalog: CatalogDep, jurisdiction: JurisdictionName = None) -> list[AgencyRow]:
    """Agencies whose name the kinds file does not list: their kinds are guessed from the name's
    parts (``kinds_guessed``), or "unknown". Empty when every name is known."""
    return guessed_agencies(catalog, jurisdiction)
