"""Period and target of any generation (loaders/period.py), on sentences written here."""

from __future__ import annotations

import pytest

from plangraph.loaders.period import find_period, find_target

TITLE = "某某县全民科学素质行动{outline}纲要实施方案（{years}年）\n"


@pytest.mark.parametrize(("outline", "years", "period"), [
    ("计划", "2016—2020", "2016-2020"), ("规划", "2021-2025", "2021-2025"), ("规划", "2026－2030", "2026-2030"),
])
def test_the_period_is_the_plans_own_range(outline: str, years: str, period: str) -> None:
    text = TITLE.format(outline=outline, years=years) + "根据《全民科学素质行动规划纲要（2021—2035年）》，制定本方案。"
    assert find_period(text, "某某县") == period


@pytest.mark.parametrize(("words", "period"), [
    ("明确“十三五”时期全县工作重点。“十二五”期间成效明显。“十三五”期末完成目标。", "2016-2020"),
    ("明确“十五五”时期全县工作重点。“十四五”期间成效明显。", "2026-2030"),
])
def test_without_years_the_five_year_plan_named_most_dates_the_plan(words: str, period: str) -> None:
    assert find_period(words, None) == period


def test_without_years_or_names_the_target_year_dates_the_plan() -> None:
    assert find_period("到2030年，全县公民具备科学素质的比例达到20%。", None) == "2026-2030"


@pytest.mark.parametrize(("text", "period", "target"), [
    # the baseline is the previous period's target: never the target
    ("2025年，全县公民具备科学素质的比例达到15%。到2030年，全县公民具备科学素质的比例达到20%。", "2026-2030", 20.0),
    ("2020年，全县公民具备科学素质的比例达到9.5%。到2025年，全县公民具备科学素质的比例达到14.5%。", "2021-2025", 14.5),
    ("2015年，我县公民具备科学素质的比例达到5.2%，到2020年，全县公民具备科学素质的比例达到10%。", "2016-2020", 10.0),
    # the target before the baseline in the text
    ("到 2030 年，全市公民具备科学素质的比例达到 21% 以上。截至2025年，该比例达到16%。", "2026-2030", 21.0),
    # a sentence with no year
    ("全县公民具备科学素质的比例达到12%。", "2021-2025", 12.0),
])
def test_the_target_is_the_share_of_the_periods_last_year(text: str, period: str, target: float) -> None:
    assert find_target(text, period) == target


def test_a_plan_citing_only_a_baseline_has_no_target() -> None:
    assert find_target("2025年，全县公民具备科学素质的比例达到15%。", "2026-2030") is None

