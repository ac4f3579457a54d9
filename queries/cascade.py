"""A province's or city's plan beside the plans of the places under it.

Why: a higher plan sets tasks and the places under it write their own; a planner asks which of
the higher plan's tasks each lower plan took up (the same task theme, ``queries/themes.py``), who
leads it there, and which lower plans leave it out. The places under a province are those whose
province it is; under a city, those whose city it is (``division``/``parent_city`` from the
gazetteer, ``graph/places.py``). A county or district has no places under it: its cascade lists
its tasks with no lower plan.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from plangraph.graph.rows import JurisdictionRow

from .jurisdictions import find_place
from .names import NameCatalog
from .overlap import theme_sides
from .themes import ThemeSide, themes_for


class CascadeTask(BaseModel):
    """One task of the higher plan and what the plans under it do with its theme."""

    task_id: str
    task_title: str
    action_key: str
    theme_id: str | None = Field(description="The task's theme; None when the theme index has not linked it")
    theme_label: str | None = None
    leads: ThemeSide | None = Field(description="Who leads it in the higher plan")
    carried: list[ThemeSide] = Field(description="Each lower plan with a task of the same theme, and who leads it there")
    left_out: list[str] = Field(description="The lower plans with no task of this theme")


class Cascade(BaseModel):
    jurisdiction: JurisdictionRow
    below: list[JurisdictionRow] = Field(description="The stored plans of the places under it")
    tasks: list[CascadeTask]


def places_under(rows: list[JurisdictionRow], top: JurisdictionRow) -> list[JurisdictionRow]:
    """The stored places whose province (for a province) or city (for a city) ``top`` is."""
    if top.level == "province":
        return [r for r in rows if r.province == top.name and r.name != top.name]
    if top.level == "city":
        return [r for r in rows if r.parent_city == top.name]
    return []


def cascade(catalog: NameCatalog, jurisdiction: str) -> Cascade:
    """``jurisdiction`` (a name or a code) beside the plans under it, task by task."""
    store = catalog.store
    top = find_place(catalog, jurisdiction)
    below = places_under(store.jurisdictions(), top)
    index = themes_for(catalog)
    tasks = store.tasks(jurisdiction=top.name)
    themes = {t.id: index.theme_of(t.id) for t in tasks}
    own_ids = list(dict.fromkeys(th.id for th in themes.values() if th is not None))
    own = {s.id: s.sides[0] for s in theme_sides(catalog, index, [top.name], own_ids)}
    lower: dict[str, dict[str, ThemeSide]] = {}
    for place in below:
        held = [i for i in own_ids if i in index.themes_of(place.name)]
        lower[place.name] = {s.id: s.sides[0] for s in theme_sides(catalog, index, [place.name], held)}
    answer = []
    for t in tasks:
        theme = themes[t.id]
        tid = theme.id if theme else None
        carried = [lower[p.name][tid] for p in below if tid in lower[p.name]]
        answer.append(CascadeTask(
            task_id=t.id, task_title=t.title, action_key=t.action_key, theme_id=tid,
            theme_label=theme.label if theme else None, leads=own.get(tid) if tid else None, carried=carried,
            left_out=[p.name for p in below if tid not in lower[p.name]],
        ))
    return Cascade(jurisdiction=top, below=below, tasks=answer)
