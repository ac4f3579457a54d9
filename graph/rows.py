"""The rows a store answers with: plain pydantic models, the same for every store.

The query layer (``plangraph.queries``) is written against ``GraphStore`` and these rows only, so
that a question gives the same answer on the embedded store and on Neo4j. Each store turns its own
records (a networkx attribute dict, a Neo4j property map) into these rows with the ``from_props``
helpers below, and sorts them with the same keys, so two stores holding the same plans return
equal lists.

Example:
    >>> ROLE_OF_TYPE["LEADS"], TYPE_OF_ROLE["responsible"]
    ('lead', 'RESPONSIBLE')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .model import ROLES, Role, Span

__all__ = [
    "ActionLeadRow",
    "ActionRow",
    "AgencyRow",
    "AssignmentRow",
    "JurisdictionRow",
    "KindRow",
    "LoadResult",
    "ROLE_OF_TYPE",
    "TYPE_OF_ROLE",
    "TaskRow",
    "sort_rows",
]

#: Edge type of each role on an agency -> task edge, and back.
TYPE_OF_ROLE: dict[Role, str] = {"lead": "LEADS", "support": "SUPPORTS", "responsible": "RESPONSIBLE"}
ROLE_OF_TYPE: dict[str, Role] = {t: r for r, t in TYPE_OF_ROLE.items()}
_ROLE_ORDER = {r: i for i, r in enumerate(ROLES)}


def _span(props: Mapping[str, Any], start: str = "span_start", end: str = "span_end") -> Span | None:
    s, e = props.get(start), props.get(end)
    return None if s is None or e is None else (int(s), int(e))


class _Row(BaseModel):
    """Rows are frozen: the embedded store hands the same row to every request that reads it."""

    model_config = ConfigDict(frozen=True)


class JurisdictionRow(_Row):
    """A jurisdiction with a summary of its plan."""

    name: str
    level: str = "unknown"
    province: str | None = None
    parent_city: str | None = None
    division: str | None = Field(None, description="The official type of the unit: 县, 县级市, 旗, 市辖区, 地级市, 省 …")
    code: str | None = Field(None, description="The 6-digit GB/T 2260 division code, when the gazetteer knows the place")
    plan_id: str
    period: str | None = None
    literacy_target_percent: float | None = None
    source_file: str | None = None
    source_sha256: str | None = None
    actions: int = 0
    tasks: int = 0
    agencies: int = 0
    groups: int = 0
    assignments: int = Field(0, description="Agency/group -> task edges of the plan")
    warnings: list[str] = []

    @classmethod
    def from_props(cls, j: Mapping[str, Any], p: Mapping[str, Any]) -> JurisdictionRow:
        return cls(
            name=j["name"], level=j.get("level") or "unknown", province=j.get("province"),
            parent_city=j.get("parent_city"), division=j.get("division"), code=j.get("code"), plan_id=p["id"], period=p.get("period"),
            literacy_target_percent=p.get("literacy_target_percent"),
            source_file=p.get("source_file"), source_sha256=p.get("source_sha256"),
            actions=p.get("n_actions", 0), tasks=p.get("n_tasks", 0),
            agencies=p.get("n_agencies", 0), groups=p.get("n_groups", 0),
            assignments=p.get("n_assignments", 0), warnings=list(p.get("warnings") or []),
        )


class ActionRow(_Row):
    id: str
    plan_id: str
    jurisdiction: str
    seq: int
    part: str
    key: str
    title: str
    span: Span | None = None
    tasks: int = 0

    @classmethod
    def from_props(cls, a: Mapping[str, Any]) -> ActionRow:
        return cls(
            id=a["id"], plan_id=a["plan_id"], jurisdiction=a["jurisdiction"], seq=a["seq"],
            part=a.get("part") or "", key=a.get("key") or "", title=a.get("title") or "",
            span=_span(a), tasks=a.get("n_tasks", 0),
        )


class TaskRow(_Row):
    """A task with its full text, its source span and its responsibility clause as written."""

    id: str
    plan_id: str
    jurisdiction: str
    action_id: str
    action_seq: int
    action_key: str
    action_title: str
    seq: int
    title: str
    text: str = ""
    span: Span
    clause: str | None = None
    clause_span: Span | None = None
    shared_clause: bool = False

    @classmethod
    def from_props(cls, t: Mapping[str, Any]) -> TaskRow:
        return cls(
            id=t["id"], plan_id=t["plan_id"], jurisdiction=t["jurisdiction"],
            action_id=t["action_id"], action_seq=t["action_seq"], action_key=t.get("action_key") or "",
            action_title=t.get("action_title") or "", seq=t["seq"], title=t.get("title") or "",
            text=t.get("text") or "", span=_span(t) or (0, 0), clause=t.get("clause"),
            clause_span=_span(t, "clause_start", "clause_end"),
            shared_clause=bool(t.get("shared_clause", False)),
        )


class AgencyRow(_Row):
    """An agency, or a group reference (``is_group``), of one jurisdiction."""

    id: str
    jurisdiction: str
    plan_id: str
    name: str
    spellings: list[str] = []
    stem: str = ""
    is_group: bool = False
    kinds: list[str] = []
    kinds_guessed: bool = False
    members: list[str] = Field([], description="Member agency ids (groups only)")
    member_of: list[str] = Field([], description="Ids of the groups this agency is listed in")
    tasks: dict[Role, int] = Field(default_factory=dict, description="Task edges per role")
    action_leads: int = 0

    @classmethod
    def from_props(cls, a: Mapping[str, Any], is_group: bool) -> AgencyRow:
        return cls(
            id=a["id"], jurisdiction=a["jurisdiction"], plan_id=a["plan_id"], name=a["name"],
            spellings=list(a.get("spellings") or []), stem=a.get("stem") or "", is_group=is_group,
            kinds=list(a.get("kinds") or []), kinds_guessed=bool(a.get("kinds_guessed", False)),
            members=list(a.get("members") or []), member_of=list(a.get("member_of") or []),
            tasks={r: int(a.get(f"n_{r}", 0)) for r in ROLES}, action_leads=int(a.get("n_action_leads", 0)),
        )


class AssignmentRow(_Row):
    """One agency (or group) named on one task in one role: an agency -> task edge."""

    role: Role
    agency_id: str
    agency_name: str
    agency_is_group: bool = False
    spelling: str = Field(description="The name as written at this place in the plan")
    span: Span | None = None
    clause: str | None = None
    task_id: str
    task_seq: int
    task_title: str
    action_id: str
    action_seq: int
    action_key: str
    action_title: str
    plan_id: str
    jurisdiction: str

    @classmethod
    def from_props(
        cls, edge_type: str, r: Mapping[str, Any], a: Mapping[str, Any], is_group: bool,
        t: Mapping[str, Any],
    ) -> AssignmentRow:
        return cls(
            role=ROLE_OF_TYPE[edge_type], agency_id=a["id"], agency_name=a["name"],
            agency_is_group=is_group, spelling=r.get("spelling") or a["name"], span=_span(r),
            clause=r.get("clause"), task_id=t["id"], task_seq=t["seq"], task_title=t.get("title") or "",
            action_id=t["action_id"], action_seq=t["action_seq"], action_key=t.get("action_key") or "",
            action_title=t.get("action_title") or "", plan_id=t["plan_id"], jurisdiction=t["jurisdiction"],
        )


class ActionLeadRow(_Row):
    """An agency named as lead of a whole action (〔牵头部门：…〕 closing its intro paragraph)."""

    agency_id: str
    agency_name: str
    agency_is_group: bool = False
    spelling: str
    span: Span | None = None
    action_id: str
    action_seq: int
    action_key: str
    action_title: str
    plan_id: str
    jurisdiction: str

    @classmethod
    def from_props(
        cls, r: Mapping[str, Any], a: Mapping[str, Any], is_group: bool, x: Mapping[str, Any]
    ) -> ActionLeadRow:
        return cls(
            agency_id=a["id"], agency_name=a["name"], agency_is_group=is_group,
            spelling=r.get("spelling") or a["name"], span=_span(r), action_id=x["id"],
            action_seq=x["seq"], action_key=x.get("key") or "", action_title=x.get("title") or "",
            plan_id=x["plan_id"], jurisdiction=x["jurisdiction"],
        )


class KindRow(_Row):
    """An agency kind and how many agencies have it."""

    kind: str
    agencies: int


class LoadResult(BaseModel):
    """What ``replace_plan`` did for one plan."""

    plan_id: str
    jurisdiction: str
    source_file: str
    nodes: int
    edges: int
    tasks: int
    assignments: int
    replaced: bool = Field(description="True when an earlier version of the plan was replaced")


def _key(row: BaseModel) -> tuple:
    if isinstance(row, AssignmentRow):
        return (row.jurisdiction, row.action_seq, row.task_seq, _ROLE_ORDER[row.role],
                row.span or (0, 0), row.agency_id)
    if isinstance(row, ActionLeadRow):
        return (row.jurisdiction, row.action_seq, row.span or (0, 0), row.agency_id)
    if isinstance(row, TaskRow):
        return (row.jurisdiction, row.action_seq, row.seq, row.id)
    if isinstance(row, ActionRow):
        return (row.jurisdiction, row.seq, row.id)
    if isinstance(row, AgencyRow):
        return (row.jurisdiction, row.is_group, row.name, row.id)
    if isinstance(row, JurisdictionRow):
        return (row.name,)
    if isinstance(row, KindRow):
        return (row.kind,)
    raise TypeError(f"no sort key for {type(row).__name__}")


def sort_rows(rows: Iterable[BaseModel]) -> list[Any]:
    """Rows in the one order both stores answer in (by jurisdiction, then document order)."""
    return sorted(rows, key=_key)
