"""What an agency's name says about its identity, shared by the loaders and the query layer.

Within a plan, and when a user types a name ("县人社局" for "县人力资源社会保障局", "科协" for "县科协"),
spellings are compared on a key: the jurisdiction prefix removed and long forms shortened, using
the editable data file ``data/aliases.yaml``.

Example:
    >>> name_key("县人力资源社会保障局", "万年县")
    '人社局'
    >>> name_key("丰都县科协", "丰都县")
    '科协'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

import yaml

__all__ = ["alias_data", "is_group", "name_key"]


@dataclass(frozen=True)
class AliasData:
    long_forms: dict[str, str]
    long_form_pattern: re.Pattern[str]
    group_patterns: tuple[re.Pattern[str], ...]
    prefixes: tuple[str, ...]
    protected: tuple[str, ...]


@cache
def alias_data() -> AliasData:
    raw = yaml.safe_load(resources.files("plangraph.graph").joinpath("data/aliases.yaml").read_text("utf-8"))
    long_forms = {k: v for k, v in raw["long_forms"].items() if k != v}
    pattern = re.compile("|".join(re.escape(k) for k in sorted(long_forms, key=len, reverse=True)))
    groups = tuple(re.compile(p) for p in raw["group_patterns"])
    return AliasData(long_forms, pattern, groups, tuple(raw["level_prefixes"]), tuple(raw["protected_starts"]))


def is_group(name: str) -> bool:
    """A reference to a set of bodies ("县级各部门", "各乡镇（街道）", "…领导小组各成员单位")."""
    return any(p.search(name) for p in alias_data().group_patterns)


def name_key(name: str, jurisdiction: str) -> str:
    """The part of a name that identifies the body within its plan."""
    key = name
    if jurisdiction and key.startswith(jurisdiction):
        key = key[len(jurisdiction) :]
    return _key_without_place(key)


@lru_cache(maxsize=1 << 16)  # pure; the same names ("县教育局") recur in every plan whatever its place
def _key_without_place(key: str) -> str:
    """``name_key`` of a name whose jurisdiction prefix is already removed."""
    data = alias_data()
    for prefix in data.prefixes:
        if key.startswith(data.protected):
            break
        if key.startswith(prefix) and len(key) > len(prefix) + 1:
            key = key[len(prefix) :]
            break
    return data.long_form_pattern.sub(lambda m: data.long_forms[m.group(0)], key)


