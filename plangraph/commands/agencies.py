"""``plangraph agencies`` and ``plangraph kinds``: every agency with its kinds, and the kinds.

A name the kinds file (``graph/data/agency_kinds.yaml``) does not know is reported, never dropped:
its kinds are a guess from the name's parts (``kinds_guessed``) or "unknown", and
``plangraph agencies --guessed`` lists exactly those, so a curator knows what to add.

    plangraph agencies --json                  # id, jurisdiction, name, spellings, kinds, kinds_guessed, …
    plangraph agencies --jurisdiction 丰都县
    plangraph agencies --kind education
    plangraph agencies --guessed               # exit code 0 either way; the count is on stderr
    plangraph kinds --used
"""

from __future__ import annotations

from typing import Annotated

import typer

from plangraph.cli import app
from plangraph.commands.query import DbOpt, JsonOpt, StoreOpt, _answer, _print_json, _table, err
from plangraph.graph.rows import AgencyRow
from plangraph.queries import NameCatalog, list_agencies
from plangraph.queries.overlap import guessed_agencies, kinds_version, list_kinds


def _agencies(
    catalog: NameCatalog, jurisdiction: str | None, kind: str | None, guessed: bool, groups: bool,
) -> list[AgencyRow]:
    rows = guessed_agencies(catalog, jurisdiction) if guessed else list_agencies(catalog, jurisdiction, kind=kind)
    if guessed and kind:
        rows = [a for a in rows if kind in a.kinds]
    return [a for a in rows if groups or not a.is_group]


@app.command("agencies")
def agencies_command(
    jurisdiction: Annotated[str | None, typer.Option(help="Only this jurisdiction")] = None,
    kind: Annotated[str | None, typer.Option(help="Only agencies of this kind, e.g. education")] = None,
    guessed: Annotated[bool, typer.Option("--guessed", help="Only names the kinds file does not know "
                                                              "(kinds guessed, or unknown)")] = False,
    groups: Annotated[bool, typer.Option("--groups/--no-groups", help="Include group references "
                                                                      "(各成员单位, 县级各部门…)")] = True,
    store: StoreOpt = None, db: DbOpt = None, as_json: JsonOpt = False,
) -> None:
    """Every agency with its kinds; --guessed lists the names the kinds file does not know."""
    rows = _answer(store, db, lambda c: _agencies(c, jurisdiction, kind, guessed, groups))
    if guessed:
        err.print(f"{len(rows)} agencies with guessed kinds (kinds file version {kinds_version()})",
                  highlight=False)
    if as_json:
        return _print_json(rows)
    _table(f"{len(rows)} agencies", ["jurisdiction", "name", "kinds", "guessed", "spellings"],
           ([a.jurisdiction, a.name, ", ".join(a.kinds), "yes" if a.kinds_guessed else "",
             "、".join(s for s in a.spellings if s != a.name)] for a in rows))


@app.command("kinds")
def kinds_command(
    used: Annotated[bool, typer.Option("--used", help="Only kinds some agency has")] = False,
    store: StoreOpt = None, db: DbOpt = None, as_json: JsonOpt = False,
) -> None:
    """Agency kinds with their labels and how many agencies have each."""
    rows = _answer(store, db, lambda c: list_kinds(c, used_only=used))
    if as_json:
        return _print_json(rows)
    _table(f"agency kinds (kinds file version {kinds_version()})", ["key", "label", "label_en", "agencies"],
           ([k.key, k.label, k.label_en, k.agencies] for k in rows))
