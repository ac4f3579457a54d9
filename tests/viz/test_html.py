"""The page itself, without a browser: offline, UTF-8, with title, legend, filters and notes."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from plangraph.viz.html import build_network, remote_references, render_html, write_html
from plangraph.viz.views import jurisdiction_map

from .handmade import county_plan

FETCHING = re.compile(
    r"""(?:src|href|action|poster|srcset)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//"""
    r"""|@import""",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_html(jurisdiction_map(county_plan(), max_nodes=7),
                      tmp_path_factory.mktemp("html") / "map.html")


def test_page_is_utf8_and_says_so(page_file: Path) -> None:
    raw = page_file.read_bytes()
    text = raw.decode("utf-8")  # raises if not valid UTF-8
    assert '<meta charset="utf-8">' in text[:400]
    assert "甲县" in text and "县科协" in text  # Chinese written as characters, not escapes only


def test_no_script_link_or_src_reference_leaves_the_page(page_file: Path) -> None:
    text = page_file.read_text(encoding="utf-8")
    assert not FETCHING.findall(text)
    tags = re.findall(r"<(?:script|link|img|iframe|source)\b[^>]*>", text, re.IGNORECASE)
    assert all("http://" not in t and "https://" not in t for t in tags), tags
    assert all("src=" not in t and "href=" not in t for t in tags), tags
    assert "cdn" not in " ".join(tags).lower()
    assert "Content-Security-Policy" in text and "default-src 'none'" in text
    assert "@font-face" not in text  # no web fonts: a CJK font stack of system fonts
    assert "WenQuanYi Micro Hei" in text and "Noto Sans CJK SC" in text


def test_vis_network_is_inlined(page_file: Path) -> None:
    text = page_file.read_text(encoding="utf-8")
    assert "vis-network" in text and "new vis.Network(" in text
    assert len(text) > 300_000  # the library itself (its esnext build), not a reference to it


def test_page_has_title_legend_filters_and_cap_note(page_file: Path) -> None:
    text = page_file.read_text(encoding="utf-8")
    assert '<h1 id="map-title">甲县：部门与任务 (who does what)</h1>' in text
    assert 'id="legend"' in text and "牵头 lead" in text and "配合 support" in text
    assert 'name="action" value="youth"' in text and 'name="role" value="responsible"' in text
    assert 'id="filter-agency"' in text and 'value="甲县:县科协"' in text
    assert re.search(r'class="note cap">showing \d of 5 tasks; filter by action to see the rest', text)


def test_remote_reference_checker_catches_what_pyvis_leaves() -> None:
    """pyvis's own template keeps CDN links even when told to inline: the checker must see them."""
    net = build_network(jurisdiction_map(county_plan()))
    found = remote_references(net.generate_html())
    assert any("cdn.jsdelivr.net" in f for f in found)
    assert remote_references('<link rel="stylesheet" href="//fonts.example.com/x.css">')
    assert remote_references("<style>@import url('https://fonts.example.com/a.css');</style>")
    assert remote_references("<div style=\"background:url(http://x.example/a.png)\"></div>")
    assert not remote_references('<svg><line x1="0"/></svg><a id="x">http://text.only</a>')


def test_page_is_lean_chinese_as_utf8_styles_once_no_unused_icons(page_file: Path) -> None:
    text = page_file.read_text(encoding="utf-8")
    assert "\\u7532" not in text  # 甲 written as itself, not as an escape
    assert "base64" not in text  # no inlined icons (vis-network's navigation/manipulation images)
    payload = next(line for line in text.splitlines() if line.startswith("var MAP = "))
    assert payload.count('"strokeColor"') <= 7  # node styles once per kind (7), not once per node
    assert payload.count('"dashes"') == 5  # edge styles once per kind (5), not once per edge


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_one_countys_page_is_under_500_kb(seed_plan, prefix: str) -> None:
    page = render_html(jurisdiction_map(seed_plan(prefix))).encode("utf-8")
    print(f"{prefix}: {len(page):,} bytes, {len(gzip.compress(page)):,} gzipped")
    assert len(page) < 500_000


def test_text_is_escaped(tmp_path: Path) -> None:
    plan = county_plan()
    plan.actions[0].tasks[0].title = "<script>alert(1)</script>标题"
    text = render_html(jurisdiction_map(plan))
    assert "<script>alert(1)</script>" not in text
