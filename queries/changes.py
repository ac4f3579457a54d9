"""What changed in a place between two of its plans (2021-2025 -> 2026-2030), and across places.

Why: when a place issues its next plan, researchers and planners ask who took over which work,
what is new and what was dropped. Plans reword their tasks and renumber them, so tasks are matched
by text, not position: within one action key (``graph/data/action_keys.yaml``), by the score the
task themes use (``queries/themes.py``: title key and the opening of the text), best pairs first,
each task at most once, at or above the themes' threshold. The matching is a parameter
(``Matcher``) so a better method can replace it without touching the rest.

A body renamed between the plans (县教委 -> 县教育局) is one body: a body only the old plan names
and one only the new plan names are the same body renamed when they have the same kinds
(``graph/kinds.py``) and the new one stands where the old one stood (same role on matched tasks),
most often first. Renames are reported once (``renamed``) and never as a lead removed and added.

Both sides are ``PlanSide``: the rows a store answers with for one plan (``from_rows``), or a
parsed ``Plan`` (``from_plan``), so the same function serves a store and a pair of files.

A matched pair is *changed* when a role's bodies differ (after renames) or its title does; else
it counts as ``unchanged``.

Example:
    >>> answer = changes(PlanSide.from_plan(old), PlanSide.from_plan(new))   # doctest: +SKIP
    >>> answer["renamed"]                                                     # doctest: +SKIP
    [{'from': '县教委', 'to': '县教育局', 'kind': 'education'}]
"""

from __future__ import annotations

from collections import Counter, defaultdict
from functools import cached_property
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from pydantic import BaseModel, ConfigDict, Field

from plangraph.graph.build import classifier
from plangraph.graph.kinds import UNKNOWN
from plangraph.graph.model import ROLES, Plan, Role, action_id, task_id
from plangraph.graph.rows import AgencyRow, AssignmentRow, JurisdictionRow, TaskRow

from .theme_match import MatchSettings, match_plans, match_settings
from .themes import build_themes, task_text

__all__ = [
    "AgencyRef", "Changes", "ChangesSummary", "Matcher", "PlanSide", "Renamed", "RoleChange", "TaskChange",
    "TaskRef", "changes", "changes_summary", "plan_changes", "theme_matcher",
]

#: Pairs (index in old, index in new, score 0..100) of the tasks of one action key that are the same work.
Matcher = Callable[[Sequence[TaskRow], Sequence[TaskRow]], list[tuple[int, int, float]]]


# --- inputs ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanSide:
    """One plan of one place, as the change questions need it: its tasks, who is named on each in
    which role (by canonical agency name), and the kinds of every body."""

    jurisdiction: str
    period: str | None
    tasks: tuple[TaskRow, ...]
    assignments: tuple[AssignmentRow, ...]
    kinds: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def from_rows(
        cls, plan: JurisdictionRow, tasks: Iterable[TaskRow], assignments: Iterable[AssignmentRow],
        agencies: Iterable[AgencyRow],
    ) -> PlanSide:
        """The side of one stored plan: ``store.tasks``, ``store.assignments`` and ``store.agencies``
        of that plan (rows of other plans are left out by ``plan_id``)."""
        mine = plan.plan_id
        return cls(
            jurisdiction=plan.name, period=plan.period,
            tasks=tuple(t for t in tasks if t.plan_id == mine),
            assignments=tuple(a for a in assignments if a.plan_id == mine),
            kinds={a.name: tuple(a.kinds) for a in agencies if a.plan_id == mine},
        )

    @classmethod
    def from_plan(cls, plan: Plan) -> PlanSide:
        """The side of a parsed plan (no store): kinds from ``graph/kinds.py``, as the store gives them."""
        j = plan.jurisdiction.name
        pid = plan.id
        names = {a.id: a.name for a in plan.agencies}
        groups = {a.id for a in plan.agencies if a.is_group}
        tasks: list[TaskRow] = []
        assignments: list[AssignmentRow] = []
        for action, task in plan.tasks():
            row = TaskRow(
                id=task_id(j, action.seq, task.seq), plan_id=pid, jurisdiction=j,
                action_id=action_id(j, action.seq), action_seq=action.seq, action_key=action.key,
                action_title=action.title, seq=task.seq, title=task.title, text=task.text, span=task.span,
                clause=task.clause, clause_span=task.clause_span, shared_clause=task.shared_clause,
            )
            tasks.append(row)
            for role, mention in task.mentions():
                assignments.append(AssignmentRow(
                    role=role, agency_id=mention.agency_id, agency_name=names.get(mention.agency_id, mention.name),
                    agency_is_group=mention.agency_id in groups, spelling=mention.name, span=mention.span,
                    clause=task.clause, task_id=row.id, task_seq=row.seq, task_title=row.title,
                    action_id=row.action_id, action_seq=row.action_seq, action_key=row.action_key,
                    action_title=row.action_title, plan_id=pid, jurisdiction=j,
                ))
        classify = classifier()  # cached: the same names recur in every plan
        kinds = {a.name: tuple(classify(a.name, j)[0]) for a in plan.agencies}
        return cls(jurisdiction=j, period=plan.period, tasks=tuple(tasks), assignments=tuple(assignments), kinds=kinds)

    @cached_property
    def roles(self) -> dict[str, dict[Role, list[str]]]:
        """Task id -> role -> the canonical names of the bodies named in it, each once, as written."""
        found: dict[str, dict[Role, list[str]]] = defaultdict(lambda: {r: [] for r in ROLES})
        for a in self.assignments:
            names = found[a.task_id][a.role]
            if a.agency_name not in names:
                names.append(a.agency_name)
        return found

    def kinds_of(self, name: str) -> tuple[str, ...]:
        return self.kinds.get(name) or tuple(classifier()(name, self.jurisdiction)[0])


# --- answers ---------------------------------------------------------------------------------


class _Answer(BaseModel):
    """Answers are serialised with their aliases: ``from`` is a Python keyword."""

    model_config = ConfigDict(populate_by_name=True)


class TaskRef(_Answer):
    title: str
    action_key: str
    action_title: str
    id: str
    seq: int


class AgencyRef(_Answer):
    name: str
    kinds: list[str] = []


class RoleChange(_Answer):
    added: list[AgencyRef] = []
    removed: list[AgencyRef] = []


class TaskChange(_Answer):
    from_: TaskRef = Field(alias="from")
    to: TaskRef
    score: float = Field(description="How alike the two tasks are (0..100), by the matching method")
    lead: RoleChange
    support: RoleChange
    responsible: RoleChange


class Renamed(_Answer):
    from_: str = Field(alias="from")
    to: str
    kind: str = Field(description="The kind both names have (the first, when they have several)")
    kinds: list[str] = []


class Changes(_Answer):
    jurisdiction: str
    from_: str | None = Field(alias="from", description="The period of the older plan")
    to: str | None = Field(description="The period of the newer plan")
    added: list[TaskRef] = []
    removed: list[TaskRef] = []
    changed: list[TaskChange] = []
    unchanged: int = 0
    renamed: list[Renamed] = []


# --- matching --------------------------------------------------------------------------------


#: The lead-kind value both sides of a comparison get: who leads is what ``changes`` reports, not
#: what decides whether two tasks are the same work.
SAME_LEADS = ("same",)


def theme_matcher(settings: MatchSettings | None = None) -> Matcher:
    """Tasks of one action key paired by the method themes use (``queries/theme_match.py``:
    what each task says, not its title alone), best pairs first, each task once, at or above
    the themes' threshold. Lead kinds are left out of the comparison: a task whose lead changed
    hands is still the same work."""
    settings = settings or match_settings()

    def match(old: Sequence[TaskRow], new: Sequence[TaskRow]) -> list[tuple[int, int, float]]:
        # Positions as ids: two plans of one place may share task ids. Both sides get the same
        # lead-kind value, so that block agrees fully and identical tasks score 100.
        a = [replace(task_text(t), id=f"a{i}", plan="old", lead_kinds=SAME_LEADS) for i, t in enumerate(old)]
        b = [replace(task_text(t), id=f"b{j}", plan="new", lead_kinds=SAME_LEADS) for j, t in enumerate(new)]
        matched = match_plans(a, b, settings)
        return [(int(p.a[1:]), int(p.b[1:]), p.score) for p in matched.pairs if not p.split]

    return match


@dataclass
class _Diff:
    """One place's change, on rows: what the answer and the summary are both made from."""

    old: PlanSide
    new: PlanSide
    pairs: list[tuple[TaskRow, TaskRow, float]]
    added: list[TaskRow]
    removed: list[TaskRow]
    renamed: dict[str, str]  # old name -> new name


def _by_key(tasks: Iterable[TaskRow]) -> dict[str, list[TaskRow]]:
    grouped: dict[str, list[TaskRow]] = defaultdict(list)
    for t in sorted(tasks, key=lambda t: (t.action_seq, t.seq)):
        grouped[t.action_key].append(t)
    return grouped


def _match(old: PlanSide, new: PlanSide, matcher: Matcher) -> list[tuple[TaskRow, TaskRow, float]]:
    a, b = _by_key(old.tasks), _by_key(new.tasks)
    pairs = []
    for key in sorted(a.keys() & b.keys()):
        pairs += [(a[key][i], b[key][j], score) for i, j, score in matcher(a[key], b[key])]
    return sorted(pairs, key=lambda p: (p[1].action_seq, p[1].seq))


def _same_known_kinds(a: Sequence[str], b: Sequence[str]) -> bool:
    """Two names are one body's only when the kinds table knows both as the same kinds."""
    return bool(a) and UNKNOWN not in a and set(a) == set(b)


def _renames(old: PlanSide, new: PlanSide, pairs: Sequence[tuple[TaskRow, TaskRow, float]]) -> dict[str, str]:
    """Old name -> new name of the bodies renamed: gone from the new plan, a body of the same
    kinds new to it standing in the same role on the same matched tasks, most often first."""
    old_names = {a.agency_name for a in old.assignments}
    new_names = {a.agency_name for a in new.assignments}
    gone, arrived = old_names - new_names, new_names - old_names
    old_roles, new_roles = old.roles, new.roles
    together: Counter[tuple[str, str]] = Counter()
    for o, n, _ in pairs:
        for role in ROLES:
            for g in old_roles[o.id][role]:
                if g not in gone:
                    continue
                for a in new_roles[n.id][role]:
                    if a in arrived and _same_known_kinds(old.kinds_of(g), new.kinds_of(a)):
                        together[g, a] += 1
    renamed: dict[str, str] = {}
    for (g, a), _ in sorted(together.items(), key=lambda kv: (-kv[1], kv[0])):
        if g not in renamed and a not in renamed.values():
            renamed[g] = a
    return renamed


def _diff(old: PlanSide, new: PlanSide, matcher: Matcher | None) -> _Diff:
    pairs = _match(old, new, matcher or theme_matcher())
    matched_old = {o.id for o, _, _ in pairs}
    matched_new = {n.id for _, n, _ in pairs}
    order = lambda t: (t.action_seq, t.seq)  # noqa: E731
    return _Diff(
        old, new, pairs,
        added=sorted((t for t in new.tasks if t.id not in matched_new), key=order),
        removed=sorted((t for t in old.tasks if t.id not in matched_old), key=order),
        renamed=_renames(old, new, pairs),
    )


def _task_ref(t: TaskRow) -> TaskRef:
    return TaskRef(title=t.title, action_key=t.action_key, action_title=t.action_title, id=t.id, seq=t.seq)


def _role_changes(d: _Diff, o: TaskRow, n: TaskRow) -> dict[Role, RoleChange]:
    before, after = d.old.roles[o.id], d.new.roles[n.id]
    found: dict[Role, RoleChange] = {}
    for role in ROLES:
        was = [d.renamed.get(name, name) for name in before[role]]
        removed = [name for name, renamed in zip(before[role], was) if renamed not in after[role]]
        added = [name for name in after[role] if name not in was]
        found[role] = RoleChange(
            added=[AgencyRef(name=x, kinds=list(d.new.kinds_of(x))) for x in added],
            removed=[AgencyRef(name=x, kinds=list(d.old.kinds_of(x))) for x in removed],
        )
    return found


def plan_changes(old: PlanSide, new: PlanSide, matcher: Matcher | None = None) -> Changes:
    """What changed from ``old`` to ``new`` (two plans of one place), as a model."""
    return _answer(_diff(old, new, matcher))


def _answer(d: _Diff) -> Changes:
    changed: list[TaskChange] = []
    unchanged = 0
    for o, n, score in d.pairs:
        roles = _role_changes(d, o, n)
        if o.title == n.title and not any(r.added or r.removed for r in roles.values()):
            unchanged += 1
            continue
        changed.append(TaskChange(from_=_task_ref(o), to=_task_ref(n), score=score, **roles))
    renamed = []
    for g, a in sorted(d.renamed.items()):
        kinds = sorted(d.old.kinds_of(g))
        renamed.append(Renamed(from_=g, to=a, kind=kinds[0], kinds=kinds))
    return Changes(
        jurisdiction=d.new.jurisdiction, from_=d.old.period, to=d.new.period,
        added=[_task_ref(t) for t in d.added], removed=[_task_ref(t) for t in d.removed],
        changed=changed, unchanged=unchanged, renamed=renamed,
    )


def changes(old: PlanSide, new: PlanSide, matcher: Matcher | None = None) -> dict:
    """What changed from ``old`` to ``new``, in the JSON shape of ``GET /changes``::

        {"jurisdiction", "from", "to", "added": [task], "removed": [task],
         "changed": [{"from": task, "to": task, "score", "lead": {"added": [agency], "removed": [agency]},
                      "support": {...}, "responsible": {...}}], "unchanged": N,
         "renamed": [{"from", "to", "kind", "kinds"}]}
    """
    return plan_changes(old, new, matcher).model_dump(by_alias=True)


# --- across places ---------------------------------------------------------------------------


class KindShift(_Answer):
    """How the leads of one agency kind moved over all places compared."""

    kind: str
    places_gained: int = Field(description="Places where bodies of this kind lead tasks they did not lead before")
    places_lost: int = Field(description="Places where bodies of this kind no longer lead tasks they led")
    leads_gained: int
    leads_lost: int


class ThemeShift(_Answer):
    """Work that appeared (tasks only the newer plans have) or disappeared, grouped into themes."""

    action_key: str
    label: str
    places: int
    titles: list[str]


class ChangesSummary(_Answer):
    from_: str | None = Field(alias="from")
    to: str | None
    places: int
    kinds: list[KindShift]
    themes_appeared: list[ThemeShift]
    themes_disappeared: list[ThemeShift]
    renamed: list[dict] = Field(description="Renames seen ({from, to, kind}) and in how many places")


def _lead_moves(d: _Diff) -> tuple[Counter[str], Counter[str]]:
    """Leads gained and lost per kind in one place: leads of added tasks, leads added to matched
    tasks (gained); leads of removed tasks, leads taken from matched tasks (lost). Renames are none."""
    gained: Counter[str] = Counter()
    lost: Counter[str] = Counter()
    old_roles, new_roles = d.old.roles, d.new.roles
    for t in d.added:
        for name in new_roles[t.id]["lead"]:
            gained.update(d.new.kinds_of(name))
    for t in d.removed:
        for name in old_roles[t.id]["lead"]:
            lost.update(d.old.kinds_of(name))
    for o, n, _ in d.pairs:
        lead = _role_changes(d, o, n)["lead"]
        for a in lead.added:
            gained.update(a.kinds)
        for a in lead.removed:
            lost.update(a.kinds)
    return gained, lost


def _theme_shifts(tasks: list[TaskRow]) -> list[ThemeShift]:
    shifts = []
    for theme in build_themes(tasks):
        titles = list(dict.fromkeys(m.task_title for m in theme.members))
        shifts.append(ThemeShift(action_key=theme.action_key, label=theme.label, places=theme.jurisdictions, titles=titles))
    return sorted(shifts, key=lambda s: (-s.places, s.action_key, s.label))


def changes_summary(pairs: Iterable[tuple[PlanSide, PlanSide]], matcher: Matcher | None = None) -> dict:
    """For many places (each an (older plan, newer plan) pair): which agency kinds gained or lost
    leads and in how many places, which themes of work appeared or disappeared and in how many
    places, and the renames seen. Themes are the task themes of ``queries/themes.py``, made of
    the added (appeared) or removed (disappeared) tasks of every place."""
    diffs = [_diff(old, new, matcher) for old, new in pairs]
    gained_places: Counter[str] = Counter()
    lost_places: Counter[str] = Counter()
    gained_total: Counter[str] = Counter()
    lost_total: Counter[str] = Counter()
    renames: Counter[tuple[str, str, str]] = Counter()
    for d in diffs:
        gained, lost = _lead_moves(d)
        gained_places.update(gained.keys())
        lost_places.update(lost.keys())
        gained_total.update(gained)
        lost_total.update(lost)
        for g, a in d.renamed.items():
            renames[g, a, sorted(d.old.kinds_of(g))[0]] += 1
    kinds = [
        KindShift(kind=k, places_gained=gained_places[k], places_lost=lost_places[k],
                  leads_gained=gained_total[k], leads_lost=lost_total[k])
        for k in sorted(gained_places.keys() | lost_places.keys())
    ]
    periods_from = {d.old.period for d in diffs}
    periods_to = {d.new.period for d in diffs}
    summary = ChangesSummary(
        from_=periods_from.pop() if len(periods_from) == 1 else None,
        to=periods_to.pop() if len(periods_to) == 1 else None,
        places=len(diffs), kinds=kinds,
        themes_appeared=_theme_shifts([t for d in diffs for t in d.added]),
        themes_disappeared=_theme_shifts([t for d in diffs for t in d.removed]),
        renamed=[{"from": g, "to": a, "kind": k, "places": n}
                 for (g, a, k), n in sorted(renames.items(), key=lambda kv: (-kv[1], kv[0]))],
    )
    return summary.model_dump(by_alias=True)
