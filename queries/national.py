"""One answer per place across the country: which kind of body leads an action in each plan.

Why: a national map coloured by an answer (``viz/national.py``) shows where, for instance, the
education authority or the science association leads the youth action. Places are matched to the
map by their GB/T 2260 code (``Jurisdiction.code``); a plan whose place has no code is listed but
cannot be drawn.
"""

from __future__ import annotations

from collections import Counter

from pydantic import BaseModel, Field

from plangraph.graph.actions import action_label, actions_table
from plangraph.graph.kinds import kinds_table

from .compare import PlaceReads
from .names import NameCatalog


class UnknownAction(ValueError):
    """No action has that key; the API answers 422 naming the keys there are."""

    def __init__(self, key: str) -> None:
        keys = [a.key for a in actions_table()]
        super().__init__(f"no action key {key!r}; one of: {', '.join(keys)}")


class PlaceAnswer(BaseModel):
    name: str
    code: str | None
    level: str
    kind: str | None = Field(description="The kind of body that leads most of the action's tasks (the action's "
                                         "own leads count for each task; where a plan names no lead, those it "
                                         "makes jointly responsible); None when the plan has no such action or "
                                         "names nobody")
    lead_kinds: dict[str, int] = Field(description="Kind -> tasks of the action it leads")


class NationalAnswer(BaseModel):
    action: str
    action_label: str
    places: list[PlaceAnswer]


def leading_kinds(catalog: NameCatalog, action: str) -> NationalAnswer:
    """For every stored plan, the kind of body that leads ``action`` (an action key) there; kept
    until the store is written."""
    if action not in {a.key for a in actions_table()}:
        raise UnknownAction(action)
    return catalog.derived(("leading kinds", action), lambda: _leading_kinds(catalog, action))


def _leading_kinds(catalog: NameCatalog, action: str) -> NationalAnswer:
    order = {k.key: i for i, k in enumerate(kinds_table())}  # a tie goes to the kind listed first
    places = []
    for row in catalog.store.jurisdictions():
        counts = lead_counts(PlaceReads.read(catalog.store, row.name), action)
        best = max(counts, key=lambda k: (counts[k], -order.get(k, len(order))), default=None)
        places.append(PlaceAnswer(name=row.name, code=row.code, level=row.level, kind=best, lead_kinds=dict(counts)))
    return NationalAnswer(action=action, action_label=action_label(action), places=places)


def lead_counts(reads: PlaceReads, action: str) -> Counter[str]:
    """Kind -> tasks of the action it leads in one plan: a task's leads, else those responsible;
    the action's own leads lead each of its tasks."""
    by_task: dict[str, dict[str, set[str]]] = {}
    for a in reads.assignments:
        if a.action_key == action and a.role in ("lead", "responsible"):
            by_task.setdefault(a.task_id, {}).setdefault(a.role, set()).add(a.agency_id)
    action_leads = {x.agency_id for x in reads.action_leads if x.action_key == action}
    counts: Counter[str] = Counter()
    for roles in by_task.values():
        agencies = (roles.get("lead") or roles.get("responsible") or set()) | action_leads
        kinds = {k for i in agencies for k in (reads.agencies[i].kinds if i in reads.agencies else [])}
        counts.update(kinds)
    return counts
