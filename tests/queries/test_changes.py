"""Plans over time, on a 2026-2030 copy of seed 004 (丰都县) made here with known edits.

The expected values come from the edits below and from reading seed 004, never from the code:
- the period words become 2026-2030 / 十五五, the target sentence says 到2030年 …20%, and a
  baseline sentence "2025年…比例达到15%" (the old target, cited as the current level) is put
  before it;
- task 9 (加强农村科普公共服务体系建设) changes hands: 县科协 led it with 县科技局 among the
  supporters; now 县科技局 leads and 县科协 supports;
- task 16 (实施银龄科普专项行动) is dropped;
- a task on artificial intelligence is added to the informatization project;
- 县教委 (named 17 times) is renamed 县教育局 everywhere.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from plangraph.graph.store import GraphStore, open_store
from plangraph.loaders import parse_bytes, parse_file
from plangraph.queries.changes import PlanSide, changes, changes_summary

SEED_GLOB = "004_*.txt"

OLD_TASK_9 = "（牵头单位：县科协，责任单位：县农业农村委、县科技局、县人力社保局、团县委、县妇联）"
NEW_TASK_9 = "（牵头单位：县科技局，责任单位：县农业农村委、县科协、县人力社保局、团县委、县妇联）"
DROPPED_TITLE = "实施银龄科普专项行动"
ADDED_TITLE = "开展人工智能通识科普"
ADDED_TASK = (
    "30. 开展人工智能通识科普。面向青少年、老年人和基层干部普及人工智能基础知识，引导公众正确认识和"
    "使用生成式人工智能工具，增强识别虚假信息和保护个人数据的能力。（牵头单位：县科协，责任单位：县委网信办、县教育局）"
)
OLD_TARGET = "到2025年，全县公民具备科学素质的比例达到15%，达到全市平均水平。"
NEW_TARGET = "2025年，全县公民具备科学素质的比例达到15%。到2030年，全县公民具备科学素质的比例达到20%，达到全市平均水平。"
TASKS_IN_SEED = 34  # numbered 1.-34. in seed 004


def seed_004(seeds_dir: Path) -> Path:
    return next(seeds_dir.glob(SEED_GLOB))


def next_generation(text: str) -> str:
    """Seed 004 as its 2026-2030 plan, with the edits of the module's docstring."""
    lines = text.split("\n")
    dropped = [i for i, line in enumerate(lines) if line.startswith(f"16. {DROPPED_TITLE}")]
    assert len(dropped) == 1, "seed 004 has one task 16 (实施银龄科普专项行动)"
    del lines[dropped[0]]
    at = next(i for i, line in enumerate(lines) if line.startswith("29. "))
    lines.insert(at + 1, ADDED_TASK)
    text = "\n".join(lines)
    for old, new in [
        ("2021-2025年", "2026-2030年"), ("2021—2022年", "2026—2027年"), ("2022—2025年", "2027—2030年"),
        ("（2025年）", "（2030年）"), ("十四五", "十五五"), ("第十四个五年规划", "第十五个五年规划"),
        (OLD_TARGET, NEW_TARGET), (OLD_TASK_9, NEW_TASK_9), ("县教委", "县教育局"),
    ]:
        assert old in text, f"seed 004 no longer holds {old!r}"
        text = text.replace(old, new)
    return text


@pytest.fixture(scope="module")
def plans(seeds_dir: Path):
    path = seed_004(seeds_dir)
    old = parse_file(path)
    new = parse_bytes(next_generation(path.read_text("utf-8")).encode("utf-8"), "fengdu-2026-2030.txt")
    return old, new


def test_the_copy_is_read_as_a_2026_2030_plan_with_its_2030_target(plans) -> None:
    old, new = plans
    assert (old.period, old.literacy_target_percent) == ("2021-2025", 15.0)
    assert new.jurisdiction.name == "丰都县"
    assert new.period == "2026-2030"
    assert new.literacy_target_percent == 20.0  # not the 15% of the 2025 baseline
    assert sum(len(a.tasks) for a in new.actions) == TASKS_IN_SEED  # one dropped, one added


def test_changes_reports_exactly_the_edits(plans) -> None:
    old, new = plans
    answer = changes(PlanSide.from_plan(old), PlanSide.from_plan(new))
    assert (answer["jurisdiction"], answer["from"], answer["to"]) == ("丰都县", "2021-2025", "2026-2030")
    assert [t["title"] for t in answer["added"]] == [ADDED_TITLE]
    assert answer["added"][0]["action_key"] == "informatization"
    assert [t["title"] for t in answer["removed"]] == [DROPPED_TITLE]
    assert answer["removed"][0]["action_key"] == "elderly"
    assert [(r["from"], r["to"], r["kind"]) for r in answer["renamed"]] == [("县教委", "县教育局", "education")]
    assert len(answer["changed"]) == 1
    change = answer["changed"][0]
    assert change["from"]["title"] == change["to"]["title"] == "加强农村科普公共服务体系建设"
    assert change["score"] == 100.0  # same title and text: only the clause changed
    names = lambda agencies: [a["name"] for a in agencies]  # noqa: E731
    assert (names(change["lead"]["added"]), names(change["lead"]["removed"])) == (["县科技局"], ["县科协"])
    assert (names(change["support"]["added"]), names(change["support"]["removed"])) == (["县科协"], ["县科技局"])
    assert change["responsible"] == {"added": [], "removed": []}
    # every other task is the same work with the same bodies, once 县教委 reads 县教育局
    assert answer["unchanged"] == TASKS_IN_SEED - 2


def test_a_plan_compared_with_itself_has_no_change(plans) -> None:
    old, _ = plans
    side = PlanSide.from_plan(old)
    answer = changes(side, side)
    assert (answer["added"], answer["removed"], answer["changed"], answer["renamed"]) == ([], [], [], [])
    assert answer["unchanged"] == TASKS_IN_SEED


def test_the_matcher_is_a_parameter(plans) -> None:
    """A method that pairs nothing makes every old task removed and every new one added."""
    old, new = plans
    answer = changes(PlanSide.from_plan(old), PlanSide.from_plan(new), matcher=lambda a, b: [])
    assert len(answer["removed"]) == len(answer["added"]) == TASKS_IN_SEED
    assert answer["changed"] == [] and answer["unchanged"] == 0 and answer["renamed"] == []


def test_summary_counts_kinds_themes_and_places(plans) -> None:
    old, new = plans
    pair = (PlanSide.from_plan(old), PlanSide.from_plan(new))
    summary = changes_summary([pair])
    assert (summary["from"], summary["to"], summary["places"]) == ("2021-2025", "2026-2030", 1)
    kinds = {k["kind"]: k for k in summary["kinds"]}
    # 县科技局 took task 9's lead from 县科协; the added task is led by 县科协; the dropped one was
    # led by 县科协 (seed 004, task 16: 牵头单位：县科协)
    assert kinds["science_technology"]["leads_gained"] == 1 and kinds["science_technology"]["leads_lost"] == 0
    assert kinds["science_association"]["leads_gained"] == 1
    assert kinds["science_association"]["leads_lost"] == 2
    assert kinds["science_association"]["places_gained"] == kinds["science_association"]["places_lost"] == 1
    assert "education" not in kinds  # the rename is not a lead lost and gained
    assert [(t["label"], t["places"]) for t in summary["themes_appeared"]] == [(ADDED_TITLE, 1)]
    assert [(t["label"], t["places"]) for t in summary["themes_disappeared"]] == [(DROPPED_TITLE, 1)]
    assert summary["renamed"] == [{"from": "县教委", "to": "县教育局", "kind": "education", "places": 1}]


def side_from_store(store: GraphStore, jurisdiction: str) -> PlanSide:
    """The side of one stored plan, from the rows the store answers with."""
    row = store.jurisdiction(jurisdiction)
    assert row is not None
    return PlanSide.from_rows(row, store.tasks(jurisdiction=jurisdiction),
                              store.assignments(jurisdiction=jurisdiction), store.agencies(jurisdiction=jurisdiction))


def test_sides_from_store_rows_give_the_same_answer(plans, tmp_path: Path) -> None:
    """Today's store keeps one plan per place, so each generation goes to a store of its own."""
    old, new = plans
    answers = []
    for name, plan in (("old", old), ("new", new)):
        store = open_store("embedded", db=tmp_path / name / "graph.bin")
        store.replace_plan(plan)
        answers.append(side_from_store(store, "丰都县"))
        store.close()
    from_store = changes(*answers)
    from_files = changes(PlanSide.from_plan(old), PlanSide.from_plan(new))
    assert from_store == from_files
