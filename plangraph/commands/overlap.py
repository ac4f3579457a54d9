"""``plangraph overlap``, ``plangraph themes`` and ``plangraph render overlap``: where plans overlap.

    plangraph overlap 丰都县 万年县 忻州市          # shared themes, who leads each (by kind), similarity
    plangraph overlap --matrix -o m.csv            # the figure for every pair of loaded jurisdictions
    plangraph overlap --matrix --measure themes --jurisdiction 丰都县 --jurisdiction 万年县 --json
    plangraph themes --min 5                       # task themes held by at least five plans
    plangraph render overlap -o heatmap.html       # the matrix as an offline HTML heatmap

The matrix has N×N cells, so it is capped (``--max``, default ``MAX_MATRIX``): above the cap the
command says so and exits 2; choose jurisdictions with ``--jurisdiction`` or raise ``--max``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from plangraph.cli import app
from plangraph.commands.query import DbOpt, JsonOpt, StoreOpt, _answer, _print_json, _table, err
from plangraph.commands.render import render_app
from plangraph.queries import NameCatalog
from plangraph.queries.overlap import (
    MAX_MATRIX,
    Measure,
    Overlap,
    OverlapMatrix,
    TooLarge,
    matrix_csv,
    overlap,
    overlap_matrix,
)
from plangraph.queries.themes import list_themes
from plangraph.viz.heatmap import overlap_heatmap, write_heatmap

MAX_CLI_MATRIX = 10_000
Names = Annotated[list[str] | None, typer.Argument(help="Two or more jurisdictions")]
Chosen = Annotated[list[str] | None, typer.Option("--jurisdiction", help="A jurisdiction of the matrix; repeatable "
                                                                          "(all loaded ones when omitted)")]
MeasureOpt = Annotated[str, typer.Option("--measure", help="division (similarity of the division of work, as "
                                                           "compare) or themes (shared task themes)")]
MaxOpt = Annotated[int, typer.Option("--max", min=1, max=MAX_CLI_MATRIX, help="Most jurisdictions in a matrix")]


def _fail(message: str) -> None:
    err.print(f"[red]error[/red] {message}", highlight=False)
    raise typer.Exit(2)


def _measure(value: str) -> Measure:
    if value not in ("division", "themes"):
        _fail(f"unknown measure {value!r}: use division or themes")
    return "themes" if value == "themes" else "division"


def _matrix(store: StoreOpt, db: DbOpt, names: list[str] | None, measure: Measure, cap: int) -> OverlapMatrix:
    def ask(catalog: NameCatalog) -> OverlapMatrix | str:
        try:
            return overlap_matrix(catalog, names, measure, cap=cap)
        except TooLarge as exc:
            return f"{exc} (or raise --max)"

    result = _answer(store, db, ask)
    if isinstance(result, str):
        _fail(result)
    assert isinstance(result, OverlapMatrix)
    return result


def _group(store: StoreOpt, db: DbOpt, names: list[str]) -> Overlap:
    def ask(catalog: NameCatalog) -> Overlap | str:
        try:
            return overlap(catalog, names)
        except ValueError as exc:  # also TooLarge
            return str(exc)

    result = _answer(store, db, ask)
    if isinstance(result, str):
        _fail(result)
    assert isinstance(result, Overlap)
    return result


def _print_overlap(result: Overlap) -> None:
    _table(f"{' / '.join(result.jurisdictions)}: similarity {result.similarity}, "
           f"{len(result.shared_themes)} shared themes (overlap {result.theme_overlap})",
           ["theme", *result.jurisdictions, "common lead kinds"],
           ([t.label, *(f"{', '.join(s.lead_kinds)} ({s.lead_basis})" for s in t.sides),
             ", ".join(t.common_lead_kinds)] for t in result.shared_themes))
    _table("pairs", ["a", "b", "similarity", "shared themes", "theme overlap"],
           ([p.a, p.b, p.similarity, p.shared_themes, p.theme_overlap] for p in result.pairs))


@app.command("overlap")
def overlap_command(
    names: Names = None,
    matrix: Annotated[bool, typer.Option("--matrix", help="The figure for every pair of jurisdictions")] = False,
    jurisdiction: Chosen = None,
    measure: MeasureOpt = "division",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write the matrix as CSV here")] = None,
    cap: MaxOpt = MAX_MATRIX,
    store: StoreOpt = None, db: DbOpt = None, as_json: JsonOpt = False,
) -> None:
    """Where plans overlap: shared task themes and their leads by kind, and one similarity figure;
    with --matrix, that figure for every pair (CSV with -o)."""
    if not matrix:
        if output is not None or jurisdiction:
            _fail("-o and --jurisdiction go with --matrix; name the jurisdictions as arguments otherwise")
        if not names or len(names) < 2:
            _fail("name two or more jurisdictions, or use --matrix")
        result = _group(store, db, names or [])
        return _print_json(result) if as_json else _print_overlap(result)
    found = _matrix(store, db, [*(names or []), *(jurisdiction or [])] or None, _measure(measure), cap)
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(matrix_csv(found), encoding="utf-8")
        err.print(f"wrote {output} ({len(found.jurisdictions)}×{len(found.jurisdictions)})", highlight=False)
    elif as_json:
        _print_json(found)
    else:
        print(matrix_csv(found), end="")


@app.command("themes")
def themes_command(
    action: Annotated[str | None, typer.Option(help="Only this action key, e.g. elderly")] = None,
    jurisdiction: Annotated[str | None, typer.Option(help="Only themes this jurisdiction's plan has")] = None,
    min_jurisdictions: Annotated[int, typer.Option("--min", min=1, help="Held by at least this many plans")] = 1,
    q: Annotated[str | None, typer.Option("--q", help="Words in a task title")] = None,
    limit: Annotated[int, typer.Option(min=1, max=100_000)] = 50,
    store: StoreOpt = None, db: DbOpt = None, as_json: JsonOpt = False,
) -> None:
    """Task themes: tasks of different plans that are the same work, most widespread first."""
    page = _answer(store, db, lambda c: list_themes(c, action=action, jurisdiction=jurisdiction,
                                                    min_jurisdictions=min_jurisdictions, q=q, limit=limit))
    if as_json:
        return _print_json(page)
    _table(f"{page.total} themes (threshold {page.theme_threshold:g})", ["theme", "plans", "titles"],
           ([t.id, t.jurisdictions, "、".join(t.titles[:4])] for t in page.items))


@render_app.command("overlap")
def render_overlap(
    names: Annotated[list[str] | None, typer.Argument(help="Jurisdictions (all loaded ones when omitted)")] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="HTML file to write")] = None,
    measure: MeasureOpt = "division",
    cap: MaxOpt = MAX_MATRIX,
    store: StoreOpt = None, db: DbOpt = None,
) -> None:
    """The overlap matrix as a heatmap: one HTML page that works offline."""
    found = _matrix(store, db, names or None, _measure(measure), cap)
    path = write_heatmap(overlap_heatmap(found), output or Path(f"overlap-{found.measure}.html"))
    Console().print(f"wrote {path} ({len(found.jurisdictions)}×{len(found.jurisdictions)})", highlight=False)
