"""``plangraph render jurisdiction|agency|compare …``: write a map as one offline HTML file, or as
a static figure for a report (``--format svg|png|pdf``, laid out by Graphviz).

Examples::

    plangraph render jurisdiction 丰都县 -o map.html
    plangraph render jurisdiction 丰都县 --format png -o fengdu.png   # also svg, pdf (A4)
    plangraph render jurisdiction 丰都县 --action youth --role lead -o youth-leads.html
    plangraph render agency 县教委 --jurisdiction 丰都县 -o jiaowei.html
    plangraph render agency --kind education -o education.html
    plangraph render compare 丰都县 万年县 -o compare.html

The plans come from the store (``--store``/``--db``, as loaded by ``plangraph load``), or straight
from plan files with ``--plans DIR``; ``load_plans`` is the one place that knows which.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console

from plangraph.cli import app
from plangraph.graph.model import Plan
from plangraph.loaders import PlanError, parse_file, readable_suffixes
from plangraph.viz.figure import render_figure
from plangraph.viz.graphviz import GraphvizFailed, GraphvizMissing
from plangraph.viz.html import write_html
from plangraph.viz.mapdata import MapData
from plangraph.viz.select import DEFAULT_MAX_NODES
from plangraph.viz.views import agency_map, comparison_map, jurisdiction_map

render_app = typer.Typer(
    no_args_is_help=True,
    help="Write a map (jurisdiction, agency, comparison) as one HTML file that works offline.",
)
app.add_typer(render_app, name="render")

err = Console(stderr=True)
PLAN_SUFFIXES = readable_suffixes()

PlansDir = Annotated[
    Path | None,
    typer.Option("--plans", help="Read plan files from this folder instead of the store"),
]
Actions = Annotated[
    list[str] | None,
    typer.Option("--action", help="Only this action (key, title or number); repeatable"),
]
Roles = Annotated[
    list[str] | None, typer.Option("--role", help="Only this role: lead, support, responsible")
]
MaxNodes = Annotated[
    int, typer.Option("--max-nodes", min=1, help="Cap on nodes; the page says what was left out")
]
Output = Annotated[Path | None, typer.Option("-o", "--output", help="File to write")]


class Format(str, Enum):
    html = "html"
    svg = "svg"
    png = "png"
    pdf = "pdf"


Fmt = Annotated[Format, typer.Option(
    "--format", "-f", help="html: interactive page; svg, png (>= 1600 px wide), pdf (A4): a "
    "static figure laid out by Graphviz")]


def load_plans(plans_dir: Path | None) -> list[Plan]:
    """Every plan of the store (``PLANGRAPH_STORE``/``PLANGRAPH_DB``), or every readable plan file
    of ``plans_dir``; a file that is not a plan is reported and skipped."""
    if plans_dir is None:
        return _stored_plans()
    if not plans_dir.is_dir():
        _fail(f"{plans_dir}: not a folder of plan files")
    plans = []
    for path in sorted(p for p in plans_dir.iterdir() if p.suffix.lower() in PLAN_SUFFIXES):
        try:
            plans.append(parse_file(path))
        except PlanError as exc:
            err.print(f"[yellow]skipped[/yellow] {exc}", highlight=False)
    return plans


def _stored_plans() -> list[Plan]:
    from plangraph.graph.store import open_store
    from plangraph.queries import NameCatalog
    from plangraph.queries.plans import stored_plan

    store = open_store(create=False)
    try:
        catalog = NameCatalog(store)
        plans = [stored_plan(catalog, j.name) for j in store.jurisdictions()]
    finally:
        store.close()
    if not plans:
        _fail("the store holds no plans: run `plangraph load PATH…` first, or give --plans DIR")
    return plans


def _fail(message: str) -> NoReturn:
    err.print(f"[red]error[/red] {message}", highlight=False)
    raise typer.Exit(2)


def find_plan(plans: list[Plan], name: str) -> Plan:
    """The plan of a jurisdiction, by its name or its file name (with or without suffix)."""
    for plan in plans:
        file = Path(plan.source.file)
        if name in (plan.jurisdiction.name, file.name, file.stem):
            return plan
    known = "、".join(p.jurisdiction.name for p in plans) or "none"
    _fail(f"no plan of {name!r}; plans found: {known}")


def _write(data: MapData, output: Path | None, default: str, fmt: Format = Format.html) -> None:
    """Write the page or the figure; a missing Graphviz is the user's to fix, said plainly."""
    path = output or Path(f"{default}.{fmt.value}")
    if fmt is Format.html:
        write_html(data, path)
    else:
        try:
            figure = render_figure(data, fmt.value)
        except (GraphvizMissing, GraphvizFailed) as exc:
            _fail(str(exc))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(figure)
    for note in data.notes:
        err.print(f"note: {note}", highlight=False)
    Console().print(f"wrote {path} ({len(data.nodes)} nodes, {len(data.edges)} edges)",
                    highlight=False)


@render_app.command("jurisdiction")
def render_jurisdiction(
    name: Annotated[str, typer.Argument(help="Jurisdiction, e.g. 丰都县 (or the plan's file name)")],
    output: Output = None,
    plans: PlansDir = None,
    action: Actions = None,
    role: Roles = None,
    agency: Annotated[list[str] | None, typer.Option(help="Only this agency; repeatable")] = None,
    max_nodes: MaxNodes = DEFAULT_MAX_NODES,
    fmt: Fmt = Format.html,
) -> None:
    """One jurisdiction's agencies and tasks, edges by role."""
    plan = find_plan(load_plans(plans), name)
    try:
        data = jurisdiction_map(plan, actions=action, roles=role, agencies=agency,
                                max_nodes=max_nodes)
    except ValueError as exc:
        _fail(str(exc))
    _write(data, output, f"map-{plan.jurisdiction.name}", fmt)


@render_app.command("agency")
def render_agency(
    names: Annotated[list[str] | None, typer.Argument(help="Agency name, spelling or id")] = None,
    output: Output = None,
    plans: PlansDir = None,
    jurisdiction: Annotated[list[str] | None, typer.Option(help="Only in this jurisdiction")] = None,
    kind: Annotated[str | None, typer.Option(help="Every agency of this kind, e.g. education")] = None,
    action: Actions = None,
    role: Roles = None,
    max_nodes: MaxNodes = DEFAULT_MAX_NODES,
    fmt: Fmt = Format.html,
) -> None:
    """One agency (or every agency of one kind) and all it leads, supports or is responsible for."""
    loaded = load_plans(plans)
    chosen = [find_plan(loaded, j) for j in jurisdiction] if jurisdiction else loaded
    try:
        data = agency_map(chosen, agencies=names or None, kind=kind, actions=action, roles=role,
                          max_nodes=max_nodes)
    except ValueError as exc:
        _fail(str(exc))
    if not data.nodes:
        _fail(f"no agency matched {names or kind!r} in {len(chosen)} plan(s)")
    _write(data, output, f"map-{(names or [kind])[0]}", fmt)


@render_app.command("compare")
def render_compare(
    names: Annotated[list[str], typer.Argument(help="Two or more jurisdictions")],
    output: Output = None,
    plans: PlansDir = None,
    action: Actions = None,
    role: Roles = None,
    max_nodes: MaxNodes = DEFAULT_MAX_NODES,
    fmt: Fmt = Format.html,
) -> None:
    """Two or more jurisdictions side by side, agency kinds drawn once."""
    loaded = load_plans(plans)
    chosen = [find_plan(loaded, n) for n in names]
    try:
        data = comparison_map(chosen, actions=action, roles=role, max_nodes=max_nodes)
    except ValueError as exc:
        _fail(str(exc))
    _write(data, output, "map-" + "-".join(p.jurisdiction.name for p in chosen), fmt)
