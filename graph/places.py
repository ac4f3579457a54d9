"""Place-name knowledge (``data/places.yaml``): China's provincial-level divisions, and the words
that are never part of a place name, for reading which jurisdiction a plan belongs to."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml


@cache
def _data() -> dict[str, Any]:
    return yaml.safe_load(resources.files("plangraph.graph").joinpath("data/places.yaml").read_text("utf-8"))


def provinces() -> tuple[str, ...]:
    return tuple(_data()["provinces"])


@cache
def could_be_place(stem: str) -> bool:
    """Could ``stem`` (a name without its 县/市/区) be a place's name?"""
    data = _data()
    if any(word in stem for word in data["not_in_names"]):
        return False
    return not (len(stem) > 2 and stem[0] in data["not_first"])
