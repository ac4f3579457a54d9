"""Every kind of place reads as itself, placed in China's divisions (issue 15).

The plans are made here from seed 004 (丰都县's plan): its place names are rewritten to another
place of another kind, and the bodies' prefix to that place's level (县科协 -> 旗科协, 县科技局 ->
省科技厅). What each place must be placed as comes from the official list of divisions (GB/T 2260
codes written here by hand, not from the code's output); the facts must stay those the seed oracle
(tests/seed_truth.py) gives for 丰都县: tasks per action and edges per role.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from plangraph.graph.model import Plan
from plangraph.loaders import parse_bytes
from tests.conftest import SEEDS
from tests.loaders.place_texts import cite, rewrite
from tests.seed_truth import EXPECTED

FENGDU = EXPECTED["004"]


def parse(text: str, name: str = "plan.txt") -> Plan:
    return parse_bytes(text.encode("utf-8"), name)


@dataclass
class Place:
    name: str
    level: str
    division: str
    code: str
    parent_city: str | None
    province: str | None


def assert_placed(plan: Plan, want: Place) -> None:
    j = plan.jurisdiction
    got = Place(j.name, j.level, j.division or "", j.code or "", j.parent_city, j.province)
    assert got == want
    assert j.key == want.code
    assert not [w for w in plan.warnings if "jurisdiction" in w], plan.warnings


def assert_facts_unchanged(plan: Plan) -> None:
    """Tasks per action and edges per role as the oracle reads them in 丰都县's plan."""
    assert [len(a.tasks) for a in plan.actions] == FENGDU.tasks_per_action
    assert sum(len(t.lead) for _, t in plan.tasks()) == FENGDU.lead_edges
    assert sum(len(t.support) for _, t in plan.tasks()) == FENGDU.support_edges
    assert sum(len(t.responsible) for _, t in plan.tasks()) == FENGDU.responsible_edges
    assert sum(len(a.leads) for a in plan.actions) == FENGDU.action_lead_edges


def test_county_level_city_citing_its_city_more_than_its_own_name() -> None:
    cited = cite("湖南省", "长沙市") + "、《长沙市人民政府办公厅关于印发长沙市科普工作要点的通知"
    text = rewrite("浏阳市", "市", cited + "》", once=True)
    assert text.count("长沙市") > text.count("浏阳市")  # the premise: its city is named more often
    plan = parse(text)
    assert_placed(plan, Place("浏阳市", "county", "县级市", "430181", "长沙市", "湖南省"))
    assert_facts_unchanged(plan)


def test_county_level_city_cited_without_title_marks() -> None:
    """Its city's plan named outside 《》 too: the place its text belongs to is still the lower one."""
    text = rewrite("浏阳市", "市", cite("长沙市"), once=True)
    text = text.replace("制定本实施方案", "按照长沙市全民科学素质工作部署和长沙市人民政府要求，制定本实施方案", 1)
    plan = parse(text)
    assert_placed(plan, Place("浏阳市", "county", "县级市", "430181", "长沙市", "湖南省"))


def test_province_with_departments() -> None:
    plan = parse(rewrite("贵州省", "省", None, bureau="厅"))
    assert_placed(plan, Place("贵州省", "province", "省", "520000", None, None))
    assert_facts_unchanged(plan)
    youth = plan.actions[0].tasks[0]
    assert [m.name for m in youth.lead] == ["省教委"]
    assert "省科技厅" in {m.name for _, t in plan.tasks() for m in t.support}
    ids = {a.id for a in plan.agencies}
    assert "贵州省:省科技厅" in ids and "贵州省:省人力社保厅" in ids


def test_banner_of_inner_mongolia() -> None:
    plan = parse(rewrite("鄂托克旗", "旗", cite("内蒙古自治区", "鄂尔多斯市")))
    assert_placed(plan, Place("鄂托克旗", "county", "旗", "150624", "鄂尔多斯市", "内蒙古自治区"))
    assert_facts_unchanged(plan)
    assert "鄂托克旗:旗科协" in {a.id for a in plan.agencies}


def test_municipal_district() -> None:
    plan = parse(rewrite("岳麓区", "区", cite("湖南省", "长沙市")))
    assert_placed(plan, Place("岳麓区", "district", "市辖区", "430104", "长沙市", "湖南省"))
    assert_facts_unchanged(plan)


@pytest.mark.parametrize(("name", "word", "cited", "want"), [
    ("湘西土家族苗族自治州", "州", cite("湖南省"), Place("湘西土家族苗族自治州", "city", "自治州", "433100", None, "湖南省")),
    ("神农架林区", "区", cite("湖北省"), Place("神农架林区", "county", "林区", "429021", None, "湖北省")),
    ("六枝特区", "区", cite("贵州省", "六盘水市"), Place("六枝特区", "county", "特区", "520203", "六盘水市", "贵州省")),
    ("锡林郭勒盟", "盟", cite("内蒙古自治区"), Place("锡林郭勒盟", "city", "盟", "152500", None, "内蒙古自治区")),
], ids=["autonomous prefecture", "forestry district", "special district", "league"])
def test_other_kinds_of_unit(name: str, word: str, cited: str, want: Place) -> None:
    plan = parse(rewrite(name, word, cited))
    assert_placed(plan, want)
    assert_facts_unchanged(plan)


@pytest.mark.parametrize(("cited", "want"), [
    (cite("北京市"), Place("朝阳区", "district", "市辖区", "110105", None, "北京市")),
    (cite("吉林省", "长春市"), Place("朝阳区", "district", "市辖区", "220104", "长春市", "吉林省")),
], ids=["beijing", "changchun"])
def test_one_name_two_places_settled_by_the_plans_cited(cited: str, want: Place) -> None:
    plan = parse(rewrite("朝阳区", "区", cited))
    assert_placed(plan, want)
    assert_facts_unchanged(plan)


def test_one_name_two_places_unsettled_is_reported_without_code() -> None:
    plan = parse(rewrite("朝阳区", "区", None))
    j = plan.jurisdiction
    assert (j.name, j.level, j.code, j.key) == ("朝阳区", "district", None, "朝阳区")
    warning = next(w for w in plan.warnings if "朝阳区" in w)
    assert "ambiguous" in warning and "110105" in warning and "220104" in warning


def test_a_name_no_division_has_is_kept_and_reported() -> None:
    plan = parse(rewrite("宁碧岷县", "县", cite("甘肃省")))
    j = plan.jurisdiction
    assert (j.name, j.level, j.division, j.code, j.province) == ("宁碧岷县", "county", None, None, "甘肃省")
    assert any("宁碧岷县" in w and "no division" in w for w in plan.warnings)
    assert_facts_unchanged(plan)


@pytest.mark.parametrize(("seed", "code"), [
    ("000", "140431"), ("001", "621025"), ("002", "140900"), ("003", "361129"), ("004", "500230"),
])
def test_seed_places_carry_their_codes(seed: str, code: str) -> None:
    truth = EXPECTED[seed]
    path = next(SEEDS.glob(f"{truth.prefix}*.txt"))
    plan = parse(path.read_text("utf-8"), path.name)
    j = plan.jurisdiction
    assert (j.name, j.level, j.code) == (truth.name, truth.level, code)
    assert not [w for w in plan.warnings if "jurisdiction" in w]


def test_seed_codes_in_the_plan_json_of_parse() -> None:
    import json
    import subprocess
    import sys

    want = {"沁源县": "140431", "正宁县": "621025", "忻州市": "140900", "万年县": "361129", "丰都县": "500230"}
    paths = sorted(str(p) for p in SEEDS.glob("*.txt"))
    out = subprocess.run([sys.executable, "-m", "plangraph", "parse", "--json", *paths],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    places = {p["jurisdiction"]["name"]: p["jurisdiction"] for p in json.loads(out.stdout)}
    assert {name: j["code"] for name, j in places.items()} == want
    assert places["忻州市"]["division"] == "地级市" and places["丰都县"]["division"] == "县"
