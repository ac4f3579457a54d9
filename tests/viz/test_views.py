"""The map builders on hand-made plans: what each map holds, its notes, its filters and cap."""

from __future__ import annotations

import pytest
from plangraph.viz.kinds import prefix_kind_of
from plangraph.viz.mapdata import MapData
from plangraph.viz.style import EDGE_STYLES, agency_size
from plangraph.viz.views import agency_map, comparison_map, jurisdiction_map

from .handmade import county_plan


def edges(data: MapData, kind: str) -> set[tuple[str, str]]:
    return {(e.source, e.target) for e in data.edges if e.kind == kind}


def node(data: MapData, node_id: str):
    return next(n for n in data.nodes if n.id == node_id)


def test_jurisdiction_map_holds_every_task_agency_and_role() -> None:
    data = jurisdiction_map(county_plan())
    assert data.count("task") == 5 and data.count("action") == 2
    assert data.count("agency") == 5  # 科协 written two ways is one node; 财政局 via the group
    assert data.count("group") == 1
    assert edges(data, "lead") == {
        ("甲县:县教育局", "甲县:t1.1"), ("甲县:县民政局", "甲县:t2.1"),
        ("甲县:县民政局", "甲县:t2.2"), ("甲县:县民政局", "甲县:a2")}
    assert edges(data, "responsible") == {
        ("甲县:县教育局", "甲县:t1.2"), ("甲县:县科协", "甲县:t1.2"), ("甲县:县民政局", "甲县:t1.2")}
    assert ("甲县:县领导小组各成员单位", "甲县:t2.1") in edges(data, "support")
    assert edges(data, "member") == {
        ("甲县:县科协", "甲县:县领导小组各成员单位"), ("甲县:县财政局", "甲县:县领导小组各成员单位")}
    assert len(edges(data, "part")) == 5
    assert data.tasks_shown == data.tasks_total == 5 and not data.capped


def test_hover_shows_task_clause_as_written_and_agency_spellings_and_counts() -> None:
    data = jurisdiction_map(county_plan())
    task = node(data, "甲县:t1.2")
    assert "加强科普阵地建设" in task.hover
    assert "〔县教育局、科协、县民政局按职责分工负责〕" in task.hover
    kexie = node(data, "甲县:县科协")
    assert "县科协、科协" in kexie.hover
    assert "配合 support 1" in kexie.hover and "负责 responsible 1" in kexie.hover
    bare = node(data, "甲县:t1.3")
    assert "无责任条款" in bare.hover
    assert any("name no agency" in n and "建立家校协同机制" in n for n in data.notes)


def test_agencies_are_sized_by_tasks_carried() -> None:
    data = jurisdiction_map(county_plan())
    assert node(data, "甲县:县民政局").weight == 4  # three tasks and the action it leads
    assert node(data, "甲县:县文旅局").weight == 1
    assert agency_size(4) > agency_size(1)


def test_roles_differ_in_colour_and_in_line_pattern_and_width() -> None:
    roles = [EDGE_STYLES[r] for r in ("lead", "support", "responsible")]
    assert len({r["color"] for r in roles}) == 3
    assert len({str(r["dashes"]) for r in roles}) == 3
    assert len({r["width"] for r in roles}) == 3


def test_filters_by_action_role_and_agency() -> None:
    plan = county_plan()
    youth = jurisdiction_map(plan, actions=["youth"])
    assert youth.count("task") == 3 and youth.count("action") == 1
    assert jurisdiction_map(plan, actions=["老年人"]).count("task") == 2  # by short title
    leads = jurisdiction_map(plan, roles=["lead"])
    assert not edges(leads, "support") and not edges(leads, "responsible")
    assert len(edges(leads, "lead")) == 4
    one = jurisdiction_map(plan, agencies=["科协"])  # a spelling finds the agency
    assert {n.id for n in one.nodes if n.kind == "task"} == {"甲县:t1.1", "甲县:t1.2"}
    assert {e.source for e in one.edges if e.kind != "part"} == {"甲县:县科协"}
    assert any("only agencies 科协" in n for n in one.notes)
    with pytest.raises(ValueError, match="unknown role"):
        jurisdiction_map(plan, roles=["boss"])


def test_cap_keeps_whole_tasks_in_order_and_says_what_was_left_out() -> None:
    data = jurisdiction_map(county_plan(), max_nodes=7)
    assert len(data.nodes) <= 7
    assert data.capped and data.tasks_total == 5 and 0 < data.tasks_shown < 5
    note = data.notes[0]
    assert note.startswith(f"showing {data.tasks_shown} of 5 tasks; filter by action to see the rest")
    assert "老年人 (elderly) 2" in note


def test_agency_map_of_one_agency_and_of_a_kind_across_jurisdictions() -> None:
    a, b = county_plan("甲县", "县"), county_plan("乙市", "市")
    one = agency_map([a], agencies=["县民政局"])
    assert {e.target for e in one.edges if e.kind in ("lead", "responsible")} == {
        "甲县:t1.2", "甲县:t2.1", "甲县:t2.2", "甲县:a2"}
    assert one.count("agency") == 1 and "县民政局（甲县）" in one.title
    kind = agency_map([a, b], kind="科协", kind_of=prefix_kind_of)
    assert {n.id for n in kind.nodes if n.kind == "agency"} == {"甲县:县科协", "乙市:市科协"}
    assert kind.count("task") == 4
    assert {n.id for n in kind.nodes if n.kind == "action"} == {"action:youth"}  # drawn once
    with pytest.raises(ValueError):
        agency_map([a])


def test_comparison_draws_shared_kinds_once() -> None:
    a, b = county_plan("甲县", "县"), county_plan("乙市", "市")
    data = comparison_map([a, b], kind_of=prefix_kind_of, kind_label=str)
    kinds = {n.label: n for n in data.nodes if n.kind == "kind"}
    assert set(kinds) == {"科协", "教育局", "文旅局", "民政局", "领导小组各成员单位"}
    assert all(k.shared for k in kinds.values())
    assert data.count("jurisdiction") == 2 and data.count("actiongroup") == 4
    lead = next(e for e in data.edges
                if e.kind == "lead" and e.source == "kind:民政局" and e.target == "甲县:group:elderly")
    assert lead.weight == 3  # two tasks and the whole action
    with pytest.raises(ValueError):
        comparison_map([a])


def test_comparison_cap_notes_left_out_tasks() -> None:
    a, b = county_plan("甲县", "县"), county_plan("乙市", "市")
    data = comparison_map([a, b], kind_of=prefix_kind_of, max_nodes=8)
    assert data.capped and data.notes[0].startswith(f"showing {data.tasks_shown} of 10 tasks")
