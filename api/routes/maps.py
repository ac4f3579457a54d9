"""Maps: interactive HTML views that work offline (every script and style inlined), or with
``?format=svg|png|pdf`` a static figure for a report, laid out on the server by Graphviz (503 with
what to install when Graphviz is missing: the server's situation, not the client's mistake)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response

from plangraph.graph.model import Plan, Role
from plangraph.queries import NotFound, resolve_agencies
from plangraph.queries.names import suggest
from plangraph.queries.national import UnknownAction, leading_kinds
from plangraph.queries.plans import stored_plan
from plangraph.viz.figure import MEDIA_TYPES, render_figure
from plangraph.viz.graphviz import GraphvizFailed, GraphvizMissing
from plangraph.viz.html import render_html
from plangraph.viz.mapdata import MapData
from plangraph.viz.national import leading_kinds_map
from plangraph.viz.select import DEFAULT_MAX_NODES, action_names
from plangraph.viz.views import agency_map, comparison_map, jurisdiction_map

from ..deps import CatalogDep
from ..examples import NOT_FOUND_JSON
from ..params import MAX_NAME, JurisdictionName, NameItem

router = APIRouter(prefix="/maps", tags=["maps"])
HTML = {200: {"content": {"text/html": {"example": "<!DOCTYPE html><html>…vis network…</html>"},
                          "image/svg+xml": {}, "image/png": {}, "application/pdf": {}}},
        503: {"description": "A figure was asked for and Graphviz is not installed (or timed out)"},
        404: NOT_FOUND_JSON | {"description": "Unknown jurisdiction, agency or kind, with the closest names"}}
Actions = Annotated[list[NameItem] | None, Query(max_length=MAX_NAME, description="Only these actions (key, title or number)",
                                             examples=[["youth"]])]
Roles = Annotated[list[Role] | None, Query(max_length=10, description="Only these roles", examples=[["lead"]])]
MaxNodes = Annotated[int, Query(ge=10, le=5000, description="Cap on nodes; the page says what was left out")]
Fmt = Annotated[Literal["html", "svg", "png", "pdf"], Query(
    alias="format", description="html: the interactive page; svg, png (>= 1600 px wide), pdf (A4): "
    "a static figure laid out on the server")]
MAX_PLACES = 30


def _known_actions(plans: Sequence[Plan], wanted: list[str] | None) -> None:
    """An action filter that names no action of these plans is a client's mistake (a typo, a key
    of another generation): 404 with the closest names, never a silently empty map."""
    names = sorted({n for plan in plans for action in plan.actions for n in action_names(action)})
    for name in wanted or ():
        if name not in names:
            raise NotFound("action", name, suggest(name, names))


def _page(data: MapData, fmt: str = "html") -> Response:
    if fmt == "html":
        return HTMLResponse(render_html(data), media_type=MEDIA_TYPES["html"])
    try:
        figure = render_figure(data, fmt)  # type: ignore[arg-type]
    except (GraphvizMissing, GraphvizFailed) as exc:
        return JSONResponse({"detail": str(exc)}, status_code=503)
    return Response(figure, media_type=MEDIA_TYPES[fmt])
@router.get("/national", response_class=HTMLResponse, responses=HTML)
def national_page(
    catalog: CatalogDep,
    action: Annotated[str, Query(min_length=1, max_length=MAX_NAME, examples=["youth"],
                                 description="An action key (youth, farmers, workers, elderly, officials …)")] = "youth",
) -> HTMLResponse:
    """China's county-level units, each coloured by the kind of body that leads the action in its plan
    (offline SVG; the first map of a process takes a few seconds to prepare the boundaries)."""
    try:
        answer = leading_kinds(catalog, action)
    except UnknownAction as exc:
        raise RequestValidationError([{"loc": ("query", "action"), "msg": str(exc), "type": "value_error"}]) from None
    return HTMLResponse(leading_kinds_map(answer.places, answer.action_label), media_type="text/html; charset=utf-8")


@router.get("/jurisdictions/{name}", response_class=HTMLResponse, responses=HTML)
def jurisdiction_page(
    catalog: CatalogDep, name: Annotated[str, Path(min_length=1, max_length=MAX_NAME, examples=["丰都县"])],
    action: Actions = None, role: Roles = None,
    agency: Annotated[list[NameItem] | None, Query(max_length=MAX_NAME, examples=[["县科协"]])] = None,
    max_nodes: MaxNodes = DEFAULT_MAX_NODES, fmt: Fmt = "html",
) -> Response:
    """A jurisdiction's agencies and tasks, coloured by action, edges styled by role."""
    plan = stored_plan(catalog, name)
    _known_actions([plan], action)
    return _page(jurisdiction_map(plan, actions=action, roles=role, agencies=agency, max_nodes=max_nodes), fmt)


@router.get("/agencies/{name}", response_class=HTMLResponse, responses=HTML)
def agency_page(
    catalog: CatalogDep, name: Annotated[str, Path(min_length=1, max_length=MAX_NAME, examples=["县科协"])],
    jurisdiction: JurisdictionName = None, action: Actions = None, role: Roles = None,
    max_nodes: MaxNodes = DEFAULT_MAX_NODES, fmt: Fmt = "html",
) -> Response:
    """One agency (in every jurisdiction the name matches) and everything it leads or supports."""
    matched = resolve_agencies(catalog, name, jurisdiction)[:MAX_PLACES]
    plans = [stored_plan(catalog, j) for j in dict.fromkeys(a.jurisdiction for a in matched)]
    _known_actions(plans, action)
    data = agency_map(plans, agencies=[a.id for a in matched], actions=action, roles=role, max_nodes=max_nodes)
    return _page(data, fmt)


@router.get("/kinds/{kind}", response_class=HTMLResponse, responses=HTML)
def kind_page(
    catalog: CatalogDep, kind: Annotated[str, Path(min_length=1, max_length=MAX_NAME, examples=["education"])],
    jurisdiction: Annotated[list[NameItem] | None, Query(max_length=MAX_NAME, examples=[["丰都县", "万年县"]])] = None,
    action: Actions = None, role: Roles = None, max_nodes: MaxNodes = DEFAULT_MAX_NODES, fmt: Fmt = "html",
) -> Response:
    """Every agency of one kind (e.g. education) across jurisdictions, and what each leads or supports."""
    places = [a.jurisdiction for a in catalog.store.agencies(kind=kind)]
    if jurisdiction:
        places = [p for p in places if p in set(jurisdiction)]
    if not places:
        where = f" in {', '.join(jurisdiction)}" if jurisdiction else ""
        raise NotFound("kind", kind + where, suggest(kind, [k.kind for k in catalog.store.kinds()]))
    chosen = list(dict.fromkeys(places))
    plans = [stored_plan(catalog, j) for j in chosen[:MAX_PLACES]]
    _known_actions(plans, action)
    data = agency_map(plans, kind=kind, actions=action, roles=role, max_nodes=max_nodes)
    if len(chosen) > MAX_PLACES:
        data.notes.append(f"showing {MAX_PLACES} of {len(chosen)} jurisdictions; pass ?jurisdiction= to choose")
    return _page(data, fmt)


@router.get("/compare", response_class=HTMLResponse, responses=HTML)
def compare_page(
    catalog: CatalogDep,
    jurisdiction: Annotated[list[NameItem], Query(min_length=2, max_length=MAX_PLACES, examples=[["丰都县", "万年县"]],
                                             description="Two or more jurisdictions")],
    action: Actions = None, role: Roles = None, max_nodes: MaxNodes = DEFAULT_MAX_NODES, fmt: Fmt = "html",
) -> Response:
    """Two or more jurisdictions side by side; shared agency kinds drawn once."""
    plans = [stored_plan(catalog, j) for j in dict.fromkeys(jurisdiction)]
    if len(plans) < 2:  # the shape of every other 422, as the document says
        raise RequestValidationError([{"type": "value_error", "loc": ("query", "jurisdiction"),
                                       "msg": "compare needs two different jurisdictions", "input": jurisdiction}])
    _known_actions(plans, action)
    return _page(comparison_map(plans, actions=action, roles=role, max_nodes=max_nodes), fmt)
