"""Where plans overlap: the themes two or more jurisdictions share, who leads each, and how alike
their division of work is; a matrix of that figure over many jurisdictions; and the agency kinds.

Why: researchers compare counties. Agencies of different places are different bodies, so leads
are compared by kind (``graph/data/agency_kinds.yaml``); differently worded tasks are the same work
when they share a theme (``queries/themes.py``). The similarity figure is the one ``/compare`` has
always given (cosine of the (action key, kind) weights of ``queries/compare.py``), so a matrix cell
and a comparison of the same two jurisdictions agree.

Who leads a task is read as the plan says it, never invented, and as ``/compare`` reads it
(``queries/leads.py``): the task's own leads (``lead``); where the plan names none, the leads of its
whole action (``action_lead``, 〔牵头部门：…〕); else nobody (``none``): bodies named only as jointly
responsible (按职责分工负责) do not lead. Each answer says which it is.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from typing import Literal

from pydantic import BaseModel, Field

from plangraph.graph.kinds import kind_table, kinds_table
from plangraph.graph.rows import AgencyRow

from .compare import UNKNOWN_KIND, Division, PlaceReads, cosine, division_of_work
from .leads import PlaceLeads
from .names import NameCatalog, resolve_jurisdiction
from .themes import (
    LeadAgency, SharedTheme, ThemeIndex, ThemeLink, ThemeSide, jaccard, settings_version, themes_for,
)

MAX_JURISDICTIONS = 30
MAX_MATRIX = 200
Measure = Literal["division", "themes"]

__all__ = [
    "MAX_JURISDICTIONS", "MAX_MATRIX", "KindInfo", "Overlap", "OverlapMatrix", "PairFigure", "TooLarge",
    "guessed_agencies", "kinds_version", "list_kinds", "matrix_csv", "overlap", "overlap_matrix",
    "prepare_comparisons", "theme_sides",
]


class TooLarge(ValueError):
    """More jurisdictions than an answer may hold; the API answers 422 with this message."""


# --- answers --------------------------------------------------------------------------------


class PairFigure(BaseModel):
    """Two jurisdictions: the similarity of their division of work and how many themes they share."""

    a: str
    b: str
    similarity: float = Field(description="Cosine of the (action key, kind) weights, 0..1 (as /compare)")
    shared_themes: int
    theme_overlap: float = Field(description="Shared themes / themes either has (Jaccard), 0..1")


class Overlap(BaseModel):
    """Two or more jurisdictions side by side."""

    jurisdictions: list[str]
    themes: dict[str, int] = Field(description="How many themes each jurisdiction's plan has")
    shared_themes: list[SharedTheme] = Field(description="Themes all of them have")
    only: dict[str, list[str]] = Field(description="Per jurisdiction: ids of themes none of the others has")
    similarity: float = Field(description="Mean of the pairs' similarity (the one figure for two)")
    theme_overlap: float = Field(description="Themes all have / themes any has, 0..1")
    pairs: list[PairFigure]
    theme_threshold: float = Field(description="The score a task needs to join a theme")


class OverlapMatrix(BaseModel):
    """A figure for every pair of jurisdictions: rows and columns in ``jurisdictions`` order."""

    measure: Measure = Field(description="division: similarity of the division of work (as /compare); "
                                          "themes: shared themes / themes either has")
    jurisdictions: list[str]
    values: list[list[float]]
    loaded: int = Field(description="Jurisdictions in the graph")
    notes: list[str] = []


class KindInfo(BaseModel):
    """An agency kind: its labels and how many agencies (and groups) of the graph have it."""

    key: str
    label: str
    label_en: str
    group: bool = Field(description="True for group references (各成员单位, 县级各部门, 各乡镇…)")
    agencies: int


# --- leads ----------------------------------------------------------------------------------


def _lead_agency(agency: AgencyRow | None, agency_id: str, name: str) -> LeadAgency:
    if agency is None:
        return LeadAgency(id=agency_id, name=name, kinds=[UNKNOWN_KIND], kinds_guessed=True)
    return LeadAgency(id=agency.id, name=agency.name, kinds=agency.kinds or [UNKNOWN_KIND],
                      kinds_guessed=agency.kinds_guessed)


class _Leads:
    """Who leads each task of one jurisdiction's theme tasks (``queries/leads.py``), with kinds."""

    def __init__(self, reads: PlaceReads) -> None:
        self.agencies = reads.agencies
        self.leads = PlaceLeads(reads.assignments, reads.action_leads)

    def side(self, link: ThemeLink) -> ThemeSide:
        source, named = self.leads.of_task(link.task_id, link.action_id)
        leads = [_lead_agency(self.agencies.get(i), i, n) for i, n in named]
        kinds = list(dict.fromkeys(k for a in leads for k in a.kinds))
        return ThemeSide(jurisdiction=link.jurisdiction, task_id=link.task_id, task_title=link.task_title,
                         score=link.score, lead_basis=source or "none", lead_kinds=kinds, leads=leads)


def _place_sides(
    catalog: NameCatalog, index: ThemeIndex, jurisdiction: str, reads: PlaceReads | None,
) -> dict[str, ThemeSide]:
    """Theme id -> the jurisdiction's side of it, with its leads; made once per store generation
    and theme settings (``NameCatalog.derived``): every comparison with the place needs them
    again. Shared: callers must not change them."""

    def make() -> dict[str, ThemeSide]:
        links = index.themes_of(jurisdiction)
        leads = _Leads(reads or PlaceReads.read(catalog.store, jurisdiction))
        return {theme_id: leads.side(link) for theme_id, link in links.items()}

    return catalog.derived(("theme sides", jurisdiction, settings_version(index.settings)), make)


def prepare_comparisons(catalog: NameCatalog) -> None:
    """Make every jurisdiction's division of work and theme sides now (the API's warm-up), so that
    no first comparison of a place waits for them: on the national graph a first comparison
    cost 6 ms against 0.3 ms after."""
    index = themes_for(catalog)
    for place in catalog.jurisdictions():
        reads = PlaceReads.read(catalog.store, place)
        division_of_work(catalog, place, reads)
        _place_sides(catalog, index, place, reads)


def theme_sides(
    catalog: NameCatalog, index: ThemeIndex, jurisdictions: Sequence[str], theme_ids: Iterable[str],
    reads: dict[str, PlaceReads] | None = None,
) -> list[SharedTheme]:
    """The given themes (each present in every jurisdiction) with each jurisdiction's task and leads.

    ``reads``: what the caller already read of each jurisdiction (read here when not given).
    """
    reads = reads or {}
    by_place = {j: _place_sides(catalog, index, j, reads.get(j)) for j in jurisdictions}
    shared = []
    for theme_id in theme_ids:
        theme = index.by_id[theme_id]
        sides = [by_place[j][theme_id] for j in jurisdictions]
        common = set.intersection(*(set(s.lead_kinds) for s in sides)) - {UNKNOWN_KIND}
        shared.append(SharedTheme(
            id=theme.id, action_key=theme.action_key, label=theme.label, jurisdictions=theme.jurisdictions,
            sides=sides, common_lead_kinds=[k for k in sides[0].lead_kinds if k in common],
        ))
    return shared


# --- figures --------------------------------------------------------------------------------


def _resolve_all(catalog: NameCatalog, names: Iterable[str], cap: int) -> list[str]:
    """Exact names, in the order given, each once; NotFound for an unknown one, TooLarge above ``cap``."""
    chosen = list(dict.fromkeys(resolve_jurisdiction(catalog, n) for n in names))
    if len(chosen) > cap:
        raise TooLarge(f"{len(chosen)} jurisdictions asked for; at most {cap} at once")
    return chosen


def _ordered_shared(index: ThemeIndex, jurisdictions: Sequence[str]) -> list[str]:
    """Theme ids all jurisdictions have, in the theme list's order (action key, then first seen)."""
    common = set.intersection(*(set(index.themes_of(j)) for j in jurisdictions))
    return [t.id for t in index.themes if t.id in common]


def overlap(catalog: NameCatalog, names: Sequence[str]) -> Overlap:
    """Two or more jurisdictions: shared themes with their leads by kind, and similarity figures."""
    chosen = _resolve_all(catalog, names, MAX_JURISDICTIONS)
    if len(chosen) < 2:
        raise ValueError("overlap needs at least two different jurisdictions")
    index = themes_for(catalog)
    sets = {j: set(index.themes_of(j)) for j in chosen}
    reads = {j: PlaceReads.read(catalog.store, j) for j in chosen}
    divisions = {j: division_of_work(catalog, j, reads[j])[0] for j in chosen}
    pairs = [
        PairFigure(a=a, b=b, similarity=cosine(divisions[a], divisions[b]),
                   shared_themes=len(sets[a] & sets[b]), theme_overlap=jaccard(sets[a], sets[b]))
        for a, b in itertools.combinations(chosen, 2)
    ]
    union = set.union(*sets.values())
    common = set.intersection(*sets.values())
    only = {j: [t.id for t in index.themes if t.id in sets[j] and
                not any(t.id in sets[o] for o in chosen if o != j)] for j in chosen}
    return Overlap(
        jurisdictions=chosen, themes={j: len(s) for j, s in sets.items()},
        shared_themes=theme_sides(catalog, index, chosen, _ordered_shared(index, chosen), reads),
        only=only, similarity=round(sum(p.similarity for p in pairs) / len(pairs), 4),
        theme_overlap=round(len(common) / len(union), 4) if union else 0.0, pairs=pairs,
        theme_threshold=index.settings.threshold,
    )


def _matrix_values(chosen: list[str], measure: Measure, catalog: NameCatalog) -> list[list[float]]:
    if measure == "themes":
        index = themes_for(catalog)
        sets = {j: set(index.themes_of(j)) for j in chosen}
        return [[jaccard(sets[a], sets[b]) if a != b else (1.0 if sets[a] else 0.0) for b in chosen]
                for a in chosen]
    divisions: dict[str, Division] = {j: division_of_work(catalog, j)[0] for j in chosen}
    values = [[0.0] * len(chosen) for _ in chosen]
    for i, a in enumerate(chosen):
        for k in range(i, len(chosen)):
            values[i][k] = values[k][i] = cosine(divisions[a], divisions[chosen[k]])
    return values


def overlap_matrix(
    catalog: NameCatalog, names: Sequence[str] | None = None, measure: Measure = "division",
    cap: int = MAX_MATRIX,
) -> OverlapMatrix:
    """The figure for every pair of the given jurisdictions (all loaded ones when none are given).

    Raises TooLarge above ``cap`` jurisdictions: the matrix has N×N cells.
    """
    loaded = sorted(j.name for j in catalog.store.jurisdictions())
    if names:
        chosen = _resolve_all(catalog, names, cap)
    elif len(loaded) > cap:
        raise TooLarge(f"{len(loaded)} jurisdictions are loaded and the matrix holds at most {cap}: choose "
                       "some (API: ?jurisdiction=A&jurisdiction=B…; command line: --jurisdiction A …)")
    else:
        chosen = loaded
    notes = [] if chosen else ["no plan is loaded"]
    return OverlapMatrix(measure=measure, jurisdictions=chosen, values=_matrix_values(chosen, measure, catalog),
                         loaded=len(loaded), notes=notes)


def _csv_cell(text: str) -> str:
    if any(c in text for c in ',"\n\r') or text[:1] in "=+-@":
        return '"' + text.replace('"', '""') + '"'
    return text


def matrix_csv(matrix: OverlapMatrix) -> str:
    """The matrix as CSV: a header row of jurisdictions, then one row per jurisdiction."""
    lines = [",".join(["jurisdiction", *map(_csv_cell, matrix.jurisdictions)])]
    for name, row in zip(matrix.jurisdictions, matrix.values, strict=True):
        lines.append(",".join([_csv_cell(name), *(f"{v:.4f}" for v in row)]))
    return "\n".join(lines) + "\n"


# --- agency kinds ---------------------------------------------------------------------------


def list_kinds(catalog: NameCatalog, used_only: bool = False) -> list[KindInfo]:
    """Every kind of the kinds file (in its order) with how many agencies have it; then any kind
    found in the graph that the file does not list."""
    counts = {k.kind: k.agencies for k in catalog.store.kinds()}
    table = kinds_table()
    known = {k.key for k in table}
    kinds = [KindInfo(key=k.key, label=k.label, label_en=k.label_en, group=k.group, agencies=counts.get(k.key, 0))
             for k in table]
    kinds += [KindInfo(key=k, label=k, label_en=k, group=False, agencies=n)
              for k, n in sorted(counts.items()) if k not in known]
    return [k for k in kinds if k.agencies] if used_only else kinds


def kinds_version() -> str:
    """The kinds file's version and date, e.g. "1 (2026-11-22)"."""
    table = kind_table()
    return f"{table.version} ({table.updated})"


def guessed_agencies(catalog: NameCatalog, jurisdiction: str | None = None) -> list[AgencyRow]:
    """Agencies whose name the kinds file does not list: their kinds are a guess from the name's
    parts, or "unknown". Add their names to ``graph/data/agency_kinds.yaml``."""
    if jurisdiction is not None:
        jurisdiction = resolve_jurisdiction(catalog, jurisdiction)
    return [a for a in catalog.store.agencies(jurisdiction=jurisdiction)
            if a.kinds_guessed or not a.kinds or UNKNOWN_KIND in a.kinds]
