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
from functools import cache, lru_cache
from itertools import chain

from plangraph.graph.kinds import classify
from plangraph.graph.names import is_group as _is_group
from plangraph.graph.names import name_key

MAX_DROPPED = 2
MIN_KEY = 3
# Spellings are compared pairwise; a plan names a few hundred bodies, so beyond this many distinct
# keys (a garbled file, a list of thousands of names) only equal keys are one body.
MAX_FUZZY_KEYS = 500


@lru_cache(maxsize=1 << 16)
def is_group(name: str) -> bool:
    """``graph.names.is_group``, remembered: the same names recur in every plan of a corpus."""
    return _is_group(name)


def _is_subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


@cache
def _known(key: str) -> bool:
    """Is this a body the kinds vocabulary knows (so not a slip of the pen)?"""
    return not classify(key).guessed


def _one_substitution(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b)) == 1


@lru_cache(maxsize=1 << 16)  # pure; the same pairs of keys (科协, 教育局…) recur in every plan
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
        self.written: list[list[str]] = []  # every list added, as added
        self.counts: Counter[str] = Counter()  # spelling -> times written, counted by resolve()
        self._lists: dict[str, set[int]] | None = None  # see lists
        self._keys: dict[str, str] = {}  # spelling -> name_key, each computed once

    def key(self, name: str) -> str:
        """``name_key(name, jurisdiction)``, remembered."""
        key = self._keys.get(name)
        if key is None:
            key = self._keys[name] = name_key(name, self.jurisdiction)
        return key

    def add_list(self, names: list[str]) -> None:
        """Names written in one list: they are distinct bodies."""
        self.written.append(names)
        self._lists = None

    @property
    def lists(self) -> dict[str, set[int]]:
        """key -> the lists it was written in (by index), built when first asked: only keys that
        may be one body need it, and most plans have few such pairs."""
        if self._lists is None:
            key = self.key
            self._lists = {}
            for index, names in enumerate(self.written):
                for k in {key(n) for n in names}:
                    self._lists.setdefault(k, set()).add(index)
        return self._lists

    def resolve(self) -> dict[str, str]:
        """spelling -> canonical name, for every spelling added."""
        self.counts = Counter(chain.from_iterable(self.written))
        clusters = self._clusters()
        canonical: dict[str, str] = {}
        for spellings in clusters:
            if len(spellings) == 1:
                canonical[spellings[0]] = spellings[0]
                continue
            best = max(spellings, key=lambda s: (self.counts[s], self._has_prefix(s), len(s), s))
            for s in spellings:
                canonical[s] = best
        return canonical

    def _has_prefix(self, name: str) -> bool:
        return name != self.key(name)

    def _clusters(self) -> list[list[str]]:
        by_key: dict[str, list[str]] = {}
        for spelling in sorted(self.counts):
            by_key.setdefault(self.key(spelling), []).append(spelling)
        keys = sorted(by_key, key=lambda k: (-sum(self.counts[s] for s in by_key[k]), k))
        if len(keys) > MAX_FUZZY_KEYS:
            return [list(by_key[k]) for k in keys]
        merged: list[list[str]] = []
        cluster_of: dict[str, int] = {}  # key -> index into merged
        near: dict[tuple[object, ...], list[str]] = {}  # see _near_keys
        for key in keys:
            found = self._first_cluster(key, near, cluster_of)
            if found is None:
                cluster_of[key] = len(merged)
                merged.append(list(by_key[key]))
            else:
                cluster_of[key] = found
                merged[found].extend(by_key[key])
            if not is_group(key):  # a group reference is never merged: no other key needs it
                for bucket in _near_keys(key):
                    near.setdefault(bucket, []).append(key)
        return merged

    def _first_cluster(self, key: str, near: dict[tuple[object, ...], list[str]], cluster_of: dict[str, int]) -> int | None:
        """The earliest cluster holding a key that ``key`` is one body with, or None.

        Only keys sharing a bucket with ``key`` can be (see ``_near_keys``), so only those are
        compared: a plan's few dozen keys need a few comparisons each instead of all pairs.
        """
        if is_group(key):
            return None
        candidates = {other for bucket in _near_keys(key) for other in near.get(bucket, ())}
        found = [cluster_of[other] for other in candidates if self._mergeable(key, other)]
        return min(found) if found else None

    def _mergeable(self, a: str, b: str) -> bool:
        if not _same_body(a, b) or is_group(a) or is_group(b):
            return False
        return self.lists.get(a, set()).isdisjoint(self.lists.get(b, set()))


def _near_keys(key: str) -> tuple[tuple[object, ...], ...]:
    """Buckets such that two different keys ``_same_body`` judges one body share one: a slip of the
    pen keeps the length, and an abbreviation keeps the first and last character."""
    return (("length", len(key)), ("ends", key[:1], key[-1:]))
