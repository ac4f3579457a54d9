"""Plans built by hand, so the map tests do not wait for the parser.

They mimic what the spec says a parsed plan holds: two actions, tasks with lead / support /
responsible clauses, a shared clause, a task with no clause, an action-level lead, a group with
members, and one agency written two ways.
"""

from __future__ import annotations

from plangraph.graph.model import (
    Action,
    Agency,
    Group,
    Jurisdiction,
    Mention,
    Plan,
    Source,
    Task,
    agency_id,
)


def m(j: str, name: str, canonical: str | None = None) -> Mention:
    return Mention(name=name, agency_id=agency_id(j, canonical or name), span=(0, len(name)))


def county_plan(j: str = "甲县", prefix: str = "县") -> Plan:
    """Two actions, five tasks; 科协 is written both '{prefix}科协' and '科协'."""
    kx, jy, wl, mz = (f"{prefix}科协", f"{prefix}教育局", f"{prefix}文旅局", f"{prefix}民政局")
    group = f"{prefix}领导小组各成员单位"
    youth = Action(
        seq=1, part="提升行动", key="youth", title="实施青少年科学素质提升行动",
        tasks=[
            Task(seq=1, title="实施科学家精神进校园行动", span=(0, 10),
                 clause=f"（{jy}牵头，{kx}、{wl}配合）",
                 lead=[m(j, jy)], support=[m(j, kx), m(j, wl)]),
            Task(seq=2, title="加强科普阵地建设", span=(10, 20),
                 clause=f"〔{jy}、科协、{mz}按职责分工负责〕",
                 responsible=[m(j, jy), m(j, "科协", kx), m(j, mz)]),
            Task(seq=3, title="建立家校协同机制", span=(20, 30)),
        ],
    )
    elders = Action(
        seq=2, part="提升行动", key="elderly", title="实施老年人科学素质提升行动",
        leads=[m(j, mz)],
        tasks=[
            Task(seq=1, title="实施智慧助老行动", span=(30, 40), clause=f"（{mz}牵头，{group}配合）",
                 shared_clause=True, lead=[m(j, mz)], support=[m(j, group)]),
            Task(seq=2, title="加强老年人健康科普服务", span=(40, 50), clause=f"（{mz}牵头，{group}配合）",
                 shared_clause=True, lead=[m(j, mz)], support=[m(j, group)]),
        ],
    )
    agencies = [
        Agency(id=agency_id(j, kx), name=kx, spellings=[kx, "科协"]),
        Agency(id=agency_id(j, jy), name=jy, spellings=[jy]),
        Agency(id=agency_id(j, wl), name=wl, spellings=[wl]),
        Agency(id=agency_id(j, mz), name=mz, spellings=[mz]),
        Agency(id=agency_id(j, group), name=group, spellings=[group], is_group=True),
        Agency(id=agency_id(j, f"{prefix}财政局"), name=f"{prefix}财政局"),
    ]
    groups = [Group(name=group, agency_id=agency_id(j, group),
                    members=[agency_id(j, kx), agency_id(j, f"{prefix}财政局")])]
    return Plan(
        source=Source(file=f"{j}.txt", sha256="0" * 64),
        jurisdiction=Jurisdiction(name=j, level="county"),
        period="2021-2025", actions=[youth, elders], agencies=agencies, groups=groups,
    )
