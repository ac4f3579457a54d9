"""Agency kinds and action keys, checked against the names and headings of the five seed plans.

The name lists below were read from the seeds' responsibility clauses (（…牵头，…配合）,
（牵头单位：…，责任单位：…）, 牵头部门/配合部门 lines, 〔…按职责分工负责〕) and from 000's
leading-group member list. Every one of them must be in the curated table (not guessed), so a
new spelling in a new plan shows up as a guess rather than silently as a wrong kind.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from plangraph.graph.actions import action_key, action_title, actions_table, is_other
from plangraph.graph.kinds import (
    UNKNOWN,
    classify,
    kind_table,
    kinds_table,
    strip_prefix,
)

SEEDS = Path("/work/shared/seeds")

SEED_AGENCIES: dict[str, list[str]] = {
    # 沁源县 (Shanxi): （…牵头，…等单位配合）, members of the leading group
    "000": [
        "县教育局", "县科协", "县委宣传部", "团县委", "县妇联", "县工信局", "县发改和科技局",
        "县农业农村局", "县人社局", "县卫体局", "县自然资源局", "市生态环境局沁源分局", "县文旅局",
        "县应急管理局", "县气象局", "县防震减灾中心", "县融媒体中心", "县委组织部", "县总工会",
        "县民政局", "县委党校", "县财政局", "县全民科学素质工作领导小组", "各乡（镇）",
        "县防震减灾中心负责人", "各乡（镇）乡镇长",
    ],
    # 正宁县 (Gansu): 牵头部门：… / 配合部门：… lines
    "001": [
        "县教育局", "团县委", "县科协", "县委宣传部", "县科技局", "县农业农村局", "县总工会",
        "县人社局", "县民政局", "县卫健局", "县委组织部", "县财政局", "县工信局", "县发改局",
        "县应急局", "县全民科学素质纲要实施工作领导小组各成员单位",
    ],
    # 忻州市 (Shanxi): （…牵头，…等单位配合）, some names without the 市 prefix
    "002": [
        "市教育局", "市委宣传部", "市科协", "团市委", "市妇联", "妇联", "日报社", "市科技局",
        "市人社局", "市农业农村局", "市文旅局", "市卫健委", "市规划和自然资源局", "市生态环境局",
        "市应急局", "市气象局", "市乡村振兴局", "市总工会", "市发改委", "市民政局", "市委组织部",
        "市财政局",
    ],
    # 万年县 (Jiangxi): 〔牵头部门：…〕 and 〔…按职责分工负责〕
    "003": [
        "县教体局", "教体局", "县科协", "团县委", "县人社局", "县人力资源社会保障局", "县工信局",
        "县妇联", "县社科联", "县委宣传部", "县卫健委", "县文广新旅局", "县发改委", "县农业农村局",
        "县农业局", "县乡村振兴局", "县委组织部", "县委网信办", "县民政局", "县自然资源局",
        "县生态环境局", "县应急管理局", "县市场监管局", "县市场监管理局", "县林业局",
        "县现代农业产业园", "县总工会", "县国资委", "县高新区", "县财政局", "县公安局",
        "县大数据发展服务中心", "县融媒体中心", "县文联", "县水利局", "县商务局", "县气象局",
    ],
    # 丰都县 (Chongqing): （牵头单位：…，责任单位：…）
    "004": [
        "县教委", "县委宣传部", "县文化旅游委", "团县委", "县科协", "县人力社保局", "县民政局",
        "县科技局", "县财政局", "各乡镇（街道）", "县经济信息委", "县生态环境局", "县卫生健康委",
        "县妇联", "县气象局", "县农业农村委", "县规划和自然资源局", "县应急局", "县供销社",
        "县总工会", "县工商联", "县委组织部", "县民族宗教委", "县市场监管局", "县委老干部局",
        "县级各部门", "县委党校", "县发展改革委", "县规划自然资源局", "县交通局", "县水利局",
        "县应急管理局", "县融媒体中心", "县城市管理局",
    ],
}

SEED_ACTIONS: dict[str, list[tuple[str, str]]] = {
    "000": [
        ("（一）青少年科学素质提升行动", "youth"),
        ("（二）农民科学素质提升行动", "farmers"),
        ("（三）产业工人科学素质提升行动", "workers"),
        ("（四）老年人科学素质提升行动", "elderly"),
        ("（五）领导干部和公务员科学素质提升行动", "officials"),
        ("（一）科技资源科普化工程", "science_resources"),
        ("（二）科普信息化提升工程", "informatization"),
        ("（三）科普基础设施工程", "infrastructure"),
        ("（四）基层科普能力提升工程", "grassroots"),
        ("（五）科学素质省、市、县交流合作工程", "exchange"),
    ],
    "001": [
        ("（一）实施青少年科学素质提升行动", "youth"),
        ("(二) 实施农民科学素质提升行动", "farmers"),
        ("(三) 实施产业工人科学素质提升行动", "workers"),
        ("（四）实施老年人科学素质提升行动", "elderly"),
        ("（五）实施领导干部和公务员科学素质提升行动", "officials"),
        ("（一）实施科技资源科普化工程", "science_resources"),
        ("（二）实施科普信息化工程", "informatization"),
        ("（三）实施科普基础设施工程", "infrastructure"),
        ("（四）实施基层科普能力提升工程", "grassroots"),
        ("（五）实施科学素质交流合作工程", "exchange"),
    ],
    "002": [
        ("（一）青少年科学素质提升行动", "youth"),
        ("（二）农民科学素质提升行动", "farmers"),
        ("（三）产业工人科学素质提升行动", "workers"),
        ("（四）老年人科学素质提升行动", "elderly"),
        ("（五）领导干部和公务员科学素质提升行动", "officials"),
        ("（一）科技资源科普化工程", "science_resources"),
        ("（二）科普信息化提升工程", "informatization"),
        ("（三）科普基础设施工程", "infrastructure"),
        ("（四）基层科普能力提升工程", "grassroots"),
        ("（五）科学素质交流合作工程", "exchange"),
    ],
    "003": [
        ("（一）青少年科学素质提升行动", "youth"),
        ("（二）农民科学素质提升行动", "farmers"),
        ("（三）产业工人科学素质提升行动", "workers"),
        ("（四）老年人科学素质提升行动", "elderly"),
        ("（五）领导干部和公务员科学素质提升行动", "officials"),
        ("（一）科技资源科普化工程", "science_resources"),
        ("（二）科普信息化提升工程", "informatization"),
        ("（三）科普基础设施工程", "infrastructure"),
        ("（四）基层科普能力提升工程", "grassroots"),
        ("（五）科学素质交流合作工程", "exchange"),
    ],
    "004": [
        ("（一）实施青少年科学素质提升行动", "youth"),
        ("（二）实施农民科学素质提升行动", "farmers"),
        ("（三）实施产业工人科学素质提升行动", "workers"),
        ("（四）实施老年人科学素质提升行动", "elderly"),
        ("（五）实施领导干部和公务员科学素质提升行动", "officials"),
        ("（一）实施科普基础设施工程", "infrastructure"),
        ("（二）实施基层科普能力提升工程", "grassroots"),
        ("（三）实施科普信息化提升工程", "informatization"),
        ("（四）实施科普人才规模倍增工程", "talent"),
        ("（五）实施科学素质开放共享工程", "exchange"),
    ],
}


# --- the table ------------------------------------------------------------------------------


def test_table_is_versioned_and_complete() -> None:
    table = kind_table()
    assert table.version == 1
    assert table.updated == "2026-11-22"
    keys = [k.key for k in kinds_table()]
    assert len(keys) == len(set(keys))
    assert UNKNOWN in keys
    for kind in kinds_table():
        assert re.fullmatch(r"[a-z][a-z_]*", kind.key)
        assert kind.label and kind.label_en
    for stem, kinds in table.index.items():
        assert stem and kinds and set(kinds) <= set(keys), stem


@pytest.mark.parametrize(
    "key",
    ["education", "science_association", "propaganda", "organization_dept", "development_reform",
     "science_technology", "industry_it", "human_resources", "agriculture_rural", "health",
     "sports", "culture", "tourism", "media", "leading_group_members", "all_departments",
     "townships"],
)
def test_expected_kind_keys_exist(key: str) -> None:
    assert key in {k.key for k in kinds_table()}


# --- kinds that must line up across plans ---------------------------------------------------


@pytest.mark.parametrize("name", ["县教委", "县教育局", "县教体局", "市教育局", "教体局"])
def test_education_authorities_share_a_kind(name: str) -> None:
    result = classify(name)
    assert "education" in result.kinds
    assert not result.guessed


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("县发改和科技局", {"development_reform", "science_technology"}),
        ("县卫体局", {"health", "sports"}),
        ("县文广新旅局", {"culture", "radio_tv", "press_publication", "tourism"}),
        ("县教体局", {"education", "sports"}),
        ("县文化旅游委", {"culture", "tourism"}),
        ("县文旅局", {"culture", "tourism"}),
    ],
)
def test_merged_bodies_have_each_kind(name: str, expected: set[str]) -> None:
    result = classify(name)
    assert set(result.kinds) == expected
    assert not result.guessed


@pytest.mark.parametrize(
    ("names", "kind"),
    [
        (["县科协", "市科协"], "science_association"),
        (["县委宣传部", "市委宣传部"], "propaganda"),
        (["县委组织部", "市委组织部"], "organization_dept"),
        (["县人社局", "县人力资源社会保障局", "县人力社保局"], "human_resources"),
        (["县应急管理局", "县应急局", "市应急局"], "emergency"),
        (["县规划和自然资源局", "县规划自然资源局", "县自然资源局"], "natural_resources"),
        (["县卫健委", "县卫健局", "县卫生健康委", "市卫健委"], "health"),
        (["县发改委", "县发改局", "县发展改革委"], "development_reform"),
        (["县工信局", "县经济信息委"], "industry_it"),
        (["县农业农村局", "县农业农村委", "县农业局"], "agriculture_rural"),
        (["团县委", "团市委"], "youth_league"),
        (["县妇联", "妇联", "市妇联"], "womens_federation"),
        (["县融媒体中心", "日报社"], "media"),
        (["县市场监管局", "县市场监管理局"], "market_regulation"),
    ],
)
def test_spellings_of_one_kind(names: list[str], kind: str) -> None:
    for name in names:
        result = classify(name)
        assert result.kinds == [kind], name
        assert not result.guessed, name


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("县全民科学素质纲要实施工作领导小组各成员单位", "leading_group_members"),
        ("县级各部门", "all_departments"),
        ("各乡镇（街道）", "townships"),
        ("各乡镇(街道)", "townships"),
        ("各乡（镇）", "townships"),
        ("县全民科学素质工作领导小组", "leading_group"),
    ],
)
def test_group_references(name: str, kind: str) -> None:
    result = classify(name)
    assert result.kinds == [kind]
    assert result.is_group
    assert not result.guessed


# --- every seed name is in the table --------------------------------------------------------


@pytest.mark.parametrize(
    ("seed", "name"), [(seed, n) for seed, names in SEED_AGENCIES.items() for n in names]
)
def test_seed_agency_names_are_known(seed: str, name: str) -> None:
    result = classify(name)
    assert result.kinds and UNKNOWN not in result.kinds, (seed, name)
    assert not result.guessed, (seed, name, result)


def _clause_names(text: str) -> set[str]:
    """A loose scan of a seed's clauses, to notice names the lists above may have missed."""
    clauses = [
        m.group(1)
        for m in re.finditer(r"[（(〔]((?:[^（）()〔〕]|（[^（）]*）)*)[）)〕]", text)
        if re.match(r"(牵头|县|市|团|教体局|妇联)", m.group(1))
        and re.search(r"牵头|配合|责任单位|按职责分工", m.group(1))
    ]
    clauses += re.findall(r"^(?:牵头部门|配合部门)\s*[:：](.*)$", text, re.M)
    clauses += re.findall(r"成\s*员[:：](.*)", text)
    cleaned = (
        re.sub(r"牵头单位[:：]|责任单位[:：]|牵头部门[:：]|按职责分工负责|按职责分工|牵头|配合", "、", c)
        for c in clauses
    )
    return {n.strip() for c in cleaned for n in re.split(r"[、，,；]", c) if n.strip()}


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seed plans not available")
@pytest.mark.parametrize("seed", sorted(SEED_AGENCIES))
def test_seed_lists_cover_the_seed_clauses(seed: str) -> None:
    path = next(SEEDS.glob(f"{seed}_*.txt"))
    found = _clause_names(path.read_text("utf-8-sig"))
    for name in sorted(found):
        result = classify(name)
        assert not result.guessed, (seed, name, result)


# --- prefix stripping -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("县科协", "科协"),
        ("市教育局", "教育局"),
        ("妇联", "妇联"),
        ("团县委", "团委"),
        ("团市委", "团委"),
        ("县委宣传部", "宣传部"),
        ("县委党校", "党校"),
        ("市场监管局", "市场监管局"),
        ("县市场监管局", "市场监管局"),
        ("丰都县科协", "科协"),
        ("忻州市教育局", "教育局"),
        ("市生态环境局沁源分局", "生态环境局"),
    ],
)
def test_strip_prefix(name: str, stem: str) -> None:
    assert strip_prefix(name) == stem


def test_branch_office_keeps_its_place() -> None:
    result = classify("市生态环境局沁源分局", jurisdiction="沁源县")
    assert result.kinds == ["ecology_environment"]
    assert result.branch == "沁源"
    assert not result.guessed


def test_jurisdiction_name_is_stripped() -> None:
    assert classify("丰都县人力社保局", jurisdiction="丰都县").kinds == ["human_resources"]
    assert strip_prefix("丰都县实施全民科学素质行动规划纲要办公室", "丰都县").startswith("实施")


def test_noise_and_traditional_characters() -> None:
    assert classify("县妇联等").kinds == ["womens_federation"]
    assert classify("縣衛生健康委").kinds == ["health"]
    assert classify(" 县 科协 ").kinds == ["science_association"]


# --- guessing -------------------------------------------------------------------------------


def test_unknown_name_is_guessed_unknown() -> None:
    result = classify("县宇宙探索局")
    assert result.guessed
    assert result.kinds == [UNKNOWN]
    assert result.is_unknown
    assert result.stem == "宇宙探索局"


@pytest.mark.parametrize(
    ("name", "kinds"),
    [
        ("县网络安全和信息化局", ["cyberspace"]),
        ("县卫生和体育局", ["health", "sports"]),
        ("县人社和医保局", ["human_resources", "medical_insurance"]),
        ("县文体广旅局", ["culture", "sports", "radio_tv", "tourism"]),
        ("县农业和科技局", ["agriculture_rural", "science_technology"]),
        ("县教育服务中心", ["education"]),
    ],
)
def test_unlisted_names_get_a_sensible_guess(name: str, kinds: list[str]) -> None:
    result = classify(name)
    assert result.guessed
    assert result.kinds == kinds


@pytest.mark.parametrize(
    ("name", "kinds"),
    [
        ("区公安局", ["public_security"]),
        ("县司法局", ["justice"]),
        ("县住建委", ["housing_construction"]),
        ("县统计局", ["statistics"]),
        ("县审计局", ["audit"]),
        ("县医保局", ["medical_insurance"]),
        ("县退役军人事务局", ["veterans"]),
        ("县残联", ["disabled_persons"]),
        ("县地震局", ["earthquake"]),
        ("县委网信办", ["cyberspace"]),
        ("县体育局", ["sports"]),
        ("县林业局", ["forestry"]),
        ("县国资委", ["state_assets"]),
        ("县高新区", ["development_zone"]),
        ("县现代农业产业园", ["development_zone", "agriculture_rural"]),
    ],
)
def test_common_names_beyond_the_seeds(name: str, kinds: list[str]) -> None:
    result = classify(name)
    assert result.kinds == kinds
    assert not result.guessed


# --- action keys ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "key"), [pair for pairs in SEED_ACTIONS.values() for pair in pairs]
)
def test_seed_action_titles(heading: str, key: str) -> None:
    assert action_key(heading) == key
    assert action_key(action_title(heading)) == key


@pytest.mark.parametrize("seed", sorted(SEED_ACTIONS))
def test_each_seed_has_ten_distinct_keys(seed: str) -> None:
    keys = [action_key(h) for h, _ in SEED_ACTIONS[seed]]
    assert len(set(keys)) == 10


@pytest.mark.parametrize(
    ("title", "key"),
    [
        ("（五）科学素质省、市、县交流合作工程", "exchange"),
        ("实施科学素质开放共享工程", "exchange"),
        ("实施科普人才规模倍增工程", "talent"),
        ("科普信息化提升工程", "informatization"),
        ("(二) 实施农民科学素质提升行动", "farmers"),
        ("实施未成年人科学素质行动", "youth"),
        ("实施城镇劳动者科学素质行动", "workers"),
        ("实施科学素质国际交流合作工程", "exchange"),
        ("實施科普信息化工程", "informatization"),
    ],
)
def test_action_title_wordings(title: str, key: str) -> None:
    assert action_key(title) == key


def test_unmatched_action_title() -> None:
    assert action_key("（三）宇宙探索工程") == "other:宇宙探索工程"
    assert is_other(action_key("（三）宇宙探索工程"))
    assert action_key("") == "other"
    assert not is_other("youth")


def test_action_table() -> None:
    keys = [a.key for a in actions_table()]
    for key in ["youth", "farmers", "workers", "elderly", "officials", "science_resources",
                "informatization", "infrastructure", "grassroots", "talent", "exchange"]:
        assert key in keys
    assert all(a.label and a.label_en and a.keywords for a in actions_table())
