"""China's provincial-level divisions, as plans cite them (``data/provinces.yaml``)."""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml


@cache
def provinces() -> tuple[str, ...]:
    text = resources.files("plangraph.graph").joinpath("data/provinces.yaml").read_text("utf-8")
    return tuple(yaml.safe_load(text)["provinces"])
