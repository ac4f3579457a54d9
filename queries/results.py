"""The shapes of answers: what the API returns and the CLI prints, one model per answer.

Field names here are a public contract (other systems read them): add fields, never rename.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from plangraph.graph.model import Role, Span
from plangraph.graph.rows import ActionRow, AgencyRow, JurisdictionRow, TaskRow
from pydantic import BaseModel, Field

T = TypeVar("T")
MATCHED_SHOWN = 100  # "科协" matches an agency in every jurisdiction: thousands on a national graph


class AgencyRef(BaseModel):
    """An agency as named at one place: ``name`` as written there, ``canonical`` its resolved name."""

    id: str
    name: str
    canonical: str
    jurisdiction: str
    is_group: bool = False
    kinds: list[str] = Field([], description="The agency's kinds (education, science_association…)")


class ActionRef(BaseModel):
    id: str
    seq: int
    key: str
    title: str


class TaskItem(BaseModel):
    """One answer to "which tasks…": a task, and the agency and role that brought it here."""

    id: str
    title: str
    jurisdiction: str
    plan: str
    action: ActionRef
    role: Role | None = None
    agency: AgencyRef | None = None
    clause: str | None = Field(None, description="The responsibility clause as written")
    span: Span | None = Field(None, description="Where the agency is named, as [start, end) offsets")


class TaskRef(BaseModel):
    id: str
    seq: int
    title: str


class ActionLeadItem(BaseModel):
    """An action an agency leads as a whole (〔牵头部门：…〕 closing the action's intro): the plan
    names the lead for the action, not for each task, so the item is the action with its tasks."""

    id: str = Field(description="The action's id")
    seq: int
    key: str = Field(description="The action's key (youth, farmers…)")
    title: str
    jurisdiction: str
    plan: str
    agency: AgencyRef
    span: Span | None = Field(None, description="Where the agency is named, as [start, end) offsets")
    tasks: list[TaskRef] = Field([], description="The action's tasks (with q: those matching it)")


class Page(BaseModel, Generic[T]):
    total: int
    limit: int
    offset: int
    items: list[T]


class TaskPage(Page[TaskItem]):
    agencies: list[AgencyRow] = Field(
        [], description=f"The agencies the typed name matched (the first {MATCHED_SHOWN}; see agencies_total)"
    )
    agencies_total: int = Field(0, description="How many agencies the typed name matched")
    action_leads: list[ActionLeadItem] = Field(
        [], description="Actions the agency leads as a whole (〔牵头部门：…〕), with their tasks: part of "
                        "the answer to which tasks it leads. Listed for role=lead and when no role is "
                        "given; empty for support and responsible. limit and offset apply to this list too.")
    action_leads_total: int = Field(0, description="How many action-level leads the question has")


class TaskDetail(BaseModel):
    task: TaskRow
    lead: list[AgencyRef] = []
    support: list[AgencyRef] = []
    responsible: list[AgencyRef] = []
    action_leads: list[AgencyRef] = Field([], description="Agencies leading the task's whole action")


class TaskBrief(BaseModel):
    id: str
    seq: int
    title: str
    lead: list[str] = []
    support: list[str] = []
    responsible: list[str] = []


class ActionProfile(BaseModel):
    action: ActionRow
    leads: list[str] = []
    tasks: list[TaskBrief] = []


class AgencyLoad(BaseModel):
    """How many tasks an agency carries in each role."""

    agency: AgencyRow
    lead: int = 0
    support: int = 0
    responsible: int = 0
    total: int = Field(0, description="Task edges of all roles")
    action_leads: int = Field(0, description="Actions the agency leads as a whole (〔牵头部门：…〕)")


class JurisdictionProfile(BaseModel):
    jurisdiction: JurisdictionRow
    actions: list[ActionProfile]
    agencies: list[AgencyLoad]
    groups: list[AgencyRow]


class Collaborator(BaseModel):
    agency: AgencyRef
    shared_tasks: int
    roles: dict[Role, int] = Field(description="The collaborator's roles on the shared tasks")


class Collaboration(BaseModel):
    agency: AgencyRow
    collaborators: list[Collaborator]
    action_leads: list[ActionLeadItem] = Field([], description="Actions the agency leads as a whole")


class AgencyDetail(BaseModel):
    agency: AgencyRow
    load: AgencyLoad
    collaborators: list[Collaborator] = []
    action_leads: list[ActionLeadItem] = Field([], description="Actions the agency leads as a whole")
