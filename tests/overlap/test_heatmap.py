"""The overlap heatmap: one HTML page that works offline (nothing fetched from another host)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from plangraph.cli import app
from plangraph.viz.heatmap import cell_colour, render_heatmap
from plangraph.viz.html import remote_references
from tests.seed_truth import EXPECTED

ALL = [s.name for s in EXPECTED.values()]


@pytest.mark.parametrize("measure", ["division", "themes"])
def test_heatmap_page_is_offline_and_complete(client: TestClient, measure: str) -> None:
    r = client.get("/maps/overlap", params={"measure": measure})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = r.text
    assert remote_references(page) == []
    assert '<meta charset="utf-8">' in page[:200] and "Content-Security-Policy" in page
    assert "<script" not in page.lower() and "<link" not in page.lower()
    assert all(page.count(name) >= 2 for name in ALL)  # a row and a column each
    assert len(re.findall(r"<td\b", page)) == len(ALL) ** 2
    assert page.count('class="dark self"') == len(ALL)  # the diagonal: 1.0


def test_heatmap_of_chosen_jurisdictions(client: TestClient) -> None:
    chosen = [ALL[4], ALL[3]]
    page = client.get("/maps/overlap", params={"jurisdiction": chosen}).text
    assert len(re.findall(r"<td\b", page)) == 4
    assert all(name not in page for name in ALL if name not in chosen)
    assert client.get("/maps/overlap", params={"jurisdiction": ["不存在县"]}).status_code == 404


def test_cell_colours_run_from_light_to_dark() -> None:
    assert cell_colour(0.0) == "rgb(247,251,255)" and cell_colour(1.0) == "rgb(8,48,107)"
    assert cell_colour(2.0) == cell_colour(1.0) and cell_colour(-1.0) == cell_colour(0.0)


def test_names_are_escaped_and_shapes_checked() -> None:
    page = render_heatmap(['<b>"甲"</b>', "乙县"], [[1.0, 0.3], [0.3, 1.0]], title="t")
    assert "<b>" not in page and "&lt;b&gt;" in page
    with pytest.raises(ValueError):
        render_heatmap(["甲县", "乙县"], [[1.0]], title="t")


def test_render_overlap_command_writes_an_offline_page(seed_db: Path, tmp_path: Path) -> None:
    target = tmp_path / "heat.html"
    result = CliRunner().invoke(app, ["render", "overlap", "--db", str(seed_db), "-o", str(target)])
    assert result.exit_code == 0, result.output
    page = target.read_text(encoding="utf-8")
    assert remote_references(page) == [] and all(name in page for name in ALL)
