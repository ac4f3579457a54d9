"""``plangraph cascade J``: a province's or city's plan beside the plans of the places under it.

    plangraph cascade 山西省            # per task: which lower plans carry its theme, who leads, who leaves it out
    plangraph cascade 140000 --json     # by code; the JSON of GET /cascade
"""

from __future__ import annotations

from typing import Annotated

import typer

from plangraph.cli import app
from plangraph.commands.query import DbOpt, JsonOpt, StoreOpt, _answer, _print_json, _table
from plangraph.queries.cascade import cascade


@app.command("cascade")
def cascade_command(
    jurisdiction: Annotated[str, typer.Argument(help="A province's or city's name or division code")],
    json: JsonOpt = False,
    store: StoreOpt = None,
    db: DbOpt = None,
) -> None:
    """A province's or city's plan beside the plans under it: per task, which lower plans have the
    same theme and who leads it there, and which leave it out."""
    found = _answer(store, db, lambda c: cascade(c, jurisdiction))
    if json:
        _print_json(found)
        return
    top = found.jurisdiction
    below = ", ".join(p.name for p in found.below) or "none stored"
    _table(f"{top.name} ({top.division or top.level}, {top.code or 'no code'}): plans under it: {below}",
           ["task", "title", "leads", "carried by (who leads)", "left out by"],
           ([t.task_id, t.task_title, "、".join(a.name for a in t.leads.leads) if t.leads else "",
             "; ".join(f"{s.jurisdiction} ({'、'.join(a.name for a in s.leads) or '-'})" for s in t.carried),
             "、".join(t.left_out)] for t in found.tasks))
