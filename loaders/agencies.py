"""Spellings within one plan -> one agency each.

A plan writes the same body several ways: with and without the jurisdiction prefix (妇联 / 市妇联),
long and short (县人力资源社会保障局 / 县人社局), and with typos (县市场监管理局). Spellings are compared
on a key (prefix removed, long forms shortened by ``graph/data/aliases.yaml``); keys that are equal,
or where one is the other with at most two characters dropped (and the same last character), are
one body — unless the plan names both in one list, which says they are two. The canonical name is
the spelling written most often, preferring one with the prefix.
"""

from __future__ import annotations

from collections import Counter
from functools import cache

from plangraph.graph.kinds import classify
from plangraph.graph.names import is_group, name_key

MAX_DROPPED = 2
MIN_KEY = 3


def _is_subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


@cache
def _known(key: str) -> bool:
    """Is this a body the kinds vocabulary knows (so not a slip of the pen)?"""
    return not classify(key).guessed


def _one_substitution(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b)) == 1


def _same_body(a: str, b: str) -> bool:
    """Equal keys; a key with up to two characters dropped, or a known abbreviation of a longer
    name (same first and last character, the rest in order); or a one-character slip of a known
    body's name that is itself no known body (人设局 for 人社局, but never 文联 for 妇联)."""
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    if _one_substitution(a, b):
        return _known(a) != _known(b)
    if len(short) < MIN_KEY:
        return False
    if short[0] != long[0] or short[-1] != long[-1] or not _is_subsequence(short, long):
        return False
    # An abbreviation keeps characters of the full name in order (国资委 of 国有资产监督管理委员会);
    # a branch office (生态环境局沁源分局) is another body than the bureau.
    return len(long) - len(short) <= MAX_DROPPED or (_known(short) and classify(long).branch is None)


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
