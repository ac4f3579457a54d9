"""Spellings within one plan -> one agency each.

A plan writes the same body several ways: with and without the jurisdiction prefix (妇联 / 市妇联),
long and short (县人力资源社会保障局 / 县人社局), and with typos (县市场监管理局). Spellings are compared
on a key (prefix removed, long forms shortened by ``graph/data/aliases.yaml``); keys that are equal,
or where one is the other with at most two characters dropped (and the same last character), are
one body — unless the plan names both in one list, which says they are two. The canonical name is
the spelling written most often, preferring one with the prefix.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

MAX_DROPPED = 2
MIN_KEY = 3


@dataclass(frozen=True)
class AliasData:
    long_forms: tuple[tuple[str, str], ...]
    group_patterns: tuple[re.Pattern[str], ...]
    prefixes: tuple[str, ...]


@cache
def alias_data() -> AliasData:
    raw = yaml.safe_load(resources.files("plangraph.graph").joinpath("data/aliases.yaml").read_text("utf-8"))
    long_forms = tuple(sorted(raw["long_forms"].items(), key=lambda kv: -len(kv[0])))
    groups = tuple(re.compile(p) for p in raw["group_patterns"])
    return AliasData(long_forms, groups, tuple(raw["level_prefixes"]))


def is_group(name: str) -> bool:
    """A reference to a set of bodies ("县级各部门", "各乡镇（街道）", "…领导小组各成员单位")."""
    return any(p.search(name) for p in alias_data().group_patterns)


def name_key(name: str, jurisdiction: str) -> str:
    """The part of a name that identifies the body within its plan."""
    data = alias_data()
    key = name
    if jurisdiction and key.startswith(jurisdiction):
        key = key[len(jurisdiction) :]
    for prefix in data.prefixes:
        if key.startswith(prefix) and len(key) > len(prefix) + 1:
            key = key[len(prefix) :]
            break
    for long, short in data.long_forms:
        if long in key:
            key = key.replace(long, short)
    return key


def _is_subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def _same_body(a: str, b: str) -> bool:
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    return (
        len(short) >= MIN_KEY
        and 0 < len(long) - len(short) <= MAX_DROPPED
        and short[-1] == long[-1]
        and short[0] == long[0]
        and _is_subsequence(short, long)
    )


class AgencyResolver:
    """Collects the spellings of one plan, then maps each to its canonical name."""

    def __init__(self, jurisdiction: str) -> None:
        self.jurisdiction = jurisdiction
        self.counts: Counter[str] = Counter()
        self.together: set[frozenset[str]] = set()

    def add_list(self, names: list[str]) -> None:
        """Names written in one list: they are distinct bodies."""
        self.counts.update(names)
        keys = {name_key(n, self.jurisdiction) for n in names}
        for a in keys:
            for b in keys:
                if a != b:
                    self.together.add(frozenset((a, b)))

    def resolve(self) -> dict[str, str]:
        """spelling -> canonical name, for every spelling added."""
        clusters = self._clusters()
        canonical: dict[str, str] = {}
        for spellings in clusters:
            best = max(spellings, key=lambda s: (self.counts[s], self._has_prefix(s), len(s), s))
            for s in spellings:
                canonical[s] = best
        return canonical

    def _has_prefix(self, name: str) -> bool:
        return name != name_key(name, self.jurisdiction)

    def _clusters(self) -> list[list[str]]:
        by_key: dict[str, list[str]] = {}
        for spelling in sorted(self.counts):
            by_key.setdefault(name_key(spelling, self.jurisdiction), []).append(spelling)
        keys = sorted(by_key, key=lambda k: (-sum(self.counts[s] for s in by_key[k]), k))
        merged: list[list[str]] = []
        owners: list[list[str]] = []
        for key in keys:
            for i, group_keys in enumerate(owners):
                if any(self._mergeable(key, other) for other in group_keys):
                    group_keys.append(key)
                    merged[i].extend(by_key[key])
                    break
            else:
                owners.append([key])
                merged.append(list(by_key[key]))
        return merged

    def _mergeable(self, a: str, b: str) -> bool:
        if frozenset((a, b)) in self.together or is_group(a) or is_group(b):
            return False
        return _same_body(a, b)
