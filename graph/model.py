"""The domain model: one plan as the loaders read it, and the ids the graph gives its parts.

Both stores and the plan JSON of ``parse`` are built from these classes, so a field added here is
added everywhere. Ids are derived from names and positions only, so loading the same plan twice
gives the same ids.

Example:
    >>> agency_id("丰都县", "县科协")
    '丰都县:县科协'
    >>> task_id("丰都县", 1, 2)
    '丰都县:t1.2'
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Role = Literal["lead", "support", "responsible"]
ROLES: tuple[Role, ...] = ("lead", "support", "responsible")
Level = Literal["province", "city", "county", "district", "unknown"]
Span = tuple[int, int]


def agency_id(jurisdiction: str, name: str) -> str:
    """The id of an agency (or group) of a jurisdiction, from its canonical name."""
    return f"{jurisdiction}:{name}"


def plan_id(jurisdiction: str) -> str:
    """One plan per jurisdiction: loading another plan of the same place replaces it."""
    return f"plan:{jurisdiction}"


def action_id(jurisdiction: str, action_seq: int) -> str:
    return f"{jurisdiction}:a{action_seq}"


def task_id(jurisdiction: str, action_seq: int, task_seq: int) -> str:
    return f"{jurisdiction}:t{action_seq}.{task_seq}"


class Mention(BaseModel):
    """One agency named at one place in a clause: the spelling as written and where."""

    name: str
    agency_id: str
    span: Span


class Task(BaseModel):
    seq: int
    title: str
    text: str = ""
    span: Span
    clause: str | None = Field(None, description="The responsibility clause as written")
    clause_span: Span | None = None
    shared_clause: bool = Field(
        False, description="True when the clause stands once after the action's last task"
    )
    lead: list[Mention] = []
    support: list[Mention] = []
    responsible: list[Mention] = []

    def mentions(self) -> list[tuple[Role, Mention]]:
        return [(role, m) for role in ROLES for m in getattr(self, role)]


class Action(BaseModel):
    seq: int
    part: str
    key: str
    title: str
    span: Span | None = None
    leads: list[Mention] = []
    tasks: list[Task] = []


class Agency(BaseModel):
    """A body of one jurisdiction; a group reference ("县级各部门") is one with ``is_group``."""

    id: str
    name: str
    spellings: list[str] = []
    is_group: bool = False


class Group(BaseModel):
    name: str
    agency_id: str
    members: list[str] = []
    office: str | None = Field(None, description="Agency id of the body that houses the group's office")


class Jurisdiction(BaseModel):
    name: str
    level: Level = "unknown"
    province: str | None = None
    parent_city: str | None = None
    division: str | None = Field(
        None, description="The official type of the unit: 省, 自治区, 直辖市, 地级市, 自治州, 县, 自治县, 旗, 县级市, 市辖区 …"
    )
    code: str | None = Field(None, description="The 6-digit GB/T 2260 division code, when the gazetteer knows the place")

    @property
    def key(self) -> str:
        """What identifies the place in a store: its division code where known, else its name.

        Two places may share a name (朝阳区 of 北京市 and of 长春市); their codes differ.
        """
        return self.code or self.name


class Source(BaseModel):
    file: str
    sha256: str
    format: str | None = None
    # OCR'd plans only: the share of characters in lines the recogniser was unsure of
    low_confidence_share: float | None = None


class Plan(BaseModel):
    """Everything read from one plan file: the ``parse --json`` object of one file."""

    source: Source
    jurisdiction: Jurisdiction
    period: str | None = None
    literacy_target_percent: float | None = None
    actions: list[Action] = []
    agencies: list[Agency] = []
    groups: list[Group] = []
    warnings: list[str] = []

    @property
    def id(self) -> str:
        return plan_id(self.jurisdiction.name)

    def tasks(self) -> list[tuple[Action, Task]]:
        return [(a, t) for a in self.actions for t in a.tasks]


class ParseFailure(BaseModel):
    """A file that could not be read as a plan; ``parse --json`` prints it in the file's place."""

    source: Source
    error: str
