"""A jurisdiction's plan at a glance: actions, tasks, agencies and who carries how much; and the
places stored, found by province, parent, level or division, by name or by code."""

from __future__ import annotations

from collections import Counter, defaultdict

from plangraph.graph.rows import AgencyRow, JurisdictionRow

from .errors import Ambiguous
from .names import NameCatalog, resolve_jurisdiction
from .results import ActionProfile, AgencyLoad, JurisdictionProfile, TaskBrief


def list_jurisdictions(
    catalog: NameCatalog, province: str | None = None, parent: str | None = None, level: str | None = None,
    division: str | None = None,
) -> list[JurisdictionRow]:
    """The stored places, narrowed by province, parent (its city, or its province where it has no
    city), level (province/city/county/district) and division (县级市, 旗 …); every filter optional."""
    rows = catalog.store.jurisdictions()
    return [
        r for r in rows
        if (province is None or r.province == province or (r.level == "province" and r.name == province))
        and (parent is None or parent_of(r) == parent)
        and (level is None or r.level == level)
        and (division is None or r.division == division)
    ]


def parent_of(row: JurisdictionRow) -> str | None:
    """The place directly above: its city, else its province (a county of 重庆市, a city)."""
    return row.parent_city or (row.province if row.level != "province" else None)


def _places(catalog: NameCatalog) -> tuple[dict[str, JurisdictionRow], dict[str, list[JurisdictionRow]]]:
    """The stored places by code and by name, kept until the store is written."""
    def compute() -> tuple[dict[str, JurisdictionRow], dict[str, list[JurisdictionRow]]]:
        by_name: dict[str, list[JurisdictionRow]] = defaultdict(list)
        rows = catalog.store.jurisdictions()
        for r in rows:
            by_name[r.name].append(r)
        return {r.code: r for r in rows if r.code}, dict(by_name)

    return catalog.derived(("places by code and name",), compute)


def find_place(catalog: NameCatalog, typed: str) -> JurisdictionRow:
    """The stored place a name or a GB/T 2260 code names; Ambiguous for a name several places share,
    NotFound (with the closest names) for neither."""
    by_code, by_name = _places(catalog)
    if typed in by_code:
        return by_code[typed]
    same = by_name.get(typed, [])
    if len(same) > 1:
        raise Ambiguous("jurisdiction", typed, [
            {"name": r.name, "code": r.code, "level": r.level, "division": r.division, "province": r.province,
             "parent_city": r.parent_city} for r in same])
    name = resolve_jurisdiction(catalog, typed)
    row = catalog.store.jurisdiction(name)
    assert row is not None
    return row


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
    """A place's profile, asked by name or by code."""
    store = catalog.store
    row = find_place(catalog, name)
    name = row.name
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
