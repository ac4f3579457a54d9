"""``plangraph render national``: China's county-level units coloured by who leads an action.

    plangraph render national --action youth -o youth.html    # from the store (--db, PLANGRAPH_DB)
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from plangraph.commands.query import DbOpt, StoreOpt, _answer, err
from plangraph.commands.render import render_app
from plangraph.queries.national import NationalAnswer, UnknownAction, leading_kinds
from plangraph.viz.heatmap import write_heatmap
from plangraph.viz.national import leading_kinds_map


@render_app.command("national")
def render_national_command(
    action: Annotated[str, typer.Option(help="An action key: youth, farmers, workers, elderly, officials …")] = "youth",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="HTML file to write")] = None,
    store: StoreOpt = None,
    db: DbOpt = None,
) -> None:
    """A national map: each county-level plan's place coloured by the kind of body leading the action."""
    try:
        answer: NationalAnswer = _answer(store, db, lambda c: leading_kinds(c, action))
    except UnknownAction as exc:
        err.print(f"[red]error[/red] {exc}", highlight=False)
        raise typer.Exit(2) from None
    path = write_heatmap(leading_kinds_map(answer.places, answer.action_label), output or Path(f"national-{action}.html"))
    drawn = sum(1 for p in answer.places if p.code)
    Console().print(f"wrote {path} ({len(answer.places)} plans, {drawn} with a division code)", highlight=False)
