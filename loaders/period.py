"""When a plan runs and what it aims for: its period and its literacy target, for any generation.

Plans come in generations (2016-2020, 2021-2025, 2026-2030 …) and a place keeps one plan per
period, so the period is part of a plan's identity and must be read right for every generation.
Nothing here knows a generation by name: the five-year-plan names a plan may use instead of its
years ("十三五", "十五五" …) are in ``graph/data/generations.yaml``.

- The period is the plan's own short range of years ("（2026—2030年）"), preferring one written
  just after the place's name; a plan that writes none is dated by the five-year-plan name it uses
  most ("“十五五”时期…"; it also names the previous one, less often), else by the year of its
  target sentence ("到2030年…比例达到…").
- The target is the share for the period's last year. A plan also cites the current level
  ("2025年，全县公民具备科学素质的比例达到15%"): a share whose sentence names a year before the
  period's last year is a baseline and never the target.

Example:
    >>> text = "（2026—2030年）2025年，全县公民具备科学素质的比例达到15%。到2030年，比例达到20%。"
    >>> find_period(text, None), find_target(text, "2026-2030")
    ('2026-2030', 20.0)
"""

from __future__ import annotations

import functools
import importlib.resources
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

import yaml

DATA_PACKAGE = "plangraph.graph"
DATA_FILE = "data/generations.yaml"

PERIOD = re.compile(r"(20\d\d)(?:\s*年)?\s*[-—–－~～至到]+\s*(20\d\d)\s*年")  # one \s* per gap: no backtracking
TARGET = re.compile(r"比例(?:要|将)?(?:提高到|达到|超过|力争达到)\s*(\d{1,2}(?:\.\d+)?)\s*[%％]")
YEAR = re.compile(r"(20\d\d)\s*年")
NAME_WINDOW = 60  # characters before a range in which the place's name marks the plan's own title
SENTENCE_END = "。\n"


@dataclass(frozen=True)
class Generation:
    """One generation of plans: its period, the names a plan may use for it, its national outline."""

    period: str
    start: int
    end: int
    names: tuple[str, ...]
    outline: tuple[str, ...]


@dataclass(frozen=True)
class GenerationTable:
    max_period_years: int
    target_year_window: int
    generations: tuple[Generation, ...]


def _years(period: str) -> tuple[int, int]:
    start, _, end = period.partition("-")
    return int(start), int(end)


def _build(raw: dict[str, Any]) -> GenerationTable:
    generations = []
    for entry in raw["generations"]:
        start, end = _years(str(entry["period"]))
        if not 0 < end - start <= int(raw["max_period_years"]):
            raise ValueError(f"{DATA_FILE}: period {entry['period']!r} is not a short range of years")
        generations.append(Generation(f"{start}-{end}", start, end, tuple(entry["names"]), tuple(entry.get("outline", ()))))
    names = [n for g in generations for n in g.names]
    if len(names) != len(set(names)):
        raise ValueError(f"{DATA_FILE}: a five-year-plan name is listed for two generations")
    return GenerationTable(int(raw["max_period_years"]), int(raw["target_year_window"]), tuple(generations))


@functools.cache
def generation_table() -> GenerationTable:
    """Read and check ``data/generations.yaml`` once per process."""
    text = importlib.resources.files(DATA_PACKAGE).joinpath(DATA_FILE).read_text("utf-8")
    return _build(yaml.safe_load(text))


def generation_names() -> tuple[str, ...]:
    """Every five-year-plan name of the table ("十三五", "十四五" …), in period order."""
    return tuple(n for g in generation_table().generations for n in g.names)


def generation_of(period: str | None) -> Generation | None:
    """The table's generation of a period ("2022-2025" belongs to the one ending 2025), or None."""
    if not period:
        return None
    _, end = _years(period)
    return next((g for g in generation_table().generations if g.end == end), None)


def find_period(text: str, jurisdiction: str | None) -> str | None:
    """The plan's own years, from its text: see the module's docstring for the order of evidence."""
    return _written_period(text, jurisdiction) or _named_period(text) or _target_period(text)


def _written_period(text: str, jurisdiction: str | None) -> str | None:
    """The first short range of years, preferring one in a title naming the place."""
    longest = generation_table().max_period_years
    ranges = [(m.start(), int(m.group(1)), int(m.group(2))) for m in PERIOD.finditer(text)]
    ranges = [r for r in ranges if 0 < r[2] - r[1] <= longest]
    if not ranges:
        return None
    if jurisdiction:
        for pos, a, b in ranges:
            if jurisdiction in text[max(0, pos - NAME_WINDOW) : pos]:
                return f"{a}-{b}"
    _, a, b = ranges[0]
    return f"{a}-{b}"


def _named_period(text: str) -> str | None:
    """The period of the five-year-plan name the text uses most; on a tie the later one (a plan
    names the one before its own when it looks back)."""
    counts: Counter[int] = Counter()
    generations = generation_table().generations
    for i, generation in enumerate(generations):
        counts[i] = sum(text.count(name) for name in generation.names)
    best = max(counts, key=lambda i: (counts[i], i), default=None)
    return generations[best].period if best is not None and counts[best] else None


def _target_period(text: str) -> str | None:
    """The generation ending in the latest year a target sentence names ("到2030年…比例达到…")."""
    years = [y for y, _ in _shares(text) if y is not None]
    if not years:
        return None
    return next((g.period for g in generation_table().generations if g.end == max(years)), None)


def _year_before(text: str, at: int) -> int | None:
    """The last year written in the sentence before position ``at``, within the table's window."""
    window = text[max(0, at - generation_table().target_year_window) : at]
    cut = max(window.rfind(c) for c in SENTENCE_END)
    years = YEAR.findall(window[cut + 1 :])
    return int(years[-1]) if years else None


def _shares(text: str) -> list[tuple[int | None, float]]:
    """Every "比例达到X%" of the text, with the year its sentence names before it."""
    return [(_year_before(text, m.start()), float(m.group(1))) for m in TARGET.finditer(text)]


def find_target(text: str, period: str | None = None) -> float | None:
    """The share the plan sets for its period's last year, in percent; None when it sets none.

    With a known period: the share of its last year; else the one of the latest year within the
    period; else the first share whose sentence names no year. A share of a year before the
    period (a baseline) is never taken. Without a period: the share of the latest year named,
    else the first share.
    """
    shares = _shares(text)
    if not shares:
        return None
    if period is None:
        dated = [s for s in shares if s[0] is not None]
        return max(dated, key=lambda s: s[0])[1] if dated else shares[0][1]
    start, end = _years(period)
    within = [s for s in shares if s[0] is not None and start < s[0] <= end]
    if within:
        return max(within, key=lambda s: s[0])[1]  # max keeps the first of equal years
    undated = [value for year, value in shares if year is None]
    return undated[0] if undated else None
