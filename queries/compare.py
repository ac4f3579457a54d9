"""Two jurisdictions side by side: the actions they share and how alike their division of work is.

Agencies of different places are different bodies, so they are compared by kind (县教委 and
县教育局 are both the education authority). A plan's division of work is a weight per
(action key, agency kind) summed over its task edges and action leads, a lead weighing more than
a supporter (``ROLE_WEIGHT``; "responsible" lies between, as such plans do not say who leads);
the kinds leading an action are read as every answer about leading reads them
(``queries/leads.py``: task leads and action leads, never "responsible"); the similarity of two
plans is the cosine of those weights: 1.0 for a plan with itself, 0.0 for nothing in common.

The comparison also lines up tasks: the task themes both plans have (``queries/themes.py``), each
with who leads it on either side, by kind (``queries/overlap.py``, which builds on this module and
is imported where used).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, Field

from plangraph.graph.rows import ActionLeadRow, AgencyRow, AssignmentRow, JurisdictionRow
from plangraph.graph.store import GraphStore

from .leads import PlaceLeads
from .names import NameCatalog, resolve_jurisdiction
from .themes import SharedTheme, jaccard, themes_for

UNKNOWN_KIND = "unknown"
ROLE_WEIGHT = {"lead": 2.0, "action_lead": 2.0, "responsible": 1.5, "support": 1.0}
Division = Counter[tuple[str, str]]


class ActionSide(BaseModel):
    title: str
    tasks: int
    lead_kinds: list[str] = Field(description="Kinds of the agencies leading the action's tasks or the action")


class SharedAction(BaseModel):
    key: str
    a: ActionSide
    b: ActionSide
    common_lead_kinds: list[str]


class Comparison(BaseModel):
    a: JurisdictionRow
    b: JurisdictionRow
    shared_actions: list[SharedAction]
    only_a: list[str] = Field(description="Action keys only a's plan has")
    only_b: list[str]
    shared_agency_kinds: list[str]
    similarity: float = Field(description="Cosine similarity of the two divisions of work, 0..1")
    shared_themes: list[SharedTheme] = Field([], description="Task themes both plans have, with each side's "
                                                             "task and its leads by kind")
    themes_only_a: list[str] = Field([], description="Ids of the task themes only a's plan has")
    themes_only_b: list[str] = Field([], description="Ids of the task themes only b's plan has")
    theme_overlap: float = Field(0.0, description="Shared themes / themes either has (Jaccard), 0..1")


def _kinds(agency: AgencyRow | None) -> list[str]:
    return (agency.kinds or [UNKNOWN_KIND]) if agency else [UNKNOWN_KIND]


@dataclass(frozen=True)
class PlaceReads:
    """What a comparison reads of one jurisdiction, read once: its division of work and its theme
    leads both need the agencies, task edges and action leads (read twice, they were a third of
    a comparison's time on a national graph)."""

    agencies: dict[str, AgencyRow]
    assignments: list[AssignmentRow]
    action_leads: list[ActionLeadRow]

    @classmethod
    def read(cls, store: GraphStore, jurisdiction: str) -> PlaceReads:
        return cls(
            agencies={a.id: a for a in store.agencies(jurisdiction=jurisdiction)},
            assignments=store.assignments(jurisdiction=jurisdiction),
            action_leads=store.action_leads(jurisdiction=jurisdiction),
        )


def division_of_work(
    catalog: NameCatalog, jurisdiction: str, reads: PlaceReads | None = None,
) -> tuple[Division, dict[str, dict[str, frozenset[str]]]]:
    """Weights of (action key, kind), and the lead kinds per action key; made once per store
    state (``NameCatalog.derived``): every comparison and matrix cell of the place needs them."""
    return catalog.derived(("division of work", jurisdiction), lambda: _division(catalog, jurisdiction, reads))


def _division(
    catalog: NameCatalog, jurisdiction: str, reads: PlaceReads | None,
) -> tuple[Division, dict[str, dict[str, frozenset[str]]]]:
    reads = reads or PlaceReads.read(catalog.store, jurisdiction)
    agencies = reads.agencies
    division: Division = Counter()
    for row in reads.assignments:
        for kind in _kinds(agencies.get(row.agency_id)):
            division[(row.action_key, kind)] += ROLE_WEIGHT[row.role]
    for lead in reads.action_leads:
        for kind in _kinds(agencies.get(lead.agency_id)):
            division[(lead.action_key, kind)] += ROLE_WEIGHT["action_lead"]
    # who leads an action: its action leads and its tasks' leads (queries/leads.py), never "responsible"
    leads = PlaceLeads(reads.assignments, reads.action_leads).of_action_keys()
    # plain, frozen containers: the answer is shared by every request until the store is written
    return division, {key: {"lead": frozenset(k for i, _ in named for k in _kinds(agencies.get(i)))}
                      for key, named in leads.items()}


def cosine(a: Counter, b: Counter) -> float:
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return round(dot / norm, 4) if norm else 0.0


def compare(catalog: NameCatalog, a: str, b: str) -> Comparison:
    store = catalog.store
    a, b = resolve_jurisdiction(catalog, a), resolve_jurisdiction(catalog, b)
    actions_a = {x.key: x for x in store.actions(a)}
    actions_b = {x.key: x for x in store.actions(b)}
    reads = {a: PlaceReads.read(store, a), b: PlaceReads.read(store, b)}
    div_a, leads_a = division_of_work(catalog, a, reads[a])
    div_b, leads_b = division_of_work(catalog, b, reads[b])
    shared = []
    for key in [k for k in actions_a if k in actions_b]:
        ka, kb = sorted(leads_a.get(key, {}).get("lead", ())), sorted(leads_b.get(key, {}).get("lead", ()))
        shared.append(SharedAction(
            key=key,
            a=ActionSide(title=actions_a[key].title, tasks=actions_a[key].tasks, lead_kinds=ka),
            b=ActionSide(title=actions_b[key].title, tasks=actions_b[key].tasks, lead_kinds=kb),
            common_lead_kinds=sorted(set(ka) & set(kb)),
        ))
    kinds_a = {k for (_, k) in div_a}
    kinds_b = {k for (_, k) in div_b}
    row_a, row_b = store.jurisdiction(a), store.jurisdiction(b)
    assert row_a is not None and row_b is not None
    return Comparison(
        a=row_a, b=row_b, shared_actions=shared,
        only_a=[k for k in actions_a if k not in actions_b], only_b=[k for k in actions_b if k not in actions_a],
        shared_agency_kinds=sorted((kinds_a & kinds_b) - {UNKNOWN_KIND}),
        similarity=cosine(div_a, div_b), **_themes(catalog, a, b, reads),
    )


def _themes(catalog: NameCatalog, a: str, b: str, reads: dict[str, PlaceReads]) -> dict[str, Any]:
    """The theme fields of a comparison: shared themes with leads, themes only one side has."""
    from .overlap import theme_sides  # overlap builds on this module

    index = themes_for(catalog)
    in_a, in_b = index.themes_of(a), index.themes_of(b)
    ordered = [t.id for t in index.themes]
    return {
        "shared_themes": theme_sides(catalog, index, [a, b],
                                     [t for t in ordered if t in in_a and t in in_b], reads),
        "themes_only_a": [t for t in ordered if t in in_a and t not in in_b],
        "themes_only_b": [t for t in ordered if t in in_b and t not in in_a],
        "theme_overlap": jaccard(set(in_a), set(in_b)),
    }

