"""Who leads: the one reading of a plan's leads that every answer about leading shares.

A plan names leads in two places: on a task (the ``lead`` role: "（A、B牵头，C配合）") and on a
whole action (〔牵头部门：A、B〕 closing the action's intro: ``ActionLeadRow``). Those two, and
nothing else, are leads. Bodies named "按职责分工负责" (``responsible``) share the work without the
plan saying who leads it, so they are never counted as leads: a plan of such clauses with action
leads is led by its action leads (万年县's farmers action: 县农业农村局 and 县乡村振兴局, not the 18
bodies of its first task).

``compare`` asks it per action (the kinds leading an action), ``overlap`` per task (a task's own
leads, else its action's), the task and agency answers list the actions an agency leads: all
through ``PlaceLeads`` or ``action_lead_items``, so that they cannot disagree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Literal

from plangraph.graph.rows import ActionLeadRow, AssignmentRow
from plangraph.graph.store import GraphStore

from .results import ActionLeadItem, AgencyRef, TaskRef

#: Why an agency leads a task: named as its lead, or as lead of its whole action.
LeadSource = Literal["lead", "action_lead"]
Named = tuple[str, str]  # (agency id, canonical name)

__all__ = ["LEAD_ROLE", "LeadSource", "PlaceLeads", "action_lead_items"]

#: The only task role that makes an agency a lead.
LEAD_ROLE = "lead"


class PlaceLeads:
    """The leads of one jurisdiction's plan (or any set of rows), by task and by action."""

    def __init__(self, assignments: Iterable[AssignmentRow], action_leads: Iterable[ActionLeadRow]) -> None:
        self._task: dict[str, list[Named]] = defaultdict(list)
        self._action_of_task: dict[str, str] = {}
        self._key: dict[str, str] = {}  # action id -> key
        self._action: dict[str, list[Named]] = defaultdict(list)
        for row in assignments:
            self._key[row.action_id] = row.action_key
            self._action_of_task[row.task_id] = row.action_id
            if row.role == LEAD_ROLE:
                self._task[row.task_id].append((row.agency_id, row.agency_name))
        for lead in action_leads:
            self._key[lead.action_id] = lead.action_key
            self._action[lead.action_id].append((lead.agency_id, lead.agency_name))

    def of_task(self, task_id: str, action_id: str) -> tuple[LeadSource | None, list[Named]]:
        """A task's own leads; where the plan names none, the leads of its whole action; else
        nobody (None). Each agency once, in the order the plan names them."""
        if self._task.get(task_id):
            return "lead", list(dict.fromkeys(self._task[task_id]))
        if self._action.get(action_id):
            return "action_lead", list(dict.fromkeys(self._action[action_id]))
        return None, []

    def of_action_keys(self) -> dict[str, list[Named]]:
        """Action key -> every agency leading the action or one of its tasks (plan order, once each)."""
        by_key: dict[str, list[Named]] = defaultdict(list)
        for action_id, named in self._action.items():
            by_key[self._key[action_id]].extend(named)
        for task_id, named in self._task.items():
            by_key[self._key[self._action_of_task[task_id]]].extend(named)
        return {key: list(dict.fromkeys(named)) for key, named in by_key.items()}


def action_lead_items(
    store: GraphStore, rows: Sequence[ActionLeadRow], wanted_tasks: set[str] | None = None,
) -> list[ActionLeadItem]:
    """Each action-level lead as an answer: the action, the agency as written, the action's tasks
    (only those in ``wanted_tasks`` when given; an action left with none is dropped)."""
    items = []
    for row in rows:
        tasks = [TaskRef(id=t.id, seq=t.seq, title=t.title) for t in store.tasks(action_id=row.action_id)
                 if wanted_tasks is None or t.id in wanted_tasks]
        if wanted_tasks is not None and not tasks:
            continue
        items.append(ActionLeadItem(
            id=row.action_id, seq=row.action_seq, key=row.action_key, title=row.action_title,
            jurisdiction=row.jurisdiction, plan=row.plan_id, span=row.span, tasks=tasks,
            agency=AgencyRef(id=row.agency_id, name=row.spelling, canonical=row.agency_name,
                             jurisdiction=row.jurisdiction, is_group=row.agency_is_group),
        ))
    return items
