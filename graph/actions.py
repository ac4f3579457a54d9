"""Action keys: a stable English key per action heading, so actions line up across plans.

Every plan has about ten actions (the （一）（二）… headings of its 提升行动 and 重点工程 parts)
that follow the national outline, but each plan words them its own way: "科学素质省、市、县交流合作
工程" and "实施科学素质开放共享工程" are both the exchange project. The keys, their labels and the
keywords that recognise them are curated in ``data/action_keys.yaml``; this module removes the
heading's number and returns the first key, in the file's ``priority`` order, one of whose keywords
occurs in the title.

A title no key matches gets ``"other:<title>"`` (the normalised title, number removed), or
``"other"`` for an empty title. The title is kept in the key so that two unmatched actions of one
plan stay apart and a reader sees what was not recognised; :func:`is_other` tells such keys apart.

Example:
    >>> action_key("（五）科学素质省、市、县交流合作工程")
    'exchange'
    >>> action_key("实施科普人才规模倍增工程")
    'talent'
"""

from __future__ import annotations

import functools
import importlib.resources
import re
from dataclasses import dataclass
from typing import Any

import yaml

from plangraph.graph.kinds import normalize_text

DATA_PACKAGE = "plangraph.graph"
DATA_FILE = "data/action_keys.yaml"
OTHER = "other"


@dataclass(frozen=True)
class ActionKind:
    """One action key: labels, whether it is a population group or a project, and keywords."""

    key: str
    category: str
    label: str
    label_en: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class ActionTable:
    version: int
    updated: str
    number: re.Pattern[str]
    ordered: tuple[ActionKind, ...]
    mixed_part_words: tuple[str, ...] = ()


def _build(raw: dict[str, Any]) -> ActionTable:
    by_key = {
        a["key"]: ActionKind(
            a["key"], a["category"], a["label"], a["label_en"], tuple(a["keywords"])
        )
        for a in raw["actions"]
    }
    priority: list[str] = raw["priority"]
    if sorted(priority) != sorted(by_key) or len(set(priority)) != len(priority):
        raise ValueError(f"{DATA_FILE}: priority must list every action key exactly once")
    return ActionTable(
        version=int(raw["version"]),
        updated=str(raw["updated"]),
        number=re.compile(raw["number_pattern"]),
        ordered=tuple(by_key[k] for k in priority),
        mixed_part_words=tuple(raw.get("mixed_part_words", ())),
    )


@functools.cache
def _data() -> ActionTable:
    """Read and check ``data/action_keys.yaml`` once per process."""
    text = importlib.resources.files(DATA_PACKAGE).joinpath(DATA_FILE).read_text("utf-8")
    return _build(yaml.safe_load(text))


def actions_table() -> list[ActionKind]:
    """Every action key in priority order."""
    return list(_data().ordered)


def population_keys() -> frozenset[str]:
    """The keys of actions for a population group (category ``population``): the 提升行动 kind."""
    return frozenset(a.key for a in _data().ordered if a.category == "population")


def mixed_part_words() -> tuple[str, ...]:
    """Words of a part heading that holds actions of both kinds ("三、重点任务" in 2016-2020 plans)."""
    return _data().mixed_part_words


def action_title(heading: str) -> str:
    """The heading without its number: "(二) 实施农民科学素质提升行动" -> "实施农民科学素质提升行动"."""
    text = normalize_text(heading)
    return _data().number.sub("", text, count=1).strip("*#")


def action_key(title: str) -> str:
    """The stable key of an action title or heading; "other:<title>" when no key matches."""
    text = action_title(title)
    for action in _data().ordered:
        if any(word in text for word in action.keywords):
            return action.key
    return f"{OTHER}:{text}" if text else OTHER


def is_other(key: str) -> bool:
    """True for the keys :func:`action_key` gives titles it does not recognise."""
    return key == OTHER or key.startswith(OTHER + ":")


def action_label(key: str, english: bool = False) -> str:
    """The label of a key; for an "other:<title>" key, the title."""
    for action in _data().ordered:
        if action.key == key:
            return action.label_en if english else action.label
    return key.partition(":")[2] or key
