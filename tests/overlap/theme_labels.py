"""Which tasks of the five seed plans are the same work: hand labels, written by reading the plans.

Each label names one piece of work and the tasks that carry it, as ``(seed, action key, n)``: the
n-th task (1-based, in document order) of that action in that seed. The titles are looked up in
``tests/seed_truth.py`` (also written by reading), so this file repeats no plan text.

How the labels were decided: two tasks are the same work when their paragraphs describe the same
item of the national outline (same activities, same targets), whatever the title says. Examples
read in the plans: 万年县's youth task 1 is titled "将科学精神贯穿于育人全链条" but its text says
"实施科学家精神进校园行动", the title of 忻州市's and 丰都县's youth task 1; 丰都县's youth task 2
("实施青少年创新能力涵养行动") describes the same reform of basic science teaching as the others'
task 2; 丰都县's grassroots task 2 ("培育品牌科普活动") opens with "深入实施基层科普行动计划" and
the model-site campaigns of the others' "基层科普服务能力" task.

A plan may split one piece of work into several tasks (丰都县's talent tasks 1 and 2 are the others'
"专职科普队伍"; 正宁县's three exchange tasks are the others' one): a label then holds several tasks of
that plan, and only pairs of tasks of different plans count. A task that folds a second, smaller
work into its main one (丰都县's 新发展理念 task also asks for 考核录用 requirements) is labelled with
its main work only.

``AMBIGUOUS`` lists tasks a careful reader could put either way (noted below one by one): pairs that
involve them are not counted in precision or recall.

Second reading (2026-12-05, issue 16, before the new method was built): every task of the five
plans was read again, title and paragraph, action by action; that reading added 丰都县's
"建立健全科普资源共建共享机制" to 科普创作, 丰都县's "提升科普公共服务能力" to 科普基地建设, 忻州市's
"广泛开展群众性经常性科普活动" to 基层科普服务能力, 丰都县's talent tasks 1-2 to 专职科普队伍 and the
exchange tasks (until then all ambiguous) to one label, and put four more tasks in ``AMBIGUOUS``
(each with its reason below).

Two labels hold tasks of another action key (丰都县 files "建立完善科技资源科普化机制" under its
infrastructure action, and its talent action has no counterpart key in the other plans): a method
that compares tasks only within one action key cannot find those pairs.
"""

from __future__ import annotations

Ref = tuple[str, str, int]  # (seed id "000".."004", action key, n-th task of that action)

SAME_WORK: dict[str, list[Ref]] = {
    # --- youth ---------------------------------------------------------------------------
    "科学家精神进校园": [("000", "youth", 1), ("001", "youth", 1), ("002", "youth", 1),
                   ("003", "youth", 1), ("004", "youth", 1)],
    "基础教育阶段科学教育": [("000", "youth", 2), ("001", "youth", 2), ("002", "youth", 2),
                   ("003", "youth", 2), ("004", "youth", 2)],
    "校内外科学教育资源衔接": [("000", "youth", 4), ("001", "youth", 3), ("002", "youth", 5),
                    ("003", "youth", 6), ("004", "youth", 5)],
    "科技创新后备人才培育": [("000", "youth", 5), ("001", "youth", 4), ("002", "youth", 4),
                   ("003", "youth", 4)],
    "教师科学素质": [("001", "youth", 5), ("002", "youth", 6), ("003", "youth", 5), ("004", "youth", 3)],
    # --- farmers -------------------------------------------------------------------------
    "农村科普宣传与科学观念": [("000", "farmers", 1), ("001", "farmers", 1), ("002", "farmers", 1),
                    ("003", "farmers", 1), ("004", "farmers", 1)],
    "高素质农民培育": [("000", "farmers", 3), ("001", "farmers", 2), ("002", "farmers", 2),
                ("003", "farmers", 2), ("004", "farmers", 2)],
    "乡村振兴科技支撑": [("000", "farmers", 2), ("001", "farmers", 3), ("002", "farmers", 3),
                 ("003", "farmers", 3), ("004", "farmers", 3)],
    # --- workers -------------------------------------------------------------------------
    "职业精神宣传教育": [("000", "workers", 1), ("001", "workers", 1), ("002", "workers", 1),
                 ("003", "workers", 1), ("004", "workers", 1)],
    "技能创新与竞赛": [("000", "workers", 3), ("001", "workers", 3), ("002", "workers", 2),
                ("003", "workers", 2), ("004", "workers", 2)],
    "职业技能提升": [("000", "workers", 2), ("001", "workers", 2), ("002", "workers", 3),
               ("003", "workers", 3), ("004", "workers", 3)],
    "企业家示范引领": [("000", "workers", 4), ("003", "workers", 4), ("004", "workers", 4)],
    # --- elderly -------------------------------------------------------------------------
    "智慧助老": [("000", "elderly", 1), ("001", "elderly", 1), ("002", "elderly", 1),
             ("003", "elderly", 1), ("004", "elderly", 1)],
    "老年人健康科普": [("000", "elderly", 2), ("001", "elderly", 2), ("002", "elderly", 2),
                ("003", "elderly", 2), ("004", "elderly", 2)],
    "银龄科普": [("000", "elderly", 3), ("001", "elderly", 3), ("002", "elderly", 3),
             ("003", "elderly", 3), ("004", "elderly", 3)],
    # --- officials -----------------------------------------------------------------------
    "新发展理念": [("000", "officials", 1), ("002", "officials", 1), ("003", "officials", 1),
              ("004", "officials", 1)],
    "科学素质教育培训": [("000", "officials", 2), ("001", "officials", 1), ("002", "officials", 2),
                 ("003", "officials", 2), ("004", "officials", 2)],
    "考核录用中的科学素质要求": [("000", "officials", 4), ("001", "officials", 2), ("002", "officials", 3)],
    "领导干部带头示范": [("001", "officials", 3), ("004", "officials", 3)],
    # --- science_resources ---------------------------------------------------------------
    "科技资源科普化机制": [("000", "science_resources", 1), ("001", "science_resources", 1),
                  ("002", "science_resources", 1), ("003", "science_resources", 1),
                  ("004", "infrastructure", 4)],  # 丰都县 files it under infrastructure
    "科技资源科普化专项行动": [("000", "science_resources", 2), ("001", "science_resources", 2),
                    ("002", "science_resources", 2), ("003", "science_resources", 2)],
    "科技工作者社会责任": [("000", "science_resources", 3), ("001", "science_resources", 3),
                  ("002", "science_resources", 3), ("003", "science_resources", 3)],
    # --- informatization -----------------------------------------------------------------
    "科普创作": [("000", "informatization", 1), ("001", "informatization", 2),
             ("002", "informatization", 1), ("003", "informatization", 1),
             ("004", "informatization", 3)],  # 丰都县 "科普资源共建共享机制": rewards and support for 科普创作
    "全媒体科学传播": [("000", "informatization", 2), ("001", "informatization", 1),
                ("002", "informatization", 2), ("003", "informatization", 2),
                ("004", "informatization", 2)],
    "智慧科普": [("000", "informatization", 3), ("001", "informatization", 3),
             ("002", "informatization", 3), ("003", "informatization", 3),
             ("004", "informatization", 1)],
    # --- infrastructure ------------------------------------------------------------------
    "科普基础设施统筹规划": [("002", "infrastructure", 1), ("003", "infrastructure", 1)],
    "现代科技馆体系": [("000", "infrastructure", 1), ("002", "infrastructure", 2),
                ("003", "infrastructure", 2), ("004", "infrastructure", 1)],
    "科普基地建设": [("000", "infrastructure", 2), ("001", "infrastructure", 3),
               ("002", "infrastructure", 3), ("003", "infrastructure", 3),
               ("004", "infrastructure", 2),
               ("004", "infrastructure", 3)],  # 丰都县 splits it: new bases (2), trade bases and venues (3)
    # --- grassroots ----------------------------------------------------------------------
    "应急科普宣教协同": [("000", "grassroots", 1), ("001", "grassroots", 1), ("002", "grassroots", 2),
                 ("003", "grassroots", 1), ("004", "grassroots", 3)],
    "基层科普服务体系": [("000", "grassroots", 2), ("001", "grassroots", 2), ("002", "grassroots", 3),
                 ("003", "grassroots", 2), ("004", "grassroots", 1)],
    "基层科普服务能力": [("000", "grassroots", 3), ("001", "grassroots", 3), ("002", "grassroots", 4),
                 ("003", "grassroots", 3), ("004", "grassroots", 2),
                 ("002", "grassroots", 1)],  # 忻州市 splits off the activity days (全国科普日, 科技活动周…)
    "专职科普队伍": [("000", "grassroots", 4), ("001", "grassroots", 4), ("002", "grassroots", 5),
               # 丰都县 has a talent action that splits it: the full-time staff and posts (1), the
               # part-time 科技辅导员 and 科普员/讲解员 drawn from 科技特派员, 大学生村官, teachers (2)
               ("004", "talent", 1), ("004", "talent", 2)],
    # --- exchange ------------------------------------------------------------------------
    # One piece of work in every plan, which the plans split differently: 正宁县 into channels,
    # content and platforms (1-3), 万年县 into channels+content (1) and platforms (2); the others
    # hold it in one task. Its sub-items overlap between tasks, so only the whole is a label.
    "科学素质交流合作": [("000", "exchange", 1), ("001", "exchange", 1), ("001", "exchange", 2),
                 ("001", "exchange", 3), ("002", "exchange", 1), ("003", "exchange", 1),
                 ("003", "exchange", 2), ("004", "exchange", 1)],
}

AMBIGUOUS: list[Ref] = [
    # 丰都县 "推动科普资源共建共享": sharing of resources inside the county, under its "开放共享" action;
    # neither clearly the exchange work of the others nor separate from it
    ("004", "exchange", 2),
    # 丰都县 "健全科普人才培养机制": training of science communicators, with a fold of 科技工作者社会责任
    ("004", "talent", 3),
    # 正宁县 "加强科普场馆体系建设": part planning (as 002/003 task 1), part venues (科技馆体系)
    ("001", "infrastructure", 1),
    # 正宁县 "推动科普资源联动融合": venues and bases shared with libraries and museums: close both to
    # 现代科技馆体系 (融合共享) and to 科普基地建设 (公共设施拓展科普功能)
    ("001", "infrastructure", 2),
    # 沁源县 "拓展青少年科学教育方式": venues and 进校园 activities, close to 校内外衔接
    ("000", "youth", 3),
    # 万年县 "支持学校科学教育和科普工作": school innovation activities, close to 后备人才
    ("003", "youth", 3),
    # 丰都县 "加强各类青少年科普阵地建设": venues, competitions and 科技节 mixed (衔接, 后备人才)
    ("004", "youth", 4),
    # 丰都县 "加强农村科普公共服务体系建设": the outline's less-developed-areas item, which 万年县 folds
    # into its 乡村振兴 task: alone in 丰都县, but a reader could pair it with 万年县 task 3
    ("004", "farmers", 4),
    # 沁源县 "不断丰富学习形式": online training platforms (as 忻州市's 教育培训) and officials taking
    # part in 科普 (as 带头示范): split between two works
    ("000", "officials", 3),
]

#: Named themes every one of the five plans has (read in each plan), for the overlap tests.
IN_ALL_FIVE = ["科学家精神进校园", "智慧助老", "老年人健康科普", "银龄科普", "应急科普宣教协同",
               "基层科普服务体系", "科普基地建设", "高素质农民培育", "职业精神宣传教育", "技能创新与竞赛",
               "职业技能提升", "科学素质教育培训", "校内外科学教育资源衔接",
               # added with issue 16 (read in each plan; the method of version 1 missed a plan's task)
               "乡村振兴科技支撑", "全媒体科学传播", "农村科普宣传与科学观念", "基础教育阶段科学教育",
               "基层科普服务能力"]  # 智慧科普 too, but the method misses 正宁县 (docs/themes.md)

#: The examples issue 16 names (same work in other words, or behind a title that says little),
#: each a pair of tasks read as the same work: (label, ref, ref).
ISSUE_EXAMPLES: list[tuple[str, Ref, Ref]] = [
    ("乡村振兴科技支撑", ("001", "farmers", 3), ("003", "farmers", 3)),  # 实施…科技支撑行动 / 发挥科技支撑…作用
    ("乡村振兴科技支撑", ("001", "farmers", 3), ("000", "farmers", 2)),  # / 开展科技助力乡村振兴行动
    ("教师科学素质", ("001", "youth", 5), ("002", "youth", 6)),  # 加强中小学科技教师队伍建设 / 实施教师科学素质提升工程
    ("全媒体科学传播", ("001", "informatization", 1), ("002", "informatization", 2)),  # 开展全媒体科普行动 / …计划
    ("农村科普宣传与科学观念", ("004", "farmers", 1), ("002", "farmers", 1)),  # 大力开展农民教育培训: 三下乡
    ("科普创作", ("004", "informatization", 3), ("000", "informatization", 1)),  # 科普资源共建共享机制: 科普创作
]
