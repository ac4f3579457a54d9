"""Which tasks: by agency and role, by words, by jurisdiction; and one task in full.

Example:
    >>> page = tasks_for(catalog, agency="县科协", role="lead", jurisdiction="丰都县")  # doctest: +SKIP
    >>> {item.role for item in page.items}                                             # doctest: +SKIP
    {'lead'}
"""

from __future__ import annotations

from collections.abc import Sequence

from plangraph.graph.model import ROLES, Role
from plangraph.graph.rows import ActionLeadRow, AgencyRow, AssignmentRow, TaskRow
from plangraph.graph.store import GraphStore, PagesAssignments

from .errors import NotFound
from .leads import action_lead_items
from .names import NameCatalog, resolve_agencies, resolve_agency_ids, resolve_jurisdiction, suggest
from .results import MATCHED_SHOWN, ActionRef, AgencyRef, TaskDetail, TaskItem, TaskPage

DEFAULT_LIMIT = 50
MAX_LIMIT = 1000


def agency_ref(row: AssignmentRow | ActionLeadRow) -> AgencyRef:
    return AgencyRef(
        id=row.agency_id, name=row.spelling, canonical=row.agency_name,
        jurisdiction=row.jurisdiction, is_group=row.agency_is_group,
    )


def add_kinds(store: GraphStore, refs: list[AgencyRef]) -> None:
    """Fill in each reference's kinds from the agencies it names (one look-up for all)."""
    ids = sorted({r.id for r in refs})
    kinds = {a.id: a.kinds for a in store.agencies(ids=ids)} if ids else {}
    for ref in refs:
        ref.kinds = list(kinds.get(ref.id, []))


def matched_page(matched: list[AgencyRow]) -> dict:
    return {"agencies": matched[:MATCHED_SHOWN], "agencies_total": len(matched)}


def with_kinds(store: GraphStore, items: list[TaskItem]) -> list[TaskItem]:
    add_kinds(store, [i.agency for i in items if i.agency is not None])
    return items


def edge_item(catalog: NameCatalog, row: AssignmentRow) -> TaskItem:
    """The item of one agency-task edge, with the agency's kinds; made once per store state
    (``NameCatalog.derived``): a page's items were half of a national "tasks 县科协 leads".
    Shared between requests: nobody may change one."""

    def make() -> TaskItem:
        item = item_from_assignment(row)
        add_kinds(catalog.store, [item.agency] if item.agency is not None else [])
        return item

    return catalog.derived(("edge item", row.agency_id, row.task_id, row.role), make)


def item_from_assignment(row: AssignmentRow) -> TaskItem:
    return TaskItem(
        id=row.task_id, title=row.task_title, jurisdiction=row.jurisdiction, plan=row.plan_id,
        action=ActionRef(id=row.action_id, seq=row.action_seq, key=row.action_key, title=row.action_title),
        role=row.role, agency=agency_ref(row), clause=row.clause, span=row.span,
    )


def item_from_task(row: TaskRow) -> TaskItem:
    return TaskItem(
        id=row.id, title=row.title, jurisdiction=row.jurisdiction, plan=row.plan_id,
        action=ActionRef(id=row.action_id, seq=row.action_seq, key=row.action_key, title=row.action_title),
        clause=row.clause, span=row.span,
    )


def tasks_for(
    catalog: NameCatalog, agency: str | None = None, role: Role | None = None,
    jurisdiction: str | None = None, q: str | None = None,
    limit: int = DEFAULT_LIMIT, offset: int = 0,
) -> TaskPage:
    """Tasks an agency leads, supports or shares responsibility for; or tasks by place and words.

    With an agency every item is one agency-task edge and says the role and the name as written;
    an ambiguous name ("科协" without a jurisdiction) answers for every agency it matches. The
    actions an agency leads as a whole come beside the items (``action_leads``), for role "lead"
    or no role: a plan that names leads per action (〔牵头部门：…〕) leads its tasks that way.
    """
    store = catalog.store
    if jurisdiction is not None:
        jurisdiction = resolve_jurisdiction(catalog, jurisdiction)
    matched = resolve_agencies(catalog, agency, jurisdiction) if agency else []
    roles = [role] if role else None
    found = store.search_tasks(q, jurisdiction) if q else None
    wanted = {t.id for t in found} if found is not None else None
    page = slice(offset, offset + limit)  # only the page's rows become items: a national answer has thousands
    if agency or role:
        ids = resolve_agency_ids(catalog, agency, jurisdiction) if agency else None
        led = _action_leads(catalog, agency, matched, role, jurisdiction, found, page)
        if isinstance(store, PagesAssignments):  # a store's optional fast path, same rows
            total, rows = store.assignments_page(offset, limit, agency_ids=ids, roles=roles, jurisdiction=jurisdiction,
                                                 task_ids=sorted(wanted) if wanted is not None else None)
            items = [edge_item(catalog, r) for r in rows]
            return TaskPage(total=total, limit=limit, offset=offset, items=items, **matched_page(matched), **led)
        rows = store.assignments(agency_ids=ids, roles=roles, jurisdiction=jurisdiction)
        kept = [r for r in rows if wanted is None or r.task_id in wanted]
        total, items = len(kept), [item_from_assignment(r) for r in kept[page]]
        return TaskPage(total=total, limit=limit, offset=offset, items=with_kinds(store, items),
                        **matched_page(matched), **led)
    if found is not None:
        total, items = len(found), [item_from_task(t) for t in found[page]]
    else:
        tasks = store.tasks(jurisdiction=jurisdiction)
        total, items = len(tasks), [item_from_task(t) for t in tasks[page]]
    return TaskPage(total=total, limit=limit, offset=offset, items=with_kinds(store, items), **matched_page(matched))


def _action_leads(
    catalog: NameCatalog, agency: str | None, matched: list[AgencyRow], role: Role | None,
    jurisdiction: str | None, found: list[TaskRow] | None, page: slice,
) -> dict:
    """The page's action-level leads and their total, for role "lead" or no role (empty else).

    The rows are kept per question until the store is written (``NameCatalog.derived``), and only
    agencies whose stored count says they lead an action are asked for: on a synthetic national
    graph (3,200 plans, 7,965 action-level leads) reading them took 0.3 s for "科协" and 1.4 s for
    every lead, per request (``benchmarks/action_leads.py``).
    """
    if role not in (None, "lead"):
        return {}
    store = catalog.store
    if agency is None:
        rows = catalog.derived(("action leads", None, jurisdiction),
                               lambda: store.action_leads(jurisdiction=jurisdiction))
    else:
        leading = [a.id for a in matched if a.action_leads]
        rows = catalog.derived(("action leads", agency, jurisdiction),
                               lambda: store.action_leads(jurisdiction=jurisdiction, agency_ids=leading)
                               if leading else [])
    wanted = None
    if found is not None:  # words: the actions with a matching task, showing those tasks
        wanted = {t.id for t in found}
        actions = {t.action_id for t in found}
        rows = [r for r in rows if r.action_id in actions]
    items = action_lead_items(store, rows[page], wanted)
    add_kinds(store, [i.agency for i in items])
    return {"action_leads": items, "action_leads_total": len(rows)}


def task_detail(catalog: NameCatalog, task_id: str) -> TaskDetail:
    """A task with its full text, where it stands in the source, and its agencies by role."""
    store = catalog.store
    task = store.task(task_id)
    if task is None:
        jurisdiction = task_id.split(":", 1)[0]
        nearby = [t.id for t in store.tasks(jurisdiction=jurisdiction)] if store.jurisdiction(jurisdiction) else []
        raise NotFound("task", task_id, suggest(task_id, nearby))
    by_role: dict[Role, list[AgencyRef]] = {r: [] for r in ROLES}
    for row in store.assignments(task_ids=[task_id]):
        by_role[row.role].append(agency_ref(row))
    leads = [agency_ref(r) for r in store.action_leads(action_ids=[task.action_id])]
    add_kinds(store, [ref for refs in by_role.values() for ref in refs] + leads)
    return TaskDetail(task=task, action_leads=leads, **by_role)
