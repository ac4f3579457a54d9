"""The API's questions on the command line, for people who do not run a server.

    plangraph tasks --agency 县科协 --role lead
    plangraph agency 县科协 --jurisdiction 丰都县
    plangraph jurisdiction 丰都县
    plangraph compare 丰都县 万年县
    plangraph export csv -o edges.csv
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import orjson
import typer
from pydantic import BaseModel
from rich.console import Console
from rich.table import Table

from plangraph.cli import app
from plangraph.graph.model import Role
from plangraph.graph.settings import StoreKind
from plangraph.queries import NameCatalog, NotFound, collaboration, compare, profile, tasks_for
from plangraph.queries.export import export_csv, export_graphml, export_json
from plangraph.queries.results import ActionLeadItem

T = TypeVar("T")
StoreOpt = Annotated[StoreKind | None, typer.Option("--store", help="embedded (default) or neo4j")]
DbOpt = Annotated[Path | None, typer.Option("--db", help="Embedded store file; env PLANGRAPH_DB")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table")]
err = Console(stderr=True)


def _answer(store: StoreKind | None, db: Path | None, question: Callable[[NameCatalog], T]) -> T:
    """Open the store (it must exist), ask, close; an unknown name exits 1 with the suggestions
    (a missing or damaged store is reported by ``plangraph.cli.Commands``)."""
    from plangraph.graph.store import open_store

    graph = open_store(store, db, create=False)
    try:
        return question(NameCatalog(graph))
    except NotFound as exc:
        err.print(f"[red]not found[/red] {exc}", highlight=False)
        raise typer.Exit(1) from None
    finally:
        graph.close()


def _print_json(value: BaseModel | list[BaseModel]) -> None:
    data: Any = [v.model_dump(mode="json") for v in value] if isinstance(value, list) else value.model_dump(mode="json")
    sys.stdout.buffer.write(orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n")


def _table(title: str, columns: list[str], rows: Iterable[list[Any]]) -> None:
    table = Table(*columns, title=title)
    for row in rows:
        table.add_row(*(str(c) for c in row))
    Console().print(table)


@app.command("tasks")
def tasks_command(
    agency: Annotated[str | None, typer.Option(help="Agency as written: 县科协, 科协, 丰都县科协…")] = None,
    role: Annotated[Role | None, typer.Option(help="lead, support or responsible")] = None,
    jurisdiction: Annotated[str | None, typer.Option(help="Only this jurisdiction")] = None,
    q: Annotated[str | None, typer.Option("--q", help="Words in the task's title or text")] = None,
    limit: Annotated[int, typer.Option(min=1, max=100_000)] = 50,
    store: StoreOpt = None, db: DbOpt = None, as_json: JsonOpt = False,
) -> None:
    """Which tasks an agency leads, supports or shares responsibility for."""
    page = _answer(store, db, lambda c: tasks_for(c, agency=agency, role=role, jurisdiction=jurisdiction, q=q, limit=limit))
    if as_json:
        return _print_json(page)
    _table(f"{page.total} tasks", ["jurisdiction", "task", "action", "title", "role", "as written"],
           ([i.jurisdiction, i.id, i.action.key, i.title, i.role or "", i.agency.name if i.agency else ""] for i in page.items))
    if page.action_leads_total:
        _action_leads_table(f"{page.action_leads_total} actions led as a whole (〔牵头部门〕), with their tasks",
                            page.action_leads)


def _action_leads_table(title: str, items: list[ActionLeadItem]) -> None:
    """Actions led as a whole; the tasks column lists the ids under the action (titles: --json)."""
    _table(title, ["jurisdiction", "key", "action", "as written", "tasks"],
           ([i.jurisdiction, i.key, i.title, i.agency.name,
             f"{len(i.tasks)}: " + " ".join(t.id.rsplit(":", 1)[-1] for t in i.tasks)] for i in items))


@app.command("agency")
def agency_command(
    name: Annotated[str, typer.Argument(help="Agency as written")],
    jurisdiction: Annotated[str | None, typer.Option(help="Only this jurisdiction")] = None,
    store: StoreOpt = None, db: DbOpt = None, as_json: JsonOpt = False,
) -> None:
    """An agency's collaborators: who shares its tasks, and how often."""
    found = _answer(store, db, lambda c: collaboration(c, name, jurisdiction))
    if as_json:
        return _print_json(found)
    for entry in found:
        a = entry.agency
        _table(f"{a.jurisdiction} {a.name} ({', '.join(a.kinds) or 'no kind'}): lead {a.tasks.get('lead', 0)}, "
               f"support {a.tasks.get('support', 0)}, responsible {a.tasks.get('responsible', 0)}, "
               f"leads {len(entry.action_leads)} actions as a whole",
               ["works with", "shared tasks", "their roles"],
               ([c.agency.canonical, c.shared_tasks, c.roles] for c in entry.collaborators[:20]))
        if entry.action_leads:
            _action_leads_table(f"{a.name} leads {len(entry.action_leads)} actions as a whole (〔牵头部门〕)",
                                entry.action_leads)


@app.command("jurisdiction")
def jurisdiction_command(
    name: Annotated[str, typer.Argument(help="Jurisdiction name, e.g. 丰都县")],
    store: StoreOpt = None, db: DbOpt = None, as_json: JsonOpt = False,
) -> None:
    """A jurisdiction's profile: actions, tasks and each agency's load."""
    p = _answer(store, db, lambda c: profile(c, name))
    if as_json:
        return _print_json(p)
    _table(f"{p.jurisdiction.name}: {p.jurisdiction.period}, {p.jurisdiction.tasks} tasks",
           ["#", "key", "action", "tasks", "action leads (〔牵头部门〕)"],
           ([a.action.seq, a.action.key, a.action.title, len(a.tasks), "、".join(a.leads)] for a in p.actions))
    _table("agencies by load", ["agency", "lead", "support", "responsible", "actions led"],
           ([x.agency.name, x.lead, x.support, x.responsible, x.action_leads] for x in p.agencies))


@app.command("compare")
def compare_command(
    a: Annotated[str, typer.Argument(help="First jurisdiction")],
    b: Annotated[str, typer.Argument(help="Second jurisdiction")],
    store: StoreOpt = None, db: DbOpt = None, as_json: JsonOpt = False,
) -> None:
    """Compare two jurisdictions: shared actions, lead kinds, similarity of their division of work."""
    result = _answer(store, db, lambda c: compare(c, a, b))
    if as_json:
        return _print_json(result)
    _table(f"{result.a.name} vs {result.b.name}: similarity {result.similarity}", ["action", a, b, "common lead kinds"],
           ([s.key, ", ".join(s.a.lead_kinds), ", ".join(s.b.lead_kinds), ", ".join(s.common_lead_kinds)]
            for s in result.shared_actions))


@app.command("export")
def export_command(
    fmt: Annotated[str, typer.Argument(help="json, csv or graphml")],
    output: Annotated[Path, typer.Option("-o", "--output", help="File to write")],
    jurisdiction: Annotated[str | None, typer.Option(help="Only this jurisdiction")] = None,
    store: StoreOpt = None, db: DbOpt = None,
) -> None:
    """Export the graph (or a jurisdiction) as JSON, CSV (one row per agency-task edge) or GraphML."""
    writers = {"json": export_json, "csv": export_csv, "graphml": export_graphml}
    if fmt not in writers:
        err.print(f"[red]error[/red] unknown format {fmt!r}: use json, csv or graphml")
        raise typer.Exit(2)

    def write(catalog: NameCatalog) -> None:
        with output.open("wb") as out:
            for chunk in writers[fmt](catalog, jurisdiction):
                out.write(chunk if isinstance(chunk, bytes) else chunk.encode("utf-8"))

    _answer(store, db, write)
    err.print(f"wrote {output}")
