"""Which columns a table's header names, and so whether it is a task table (重点任务分工表).

Why: both the web-page reader (a task table is content, never page layout to descend into) and
the table reader (rows -> tasks) ask it; the column words live in ``graph/data/task_tables.yaml``.
"""

from __future__ import annotations

import importlib.resources
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import yaml

DATA_PACKAGE = "plangraph.graph"
DATA_FILE = "data/task_tables.yaml"
HEADER_ROWS = 3  # the header is one of a table's first rows


@dataclass(frozen=True)
class Columns:
    words: dict[str, tuple[str, ...]]
    appendix: re.Pattern[str]


@cache
def columns() -> Columns:
    """The column words and the appendix heading, read once per process from the data file."""
    data = yaml.safe_load(importlib.resources.files(DATA_PACKAGE).joinpath(DATA_FILE).read_text("utf-8"))
    return Columns({kind: tuple(words) for kind, words in data["columns"].items()}, re.compile(data["appendix"]))


def column_kind(header: str) -> str | None:
    """Which column a header cell names (lead, support, task, action, seq), or None."""
    bare = "".join(header.split())
    for kind, words in columns().words.items():
        if any(word in bare for word in words):
            return kind
    return None


def task_table_header(rows: Sequence[Sequence[str]]) -> tuple[int, dict[int, str]] | None:
    """The header row's index and its columns' kinds, when the rows are a task table's: a task
    column and a lead or support column."""
    for index, row in enumerate(rows[:HEADER_ROWS]):
        kinds = {i: kind for i, cell in enumerate(row) if (kind := column_kind(cell)) is not None}
        found = set(kinds.values())
        if "task" in found and found & {"lead", "support"}:
            return index, kinds
    return None
