"""A stored plan back as the domain model, so the maps draw from the store like everything else.

The maps (``viz/``) are built from ``Plan`` objects; rebuilding one from the store's rows means a
map shows exactly what the API answers, on either store.
"""

from __future__ import annotations

from collections import defaultdict

from plangraph.graph.model import Action, Agency, Group, Jurisdiction, Mention, Plan, Source, Task

from .names import NameCatalog, resolve_jurisdiction


def stored_plan(catalog: NameCatalog, jurisdiction: str) -> Plan:
    """The plan of a jurisdiction as stored (NotFound, with suggestions, for an unknown name)."""
    store = catalog.store
    name = resolve_jurisdiction(catalog, jurisdiction)
    row = store.jurisdiction(name)
    assert row is not None
    mentions: dict[str, dict[str, list[Mention]]] = defaultdict(lambda: defaultdict(list))
    for a in store.assignments(jurisdiction=name):
        mentions[a.task_id][a.role].append(Mention(name=a.spelling, agency_id=a.agency_id, span=a.span or (0, 0)))
    leads: dict[str, list[Mention]] = defaultdict(list)
    for lead in store.action_leads(jurisdiction=name):
        leads[lead.action_id].append(Mention(name=lead.spelling, agency_id=lead.agency_id, span=lead.span or (0, 0)))
    tasks: dict[str, list[Task]] = defaultdict(list)
    for t in store.tasks(jurisdiction=name):
        tasks[t.action_id].append(Task(
            seq=t.seq, title=t.title, text=t.text, span=t.span, clause=t.clause, clause_span=t.clause_span,
            shared_clause=t.shared_clause, **mentions[t.id],
        ))
    actions = [
        Action(seq=a.seq, part=a.part, key=a.key, title=a.title, span=a.span, leads=leads[a.id], tasks=tasks[a.id])
        for a in store.actions(name)
    ]
    agency_rows = store.agencies(jurisdiction=name)
    return Plan(
        source=Source(file=row.source_file or "", sha256=row.source_sha256 or ""),
        jurisdiction=Jurisdiction(name=row.name, level=row.level, province=row.province, parent_city=row.parent_city,
                                  division=row.division, code=row.code),
        period=row.period, literacy_target_percent=row.literacy_target_percent, actions=actions,
        agencies=[Agency(id=a.id, name=a.name, spellings=a.spellings, is_group=a.is_group) for a in agency_rows],
        groups=[Group(name=a.name, agency_id=a.id, members=a.members) for a in agency_rows if a.is_group],
        warnings=row.warnings,
    )
