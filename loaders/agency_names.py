"""The name rule: does a name in a responsibility list look like an organisation?

Why: text copied out of PDFs merges a task's sentences into its clause, and a list of phrases
("举办农民技能大赛、科学素质网络竞赛") is then read as agencies. An agency's name ends in, or is headed
by, a word for an organisation, or is a group form; the words are kept in
``graph/data/agency_names.yaml`` so a planner can add one without reading code.
"""

from __future__ import annotations

import importlib.resources
import re
from dataclasses import dataclass
from functools import cache, lru_cache

import yaml

from plangraph.graph.names import is_group

DATA_PACKAGE = "plangraph.graph"
DATA_FILE = "data/agency_names.yaml"
TRAILING_BRACKETS = re.compile(r"[（(][^（）()]{0,10}[）)]$")
MAX_NAME = 40  # characters: longer is a sentence, not a name
NOT_IN_NAMES = re.compile(r"[。！？；：:;]")


@dataclass(frozen=True)
class NameRule:
    suffixes: tuple[str, ...]
    heads: tuple[str, ...]
    groups: tuple[str, ...]
    prefixes: tuple[str, ...]
    max_prefixed_length: int


@cache
def name_rule() -> NameRule:
    """The rule's words, read once per process from the data file."""
    text = importlib.resources.files(DATA_PACKAGE).joinpath(DATA_FILE).read_text("utf-8")
    data = yaml.safe_load(text)
    return NameRule(
        tuple(data["suffixes"]), tuple(data["heads"]), tuple(data["groups"]),
        tuple(data["prefixes"]), int(data["max_prefixed_length"]),
    )


@lru_cache(maxsize=1 << 16)  # pure; the same names recur in every plan
def looks_like_agency(name: str) -> bool:
    """An organisation's name: ends in an organisation word, starts with a head, or a group form."""
    name = name.strip()
    if not 2 <= len(name) <= MAX_NAME or NOT_IN_NAMES.search(name):
        return False
    rule = name_rule()
    bare = TRAILING_BRACKETS.sub("", name)
    return (
        bare.endswith(rule.suffixes)
        or bare.startswith(rule.heads)
        or any(word in bare for word in rule.groups)
        or (bare.startswith(rule.prefixes) and len(bare) <= rule.max_prefixed_length)
        or is_group(name)
    )


def looks_like_agencies(names: list[str]) -> bool:
    """A list of names is agencies when at least half of them look like organisations (a typo in
    one name does not make the list task text)."""
    return 2 * sum(map(looks_like_agency, names)) >= len(names)
