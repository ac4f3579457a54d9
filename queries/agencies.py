"""Agencies: listing, one agency in full, and who works with whom."""

from __future__ import annotations

from collections import Counter, defaultdict

from plangraph.graph.model import Role
from plangraph.graph.rows import AgencyRow

from .errors import NotFound
from .jurisdictions import agency_load
from .leads import action_lead_items
from .names import NameCatalog, resolve_agencies, resolve_jurisdiction, suggest
from .results import ActionLeadItem, AgencyDetail, AgencyRef, Collaboration, Collaborator
from .tasks import add_kinds


def list_agencies(
    catalog: NameCatalog, jurisdiction: str | None = None, q: str | None = None, kind: str | None = None,
) -> list[AgencyRow]:
    """Agencies of a jurisdiction (or all), whose name or a spelling contains ``q``."""
    if jurisdiction is not None:
        jurisdiction = resolve_jurisdiction(catalog, jurisdiction)
    rows = catalog.store.agencies(jurisdiction=jurisdiction, kind=kind)
    if q:
        rows = [a for a in rows if any(q in s for s in (a.name, *a.spellings))]
    return rows


def get_agency(catalog: NameCatalog, agency_id: str) -> AgencyRow:
    found = catalog.store.agencies(ids=[agency_id])
    if not found:
        raise NotFound("agency", agency_id, suggest(agency_id, catalog.agency_names()))
    return found[0]


def agency_detail(catalog: NameCatalog, agency_id: str) -> AgencyDetail:
    agency = get_agency(catalog, agency_id)
    return AgencyDetail(agency=agency, load=agency_load(agency), collaborators=_collaborators(catalog, [agency]),
                        action_leads=_actions_led(catalog, agency))


def collaboration(catalog: NameCatalog, agency: str, jurisdiction: str | None = None) -> list[Collaboration]:
    """For each agency the name means: the agencies named on the same tasks, most shared first,
    and the actions it leads as a whole."""
    return [
        Collaboration(agency=a, collaborators=_collaborators(catalog, [a]), action_leads=_actions_led(catalog, a))
        for a in resolve_agencies(catalog, agency, jurisdiction)
    ]


def _actions_led(catalog: NameCatalog, agency: AgencyRow) -> list[ActionLeadItem]:
    items = action_lead_items(catalog.store, catalog.store.action_leads(agency_ids=[agency.id]))
    add_kinds(catalog.store, [i.agency for i in items])
    return items


def _collaborators(catalog: NameCatalog, agencies: list[AgencyRow]) -> list[Collaborator]:
    store = catalog.store
    own = {a.id for a in agencies}
    task_ids = sorted({r.task_id for r in store.assignments(agency_ids=sorted(own))})
    if not task_ids:
        return []
    shared: dict[str, set[str]] = defaultdict(set)
    roles: dict[str, Counter[Role]] = defaultdict(Counter)
    refs: dict[str, AgencyRef] = {}
    for row in store.assignments(task_ids=task_ids):
        if row.agency_id in own:
            continue
        shared[row.agency_id].add(row.task_id)
        roles[row.agency_id][row.role] += 1
        refs.setdefault(row.agency_id, AgencyRef(
            id=row.agency_id, name=row.agency_name, canonical=row.agency_name,
            jurisdiction=row.jurisdiction, is_group=row.agency_is_group,
        ))
    ranked = sorted(shared, key=lambda i: (-len(shared[i]), refs[i].canonical))
    add_kinds(store, [refs[i] for i in ranked])
    return [Collaborator(agency=refs[i], shared_tasks=len(shared[i]), roles=dict(roles[i])) for i in ranked]
