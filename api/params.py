"""Query parameters shared by several routes: bounded, typed, with examples for the docs."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query
from pydantic import StringConstraints

from plangraph.graph.model import Role

MAX_NAME = 100

#: One value of a repeated parameter (``list[NameItem]``), bounded like every name: ``max_length``
#: on a list ``Query`` bounds how many values there are, not how long each one is.
NameItem = Annotated[str, StringConstraints(min_length=1, max_length=MAX_NAME)]

AgencyName = Annotated[str | None, Query(
    max_length=MAX_NAME, min_length=1,
    description="An agency as people write it: 县科协, 科协, 丰都县科协, 县人社局 or its long form; or an agency id",
    examples=["县科协"],
)]
JurisdictionName = Annotated[str | None, Query(
    max_length=MAX_NAME, min_length=1, description="A jurisdiction's name", examples=["丰都县"],
)]
RoleParam = Annotated[Role | None, Query(description="lead, support or responsible", examples=["lead"])]
Words = Annotated[str | None, Query(
    max_length=MAX_NAME, min_length=1, description="Words in a task's title or text", examples=["智慧助老"],
)]
Limit = Annotated[int, Query(ge=1, le=1000, description="Items per page (at most 1000)", examples=[50])]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Items to skip", examples=[0])]
