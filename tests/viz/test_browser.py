"""The maps in a real headless chromium, with every request to another host refused and recorded.

A map opens on its overview (tasks folded into their actions, supports counted, not drawn); the
tests that count every task first ask for everything, as a reader would: "show every task" and the
support role ticked (``show_everything``).

Expected numbers for 004 (丰都县) were counted by reading the plan: 34 tasks numbered 1..34 in ten
actions (youth 1-5, farmers 6-9, workers 10-13, elderly 14-16, officials 17-19, infrastructure
20-23, grassroots 24-26, informatization 27-29, talent 30-32, exchange 33-34); the 牵头单位 lists
name 63 leads in all, 7 of them in the youth action (县教委 alone in tasks 1-3, 县教委 and 县科协 in
4 and 5). Node and edge totals are cross-checked against the parsed plan.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from plangraph.graph.model import Plan
from plangraph.viz.html import write_html
from plangraph.viz.mapdata import MapData
from plangraph.viz.views import agency_map, comparison_map, jurisdiction_map

TASKS_004 = {"youth": 5, "farmers": 4, "workers": 4, "elderly": 3, "officials": 3,
             "infrastructure": 4, "grassroots": 3, "informatization": 3, "talent": 3, "exchange": 2}
LEADS_004 = 63
YOUTH_LEADS_004 = 7

COUNT_INK = """() => {
  const c = document.querySelector('#mynetwork canvas');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let ink = 0;
  for (let i = 0; i < d.length; i += 4) {
    if (d[i + 3] > 0 && (d[i] < 235 || d[i + 1] < 235 || d[i + 2] < 235)) ink++;
  }
  return ink;
}"""
VIEW_COUNTS = """() => {
  const n = network.body.data.nodes, e = network.body.data.edges;
  const tasks = {};
  n.get({filter: x => x.nk === 'task'}).forEach(x => { tasks[x.act] = (tasks[x.act] || 0) + 1; });
  const roles = {};
  e.get().forEach(x => { roles[x.role] = (roles[x.role] || 0) + 1; });
  return {nodes: n.length, edges: e.length, tasks: tasks, roles: roles,
          agencies: n.get({filter: x => x.nk === 'agency' || x.nk === 'group'}).length};
}"""


def expected_from_plan(plan: Plan) -> tuple[int, int]:
    """Nodes and edges of the full jurisdiction map, counted from the parsed plan (cross-check)."""
    agencies = {m.agency_id for _, t in plan.tasks() for _, m in t.mentions()}
    agencies |= {m.agency_id for a in plan.actions for m in a.leads}
    members = {(m, g.agency_id) for g in plan.groups if g.agency_id in agencies for m in g.members}
    agencies |= {m for m, _ in members}
    role_edges = {(m.agency_id, a.seq, t.seq, r) for a, t in plan.tasks() for r, m in t.mentions()}
    action_leads = {(m.agency_id, a.seq) for a in plan.actions for m in a.leads}
    nodes = len(plan.tasks()) + len(plan.actions) + len(agencies)
    edges = len(plan.tasks()) + len(role_edges) + len(action_leads) + len(members)
    return nodes, edges


def show_everything(opened) -> None:
    """Tick "show every task" and every role, as a reader does to see the whole plan."""
    opened.page.check("#toggle-detail")
    opened.wait_ready()
    for role in ("lead", "support", "responsible"):
        box = opened.page.locator(f'input[name="role"][value="{role}"]')
        if not box.is_checked():
            box.check()
            opened.wait_ready()


def render(data: MapData, tmp_path: Path, name: str = "map.html") -> Path:
    return write_html(data, tmp_path / name)


def assert_clean(opened) -> None:
    assert opened.refused == [], f"requests left the page: {opened.refused}"
    assert opened.errors == [], f"page errors: {opened.errors}"


def test_jurisdiction_map_of_004_is_drawn_with_the_plans_counts(seed_plan, open_map, tmp_path):
    plan = seed_plan("004")
    opened = open_map(render(jurisdiction_map(plan), tmp_path))
    show_everything(opened)
    counts = opened.eval(VIEW_COUNTS)
    assert counts["tasks"] == TASKS_004  # from reading the plan
    assert counts["roles"]["lead"] == LEADS_004  # from reading the plan
    assert counts["roles"].get("responsible", 0) == 0
    assert counts["roles"]["part"] == sum(TASKS_004.values())
    assert (counts["nodes"], counts["edges"]) == expected_from_plan(plan)  # cross-check
    assert opened.eval(COUNT_INK) > 20_000  # the canvas is not blank
    assert_clean(opened)


def test_blank_canvas_counts_no_ink(open_map, tmp_path):
    """The ink count is a real measure: an empty map has none."""
    opened = open_map(render(MapData(title="空"), tmp_path))
    assert opened.eval(COUNT_INK) == 0
    assert_clean(opened)


def click_and_settle(opened, selector: str) -> None:
    opened.page.click(selector)
    opened.wait_ready()


def test_filters_toggle_actions_roles_and_agency(seed_plan, open_map, tmp_path):
    plan = seed_plan("004")
    opened = open_map(render(jurisdiction_map(plan), tmp_path))
    overview = opened.eval(VIEW_COUNTS)
    show_everything(opened)
    for key in TASKS_004:
        if key != "youth":
            click_and_settle(opened, f'input[name="action"][value="{key}"]')
    counts = opened.eval(VIEW_COUNTS)
    assert counts["tasks"] == {"youth": 5}
    assert counts["roles"]["lead"] == YOUTH_LEADS_004
    assert counts["roles"]["support"] > 0
    click_and_settle(opened, 'input[name="role"][value="support"]')
    counts = opened.eval(VIEW_COUNTS)
    assert counts["roles"].get("support", 0) == 0 and counts["roles"]["lead"] == YOUTH_LEADS_004
    assert counts["agencies"] == 2  # 县教委 and 县科协 lead in youth
    jiaowei = next(a.id for a in plan.agencies if a.name == "县教委")
    opened.page.select_option("#filter-agency", jiaowei)
    opened.wait_ready()
    counts = opened.eval(VIEW_COUNTS)
    assert counts["tasks"] == {"youth": 5} and counts["roles"]["lead"] == 5
    assert counts["agencies"] == 1
    assert opened.eval(COUNT_INK) > 1_000
    click_and_settle(opened, "#filter-reset")  # back to the overview the page opened on
    assert opened.eval(VIEW_COUNTS) == overview
    assert_clean(opened)


def test_cap_note_is_visible_and_the_page_holds_only_what_it_says(seed_plan, open_map, tmp_path):
    data = jurisdiction_map(seed_plan("004"), max_nodes=40)
    assert data.capped
    opened = open_map(render(data, tmp_path))
    show_everything(opened)
    note = opened.page.locator(".note.cap")
    assert note.is_visible()
    assert note.inner_text().startswith(
        f"showing {data.tasks_shown} of 34 tasks; filter by action to see the rest")
    counts = opened.eval(VIEW_COUNTS)
    assert sum(counts["tasks"].values()) == data.tasks_shown
    assert counts["nodes"] == len(data.nodes) <= 40
    assert_clean(opened)


def hover_node(opened, node_id: str) -> str:
    """Move the mouse onto a node (zoomed in on it) and return the tooltip's text."""
    point = opened.eval(f"""() => {{
      const pos = network.getPositions(['{node_id}'])['{node_id}'];
      network.moveTo({{position: pos, scale: 2.5, animation: false}});
      const dom = network.canvasToDOM(pos);
      const box = document.querySelector('#mynetwork canvas').getBoundingClientRect();
      return [box.left + dom.x, box.top + dom.y];
    }}""")
    opened.page.mouse.move(point[0] - 30, point[1] - 30)
    opened.page.mouse.move(point[0], point[1], steps=5)
    tooltip = opened.page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible", timeout=5_000)
    return tooltip.inner_text()


def test_hover_on_a_task_shows_its_sentence_its_place_and_highlights_what_it_touches(
        seed_plan, open_map, tmp_path):
    plan = seed_plan("004")
    opened = open_map(render(jurisdiction_map(plan, actions=["youth"]), tmp_path))
    show_everything(opened)
    first = plan.actions[0].tasks[0]
    node_id = f"{plan.jurisdiction.name}:t1.1"
    text = hover_node(opened, node_id)
    assert first.title in text
    assert "坚持立德树人" in text  # the task's next sentence, as the plan writes it
    assert "提升行动" in text and "任务 1.1" in text and "行动 1" in text  # part, action, task
    assert "牵头单位：县教委" in text and "责任单位：县委宣传部" in text  # the clause as written
    faded = opened.eval("() => nodes.get({filter: n => n.dim}).map(n => n.id)")
    kept = opened.eval("() => network.body.data.nodes.get({filter: n => !n.dim}).map(n => n.label)")
    # task 1 of 丰都县: led by 县教委, with 县委宣传部、县文化旅游委、团县委、县科协 (read from the plan)
    assert {"县教委", "县委宣传部", "县文化旅游委", "团县委", "县科协"} <= set(kept)
    assert "丰都县:t1.2" in faded and node_id not in faded
    opened.page.mouse.move(5, 5)
    opened.page.wait_for_timeout(200)
    assert opened.eval("() => nodes.get({filter: n => n.dim}).length") == 0
    assert_clean(opened)


def test_agency_map_and_comparison_are_drawn_offline(seed_plan, open_map, tmp_path):
    plans = [seed_plan("004"), seed_plan("003")]
    one = agency_map([plans[0]], agencies=["县教委"])
    both = comparison_map(plans)
    for n, data in enumerate((one, both)):
        opened = open_map(render(data, tmp_path, f"map{n}.html"))
        show_everything(opened)
        counts = opened.eval(VIEW_COUNTS)
        assert (counts["nodes"], counts["edges"]) == (len(data.nodes), len(data.edges))
        assert opened.eval(COUNT_INK) > 10_000
        assert_clean(opened)
    # 县教委 of 丰都县 leads tasks 1-5 and supports others (read from the plan's clauses)
    assert sum(1 for e in one.edges if e.kind == "lead") == 5
    assert both.count("jurisdiction") == 2 and any(n.shared for n in both.nodes if n.kind == "kind")


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_every_seed_renders_without_leaving_the_page(seed_plan, open_map, tmp_path, prefix):
    plan = seed_plan(prefix)
    opened = open_map(render(jurisdiction_map(plan), tmp_path))
    show_everything(opened)
    counts = opened.eval(VIEW_COUNTS)
    assert sum(counts["tasks"].values()) == len(plan.tasks())
    assert (counts["nodes"], counts["edges"]) == expected_from_plan(plan)
    assert opened.eval(COUNT_INK) > 10_000
    assert_clean(opened)


def test_the_harness_records_and_refuses_requests_to_other_hosts(open_map, tmp_path):
    """Proof that an empty ``refused`` list means something: a page that fetches is caught."""
    page = tmp_path / "fetches.html"
    page.write_text('<!DOCTYPE html><meta charset="utf-8"><body data-ready="true">'
                    '<img src="https://cdn.example.invalid/x.png">'
                    '<script src="http://127.0.0.1:9/x.js"></script></body>', encoding="utf-8")
    opened = open_map(page)
    opened.page.wait_for_timeout(300)
    assert "https://cdn.example.invalid/x.png" in opened.refused
    assert "http://127.0.0.1:9/x.js" in opened.refused
