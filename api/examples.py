"""Example responses shown in the OpenAPI document (``/docs``), one per endpoint."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

AGENCY = {"id": "丰都县:县科协", "name": "县科协", "canonical": "县科协", "jurisdiction": "丰都县", "is_group": False}
ACTION = {"id": "丰都县:a1", "seq": 1, "key": "youth", "title": "实施青少年科学素质提升行动"}
TASK_ITEM = {
    "id": "丰都县:t1.4", "title": "加强各类青少年科普阵地建设", "jurisdiction": "丰都县", "plan": "plan:丰都县",
    "action": ACTION, "role": "lead", "agency": AGENCY,
    "clause": "（牵头单位：县教委、县科协，责任单位：县科技局、县财政局、团县委、各乡镇（街道））", "span": [1705, 1708],
}
#: An action 县科协 leads as a whole (万年县's 〔牵头部门：县科协〕): beside the task items of ?role=lead.
ACTION_LEAD_ITEM = {
    "id": "万年县:a10", "seq": 10, "key": "exchange", "title": "科学素质交流合作工程", "jurisdiction": "万年县",
    "plan": "plan:万年县", "span": [10740, 10743],
    "agency": {"id": "万年县:县科协", "name": "县科协", "canonical": "县科协", "jurisdiction": "万年县",
               "is_group": False, "kinds": ["science_association"]},
    "tasks": [{"id": "万年县:t10.1", "seq": 1, "title": "加强对外合作交流"},
              {"id": "万年县:t10.2", "seq": 2, "title": "促进科技人文交流"}],
}
NOT_FOUND = {"detail": "no agency named '县科协会'", "kind": "agency", "name": "县科协会", "suggestions": ["县科协", "市科协"]}


ERRORS: dict[int, Any] = {422: {"detail": "bad.txt: no actions found: not a science-literacy plan"}}


class NotFoundBody(BaseModel):
    """The body of every 404: what was not found, and the closest names there are."""

    detail: str
    kind: str
    name: str
    suggestions: list[str]


class Message(BaseModel):
    """The body of a refusal: why."""

    detail: str


class Problem(BaseModel):
    """A refusal's reason, or the parameters that were wrong (FastAPI's validation errors)."""

    detail: str | list[dict[str, Any]]


class StoreProblem(BaseModel):
    """The body of a 503: the store (not the request) stopped the answer: missing, damaged, not writable."""

    detail: str
    kind: str = "store"


#: Every route may answer 503 when its store fails (``graph/errors.py``); documented once, app-wide.
STORE_UNAVAILABLE: dict[int | str, dict[str, Any]] = {503: {
    "description": "The store failed (missing, damaged or not writable); the detail names it", "model": StoreProblem,
    "content": {"application/json": {"example": {
        "detail": "/srv/plangraph-data/graph.bin: damaged graph file (pickle data was truncated)", "kind": "store"}}}}}

#: The 404 of the routes that look names up (the schema, so clients and fuzzers can check it).
NOT_FOUND_RESPONSE: dict[str, Any] = {"description": "Not found, with the closest names", "model": NotFoundBody,
                                      "content": {"application/json": {"example": NOT_FOUND}}}
#: The same for routes whose 200 is not JSON (maps, exports): the schema given inline as JSON,
#: since ``model`` would file it under the route's own media type.
NOT_FOUND_JSON: dict[str, Any] = {"description": "Not found, with the closest names", "content": {
    "application/json": {"schema": NotFoundBody.model_json_schema(), "example": NOT_FOUND}}}


def ok(example: Any, *extra: int) -> dict[int | str, dict[str, Any]]:
    """A ``responses=`` entry: the 200 example, and the error bodies a client may see."""
    responses: dict[int | str, dict[str, Any]] = {200: {"content": {"application/json": {"example": example}}}}
    if 404 in extra:
        responses[404] = NOT_FOUND_RESPONSE
    return responses
