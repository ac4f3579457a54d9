"""A jurisdiction's plan at a glance: actions, tasks, agencies and who carries how much."""

from __future__ import annotations

from collections import Counter, defaultdict

from plangraph.graph.rows import AgencyRow, JurisdictionRow

from .names import NameCatalog, resolve_jurisdiction
from .results import ActionProfile, AgencyLoad, JurisdictionProfile, TaskBrief


def list_jurisdictions(catalog: NameCatalog) -> list[JurisdictionRow]:
    return catalog.store.jurisdictions()


def agency_load(agency: AgencyRow, counts: Counter[tuple[str, str]] | None = None) -> AgencyLoad:
    """Tasks per role and actions led: from an edge count when given (actions led counted as
    "action_lead"), else from the agency's stored counts."""
    if counts is None:
        by_role = {r: agency.tasks.get(r, 0) for r in ("lead", "support", "responsible")}
        led = agency.action_leads
    else:
        by_role = {r: counts[(agency.id, r)] for r in ("lead", "support", "responsible")}
        led = counts[(agency.id, "action_lead")]
    return AgencyLoad(agency=agency, total=sum(by_role.values()), action_leads=led, **by_role)


def profile(catalog: NameCatalog, name: str) -> JurisdictionProfile:
    store = catalog.store
    name = resolve_jurisdiction(catalog, name)
    row = store.jurisdiction(name)
    assert row is not None
    assignments = store.assignments(jurisdiction=name)
    names_on_task: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    counts: Counter[tuple[str, str]] = Counter()
    for a in assignments:
        names_on_task[a.task_id][a.role].append(a.spelling)
        counts[(a.agency_id, a.role)] += 1
    leads: dict[str, list[str]] = defaultdict(list)
    for lead in store.action_leads(jurisdiction=name):
        leads[lead.action_id].append(lead.spelling)
        counts[(lead.agency_id, "action_lead")] += 1
    tasks_by_action = defaultdict(list)
    for t in store.tasks(jurisdiction=name):
        tasks_by_action[t.action_id].append(TaskBrief(id=t.id, seq=t.seq, title=t.title, **names_on_task[t.id]))
    actions = [
        ActionProfile(action=a, leads=leads[a.id], tasks=tasks_by_action[a.id]) for a in store.actions(name)
    ]
    agencies = store.agencies(jurisdiction=name)
    loads = sorted(
        (agency_load(a, counts) for a in agencies if not a.is_group), key=lambda x: (-x.total, x.agency.name)
    )
    return JurisdictionProfile(
        jurisdiction=row, actions=actions, agencies=loads, groups=[a for a in agencies if a.is_group]
    )
