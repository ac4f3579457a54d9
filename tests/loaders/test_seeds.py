"""Ground truth for the five seed plans in ``../shared/seeds``.

Every expected value below was written by reading the plans themselves (their "提升行动" and
"重点工程" parts), following ``../shared/spec/extraction.md`` and ``plan-json.md``; none was copied
from parser output. Tests read the seed files at run time; they only quote agency names and
task / action titles.

Conventions encoded here (from the spec):
- action title = heading without its number, as written; actions are numbered through the plan,
  tasks within their action (004 numbers its tasks 1..34 through the whole plan, but ``Task.seq``
  restarts at 1 in every action);
- task title = the first sentence up to the first "。", without number or dash;
- roles follow the clause form: "A、B牵头，C、D等单位配合" -> lead/support;
  "牵头单位：A，责任单位：C" -> lead/support; "牵头部门：A" / "配合部门：C" lines -> lead/support;
  "〔A、B，C、D按职责分工负责〕" (full-width "，") -> lead/support; "〔A、B按职责分工负责〕" (no split)
  -> responsible; "〔牵头部门：A、B〕" closing an action's intro paragraph -> ``Action.leads``;
- names are as written after removing 等单位 / 等 / 按职责分工负责 / 按职责分工 (and typos like
  等党委); a name repeated within one list is kept once (the first);
- group references ("…领导小组各成员单位", "县级各部门", "各乡镇（街道）") are mentions whose agency has
  ``is_group=True``.

Edge counts ("lead edges" etc.) are the number of Mention objects over all tasks' role lists; the
action-level ``Action.leads`` are counted separately.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from plangraph.loaders import parse_file

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO.parent / "shared" / "seeds"

ROLES = ("lead", "support", "responsible")


# --------------------------------------------------------------------------------------------
# The expected data
# --------------------------------------------------------------------------------------------


def names(s: str) -> list[str]:
    """A "、"-joined list of names (no name in the seeds contains "、")."""
    return s.split("、") if s else []


@dataclass
class ET:  # expected task
    title: str
    lead: list[str]
    support: list[str]
    responsible: list[str]


def T(title: str, lead: str = "", support: str = "", responsible: str = "") -> ET:
    return ET(title, names(lead), names(support), names(responsible))


@dataclass
class EA:  # expected action
    key: str
    title: str
    tasks: list[ET]
    leads: list[str] = field(default_factory=list)  # action-level leads (003 only)


@dataclass
class ES:  # expected seed
    prefix: str
    name: str
    level: str
    province: str | None | tuple  # a tuple means "any of these" (the text is not explicit)
    parent_city: str | None | tuple
    period: str
    target: float
    actions: list[EA]
    tasks_per_action: list[int]
    lead_edges: int
    support_edges: int
    responsible_edges: int
    action_lead_edges: int


# ---- 000 沁源县 ------------------------------------------------------------------------------
# No title line: the name is in the first paragraph ("十四五”时期沁源县全民科学素质工作"). It cites
# 山西省's and 长治市's plans (2021—2025年). Target "比例达到14.5%".
# Layout: "1." numbered paragraphs, numbering restarts per action; clause
# "（A、B牵头，C、D等单位配合）" at the end of each task. 重点工程（五） has no numbered task:
# its only paragraph carries a clause, so it is one task titled by its first sentence.
# Per action (tasks: lead / support), responsible is 0 everywhere:
#   1 youth            5 tasks: lead 2+2+2+2+2=10        support 3+6+11+10+4=34
#   2 farmers          3 tasks: lead 2+2+2=6             support 11+7+13=31
#   3 workers          4 tasks: lead 2+2+2+2=8           support 8+11+8+5=32
#   4 elderly          3 tasks: lead 3+3+3=9             support 9+8+8=25
#   5 officials        4 tasks: lead 2+2+1+1=6           support 10+9+7+11=37
#   6 science_resources 3 tasks: lead 1+2+1=4            support 10+8+9=27
#   7 informatization  3 tasks: lead 2+2+1=5             support 12+10+7=29
#   8 infrastructure   2 tasks: lead 1+2=3               support 6+10=16  ("县气象局等党委配合": typo)
#   9 grassroots       4 tasks: lead 1+1+1+1=4           support 10+15+10+12=47
#  10 exchange         1 task:  lead 1                   support 15
#   total: 32 tasks, lead 56, support 293, responsible 0; action-level leads 0.
S000 = ES(
    prefix="000_",
    name="沁源县",
    level="county",
    province="山西省",
    parent_city="长治市",
    period="2021-2025",
    target=14.5,
    tasks_per_action=[5, 3, 4, 3, 4, 3, 3, 2, 4, 1],
    lead_edges=56,
    support_edges=293,
    responsible_edges=0,
    action_lead_edges=0,
    actions=[
        EA("youth", "青少年科学素质提升行动", [
            T("引领青少年弘扬科学精神", "县教育局、县科协", "县委宣传部、团县委、县妇联"),
            T("提升青少年科学教育水平", "县教育局、县科协",
              "县工信局、县发改和科技局、县农业农村局、县人社局、团县委、县妇联"),
            T("拓展青少年科学教育方式", "县教育局、县科协",
              "县发改和科技局、团县委、县卫体局、县农业农村局、县自然资源局、市生态环境局沁源分局、"
              "县文旅局、县应急管理局、县工信局、县气象局、县防震减灾中心"),
            T("建立校内外科学教育资源衔接机制", "县教育局、县科协",
              "县发改和科技局、县卫体局、县农业农村局、县自然资源局、市生态环境局沁源分局、县文旅局、"
              "县应急管理局、县工信局、县气象局、县防震减灾中心"),
            T("实施科技创新后备人才培育计划", "县教育局、县科协",
              "县委宣传部、县发改和科技局、县融媒体中心、团县委"),
        ]),
        EA("farmers", "农民科学素质提升行动", [
            T("全面树立科学思想理念", "县农业农村局、县科协",
              "县委宣传部、县发改和科技局、县教育局、县自然资源局、市生态环境局沁源分局、县文旅局、"
              "县卫体局、县融媒体中心、县妇联、团县委、县应急管理局"),
            T("开展科技助力乡村振兴行动", "县农业农村局、县发改和科技局",
              "县科协、县教育局、县人社局、县自然资源局、市生态环境局沁源分局、县文旅局、县应急管理局"),
            T("大力培育高素质农民", "县农业农村局、县科协",
              "县委组织部、县委宣传部、县发改和科技局、县教育局、县人社局、县妇联、县卫体局、"
              "县自然资源局、市生态环境局沁源分局、县文旅局、县应急管理局、县气象局、县防震减灾中心"),
        ]),
        EA("workers", "产业工人科学素质提升行动", [
            T("开展职业精神培育", "县总工会、县工信局",
              "县委宣传部、县教育局、县融媒体中心、县发改和科技局、县人社局、县科协、团县委、县妇联"),
            T("加快职业技能提升", "县人社局、县工信局",
              "县总工会、县科协、团县委、县妇联、县委宣传部、县教育局、县卫体局、县发改和科技局、"
              "市生态环境局沁源分局、县应急管理局、县融媒体中心"),
            T("加强职业技能创新", "县总工会、县工信局",
              "县发改和科技局、县教育局、县人社局、县卫体局、市生态环境局沁源分局、县应急管理局、"
              "县融媒体中心、县科协"),
            T("汇聚科学素质提升合力", "县科协、县总工会",
              "县工信局、县教育局、县发改和科技局、县人社局、县融媒体中心"),
        ]),
        EA("elderly", "老年人科学素质提升行动", [
            T("开展智慧助老行动", "县科协、县民政局、县卫体局",
              "县委宣传部、市生态环境局沁源分局、县应急管理局、县文旅局、县气象局、县融媒体中心、"
              "县总工会、县妇联、县防震减灾中心"),
            T("开展健康科普活动", "县科协、县民政局、县卫体局",
              "县委宣传部、市生态环境局沁源分局、县应急管理局、县文旅局、县气象局、县融媒体中心、"
              "县总工会、县妇联"),
            T("开展银龄科普行动", "县科协、县民政局、县卫体局",
              "县发改和科技局、县农业农村局、县人社局、县总工会、县妇联、县委宣传部、县融媒体中心、"
              "县应急管理局"),
        ]),
        EA("officials", "领导干部和公务员科学素质提升行动", [
            T("牢固树立新发展理念", "县委组织部、县科协",
              "县委宣传部、县发改和科技局、县人社局、县农业农村局、县卫体局、市生态环境局沁源分局、"
              "县自然资源局、县文旅局、县应急管理局、县工信局"),
            T("加强科学素质教育培训", "县委组织部、县科协",
              "县委党校、县发改和科技局、县教育局、县人社局、县自然资源局、县应急管理局、县总工会、"
              "县卫体局、县工信局"),
            T("不断丰富学习形式", "县科协",
              "县委组织部、县委宣传部、县委党校、县发改和科技局、县教育局、县人社局、县卫体局"),
            T("完善考核激励机制", "县委组织部",
              "县发改和科技局、县教育局、县农业农村局、县人社局、县科协、县卫体局、市生态环境局沁源分局、"
              "县应急管理局、县工信局、县融媒体中心、县自然资源局"),
        ]),
        EA("science_resources", "科技资源科普化工程", [
            T("建立完善科技资源科普化机制", "县发改和科技局",
              "县教育局、县财政局、县人社局、县农业农村局、县卫体局、县应急管理局、市生态环境局沁源分局、"
              "县自然资源局、县科协、县工信局"),
            T("实施科技资源科普化专项行动", "县发改和科技局、县教育局",
              "县农业农村局、县卫体局、县应急管理局、市生态环境局沁源分局、县自然资源局、县融媒体中心、"
              "县科协、县工信局"),
            T("强化科技工作者的社会责任", "县科协",
              "县委宣传部、县发改和科技局、县教育局、县农业农村局、县卫体局、县应急管理局、"
              "市生态环境局沁源分局、县自然资源局、县融媒体中心"),
        ]),
        EA("informatization", "科普信息化提升工程", [
            T("强化科普创作资助", "县委宣传部、县科协",
              "县融媒体中心、县发改和科技局、县教育局、县卫体局、县文旅局、县工信局、县农业农村局、"
              "县应急管理局、市生态环境局沁源分局、县自然资源局、县气象局、县防震减灾中心"),
            T("提升全媒体科学传播能力", "县委宣传部、县科协",
              "县融媒体中心、县文旅局、县发改和科技局、县教育局、县农业农村局、县卫体局、县应急管理局、"
              "市生态环境局沁源分局、县气象局、县防震减灾中心"),
            T("推进科普数字化发展", "县科协",
              "县融媒体中心、县文旅局、县发改和科技局、县委宣传部、县教育局、县工信局、县农业农村局"),
        ]),
        EA("infrastructure", "科普基础设施工程", [
            # clause ends "县气象局等党委配合": "等党委" is a typo of "等单位", not part of the name
            T("推进科技场馆建设", "县科协",
              "县财政局、县发改和科技局、县教育局、县农业农村局、县应急管理局、县气象局"),
            T("强化科普基地建设", "县科协、县发改和科技局",
              "县财政局、县教育局、县农业农村局、县卫体局、县应急管理局、市生态环境局沁源分局、县气象局、"
              "县工信局、县文旅局、县防震减灾中心"),
        ]),
        EA("grassroots", "基层科普能力提升工程", [
            T("建立应急科普宣教协同机制", "县科协",
              "县应急管理局、县委宣传部、县发改和科技局、县卫体局、县气象局、县防震减灾中心、"
              "县融媒体中心、县人社局、县教育局、县妇联"),
            T("完善基层科普服务体系", "县科协",
              "县委宣传部、县发改和科技局、县教育局、县卫体局、县自然资源局、市生态环境局沁源分局、"
              "县应急管理局、县文旅局、县气象局、县融媒体中心、县工信局、县农业农村局、县总工会、团县委、"
              "县妇联"),
            T("强化基层科普服务能力", "县科协",
              "县发改和科技局、县教育局、县农业农村局、县卫体局、县自然资源局、市生态环境局沁源分局、"
              "县应急管理局、县文旅局、县气象局、县防震减灾中心"),
            T("加强专职科普队伍建设", "县科协",
              "县委宣传部、县发改和科技局、县教育局、县人社局、县工信局、县农业农村局、县卫体局、"
              "县自然资源局、市生态环境局沁源分局、县应急管理局、县气象局、县防震减灾中心"),
        ]),
        EA("exchange", "科学素质省、市、县交流合作工程", [
            # the action's only paragraph carries the clause: one task titled by its first sentence
            T("拓展省、市、县科技人文交流渠道，深入开展科学教育、传播和普及合作项目，促进科普产品交流交易",
              "县科协",
              "县委宣传部、县教育局、县发改和科技局、县工信局、县农业农村局、县卫体局、"
              "市生态环境局沁源分局、县自然资源局、县应急管理局、县文旅局、县融媒体中心、县气象局、"
              "县防震减灾中心、团县委、县妇联"),
        ]),
    ],
)

# ---- 001 正宁县 ------------------------------------------------------------------------------
# PDF text: "1. title。…" paragraphs, each followed by two lines "牵头部门：…" / "配合部门：…" (one
# of them with half-width ":"), page breaks mid-sentence, and two stray "位" lines (after 2.3's
# and 4.1's clauses). Period "（2022—2025年）", target "比例达到 12% 以上". It names 甘肃省 only through
# 《甘肃省科学技术条例》 and never names its city (庆阳市).
# Every task's support is the one group "县全民科学素质纲要实施工作领导小组各成员单位".
# The last action (交流合作工程) has three tasks and one clause after the third: it applies to all
# three (shared clause).
# Per action (lead / support), responsible 0:
#   1 youth            5 tasks: lead 2+1+2+1+1=7   support 5
#   2 farmers          3 tasks: lead 3+3+2=8       support 3
#   3 workers          3 tasks: lead 1+2+2=5       support 3
#   4 elderly          3 tasks: lead 1+2+1=4       support 3
#   5 officials        3 tasks: lead 1+2+2=5       support 3
#   6 science_resources 3 tasks: lead 2+2+2=6      support 3
#   7 informatization  3 tasks: lead 1+1+1=3       support 3
#   8 infrastructure   3 tasks: lead 2+1+2=5       support 3
#   9 grassroots       4 tasks: lead 1+1+2+1=5     support 4
#  10 exchange         3 tasks: lead 2+2+2=6       support 3   (shared clause)
#   total: 33 tasks, lead 54, support 33, responsible 0; action-level leads 0.
G001 = "县全民科学素质纲要实施工作领导小组各成员单位"
S001 = ES(
    prefix="001_",
    name="正宁县",
    level="county",
    # only "《甘肃省科学技术条例》" names the province; the city is never named. Accept "not given" or
    # the true value, never anything else.
    province=(None, "甘肃省"),
    parent_city=(None, "庆阳市"),
    period="2022-2025",
    target=12.0,
    tasks_per_action=[5, 3, 3, 3, 3, 3, 3, 3, 4, 3],
    lead_edges=54,
    support_edges=33,
    responsible_edges=0,
    action_lead_edges=0,
    actions=[
        EA("youth", "实施青少年科学素质提升行动", [
            T("弘扬科学精神和科学家精神", "县教育局、团县委", G001),
            T("加强基础教育阶段的科技教育", "县教育局", G001),
            T("大力开展校内外结合的科技教育活动", "县教育局、县科协", G001),
            T("发现培育一批具备科学家潜质的青少年群体", "县教育局", G001),
            T("加强中小学科技教师队伍建设", "县教育局", G001),
        ]),
        EA("farmers", "实施农民科学素质提升行动", [  # heading "(二) 实施…" (half-width brackets)
            T("开展形式多样的农村科普活动", "县委宣传部、县科技局、县科协", G001),
            T("开展高素质农民培训", "县农业农村局、县科技局、县科协", G001),
            T("实施乡村振兴科技支撑行动", "县农业农村局、县科技局", G001),
        ]),
        EA("workers", "实施产业工人科学素质提升行动", [
            T("开展理想信念和职业精神宣传教育", "县总工会", G001),
            T("实施职业技能提升行动", "县人社局、县总工会", G001),
            T("实施技能创新行动", "县科技局、县人社局", G001),
        ]),
        EA("elderly", "实施老年人科学素质提升行动", [
            T("实施智慧助老行动", "县民政局", G001),
            T("加强老年人健康科普服务", "县卫健局、县科协", G001),
            T("实施银龄科普行动", "县科协", G001),
        ]),
        EA("officials", "实施领导干部和公务员科学素质提升行动", [
            T("加强领导干部和公务员科学素质教育培训", "县委组织部", G001),
            T("考核录用中体现科学素质要求", "县委组织部、县人社局", G001),
            # a one-sentence paragraph: the title is the whole sentence
            T("鼓励领导干部和公务员带头参与科普活动，宣传科技政策和科技知识，"
              "为推动形成崇尚科学、积极创新的社会氛围作出贡献", "县委组织部、县人社局", G001),
        ]),
        EA("science_resources", "实施科技资源科普化工程", [
            T("建立完善科技资源科普化机制", "县人社局、县财政局", G001),
            T("实施科技资源科普化专项行动", "县科技局、县工信局", G001),
            T("强化科技工作者的社会责任", "县科技局、县科协", G001),
        ]),
        EA("informatization", "实施科普信息化工程", [
            T("开展全媒体科普行动", "县委宣传部", G001),
            T("推动科普创作", "县科协", G001),
            T("强化科普信息的落地应用", "县科协", G001),
        ]),
        EA("infrastructure", "实施科普基础设施工程", [
            T("加强科普场馆体系建设", "县发改局、县科协", G001),
            T("推动科普资源联动融合", "县科协", G001),
            T("加强科普基地建设", "县科协、县科技局", G001),
        ]),
        EA("grassroots", "实施基层科普能力提升工程", [
            T("建立应急科普宣教协同机制", "县应急局", G001),
            T("健全基层科普服务体系", "县科协", G001),
            T("加强基层科普服务能力建设", "县科技局、县科协", G001),
            T("加强专职科普队伍建设", "县科协", G001),
        ]),
        EA("exchange", "实施科学素质交流合作工程", [
            # one clause after task 3 applies to tasks 1-3
            T("拓展科技人文交流渠道", "县科技局、县科协", G001),
            T("丰富合作内容", "县科技局、县科协", G001),
            T("搭建合作平台", "县科技局、县科协", G001),
        ]),
    ],
)

# ---- 002 忻州市 ------------------------------------------------------------------------------
# City plan; cites 《山西省全民科学素质行动规划纲要实施方案（2021-2025年）》. Target 14.5%.
# Plain paragraphs (some indented with spaces), first sentence = title, clause
# "（A牵头，B、C等单位配合）" (once followed by a stray "。"). 交流合作工程 is one paragraph = one task.
# "妇联" (youth task 4) is 市妇联 without prefix. "日报社" is written so throughout.
# Per action (lead / support), responsible 0:
#   1 youth            6 tasks: lead 1+1+1+2+2+1=8   support 4+5+5+5+9+3=31
#   2 farmers          3 tasks: lead 1+1+1=3         support 13+12+8=33
#   3 workers          3 tasks: lead 1+1+1=3         support 7+9+11=27
#   4 elderly          3 tasks: lead 1+2+2=5         support 8+8+7=23
#   5 officials        3 tasks: lead 1+1+1=3         support 10+8+11=29
#   6 science_resources 3 tasks: lead 1+1+1=3        support 10+8+11=29
#   7 informatization  3 tasks: lead 2+2+1=5         support 10+10+4=24
#   8 infrastructure   3 tasks: lead 2+1+2=5         support 3+11+10=24
#   9 grassroots       5 tasks: lead 1+3+1+1+1=7     support 9+8+12+9+11=49
#  10 exchange         1 task:  lead 1               support 13
#   total: 33 tasks, lead 43, support 282, responsible 0; action-level leads 0.
S002 = ES(
    prefix="002_",
    name="忻州市",
    level="city",
    province="山西省",
    parent_city=None,
    period="2021-2025",
    target=14.5,
    tasks_per_action=[6, 3, 3, 3, 3, 3, 3, 3, 5, 1],
    lead_edges=43,
    support_edges=282,
    responsible_edges=0,
    action_lead_edges=0,
    actions=[
        EA("youth", "青少年科学素质提升行动", [
            T("实施科学家精神进校园行动", "市教育局", "市委宣传部、市科协、团市委、市妇联"),
            T("提升基础教育阶段科学教育水平", "市教育局",
              "市科协、市科技局、市人社局、市农业农村局、团市委"),
            T("推进高等教育阶段科学教育和科普工作", "市教育局",
              "市科协、市科技局、市人社局、市农业农村局、团市委"),
            T("实施科技创新后备人才培育计划", "市科协、市教育局",
              "市委宣传部、市科技局、团市委、妇联、日报社"),
            T("建立校内外科学教育资源有效衔接机制", "市教育局、市科协",
              "市科技局、市文旅局、市卫健委、市农业农村局、市规划和自然资源局、市生态环境局、市应急局、"
              "市气象局、市妇联"),
            T("实施教师科学素质提升工程", "市教育局", "市科协、市科技局、市农业农村局"),
        ]),
        EA("farmers", "农民科学素质提升行动", [
            T("树立相信科学、和谐理性的思想观念", "市农业农村局",
              "市乡村振兴局、市委宣传部、市科协、市科技局、市教育局、市规划和自然资源局、市生态环境局、"
              "市文旅局、市卫健委、市应急局、日报社、团市委、市妇联"),
            T("大力开展高素质农民培育计划", "市农业农村局",
              "市科协、市乡村振兴局、市科技局、市教育局、市人社局、市妇联、市卫健委、市规划和自然资源局、"
              "市生态环境局、市文旅局、市应急局、市气象局"),
            T("实施乡村振兴科技支撑行动", "市农业农村局",
              "市乡村振兴局、市科技局、市科协、市教育局、市人社局、市规划和自然资源局、市生态环境局、"
              "市文旅局"),
        ]),
        EA("workers", "产业工人科学素质提升行动", [
            T("开展理想信念和职业精神宣传教育", "市总工会",
              "市委宣传部、市科技局、市人社局、日报社、市科协、团市委、市妇联"),
            T("实施技能中国创新行动", "市总工会",
              "市发改委、市科技局、市教育局、市人社局、市卫健委、市生态环境局、日报社、团市委、市科协"),
            T("实施职业技能和科学素质双提升行动", "市人社局",
              "市委宣传部、市教育局、市科技局、市卫健委、市生态环境局、市应急局、日报社、团市委、"
              "市总工会、市妇联、市科协"),
        ]),
        EA("elderly", "老年人科学素质提升行动", [
            T("实施智慧助老行动", "市民政局",
              "市委宣传部、市卫健委、市生态环境局、市应急局、市气象局、市总工会、市妇联、市科协"),
            T("加强老年人健康科普服务", "市卫健委、市民政局",
              "市科协、市委宣传部、市生态环境局、市应急局、市文旅局、日报社、市总工会、市妇联"),
            T("实施银龄科普行动", "市民政局、市科协",
              "市卫健委、市科技局、市生态环境局、市应急局、市气象局、日报社、市妇联"),
        ]),
        EA("officials", "领导干部和公务员科学素质提升行动", [
            T("深入贯彻落实新发展理念", "市委组织部",
              "市委宣传部、市人社局、市科协、市科技局、市发改委、市农业农村局、市生态环境局、"
              "市规划和自然资源局、市文旅局、市应急局"),
            T("加强科学素质教育培训", "市委组织部",
              "市科技局、市科协、市农业农村局、市文旅局、市卫健委、市生态环境局、市规划和自然资源局、"
              "市应急局"),
            T("在领导干部考核和公务员录用中落实科学素质要求", "市委组织部",
              "市人社局、市科技局、市教育局、市农业农村局、市卫健委、市生态环境局、市规划和自然资源局、"
              "市应急局、市发改委、日报社、市科协"),
        ]),
        EA("science_resources", "科技资源科普化工程", [
            T("建立完善科技资源科普化机制", "市科技局",
              "市人社局、市发改委、市财政局、市教育局、市农业农村局、市卫健委、市应急局、市生态环境局、"
              "市规划和自然资源局、市科协"),
            T("推动科技资源面向大众普惠机制", "市科技局",
              "市农业农村局、市应急局、市生态环境局、市规划和自然资源局、市卫健委、日报社、市教育局、"
              "市科协"),
            T("强化科技工作者的社会责任", "市科协",
              "市委宣传部、市科技局、市教育局、市农业农村局、市卫健委、市应急局、市生态环境局、"
              "市规划和自然资源局、市总工会、市妇联、日报社"),
        ]),
        EA("informatization", "科普信息化提升工程", [
            T("实施繁荣科普创作资助计划", "市委宣传部、市科协",
              "日报社、市科技局、市教育局、市卫健委、市文旅局、市农业农村局、市应急局、市生态环境局、"
              "市规划和自然资源局、市气象局"),
            T("实施全媒体科学传播能力提升计划", "市委宣传部、市科协",
              "日报社、市科技局、市教育局、市卫健委、市应急局、市规划和自然资源局、市生态环境局、"
              "市文旅局、市农业农村局、市气象局"),
            T("实施智慧科普建设工程", "市科协", "日报社、市科技局、市教育局、市农业农村局"),
        ]),
        EA("infrastructure", "科普基础设施工程", [
            T("加强科普基础设施的统筹规划使用", "市科协、市财政局", "市发改委、市科技局、市教育局"),
            T("建设现代科技馆体系", "市科协",
              "市发改委、市财政局、市科技局、市教育局、市农业农村局、市卫健委、市应急局、市生态环境局、"
              "市规划和自然资源局、市文旅局、市气象局"),
            T("大力加强科普基地建设", "市科协、市科技局",
              "市发改委、市财政局、市教育局、市农业农村局、市卫健委、市应急局、市生态环境局、"
              "市规划和自然资源局、市文旅局、市气象局"),
        ]),
        EA("grassroots", "基层科普能力提升工程", [
            T("广泛开展群众性经常性科普活动", "市科协",
              "市科技局、市教育局、市农业农村局、市卫健委、市规划和自然资源局、市生态环境局、市应急局、"
              "市文旅局、市气象局"),
            T("建立应急科普宣教协同机制", "市科协、市委宣传部、市应急局",
              "市人社局、市教育局、市科技局、市卫健委、市气象局、日报社、团市委、市妇联"),
            T("完善基层科普服务体系", "市科协",
              "市委宣传部、市教育局、市科技局、市农业农村局、市卫健委、市规划和自然资源局、市生态环境局、"
              "市应急局、市文旅局、市总工会、团市委、市妇联"),
            T("提升基层科普服务能力", "市科协",
              "市科技局、市教育局、市农业农村局、市卫健委、市规划和自然资源局、市生态环境局、市应急局、"
              "市文旅局、市气象局"),
            T("加强专职科普队伍建设", "市科协",
              "市委宣传部、市教育局、市人社局、市科技局、市农业农村局、市卫健委、市规划和自然资源局、"
              "市生态环境局、市应急局、市气象局、日报社"),
        ]),
        EA("exchange", "科学素质交流合作工程", [
            # the action's only paragraph carries the clause: one task titled by its first sentence
            T("聚焦应对未来发展、粮食安全、能源安全、人类健康、灾害风险、气候变化等人类可持续发展共同挑战，"
              "组织开展各类科学素质交流，积极参与全省及发达地区关于青少年、妇女、老年人和教育、媒体、"
              "文化等领域科技人文交流和科学素质活动，推动经验互鉴和资源共享",
              "市科协",
              "市委宣传部、市教育局、市科技局、市农业农村局、市卫健委、市生态环境局、市规划和自然资源局、"
              "市应急局、市文旅局、日报社、市气象局、团市委、市妇联"),
        ]),
    ],
)

# ---- 003 万年县 ------------------------------------------------------------------------------
# Cites 江西省's and 上饶市's plans; target 14%. Every action opens with an intro paragraph closed by
# "〔牵头部门：A、B〕" (action-level leads, not a task); tasks are "——title。…〔…按职责分工负责〕".
# Most clauses have no full-width "，" split -> everyone is "responsible". Two clauses are split:
# youth task 3 ("〔县教体局、县人力资源社会保障局，县委宣传部…按职责分工〕", ending 按职责分工 without 负责)
# and workers task 1. exchange task 1 ends "按职责分工" (no 负责) and has no split -> responsible.
# workers task 4 lists "县工信局、县工信局": kept once.
# Per action (task lead / support / responsible; action leads):
#   1 youth            6 tasks: lead 2 (t3)  support 7 (t3)  resp 3+4+0+6+3+6=22   action leads 2
#   2 farmers          3 tasks: lead 0       support 0       resp 18+5+8=31        action leads 2
#   3 workers          4 tasks: lead 2 (t1)  support 6 (t1)  resp 0+5+4+5=14       action leads 2
#   4 elderly          3 tasks:                              resp 6+7+7=20         action leads 2
#   5 officials        2 tasks:                              resp 4+2=6            action leads 2
#   6 science_resources 3 tasks:                             resp 4+4+7=15         action leads 2
#   7 informatization  3 tasks:                              resp 6+5+6=17         action leads 4
#   8 infrastructure   3 tasks:                              resp 4+6+8=18         action leads 3
#   9 grassroots       3 tasks:                              resp 13+14+10=37      action leads 2
#  10 exchange         2 tasks:                              resp 14+10=24         action leads 1
#   total: 32 tasks, lead 4, support 13, responsible 204; action-level leads 22.
S003 = ES(
    prefix="003_",
    name="万年县",
    level="county",
    province="江西省",
    parent_city="上饶市",
    period="2021-2025",
    target=14.0,
    tasks_per_action=[6, 3, 4, 3, 2, 3, 3, 3, 3, 2],
    lead_edges=4,
    support_edges=13,
    responsible_edges=204,
    action_lead_edges=22,
    actions=[
        EA("youth", "青少年科学素质提升行动", leads=names("县教体局、县科协"), tasks=[
            T("将科学精神贯穿于育人全链条", responsible="教体局、团县委、县科协"),
            T("提升基础教育阶段科学教育水平", responsible="县教体局、县人社局、团县委、县科协"),
            T("支持学校科学教育和科普工作", "县教体局、县人力资源社会保障局",
              "县委宣传部、县发改委、县工信局、团县委、县妇联、县科协、县社科联"),
            T("实施科技创新后备人才培育计划",
              responsible="县教体局、县科协、县工信局、团县委、县妇联、县社科联"),
            T("实施提升教师科学素质行动", responsible="县教体局、县人社局、县科协"),
            T("建立校内外科学教育资源有效衔接机制",
              responsible="县教体局、县委宣传部、县卫健委、县妇联、县文广新旅局、县科协"),
        ]),
        EA("farmers", "农民科学素质提升行动", leads=names("县农业农村局、县乡村振兴局"), tasks=[
            T("树立相信科学、和谐理性的思想观念",
              responsible="县委宣传部、县委组织部、县委网信办、县发改委、县农业农村局、县教体局、县工信局、"
              "县民政局、县自然资源局、县生态环境局、县应急管理局、县市场监管局、县文广新旅局、县林业局、"
              "县乡村振兴局、县社科联、县气象局、县科协"),
            T("推动高素质农民培育计划落地",
              responsible="县农业农村局、县人社局、县乡村振兴局、县妇联、县科协"),
            T("发挥科技支撑乡村振兴作用",
              responsible="县农业农村局、县人社局、县林业局、县乡村振兴局、县工信局、县妇联、"
              "县现代农业产业园、县科协"),
        ]),
        EA("workers", "产业工人科学素质提升行动", leads=names("县总工会、县人社局"), tasks=[
            T("开展理想信念和职业精神宣传教育", "县委宣传部、县总工会",
              "县工信局、县人力资源社会保障局、县国资委、县高新区、团县委、县妇联"),
            T("实施技能中国创新行动", responsible="县人社局、县财政局、县教体局、县总工会、县妇联"),
            T("实施职业技能提升行动", responsible="县人社局、县财政局、县教体局、县总工会"),
            # clause lists 县工信局 twice: kept once
            T("发挥企业家提升产业工人科学素质的示范引领作用",
              responsible="县工信局、县人社局、县高新区、县社科联、县科协"),
        ]),
        EA("elderly", "老年人科学素质提升行动", leads=names("县卫健委、县民政局"), tasks=[
            T("实施智慧助老行动",
              responsible="县委宣传部、县民政局、县教体局、县公安局、县大数据发展服务中心、县科协"),
            T("加强老年人健康科普服务",
              responsible="县卫健委、县民政局、县教体局、县应急管理局、县市场监管局、县文广新旅局、县科协"),
            T("实施银龄科普行动",
              responsible="县卫健委、县教体局、县民政局、县农业农村局、团县委、县工信局、县科协"),
        ]),
        EA("officials", "领导干部和公务员科学素质提升行动", leads=names("县委组织部、县委宣传部"), tasks=[
            T("深入贯彻落实新发展理念",
              responsible="县委组织部、县委宣传部、县工信局、县人力资源社会保障局"),
            T("加强科学素质教育培训", responsible="县委组织部、县委宣传部"),
        ]),
        EA("science_resources", "科技资源科普化工程", leads=names("县工信局、县科协"), tasks=[
            T("建立完善科技资源科普化机制", responsible="县工信局、县人社局、县社科联、县科协"),
            T("开展科技资源科普化专项行动", responsible="县工信局、县高新区、县社科联、县科协"),
            T("强化科技工作者的社会责任",
              responsible="县委宣传部、县工信局、县农业局、县应急管理局、县教体局、县文广新旅局、县科协"),
        ]),
        EA("informatization", "科普信息化提升工程",
           leads=names("县委宣传部、县融媒体中心、县大数据发展服务中心、县科协"), tasks=[
            T("加大科普创作资助力度",
              responsible="县委宣传部、县工信局、县教体局、县文广新旅局、县文联、县科协"),
            T("实施全媒体科学传播能力提升计划",
              responsible="县委宣传部、县融媒体中心、县文广新旅局、县文联、县科协"),
            T("推动智慧科普工程建设",
              responsible="县委宣传部、县融媒体中心、县文广新旅局、县工信局、县大数据发展服务中心、县科协"),
        ]),
        EA("infrastructure", "科普基础设施工程", leads=names("县教体局、县工信局、县科协"), tasks=[
            T("加强对科普基础设施建设的统筹规划", responsible="县发改委、县财政局、县工信局、县科协"),
            T("完善现代科技馆体系",
              responsible="县发改委、县财政局、县工信局、县大数据发展服务中心、县生态环境局、县科协"),
            T("持续推进科普基地建设",
              responsible="县工信局、县教体局、县财政局、县文广新旅局、县应急管理局、县高新区、县社科联、"
              "县科协"),
        ]),
        EA("grassroots", "基层科普能力提升工程", leads=names("县应急管理局、县卫健委"), tasks=[
            T("完善应急科普宣传教育协同机制",
              responsible="县应急管理局、县卫健委、县委宣传部、县委网信办、县公安局、县教体局、县工信局、"
              "县农业农村局、县市场监管局、县林业局、县社科联、县气象局、县科协"),
            T("完善基层科普服务体系",
              responsible="县委组织部、县委宣传部、县教体局、县工信局、县农业农村局、县卫健委、县应急管理局、"
              "县文广新旅局、县林业局、县总工会、团县委、县妇联、县社科联、县科协"),
            T("加快提升基层科普服务能力",
              responsible="县文广新旅局、县卫健委、县教体局、县工信局、县应急管理局、县市场监管理局、"
              "县生态环境局、县社科联、县水利局、县科协"),
        ]),
        EA("exchange", "科学素质交流合作工程", leads=names("县科协"), tasks=[
            # ends "按职责分工" (no 负责) and has no full-width split: responsible
            T("加强对外合作交流",
              responsible="县工信局、县发改委、县教体局、县民政局、县自然资源局、县生态环境局、县农业农村局、"
              "县商务局、县文广新旅局、县卫健委、县应急管理局、县市场监管局、县气象局、县科协"),
            T("促进科技人文交流",
              responsible="县委组织部、县人社局、县发改委、县卫健委、县生态环境局、县工信局、县商务局、"
              "县教体局、县自然资源局、县科协"),
        ]),
    ],
)

# ---- 004 丰都县 ------------------------------------------------------------------------------
# Title "丰都县全民科学素质行动规划纲要实施方案（2021-2025年）"; cites 重庆市's plan (a municipality:
# no parent city). Target 15%. Tasks numbered 1..34 through the whole plan ("27." has no space;
# task 7's line starts with a docx artefact "[bookmark: _GoBack]"). Clause
# "（牵头单位：A、B，责任单位：C、D）". Groups "县级各部门" and "各乡镇（街道）".
# The 重点工程 order differs from the others: infrastructure, grassroots, informatization,
# talent (科普人才规模倍增工程), exchange (科学素质开放共享工程).
# Task 14 names 县民政局 both as lead and as support: different lists, both kept.
# Per action (lead / support), responsible 0:
#   1 youth            5 tasks (1-5):   lead 1+1+1+2+2=7     support 4+2+2+4+10=22
#   2 farmers          4 tasks (6-9):   lead 2+2+2+1=7       support 9+4+4+5=22
#   3 workers          4 tasks (10-13): lead 2+3+2+2=9       support 7+3+6+5=21
#   4 elderly          3 tasks (14-16): lead 3+2+1=6         support 7+5+8=20
#   5 officials        3 tasks (17-19): lead 1+2+1=4         support 2+3+2=7
#   6 infrastructure   4 tasks (20-23): lead 2+2+3+2=9       support 5+6+14+5=30
#   7 grassroots       3 tasks (24-26): lead 2+2+2=6         support 8+12+5=25
#   8 informatization  3 tasks (27-29): lead 2+1+2=5         support 4+7+2=13
#   9 talent           3 tasks (30-32): lead 2+2+2=6         support 8+7+5=20
#  10 exchange         2 tasks (33-34): lead 2+2=4           support 6+6=12
#   total: 34 tasks, lead 63, support 192, responsible 0; action-level leads 0.
S004 = ES(
    prefix="004_",
    name="丰都县",
    level="county",
    province="重庆市",
    parent_city=None,
    period="2021-2025",
    target=15.0,
    tasks_per_action=[5, 4, 4, 3, 3, 4, 3, 3, 3, 2],
    lead_edges=63,
    support_edges=192,
    responsible_edges=0,
    action_lead_edges=0,
    actions=[
        EA("youth", "实施青少年科学素质提升行动", [
            T("实施科学家精神进校园行动", "县教委", "县委宣传部、县文化旅游委、团县委、县科协"),
            T("实施青少年创新能力涵养行动", "县教委", "县人力社保局、县科协"),
            T("实施教师科学素质提升行动", "县教委", "县民政局、县科协"),
            T("加强各类青少年科普阵地建设", "县教委、县科协", "县科技局、县财政局、团县委、各乡镇（街道）"),
            T("建立校内外科学教育资源有效衔接机制", "县教委、县科协",
              "县委宣传部、县科技局、县经济信息委、县人力社保局、县生态环境局、县文化旅游委、县卫生健康委、"
              "团县委、县妇联、县气象局"),
        ]),
        EA("farmers", "实施农民科学素质提升行动", [
            T("大力开展农民教育培训", "县农业农村委、县科协",
              "县委宣传部、县科技局、县人力社保局、县规划和自然资源局、县生态环境局、县文化旅游委、"
              "县卫生健康委、县应急局、县气象局"),
            # the line starts "[bookmark: _GoBack]7. ": not part of the title
            T("实施高素质农民培育计划", "县农业农村委、县科协", "县委宣传部、县人力社保局、团县委、县妇联"),
            T("实施乡村振兴科技支撑行动", "县农业农村委、县科协", "县科技局、县人力社保局、县供销社、团县委"),
            T("加强农村科普公共服务体系建设", "县科协",
              "县农业农村委、县科技局、县人力社保局、团县委、县妇联"),
        ]),
        EA("workers", "实施产业工人科学素质提升行动", [
            T("开展理想信念和职业精神宣传教育", "县人力社保局、县总工会",
              "县委宣传部、县科技局、县经济信息委、县应急局、团县委、县妇联、县科协"),
            T("实施技能中国创新行动", "县经济信息委、县人力社保局、县总工会", "县委宣传部、县科技局、县科协"),
            T("实施职业技能提升行动", "县人力社保局、县总工会",
              "县委宣传部、县教委、县科技局、县农业农村委、县应急局、县科协"),
            T("发挥企业家提升产业工人科学素质的示范引领作用", "县经济信息委、县总工会",
              "县委宣传部、县科技局、县民政局、县工商联、县科协"),
        ]),
        EA("elderly", "实施老年人科学素质提升行动", [
            # 县民政局 is both lead and support here (different lists: both kept)
            T("实施智慧助老科普行动", "县委组织部、县民政局、县科协",
              "县委宣传部、县民族宗教委、县科技局、县经济信息委、县民政局、县卫生健康委、县市场监管局"),
            T("加强老年人健康科普服务", "县卫生健康委、县科协",
              "县委组织部、县委宣传部、县科技局、县文化旅游委、县市场监管局"),
            T("实施银龄科普专项行动", "县科协",
              "县委组织部、县委老干部局、县教委、县科技局、县民政局、县人力社保局、县农业农村委、"
              "县卫生健康委"),
        ]),
        EA("officials", "实施领导干部和公务员科学素质提升行动", [
            T("深入贯彻落实新发展理念", "县委组织部", "县级各部门、各乡镇（街道）"),
            T("加强科学素质教育培训", "县委组织部、县人力社保局", "县委宣传部、县委党校、县科协"),
            T("发挥领导干部和公务员示范引领作用", "县委组织部", "县级各部门、各乡镇（街道）"),
        ]),
        EA("infrastructure", "实施科普基础设施工程", [
            T("完善现代科技馆体系", "县科技局、县科协",
              "县发展改革委、县教委、县财政局、县规划自然资源局、各乡镇（街道）"),
            T("打造品牌科普基地", "县科技局、县科协",
              "县发展改革委、县教委、县经济信息委、县民政局、县财政局、县规划自然资源局"),
            T("提升科普公共服务能力", "县科技局、县文化旅游委、县科协",
              "县委宣传部、县教委、县经济信息委、县财政局、县规划自然资源局、县生态环境局、县交通局、"
              "县水利局、县农业农村委、县卫生健康委、县应急局、县市场监管局、县气象局、各乡镇（街道）"),
            T("建立完善科技资源科普化机制", "县科技局、县科协",
              "县发展改革委、县经济信息委、县民政局、县财政局、县人力社保局"),
        ]),
        EA("grassroots", "实施基层科普能力提升工程", [
            T("健全基层科普服务体系", "县科技局、县科协",
              "县委组织部、县委宣传部、县教委、县经济信息委、县民政局、县人力社保局、县卫生健康委、"
              "各乡镇（街道）"),
            T("培育品牌科普活动", "县科技局、县科协",
              "县委宣传部、县发展改革委、县教委、县民政局、县人力社保局、县生态环境局、县应急局、"
              "县市场监管局、县总工会、团县委、县妇联、县气象局"),
            T("建立应急科普宣教协同机制", "县应急管理局、县科协",
              "县委宣传部、县教委、县人力社保局、县卫生健康委、县总工会"),
        ]),
        EA("informatization", "实施科普信息化提升工程", [
            T("实施智慧科普建设工程", "县委宣传部、县科协", "县发展改革委、县科技局、县经济信息委、县财政局"),
            T("实施全媒体科学传播能力提升计划", "县委宣传部",
              "县融媒体中心、县发展改革委、县科技局、县经济信息委、县城市管理局、县人力社保局、县科协"),
            T("建立健全科普资源共建共享机制", "县委宣传部、县科协", "县科技局、县融媒体中心"),
        ]),
        EA("talent", "实施科普人才规模倍增工程", [
            T("壮大科普专家人才队伍", "县科技局、县科协",
              "县委组织部、县委宣传部、县教委、县经济信息委、县民政局、县人力社保局、县农业农村委、"
              "县卫生健康委"),
            T("发展专兼职科普人才队伍", "县科技局、县科协",
              "县委组织部、县委宣传部、县教委、县经济信息委、县人力社保局、县农业农村委、县卫生健康委"),
            T("健全科普人才培养机制", "县科技局、县科协",
              "县委宣传部、县教委、县人力社保局、县农业农村委、县卫生健康委"),
        ]),
        EA("exchange", "实施科学素质开放共享工程", [
            T("推动科学素质交流合作", "县科技局、县科协",
              "县委组织部、县委宣传部、县发展改革委、县民政局、县人力社保局、县农业农村委"),
            T("推动科普资源共建共享", "县科技局、县科协",
              "县委宣传部、县教委、县民政局、县人力社保局、县农业农村委、县卫生健康委"),
        ]),
    ],
)

EXPECTED: dict[str, ES] = {"000": S000, "001": S001, "002": S002, "003": S003, "004": S004}
SEED_IDS = list(EXPECTED)

# Spellings of one body that must resolve to one agency (plan, [spellings]).
SAME_AGENCY = [
    ("003", ["教体局", "县教体局"]),
    ("003", ["县人力资源社会保障局", "县人社局"]),
    ("003", ["县市场监管理局", "县市场监管局"]),  # typo in grassroots task 3
    ("002", ["妇联", "市妇联"]),
    ("004", ["县应急局", "县应急管理局"]),
    ("004", ["县规划和自然资源局", "县规划自然资源局"]),
]

# Bodies that must stay distinct within their plan (several differ by one character, so a fuzzy
# matcher would merge them).
DISTINCT_AGENCIES = [
    ("000", ["县科协", "县发改和科技局", "县教育局", "县委宣传部", "县委组织部", "县委党校", "县工信局",
             "县融媒体中心", "县卫体局", "县农业农村局", "市生态环境局沁源分局", "县自然资源局", "县总工会",
             "团县委", "县妇联", "县人社局", "县民政局", "县文旅局"]),
    ("001", ["县科技局", "县科协", "县发改局", "县财政局", "县工信局", "县人社局", "县委宣传部",
             "县委组织部", "县卫健局", "县应急局", G001]),
    ("002", ["市科协", "市科技局", "市发改委", "市卫健委", "市委宣传部", "市委组织部", "团市委",
             "市妇联", "日报社", "市教育局", "市总工会", "市民政局"]),
    ("003", ["县科协", "县社科联", "县文联", "县妇联", "县工信局", "县发改委", "县卫健委", "县教体局",
             "县人社局", "县委宣传部", "县委组织部", "县委网信办", "县文广新旅局", "县市场监管局",
             "县民政局", "县商务局", "县财政局", "县水利局", "县林业局", "团县委"]),
    ("004", ["县科技局", "县科协", "县委宣传部", "县委组织部", "县委老干部局", "县委党校", "县应急局",
             "县经济信息委", "县发展改革委", "县融媒体中心", "县城市管理局", "县民族宗教委", "县民政局",
             "县教委", "县卫生健康委", "县文化旅游委", "县农业农村委", "县级各部门", "各乡镇（街道）"]),
]

GROUP_NAMES = {
    "001": [G001],
    "004": ["县级各部门", "各乡镇（街道）"],
}

# 000's 领导小组 members, as listed after "成  员：" in 组织实施 (the last one written
# "县防震减灾中心负责人"; the list then goes on "，各乡（镇）乡镇长", which names people, not a body).
GROUP_000_MEMBERS = names(
    "县委组织部、县委宣传部、县发改和科技局、县教育局、县民政局、县财政局、县人社局、县自然资源局、"
    "市生态环境局沁源分局、县农业农村局、县文旅局、县卫体局、县应急管理局、县委党校、县总工会、团县委、"
    "县妇联、县科协、县气象局、县防震减灾中心"
)

PART_WORDS = ["提升行动"] * 5 + ["重点工程"] * 5


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def seed_file(seed: str) -> Path:
    found = sorted(SEEDS.glob(f"{EXPECTED[seed].prefix}*.txt"))
    want = f"{EXPECTED[seed].prefix}*.txt"
    assert len(found) == 1, f"expected one seed file {want} in {SEEDS}: {found}"
    return found[0]


def raw_text(seed: str) -> str:
    """The decoded source text the spans index into (UTF-8; none of the seeds has a BOM, but strip
    one if present)."""
    text = seed_file(seed).read_bytes().decode("utf-8")
    return text[1:] if text.startswith("\ufeff") else text


def role_names(task, role: str) -> list[str]:
    return [m.name for m in getattr(task, role)]


def all_mentions(plan):
    """(action, task, role, mention) over all tasks, plus action-level leads with task=None."""
    out = []
    for action in plan.actions:
        for m in action.leads:
            out.append((action, None, "action_lead", m))
        for task in action.tasks:
            for role in ROLES:
                for m in getattr(task, role):
                    out.append((action, task, role, m))
    return out


def ids_by_name(plan) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for _, _, _, m in all_mentions(plan):
        out.setdefault(m.name, set()).add(m.agency_id)
    return out


def the_id(plan, name: str) -> str:
    ids = ids_by_name(plan).get(name)
    assert ids, f"{plan.jurisdiction.name}: no mention written {name!r}; names seen: " + ", ".join(
        sorted(ids_by_name(plan))
    )
    assert len(ids) == 1, f"{plan.jurisdiction.name}: {name!r} resolves to several ids {ids}"
    return next(iter(ids))


def where(action, task) -> str:
    t = f" task {task.seq} {task.title!r}" if task is not None else ""
    return f"action {action.seq} {action.title!r}{t}"


def task_cases():
    for seed, es in EXPECTED.items():
        for a_i, ea in enumerate(es.actions, start=1):
            for t_i, et in enumerate(ea.tasks, start=1):
                yield pytest.param(seed, a_i, t_i, et, id=f"{seed}-a{a_i}.t{t_i}-{et.title[:12]}")


# --------------------------------------------------------------------------------------------
# Fixtures
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def seed_plans():
    """Parse each seed at most once per session; a parse error is re-raised for every test that
    needs that seed."""
    cache: dict[str, object] = {}

    def get(seed: str):
        if seed not in cache:
            try:
                cache[seed] = parse_file(seed_file(seed))
            except Exception as exc:  # noqa: BLE001 - reported per test below
                cache[seed] = exc
        result = cache[seed]
        if isinstance(result, Exception):
            name = seed_file(seed).name
            raise AssertionError(f"parse_file({name}) failed: {result!r}") from result
        return result

    return get


# --------------------------------------------------------------------------------------------
# The oracle checks itself: the tables above add up to the hand counts in the comments
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEED_IDS)
def test_expected_tables_are_consistent(seed):
    es = EXPECTED[seed]
    assert len(es.actions) == 10
    assert [len(a.tasks) for a in es.actions] == es.tasks_per_action
    assert sum(len(t.lead) for a in es.actions for t in a.tasks) == es.lead_edges
    assert sum(len(t.support) for a in es.actions for t in a.tasks) == es.support_edges
    assert sum(len(t.responsible) for a in es.actions for t in a.tasks) == es.responsible_edges
    assert sum(len(a.leads) for a in es.actions) == es.action_lead_edges
    for a in es.actions:
        for t in a.tasks:
            for role in ROLES:
                lst = getattr(t, role)
                assert len(lst) == len(set(lst)), f"duplicate in expected {role} of {t.title}"
    text = raw_text(seed)
    for a in es.actions:
        assert a.title in text, a.title
        for t in a.tasks:
            assert t.title + "。" in text, t.title
            for role in ROLES:
                for n in getattr(t, role):
                    assert n in text, n


# --------------------------------------------------------------------------------------------
# 1. Plan-level facts
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEED_IDS)
def test_source(seed, seed_plans):
    plan = seed_plans(seed)
    path = seed_file(seed)
    assert Path(plan.source.file).name == path.name
    assert plan.source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("seed", SEED_IDS)
def test_jurisdiction(seed, seed_plans):
    es, plan = EXPECTED[seed], seed_plans(seed)
    j = plan.jurisdiction
    assert (j.name, j.level) == (es.name, es.level), f"got {j!r}"
    for attr in ("province", "parent_city"):
        want, got = getattr(es, attr), getattr(j, attr)
        if isinstance(want, tuple):
            assert got in want, f"{attr}: got {got!r}, the text allows only {want}"
        else:
            assert got == want, f"{attr}: got {got!r}, expected {want!r}"


@pytest.mark.parametrize("seed", SEED_IDS)
def test_period_and_target(seed, seed_plans):
    es, plan = EXPECTED[seed], seed_plans(seed)
    assert plan.period == es.period
    assert plan.literacy_target_percent == pytest.approx(es.target)


# --------------------------------------------------------------------------------------------
# 2. Actions and tasks
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEED_IDS)
def test_action_keys_in_order(seed, seed_plans):
    es, plan = EXPECTED[seed], seed_plans(seed)
    got = [a.key for a in plan.actions]
    want = [a.key for a in es.actions]
    assert got == want, f"\nactual:   {got}\nexpected: {want}"


@pytest.mark.parametrize("seed", SEED_IDS)
def test_action_titles_seqs_and_parts(seed, seed_plans):
    es, plan = EXPECTED[seed], seed_plans(seed)
    got = [a.title for a in plan.actions]
    want = [a.title for a in es.actions]
    assert got == want, f"\nactual:   {got}\nexpected: {want}"
    assert [a.seq for a in plan.actions] == list(range(1, len(plan.actions) + 1))
    parts = [a.part for a in plan.actions]
    # the part is "提升行动" / "重点工程" (possibly as written: "实施五项提升行动", "五项重点工程" …)
    assert all(w in p for w, p in zip(PART_WORDS, parts)) and len(parts) == 10, f"parts: {parts}"


@pytest.mark.parametrize("seed", SEED_IDS)
def test_tasks_per_action(seed, seed_plans):
    es, plan = EXPECTED[seed], seed_plans(seed)
    got = [len(a.tasks) for a in plan.actions]
    assert got == es.tasks_per_action, (
        f"\nactual:   {got}\nexpected: {es.tasks_per_action}\ntitles: "
        + "; ".join(f"{a.seq}: {[t.title for t in a.tasks]}" for a in plan.actions)
    )
    for a in plan.actions:
        assert [t.seq for t in a.tasks] == list(range(1, len(a.tasks) + 1)), where(a, None)


@pytest.mark.parametrize("seed", SEED_IDS)
def test_task_titles(seed, seed_plans):
    es, plan = EXPECTED[seed], seed_plans(seed)
    got = [[t.title for t in a.tasks] for a in plan.actions]
    want = [[t.title for t in a.tasks] for a in es.actions]
    for i, (g, w) in enumerate(zip(got, want), start=1):
        assert g == w, f"action {i}:\nactual:   {g}\nexpected: {w}"
    assert len(got) == len(want)


@pytest.mark.parametrize("seed", SEED_IDS)
def test_no_timetable_or_artefact_tasks(seed, seed_plans):
    plan = seed_plans(seed)
    for a, t in plan.tasks():
        assert not t.title.startswith(("启动实施", "深入实施", "总结评估", "中期评估")), where(a, t)
        assert "bookmark" not in t.title and "[" not in t.title, where(a, t)
        assert t.title == t.title.strip() and not t.title.startswith(("——", "-")), where(a, t)
        assert "。" not in t.title, where(a, t)


# --------------------------------------------------------------------------------------------
# 3. Edge counts
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEED_IDS)
def test_edge_counts(seed, seed_plans):
    es, plan = EXPECTED[seed], seed_plans(seed)
    got = {r: sum(len(getattr(t, r)) for _, t in plan.tasks()) for r in ROLES}
    got["action_leads"] = sum(len(a.leads) for a in plan.actions)
    want = {
        "lead": es.lead_edges,
        "support": es.support_edges,
        "responsible": es.responsible_edges,
        "action_leads": es.action_lead_edges,
    }
    per_action = {
        a.seq: {r: sum(len(getattr(t, r)) for t in a.tasks) for r in ROLES} for a in plan.actions
    }
    assert got == want, f"\nactual:   {got}\nexpected: {want}\nper action: {per_action}"


@pytest.mark.parametrize("seed", SEED_IDS)
def test_action_level_leads(seed, seed_plans):
    es, plan = EXPECTED[seed], seed_plans(seed)
    got = [[m.name for m in a.leads] for a in plan.actions]
    want = [a.leads for a in es.actions]
    assert got == want, f"\nactual:   {got}\nexpected: {want}"


# --------------------------------------------------------------------------------------------
# 4. Roles per task: every task of every seed
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed, a_seq, t_seq, et", list(task_cases()))
def test_task_roles(seed, a_seq, t_seq, et, seed_plans):
    plan = seed_plans(seed)
    assert len(plan.actions) >= a_seq, f"only {len(plan.actions)} actions"
    action = plan.actions[a_seq - 1]
    assert len(action.tasks) >= t_seq, f"action {a_seq} has only {len(action.tasks)} tasks"
    task = action.tasks[t_seq - 1]
    assert task.title == et.title, f"task ({a_seq}, {t_seq}): title {task.title!r} != {et.title!r}"
    got = {r: role_names(task, r) for r in ROLES}
    want = {"lead": et.lead, "support": et.support, "responsible": et.responsible}
    assert got == want, f"{where(action, task)}\nactual:   {got}\nexpected: {want}"
    if any(want.values()):
        assert task.clause, f"{where(action, task)}: roles without a clause"


# --------------------------------------------------------------------------------------------
# 5. Spellings: one body, one agency; distinct bodies stay distinct
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "seed, spellings", SAME_AGENCY, ids=[f"{s}-{'/'.join(n)}" for s, n in SAME_AGENCY]
)
def test_spellings_resolve_to_one_agency(seed, spellings, seed_plans):
    plan = seed_plans(seed)
    ids = {n: the_id(plan, n) for n in spellings}
    assert len(set(ids.values())) == 1, f"spellings resolve to different agencies: {ids}"
    agency = {a.id: a for a in plan.agencies}.get(next(iter(ids.values())))
    assert agency is not None, f"agency {ids} missing from plan.agencies"
    assert set(spellings) <= set(agency.spellings) | {agency.name}, (
        f"agency {agency.id}: spellings {agency.spellings}, name {agency.name}; want {spellings}"
    )
    assert not agency.is_group


@pytest.mark.parametrize(
    "seed, bodies", DISTINCT_AGENCIES, ids=[s for s, _ in DISTINCT_AGENCIES]
)
def test_distinct_agencies_stay_distinct(seed, bodies, seed_plans):
    plan = seed_plans(seed)
    ids = {n: the_id(plan, n) for n in bodies}
    by_id: dict[str, list[str]] = {}
    for n, i in ids.items():
        by_id.setdefault(i, []).append(n)
    merged = {i: ns for i, ns in by_id.items() if len(ns) > 1}
    assert not merged, f"distinct bodies merged into one agency: {merged}"


@pytest.mark.parametrize("seed", SEED_IDS)
def test_mentions_point_to_known_agencies(seed, seed_plans):
    plan = seed_plans(seed)
    agencies = {a.id: a for a in plan.agencies}
    assert len(agencies) == len(plan.agencies), "duplicate agency ids"
    for action, task, role, m in all_mentions(plan):
        assert m.agency_id in agencies, (
            f"{where(action, task)} {role} {m.name}: unknown id {m.agency_id}"
        )
        a = agencies[m.agency_id]
        assert m.name in set(a.spellings) | {a.name}, (
            f"{m.name!r} not among the spellings {a.spellings} of {a.id}"
        )
        # ids are agency_id(jurisdiction, canonical name) (graph/model.py)
        assert m.agency_id.startswith(plan.jurisdiction.name + ":"), m.agency_id


# --------------------------------------------------------------------------------------------
# 6. Groups
# --------------------------------------------------------------------------------------------


def test_000_leading_group_members(seed_plans):
    plan = seed_plans("000")
    groups = [g for g in plan.groups if "全民科学素质工作领导小组" in g.name]
    assert len(groups) == 1, f"groups: {[g.name for g in plan.groups]}"
    g = groups[0]
    agencies = {a.id: a for a in plan.agencies}
    assert g.agency_id in agencies and agencies[g.agency_id].is_group, g.agency_id
    # every listed member that is named in a clause is linked with the clause's agency id
    want = {n: the_id(plan, n) for n in GROUP_000_MEMBERS}
    missing = {n: i for n, i in want.items() if i not in g.members}
    assert not missing, f"members not linked (name -> clause id): {missing}\nmembers: {g.members}"
    assert len(set(g.members)) == len(g.members), f"duplicate members: {g.members}"
    for member in g.members:
        assert not member.endswith("负责人"), member  # "县防震减灾中心负责人" is 县防震减灾中心
        assert member in agencies, f"member {member} is not an agency of the plan"
    # the office sits at 县科协, which is a member and an ordinary agency
    assert not agencies[the_id(plan, "县科协")].is_group


@pytest.mark.parametrize("seed", sorted(GROUP_NAMES))
def test_group_references_are_group_agencies(seed, seed_plans):
    plan = seed_plans(seed)
    agencies = {a.id: a for a in plan.agencies}
    for name in GROUP_NAMES[seed]:
        gid = the_id(plan, name)
        assert agencies[gid].is_group, f"{name} ({gid}) should be a group"
    for name in ("县科协", "县委宣传部"):
        assert not agencies[the_id(plan, name)].is_group, name


@pytest.mark.parametrize("seed", SEED_IDS)
def test_groups_refer_to_group_agencies(seed, seed_plans):
    plan = seed_plans(seed)
    agencies = {a.id: a for a in plan.agencies}
    for g in plan.groups:
        assert g.agency_id in agencies and agencies[g.agency_id].is_group, g
        for member in g.members:
            assert member in agencies, f"group {g.name}: unknown member {member}"


def test_001_group_on_every_task_and_no_page_break_fragment(seed_plans):
    plan = seed_plans("001")
    for a, t in plan.tasks():
        assert role_names(t, "support") == [G001], f"{where(a, t)}: {role_names(t, 'support')}"
    for _, _, _, m in all_mentions(plan):
        assert m.name != "位" and not m.name.endswith("位位"), m.name
    for agency in plan.agencies:
        assert agency.name != "位" and "位位" not in agency.name, agency.name


def test_001_shared_clause(seed_plans):
    plan = seed_plans("001")
    last = plan.actions[-1]
    assert [t.title for t in last.tasks] == ["拓展科技人文交流渠道", "丰富合作内容", "搭建合作平台"]
    # Reading (odd case): Task.shared_clause is documented as "True when the clause stands once
    # after the action's last task". Here the one clause after task 3 stands for all three tasks,
    # so the flag is True for task 3 as well as for the tasks 1-2 that borrow it.
    for t in last.tasks:
        assert role_names(t, "lead") == ["县科技局", "县科协"], where(last, t)
        assert t.shared_clause, f"{where(last, t)}: the clause after task 3 is shared"
    # the three tasks point at the same clause text
    spans = {tuple(m.span) for t in last.tasks for m in t.lead}
    assert len(spans) == 2, f"lead mentions of the shared clause should share 2 spans: {spans}"
    for a, t in plan.tasks():
        if a is not last:
            assert not t.shared_clause, where(a, t)


@pytest.mark.parametrize("seed", ["000", "002", "003", "004"])
def test_no_shared_clauses_elsewhere(seed, seed_plans):
    plan = seed_plans(seed)
    for a, t in plan.tasks():
        assert not t.shared_clause, where(a, t)


def test_003_repeated_name_keeps_first(seed_plans):
    plan = seed_plans("003")
    raw = raw_text("003")
    task = plan.actions[2].tasks[3]
    assert task.title == "发挥企业家提升产业工人科学素质的示范引领作用"
    first = raw.index("〔县工信局、县工信局") + 1
    gx = [m for m in task.responsible if m.name == "县工信局"]
    assert len(gx) == 1, [m.name for m in task.responsible]
    assert tuple(gx[0].span) == (first, first + len("县工信局")), gx[0].span


def test_004_lead_and_support_same_body(seed_plans):
    plan = seed_plans("004")
    task = plan.actions[3].tasks[0]
    assert task.title == "实施智慧助老科普行动"
    lead = [m for m in task.lead if m.name == "县民政局"]
    sup = [m for m in task.support if m.name == "县民政局"]
    assert len(lead) == 1 and len(sup) == 1
    assert lead[0].agency_id == sup[0].agency_id
    assert lead[0].span != sup[0].span


# --------------------------------------------------------------------------------------------
# 7. Spans
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEED_IDS)
def test_every_mention_span_reads_its_name(seed, seed_plans):
    plan = seed_plans(seed)
    raw = raw_text(seed)
    bad = []
    for action, task, role, m in all_mentions(plan):
        s, e = m.span
        if raw[s:e] != m.name:
            bad.append(f"{where(action, task)} {role} {m.name!r}: raw[{s}:{e}] = {raw[s:e]!r}")
    assert not bad, "\n".join(bad[:20])


@pytest.mark.parametrize("seed", SEED_IDS)
def test_task_spans_contain_titles_in_order(seed, seed_plans):
    plan = seed_plans(seed)
    raw = raw_text(seed)
    last_start = -1
    for a, t in plan.tasks():
        s, e = t.span
        assert 0 <= s < e <= len(raw), f"{where(a, t)}: span {t.span}"
        assert t.title in raw[s:e], f"{where(a, t)}: raw[{s}:{e}] = {raw[s:e][:60]!r}…"
        assert s > last_start, f"{where(a, t)}: tasks out of document order"
        last_start = s


@pytest.mark.parametrize("seed", SEED_IDS)
def test_clause_spans_hold_their_mentions(seed, seed_plans):
    plan = seed_plans(seed)
    for a, t in plan.tasks():
        for role in ROLES:
            for m in getattr(t, role):
                assert t.clause and m.name in t.clause, (
                    f"{where(a, t)}: {m.name} not in {t.clause!r}"
                )
                if t.clause_span is not None:
                    cs, ce = t.clause_span
                    assert cs <= m.span[0] and m.span[1] <= ce, (
                        f"{where(a, t)}: mention {m.name} {m.span} outside clause {t.clause_span}"
                    )


# (seed, action seq, task seq or None for action-level leads, role, index, name, the text right
# before the name in the file; that text occurs exactly once)
SAMPLE_SPANS = [
    ("000", 1, 1, "lead", 0, "县教育局", "培育青少年崇尚科学和勇于创新的价值观。（"),
    ("000", 8, 1, "support", 5, "县气象局", "县财政局、县发改和科技局、县教育局、县农业农村局、县应急管理局、"),
    ("001", 1, 1, "support", 0, G001, "牵头部门：县教育局、团县委\n\n配合部门："),
    ("001", 10, 1, "lead", 0, "县科技局", "提升科普服务水平。\n\n牵头部门："),
    ("001", 10, 2, "lead", 1, "县科协", "提升科普服务水平。\n\n牵头部门：县科技局、"),
    ("002", 1, 4, "support", 3, "妇联", "市委宣传部、市科技局、团市委、"),
    ("003", 1, 1, "responsible", 0, "教体局", "培养学生爱国情怀、社会责任感、创新精神和实践能力。〔"),
    ("003", 1, None, "action_lead", 0, "县教体局", "解决问题的习惯。〔牵头部门："),
    ("003", 9, 3, "responsible", 5, "县市场监管理局", "县工信局、县应急管理局、"),
    ("004", 5, 1, "support", 1, "各乡镇（街道）", "有效落实。（牵头单位：县委组织部，责任单位：县级各部门、"),
    ("004", 2, 2, "lead", 0, "县农业农村委", "更深层次参与农业农村现代化建设。（牵头单位："),
]


@pytest.mark.parametrize(
    "seed, a_seq, t_seq, role, idx, name, before",
    SAMPLE_SPANS,
    ids=[f"{c[0]}-a{c[1]}.t{c[2]}-{c[3]}{c[4]}" for c in SAMPLE_SPANS],
)
def test_sample_spans_at_known_places(seed, a_seq, t_seq, role, idx, name, before, seed_plans):
    """A few mentions checked against positions found directly in the text."""
    raw = raw_text(seed)
    assert raw.count(before + name) == 1, f"anchor {before + name!r} is not unique in {seed}"
    pos = raw.index(before + name) + len(before)
    plan = seed_plans(seed)
    action = plan.actions[a_seq - 1]
    if t_seq is None:
        mentions = action.leads
    else:
        mentions = getattr(action.tasks[t_seq - 1], role)
    assert len(mentions) > idx, f"{seed} ({a_seq},{t_seq}) {role}: {[m.name for m in mentions]}"
    m = mentions[idx]
    assert m.name == name
    assert tuple(m.span) == (pos, pos + len(name)), (
        f"{seed} ({a_seq},{t_seq}) {role}[{idx}] {name!r}: span {m.span}, "
        f"expected ({pos}, {pos + len(name)})"
    )
