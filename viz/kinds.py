"""Which kind of body an agency is, for maps that line agencies up across jurisdictions.

The real classifier (``plangraph.graph.kinds``) belongs to the graph layer; the maps take any
``kind_of(agency_name) -> list[str]`` so they do not depend on it. ``default_kind_of`` uses the
classifier where it is installed and otherwise a crude stand-in that only drops the jurisdiction
level from the name, so that 县科协 and 市科协 meet but 县教委 and 县教育局 do not. A name the
classifier cannot place ("unknown") gets no kind, so unknown bodies are not lumped together: the
maps then fall back to the stand-in for that name.

Example:
    >>> prefix_kind_of("县科协"), prefix_kind_of("市科协"), prefix_kind_of("团县委")
    (['科协'], ['科协'], ['团委'])
"""

from __future__ import annotations

import re
from collections.abc import Callable
from importlib import import_module
from types import ModuleType

KindOf = Callable[[str], list[str]]
KindLabel = Callable[[str], str]

_LEVEL = re.compile(r"^(省|市|县|区|旗)(?!委$)")
_INNER_LEVEL = re.compile(r"^团(省|市|县|区)委$")


def prefix_kind_of(name: str) -> list[str]:
    """Stand-in kind: the name without its leading level character (县/市/区/省/旗)."""
    if _INNER_LEVEL.match(name):
        return ["团委"]
    return [_LEVEL.sub("", name) or name]


def _classifier() -> ModuleType | None:
    try:
        module = import_module("plangraph.graph.kinds")
    except ImportError:
        return None
    return module if hasattr(module, "classify") else None


def default_kind_of() -> KindOf:
    """``plangraph.graph.kinds.classify(name).kinds`` when that module exists, else the stand-in."""
    module = _classifier()
    if module is None:
        return prefix_kind_of

    def kind_of(name: str) -> list[str]:
        return [str(k) for k in module.classify(name).kinds if k != "unknown"]

    return kind_of


def default_kind_label() -> KindLabel:
    """The Chinese label of a kind key (教育主管部门 for 'education'); the key itself otherwise."""
    module = _classifier()
    if module is None or not hasattr(module, "kind_label"):
        return str
    return lambda key: str(module.kind_label(key))
