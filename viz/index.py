"""Look-ups over one plan that every view needs: agencies by id, their spellings and role counts.

A mention may name an agency id the plan's agency list lacks (a loader's slip); the index then
makes a plain agency from the mention, so a map never fails on it.

Example:
    >>> from plangraph.graph.model import Plan, Source, Jurisdiction
    >>> idx = AgencyIndex(Plan(source=Source(file="f", sha256="0"), jurisdiction=Jurisdiction(name="X")))
    >>> idx.agency("X:县科协").name
    '县科协'
"""

from __future__ import annotations

from collections import defaultdict

from plangraph.graph.model import Agency, Mention, Plan, Role


class AgencyIndex:
    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self._agencies = {a.id: a for a in plan.agencies}
        self._groups = {g.agency_id: g for g in plan.groups}
        self._spellings: dict[str, list[str]] = defaultdict(list)
        self._tasks: dict[str, dict[Role, set[int]]] = defaultdict(lambda: defaultdict(set))
        self._action_leads: dict[str, int] = defaultdict(int)
        for n, (_, task) in enumerate(plan.tasks()):
            for role, m in task.mentions():
                self._see(m)
                self._tasks[m.agency_id][role].add(n)
        for action in plan.actions:
            for m in action.leads:
                self._see(m)
                self._action_leads[m.agency_id] += 1

    def _see(self, m: Mention) -> None:
        if m.name not in self._spellings[m.agency_id]:
            self._spellings[m.agency_id].append(m.name)

    def agency(self, agency_id: str) -> Agency:
        if agency_id in self._agencies:
            return self._agencies[agency_id]
        name = self._spellings.get(agency_id, [agency_id.split(":", 1)[-1]])[0]
        return Agency(id=agency_id, name=name, is_group=agency_id in self._groups)

    def is_group(self, agency_id: str) -> bool:
        return self.agency(agency_id).is_group or agency_id in self._groups

    def members(self, agency_id: str) -> list[str]:
        group = self._groups.get(agency_id)
        return list(group.members) if group else []

    def spellings(self, agency_id: str) -> list[str]:
        return list(self._spellings.get(agency_id, []))

    def role_counts(self, agency_id: str) -> dict[Role, int]:
        """How many of the plan's tasks the agency has in each role."""
        return {role: len(tasks) for role, tasks in self._tasks.get(agency_id, {}).items()}

    def action_leads(self, agency_id: str) -> int:
        return self._action_leads.get(agency_id, 0)

    def all_ids(self) -> list[str]:
        """Every agency of the plan: listed ones first, then any only seen on an edge."""
        return list(dict.fromkeys([*self._agencies, *self._spellings]))
