"""Who wrote the plan: jurisdiction, level, division, code, province, parent city (``period`` reads
when, and the target).

The name is read from the title where there is one, otherwise from the body (a plan may have no
title line at all); a county's name is the one the text keeps coming back to, which tells "沁源县"
from the "时期沁源县" a naive pattern would take, and never a place whose plan it only cites
(《长沙市全民科学素质…》 in 浏阳市's plan). The name is then placed in China's divisions
(``graph/places.py``): its official type, GB/T 2260 code, city and province.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

from plangraph.graph.model import Jurisdiction
from plangraph.graph.places import Division, could_be_unknown_place, divisions_named, level_of_suffix, name_endings, provinces

from .period import generation_names

# What may follow a SUBJECT match (its lookahead), as plain strings to find at C speed; a
# five-year-plan name in quotes ("X县“十五五”全民…") comes from graph/data/generations.yaml.
SUBJECT_FOLLOWERS = ("全民科学素质", "人民政府", "实施全民", *(f"“{name}”全民" for name in generation_names()))
CITY_CITED = re.compile(r"《([\u4e00-\u9fff]{2,4}?市)(?:人民政府|全民科学素质)")
SCANNED = 20000  # the jurisdiction is named near the top: only this much text is searched for it
MAX_BODY = 12  # the longest name before its ending: 湘西土家族苗族 (自治州) is 7, 巴音郭楞蒙古 (自治州) 6
OWN_LEVEL = re.compile("[我全本](省|州|盟|旗|县|市|区)")  # "我县", "全县", "本县": how a plan names its own level


@cache
def _subject() -> re.Pattern[str]:
    """A name, its ending (县, 自治旗, 地区 … from ``graph/data/places.yaml``) and a follower."""
    endings = "|".join(re.escape(e) for e in name_endings())
    followers = "|".join(re.escape(f) for f in SUBJECT_FOLLOWERS)
    return re.compile(f"([\u4e00-\u9fff]{{1,{MAX_BODY}}}?)({endings})(?={followers})")


def _subject_matches(text: str) -> list[re.Match[str]]:
    """``list(_subject().finditer(text))``, trying the pattern only where it can match: a match ends
    where one of its followers starts. Scanning every position with the lazy pattern costs about
    half a millisecond per plan; this a few microseconds.
    """
    subject = _subject()
    longest = MAX_BODY + max(len(e) for e in name_endings())
    starts: set[int] = set()
    for follower in SUBJECT_FOLLOWERS:
        at = text.find(follower)
        while at != -1:
            starts.update(range(max(0, at - longest), max(0, at - 1)))
            at = text.find(follower, at + 1)
    found: list[re.Match[str]] = []
    pos = 0
    for start in sorted(starts):
        if start < pos:
            continue
        m = subject.match(text, start)
        if m:
            found.append(m)
            pos = m.end()
    return found


def _quoted(text: str, pos: int) -> bool:
    """Is ``pos`` inside a quoted title (《…》)? A place named only there is one whose plan the text
    cites. Two searches back from ``pos`` at C speed: a plan has a few dozen candidate names."""
    return text.rfind("《", 0, pos) > text.rfind("》", 0, pos)


@dataclass
class _Candidate:
    name: str
    own: bool = False  # named as a subject outside a quoted title at least once
    places: tuple[Division, ...] = ()


def find_jurisdiction(text: str, warnings: list[str] | None = None) -> Jurisdiction | None:
    """The jurisdiction whose plan this is, or None when the text names none.

    It is the document's own place: the one named as the subject of its title or of "X全民科学素质工作"
    outside a quoted title, at the level the plan calls itself ("我县", "全市", "我旗"), and not a place
    that another candidate belongs to (a county's plan cites its city's and province's plans).
    What the reading could not settle (a name no division has, a name several share) is added to
    ``warnings``.
    """
    head = text[:SCANNED]
    candidates = _candidates(head)
    if not candidates:
        return None
    own = _own_level(text)
    ancestors = {a for c in candidates.values() for d in c.places for a in d.ancestors()}
    counts = {name: text.count(name[: -len(_ending(name))] or name) for name in candidates}
    # A name only ever written inside a longer one is part of it: 岷县 (a county of 甘肃) inside
    # 宁碧岷县, 尔沁旗 inside 阿鲁科尔沁旗.
    written = {name: text.count(name) for name in candidates}
    whole = [c for c in candidates.values() if not any(
        other != c.name and other.endswith(c.name) and written[other] >= written[c.name] for other in candidates)]
    # The name the text keeps using: "沁源" recurs, "时期沁源" does not; on a tie the longer name
    # (a three-character 宁碧岷县 is never written 碧岷 alone).
    best = max(
        whole or candidates.values(),
        key=lambda c: (c.own, bool(c.places), c.name[-1] == own, c.name not in ancestors, counts[c.name], len(c.name)),
    )
    return _placed(best, text, warnings if warnings is not None else [])


def _ending(name: str) -> str:
    return next((e for e in name_endings() if name.endswith(e)), "")


def _candidates(head: str) -> dict[str, _Candidate]:
    """Every name the head of the text gives as a subject, with the divisions of that name."""
    candidates: dict[str, _Candidate] = {}
    for m in _subject_matches(head):
        body, ending = m.group(1), m.group(2)
        own = not _quoted(head, m.start())
        for size in range(1, len(body) + 1):
            stem = body[-size:]
            name = stem + ending
            c = candidates.get(name)
            if c is None:
                places = divisions_named(name)
                if not places and (size < 2 or not could_be_unknown_place(stem)):
                    continue
                c = candidates[name] = _Candidate(name, places=places)
            c.own = c.own or own
    return candidates


def _placed(c: _Candidate, text: str, warnings: list[str]) -> Jurisdiction:
    """The chosen name with its division, code and parents from the gazetteer where it knows one."""
    places = c.places
    if len(places) > 1:
        places = _settled(places, text)
    if len(places) == 1:
        d = places[0]
        return Jurisdiction(name=d.name, level=d.level, province=d.province, parent_city=d.parent_city,  # type: ignore[arg-type]
                            division=d.division, code=d.code)
    level = level_of_suffix(c.name)
    if places:
        codes = ", ".join(f"{d.code} ({'/'.join(reversed(d.ancestors()))})" for d in places)
        warnings.append(f"jurisdiction {c.name} is ambiguous: {len(places)} divisions have this name ({codes}) "
                        "and the plan cites the province or city of none of them alone; its code is left empty")
        kinds = {d.division for d in places}
        division = kinds.pop() if len(kinds) == 1 else None
        level = places[0].level if len({d.level for d in places}) == 1 else level
    else:
        warnings.append(f"jurisdiction {c.name} is no division the gazetteer knows: kept as written, with no code")
        division = None
    province = None if level == "province" else _province(text, c.name)
    parent = _parent_city(text, c.name, province) if level in ("county", "district") else None
    return Jurisdiction(name=c.name, level=level, province=province, parent_city=parent, division=division)  # type: ignore[arg-type]


def _settled(places: tuple[Division, ...], text: str) -> tuple[Division, ...]:
    """Of several divisions sharing a name, the one whose city and province the plan names most."""
    def named(d: Division) -> int:
        return sum(1 for a in d.ancestors() if a in text)

    best = max(named(d) for d in places)
    return tuple(d for d in places if named(d) == best) if best else places


def _own_level(text: str) -> str | None:
    """The suffix a plan uses for itself: 县 in "我县"/"全县"/"本县", 市 in "我市", 旗 in "我旗"…"""
    counts = Counter(OWN_LEVEL.findall(text))  # one pass for every level
    if not counts:
        return None
    return max(counts, key=lambda c: (counts[c], c))


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
