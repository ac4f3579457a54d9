"""The overlap heatmap ordered by similarity, its colours spent on the off-diagonal range.

The matrices are built here, so which plans belong together is known from how they were built.
"""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from plangraph.viz.heatmap import HIGH, LOW, render_heatmap

LIGHTEST = "rgb({},{},{})".format(*LOW)
DARKEST = "rgb({},{},{})".format(*HIGH)


def order_of(page: str) -> list[str]:
    return re.findall(r'<th scope="row">([^<]*)</th>', page)


def test_alike_plans_end_up_side_by_side() -> None:
    # 甲 and 丙 are alike (0.9), 乙 and 丁 are alike (0.8); across the pairs 0.2-0.3
    names = ["甲县", "乙县", "丙县", "丁县"]
    values = [[1.0, 0.2, 0.9, 0.3],
              [0.2, 1.0, 0.25, 0.8],
              [0.9, 0.25, 1.0, 0.2],
              [0.3, 0.8, 0.2, 1.0]]
    order = order_of(render_heatmap(names, values, title="t"))
    assert sorted(order) == sorted(names)
    pairs = {frozenset(order[0:2]), frozenset(order[2:4])}
    assert pairs == {frozenset({"甲县", "丙县"}), frozenset({"乙县", "丁县"})}
    assert order_of(render_heatmap(names, values, title="t")) == order  # the same every time


def test_colours_span_the_off_diagonal_range_and_the_diagonal_is_apart() -> None:
    names = ["甲县", "乙县", "丙县"]
    values = [[1.0, 0.26, 0.87], [0.26, 1.0, 0.5], [0.87, 0.5, 1.0]]
    page = render_heatmap(names, values, title="t")
    cell = lambda v: re.search(rf'style="background:([^"]+)" title="[^"]*: similarity {v:.4f}"', page).group(1)  # noqa: E731
    assert cell(0.26) == LIGHTEST and cell(0.87) == DARKEST  # the whole scale on 0.26-0.87
    assert cell(1.0) not in (LIGHTEST, DARKEST)  # the diagonal has its own colour
    assert "0.26" in page and "0.87" in page  # the legend says the range


def test_the_seed_heatmap_runs_from_lightest_to_darkest(client: TestClient) -> None:
    page = client.get("/maps/overlap").text
    colours = re.findall(r'<td(?! class="dark self")[^>]*style="background:([^"]+)"', page)
    assert len(colours) == 5 * 4  # the off-diagonal cells of five plans
    assert LIGHTEST in colours and DARKEST in colours
