"""Exports of the whole graph or one jurisdiction: JSON, CSV (one row per agency-task edge), GraphML."""

from __future__ import annotations

from enum import Enum

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from plangraph.queries import resolve_jurisdiction
from plangraph.queries.export import CSV_COLUMNS, export_csv, export_graphml, export_json

from ..deps import CatalogDep, LockDep, locked_chunks
from ..examples import NOT_FOUND_JSON
from ..params import JurisdictionName

router = APIRouter(tags=["exports"])


class ExportFormat(str, Enum):
    json = "json"
    csv = "csv"
    graphml = "graphml"


MEDIA = {
    ExportFormat.json: "application/json",
    ExportFormat.csv: "text/csv; charset=utf-8",
    ExportFormat.graphml: "application/graphml+xml",
}
EXAMPLES = {
    200: {"content": {
        "application/json": {"example": {"jurisdictions": [{"jurisdiction": {"name": "丰都县"}, "tasks": []}]}},
        "text/csv": {"example": ",".join(CSV_COLUMNS) + "\n丰都县,plan:丰都县,1,youth,…,lead,丰都县:县教委,县教委,…\n"},
        "application/graphml+xml": {"example": "<graphml>…</graphml>"},
    }},
    404: NOT_FOUND_JSON | {"description": "Unknown jurisdiction, with the closest names"},
}


@router.get("/export/{fmt}", responses=EXAMPLES, response_class=StreamingResponse)
def export(
    catalog: CatalogDep, lock: LockDep, fmt: ExportFormat, jurisdiction: JurisdictionName = None,
) -> StreamingResponse:
    """The graph, or one jurisdiction, as JSON, CSV or GraphML (streamed)."""
    if jurisdiction is not None:
        jurisdiction = resolve_jurisdiction(catalog, jurisdiction)  # a 404 before streaming starts
    body = {ExportFormat.json: export_json, ExportFormat.csv: export_csv, ExportFormat.graphml: export_graphml}[fmt]
    name = f"plangraph-{jurisdiction or 'all'}.{fmt.value}"
    headers = {"Content-Disposition": f"attachment; filename*=UTF-8''{_quote(name)}"}
    chunks = locked_chunks(iter(body(catalog, jurisdiction)), lock)  # each plan whole: old or new, never half
    return StreamingResponse(chunks, media_type=MEDIA[fmt], headers=headers)


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)
