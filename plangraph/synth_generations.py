"""Generations of synthetic plans: how a 2016-2020, 2021-2025 or 2026-2030 plan differs.

Why: a place keeps one plan per period, and the loader must read every generation (its period,
its target for the period's last year, its actions lined up across generations). ``synth`` writes
plans of any generation listed in ``plangraph/data/synth_generations.yaml``, and corpora where some
places have plans of several periods. The 2021-2025 style writes exactly what ``synth`` always
wrote (the same bytes for the same seed).

Example:
    >>> style = generation_style("2016-2020")
    >>> style.outline, style.name, style.end
    ('计划', '十三五', 2020)
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

DATA_FILE = "data/synth_generations.yaml"


@dataclass(frozen=True)
class GenerationStyle:
    """The words and outline of one generation's plans (see the data file's comments)."""

    period: str
    start: int
    end: int
    name: str
    previous: str
    baseline_compared_to: str
    ordinal: str
    issued: int
    outline: str
    rare_outline: str
    national: str
    part_headings: dict[str, list[str]]
    intro_prefix: str
    headings: dict[str, list[str]]
    action_parts: dict[str, list[str]]
    action_weights: dict[str, float]
    actions: dict[str, dict[str, Any]]
    timetable: list[list[str]]
    shared_rate: float = 0.08  # share of actions whose one clause stands after their last task
    division_rate: float = 0.0  # share of those clauses written as a "分工：" line
    measures_line: str = ""  # a line between an action's intro and its tasks ("措施：")

    def words(self, late_start: bool = False) -> dict[str, Any]:
        """The placeholders of timetable and prose: {A} start, {B} start + 1, {E} end, {G} name, {P} previous."""
        start = self.start + late_start
        return {"A": start, "B": start + 1, "E": self.end, "G": self.name, "P": self.previous}

    def action(self, key: str) -> dict[str, Any]:
        """The vocabulary of one action in this generation: its headings are this generation's."""
        spec = dict(self.actions[key])
        if key in self.headings:
            spec["headings"] = self.headings[key]
        return spec


@cache
def _raw() -> dict[str, Any]:
    return yaml.safe_load(resources.files("plangraph").joinpath(DATA_FILE).read_text("utf-8"))


def periods() -> list[str]:
    """Every generation ``synth`` can write, oldest first."""
    return sorted(_raw()["generations"])


def default_period() -> str:
    return str(_raw()["default"])


@cache
def generation_style(period: str | None = None) -> GenerationStyle:
    """The style of one generation (the default one, 2021-2025, when None); a ValueError naming
    the known periods for another."""
    from .synth import vocab  # the shared vocabulary: actions every generation has

    raw = _raw()
    period = period or default_period()
    if period not in raw["generations"]:
        raise ValueError(f"no synthetic generation {period!r}: {DATA_FILE} has {', '.join(periods())}")
    g = raw["generations"][period]
    v = vocab()
    start, _, end = period.partition("-")
    return GenerationStyle(
        period=period, start=int(start), end=int(end), name=g["name"], previous=g["previous"],
        baseline_compared_to=g["baseline_compared_to"], ordinal=g["ordinal"], issued=int(g["issued"]),
        outline=g["outline"], rare_outline=g["rare_outline"], national=g["national"],
        part_headings=g["part_headings"], intro_prefix=g.get("intro_prefix", ""),
        headings=g.get("headings", {}), action_parts=g.get("action_parts", v["action_parts"]),
        action_weights=g.get("action_weights", v["action_weights"]),
        actions={**v["actions"], **raw["actions"]}, timetable=g.get("timetable", v["timetable"]),
        shared_rate=float(g.get("shared_rate", 0.08)), division_rate=float(g.get("division_rate", 0.0)),
        measures_line=g.get("measures_line", ""),
    )


def place_periods(rng: random.Random, generations: Sequence[str], several: float) -> list[str]:
    """The periods one place has plans for: all of ``generations`` with probability ``several``,
    else one of them at random; oldest first."""
    if len(generations) == 1:
        return list(generations)
    if rng.random() < several:
        return sorted(generations)
    return [rng.choice(list(generations))]


def plan_seeds(seed: int, place: int, plan_periods: Sequence[str]) -> Iterator[tuple[str, str]]:
    """(period, random seed string) of each plan of one place: the default generation's plan has
    the seed a one-generation corpus gives it, so its bytes are the same in both corpora."""
    for period in plan_periods:
        yield period, (f"plan:{seed}:{place}" if period == default_period() else f"plan:{seed}:{place}:{period}")
