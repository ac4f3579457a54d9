"""Who wrote the plan: jurisdiction, level, province, parent city (``period`` reads when and the target).

The name is read from the title where there is one, otherwise from the body (a plan may have no
title line at all); a county's name is the one the text keeps coming back to, which tells "沁源县"
from the "时期沁源县" a naive pattern would take.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from plangraph.graph.model import Jurisdiction
from plangraph.graph.places import could_be_place, provinces

from .period import generation_names

# What may follow a SUBJECT match (its lookahead), as plain strings to find at C speed; a
# five-year-plan name in quotes ("X县“十五五”全民…") comes from graph/data/generations.yaml.
SUBJECT_FOLLOWERS = ("全民科学素质", "人民政府", "实施全民", *(f"“{name}”全民" for name in generation_names()))
SUBJECT = re.compile(r"([\u4e00-\u9fff]{2,8}?)(县|市|区|旗|州|省)(?=" + "|".join(map(re.escape, SUBJECT_FOLLOWERS)) + ")")
LEVELS = {"县": "county", "旗": "county", "市": "city", "州": "city", "区": "district", "省": "province"}
CITY_CITED = re.compile(r"《([\u4e00-\u9fff]{2,4}?市)(?:人民政府|全民科学素质)")
SCANNED = 20000  # the jurisdiction is named near the top: only this much text is searched for it
SUBJECT_BODY = (2, 8)  # the lengths SUBJECT's body may have
OWN_LEVEL = re.compile("[我全本]([县市区])")  # "我县", "全县", "本县": how a plan names its own level


def _subject_matches(text: str) -> list[re.Match[str]]:
    """``list(SUBJECT.finditer(text))``, trying SUBJECT only where it can match: a match ends where
    one of its followers starts, so it starts 3 to 9 characters before one. Scanning every
    position with the lazy pattern costs about half a millisecond per plan; this a few microseconds.
    """
    starts: set[int] = set()
    low, high = SUBJECT_BODY
    for follower in SUBJECT_FOLLOWERS:
        at = text.find(follower)
        while at != -1:
            starts.update(range(max(0, at - 1 - high), max(0, at - low)))
            at = text.find(follower, at + 1)
    found: list[re.Match[str]] = []
    pos = 0
    for start in sorted(starts):
        if start < pos:
            continue
        m = SUBJECT.match(text, start)
        if m:
            found.append(m)
            pos = m.end()
    return found


def find_jurisdiction(text: str) -> Jurisdiction | None:
    """The jurisdiction a plan belongs to, or None when the text names none."""
    candidates: dict[str, int] = {}
    for m in _subject_matches(text[:SCANNED]):
        body, suffix = m.group(1), m.group(2)
        for size in range(2, len(body) + 1):
            stem = body[-size:]
            name = stem + suffix
            if (name in provinces() and suffix != "市") or name in candidates or not could_be_place(stem):
                continue
            candidates[name] = text.count(stem)
    if not candidates:
        return None
    own = _own_level(text)
    # The name the text keeps using: "沁源" recurs, "时期沁源" does not; on a tie the longer name
    # (a three-character 宁碧岷县 is never written 碧岷 alone); the level the text calls "我县"/"全市".
    name = max(candidates, key=lambda n: (n[-1] == own, candidates[n], len(n)))
    level = LEVELS[name[-1]]
    province = _province(text, name)
    if name in provinces():
        level = "province"
        province = None
    parent = _parent_city(text, name, province) if level in ("county", "district") else None
    return Jurisdiction(name=name, level=level, province=province, parent_city=parent)


def _own_level(text: str) -> str | None:
    """The suffix a plan uses for itself: 县 in "我县"/"全县"/"本县", 市 in "我市"…"""
    counts = Counter(OWN_LEVEL.findall(text))  # one pass for the three levels
    best = max("县市区", key=lambda c: counts[c])
    return best if counts[best] else None


def _province(text: str, name: str) -> str | None:
    pattern, hidden = _province_finder()
    present = {m.group() for m in pattern.finditer(text)}.union(p for p in hidden if p in text)
    found = [(text.find(p), p) for p in provinces() if p != name and p in present]
    return min(found)[1] if found else None


@cache
def _province_finder() -> tuple[re.Pattern[str], tuple[str, ...]]:
    """One pattern finding every province a text names in one pass (instead of a search per
    province), and the provinces whose every occurrence such a pass could hide: those that can
    start inside another province's name (none in the shipped data; the file is editable)."""
    names = provinces()
    pattern = re.compile("|".join(re.escape(p) for p in names))

    def inside(a: str, b: str) -> bool:  # can an occurrence of b start within one of a?
        return any(a[i:].startswith(b) or b.startswith(a[i:]) for i in range(len(a)))

    return pattern, tuple(b for b in names if any(a != b and inside(a, b) for a in names))


def _parent_city(text: str, name: str, province: str | None) -> str | None:
    """The city whose plan the text cites by title ("《长治市全民科学素质…》")."""
    for m in CITY_CITED.finditer(text):
        city = m.group(1)
        if city not in (name, province) and city not in provinces():
            return city
    return None
