"""Readable defaults, measured in a real chromium at a report author's screen size (1400x900).

Every view opens on an overview whose labels are drawn at 12 px or more on screen; the overview of
a plan stays small (its actions and the agencies that lead or are responsible for them); agencies
are sized by what the active filter leaves them; the page works at 900 px wide and prints the map
alone, in proportion, with its legend. Expected names and counts come from the seed oracle.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from plangraph.viz.html import write_html
from plangraph.viz.views import agency_map, comparison_map, jurisdiction_map
from tests.seed_truth import EXPECTED

SCREEN = {"width": 1400, "height": 900}
NARROW = {"width": 900, "height": 900}
MIN_PX = 12

LABEL_PX = """() => {
  const scale = network.getScale();
  return network.body.data.nodes.get().map(n => [n.label, n.font.size * scale]);
}"""
PAGE_TEXT_PX = """() => Array.from(document.querySelectorAll('body *'))
  .filter(e => e.offsetParent !== null && Array.from(e.childNodes).some(c => c.nodeType === 3 && c.textContent.trim()))
  .map(e => [e.tagName + '#' + e.id + '.' + e.className, parseFloat(getComputedStyle(e).fontSize)])"""


def overview_bound(prefix: str) -> int:
    """Actions, plus every agency the plan names as lead or responsible (oracle, as written)."""
    e = EXPECTED[prefix]
    names = set()
    for action in e.actions:
        names |= set(action.leads)
        for task in action.tasks:
            names |= set(task.lead) | set(task.responsible)
    return len(e.actions) + len(names)


def views(seed_plan) -> dict[str, object]:
    plans = [seed_plan(p) for p in EXPECTED]
    return {
        **{f"jurisdiction-{p}": jurisdiction_map(seed_plan(p)) for p in EXPECTED},
        "agency": agency_map([seed_plan("004")], agencies=["县教委"]),
        "kind": agency_map(plans, kind="education"),
        "compare-2": comparison_map([seed_plan("004"), seed_plan("003")]),
        "compare-5": comparison_map(plans),
    }


@pytest.fixture(scope="module")
def pages(seed_plan, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("readable")
    return {name: write_html(data, folder / f"{name}.html") for name, data in views(seed_plan).items()}


@pytest.mark.parametrize("name", [*(f"jurisdiction-{p}" for p in EXPECTED), "agency", "kind",
                                  "compare-2", "compare-5"])
def test_every_view_opens_drawn_with_labels_of_at_least_12_px(pages, open_map, name):
    opened = open_map(pages[name], SCREEN)
    labels = opened.eval(LABEL_PX)
    assert labels, "nothing drawn"
    small = [(label, round(px, 1)) for label, px in labels if px < MIN_PX - 0.01]
    assert not small, f"labels under {MIN_PX} px: {small[:5]}"
    text = [(what, px) for what, px in opened.eval(PAGE_TEXT_PX) if px < MIN_PX]
    assert not text, f"page text under {MIN_PX} px: {text[:5]}"
    assert opened.refused == [] and opened.errors == []
    print(f"{name}: {len(labels)} nodes, smallest label {min(px for _, px in labels):.1f} px")


@pytest.mark.parametrize("prefix", list(EXPECTED))
def test_a_plan_opens_on_a_bounded_overview_of_actions_and_their_leads(pages, open_map, prefix):
    opened = open_map(pages[f"jurisdiction-{prefix}"], SCREEN)
    shown = opened.eval("() => network.body.data.nodes.get().map(n => n.nk)")
    assert "task" not in shown  # tasks are folded into their actions
    assert shown.count("action") == len(EXPECTED[prefix].actions)
    assert len(shown) <= overview_bound(prefix)
    roles = opened.eval("() => network.body.data.edges.get().map(e => e.role)")
    assert "support" not in roles  # counted in the action boxes until asked for
    supports = sum(len(t.support) for a in EXPECTED[prefix].actions for t in a.tasks)
    counted = opened.eval("""() => network.body.data.nodes.get({filter: n => n.nk === 'action'})
      .map(n => { const m = n.label.match(/配合 (\\d+)/); return m ? +m[1] : 0; })
      .reduce((a, b) => a + b, 0)""")
    assert counted == supports  # every support the plan names, counted where it belongs


def test_agency_size_follows_the_active_filter(pages, open_map):
    opened = open_map(pages["jurisdiction-004"], SCREEN)
    weight = "() => Object.fromEntries(nodes.get({filter: n => n.nk === 'agency'}).map(n => [n.label, [n.shownWeight, n.size]]))"
    before = opened.eval(weight)
    for key in ("farmers", "workers", "elderly", "officials", "infrastructure", "grassroots",
                "informatization", "talent", "exchange"):
        opened.page.click(f'input[name="action"][value="{key}"]')
        opened.wait_ready()
    after = opened.eval(weight)
    # youth in 丰都县: 县教委 leads tasks 1-5, 县科协 tasks 4 and 5 (read from the plan)
    assert after["县教委"][0] == 5 and after["县科协"][0] == 2
    assert before["县科协"][0] > 2 and after["县科协"][1] < before["县科协"][1]


def test_at_900_px_wide_the_side_bar_moves_above_the_map_and_folds_away(pages, open_map):
    opened = open_map(pages["jurisdiction-004"], NARROW)
    box = "() => { const r = document.querySelector('#mynetwork canvas').getBoundingClientRect(); return [r.width, r.height]; }"
    width, height = opened.eval(box)
    assert width >= 880  # the whole width: the side bar is no longer beside the map
    assert opened.page.locator("#side-toggle").is_visible()
    opened.page.click("#side-toggle")
    opened.page.wait_for_timeout(300)
    assert not opened.page.locator("#side").is_visible()
    assert opened.eval(box)[1] > height
    assert min(px for _, px in opened.eval(LABEL_PX)) >= MIN_PX - 0.01


def test_printed_the_map_keeps_its_proportions_and_legend_without_the_filters(pages, open_map):
    opened = open_map(pages["jurisdiction-004"], SCREEN)
    opened.page.emulate_media(media="print")
    assert not opened.page.locator("#filters").is_visible()
    assert opened.page.locator("#legend").is_visible()
    drawn, bitmap = opened.eval("""() => { const c = document.querySelector('#mynetwork canvas');
      const r = c.getBoundingClientRect(); return [r.width / r.height, c.width / c.height]; }""")
    assert drawn == pytest.approx(bitmap, rel=0.02)
    pdf = opened.page.pdf(format="A4", landscape=True, print_background=True)
    assert pdf[:5] == b"%PDF-"
