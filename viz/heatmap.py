"""A matrix of figures (how alike jurisdictions' plans are) as one offline HTML heatmap.

Why a table and not a chart library: the page must work inside reports and e-mail with no network,
and a coloured HTML table needs no script at all. Like the maps (``viz/html.py``), the page
declares ``<meta charset="utf-8">`` and a Content-Security-Policy that forbids any fetch, and
``render_heatmap`` refuses to return a page that ``remote_references`` finds anything in.

Example:
    >>> page = render_heatmap(["甲县", "乙县"], [[1.0, 0.5], [0.5, 1.0]], title="示例")
    >>> remote_references(page), "甲县" in page
    ([], True)
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import Protocol

from .html import OfflineError, remote_references

LOW = (247, 251, 255)   # colour of 0.0
HIGH = (8, 48, 107)     # colour of 1.0
DARK_FROM = 0.55        # values from here on get white text
CSP = ("default-src 'none'; script-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:")

STYLE = """
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif;
       margin: 1.2em; color: #1b2631; }
h1 { font-size: 1.3em; margin: 0 0 .3em; }
p.subtitle, p.note { margin: .2em 0; color: #566573; }
p.note { color: #9a5b00; }
.legend { display: flex; align-items: center; gap: .5em; margin: .6em 0 1em; font-size: .85em; }
.legend .bar { width: 220px; height: 12px; border: 1px solid #aab7b8;
               background: linear-gradient(to right, rgb(247,251,255), rgb(8,48,107)); }
.wrap { overflow: auto; max-height: 85vh; border: 1px solid #d5d8dc; }
table { border-collapse: collapse; font-size: .8em; }
th, td { border: 1px solid #fff; padding: .25em .4em; text-align: center; white-space: nowrap; }
thead th { position: sticky; top: 0; background: #eaecee; z-index: 2; }
tbody th { position: sticky; left: 0; background: #eaecee; text-align: right; z-index: 1; }
td.dark { color: #fff; }
td.self { outline: 1px solid #7f8c8d; outline-offset: -2px; }
"""


def cell_colour(value: float) -> str:
    """The background of a cell: from LOW (0.0) to HIGH (1.0), clamped."""
    v = min(1.0, max(0.0, value))
    r, g, b = (round(lo + (hi - lo) * v) for lo, hi in zip(LOW, HIGH, strict=True))
    return f"rgb({r},{g},{b})"


def _cell(row: str, col: str, value: float, measure: str) -> str:
    classes = ["dark"] if value >= DARK_FROM else []
    if row == col:
        classes.append("self")
    cls = f' class="{" ".join(classes)}"' if classes else ""
    tip = escape(f"{row} × {col}: {measure} {value:.4f}")
    return f'<td{cls} style="background:{cell_colour(value)}" title="{tip}">{value:.2f}</td>'


def _table(labels: Sequence[str], values: Sequence[Sequence[float]], measure: str) -> str:
    head = "".join(f'<th scope="col">{escape(name)}</th>' for name in labels)
    rows = [
        f'<tr><th scope="row">{escape(row)}</th>'
        + "".join(_cell(row, col, v, measure) for col, v in zip(labels, line, strict=True)) + "</tr>"
        for row, line in zip(labels, values, strict=True)
    ]
    return f'<table><thead><tr><th></th>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def render_heatmap(
    labels: Sequence[str], values: Sequence[Sequence[float]], *, title: str, subtitle: str = "",
    measure: str = "similarity", notes: Sequence[str] = (),
) -> str:
    """One self-contained page: title, notes, a colour legend and the coloured matrix (0..1)."""
    if len(values) != len(labels) or any(len(row) != len(labels) for row in values):
        raise ValueError("the matrix must have one row and one column per label")
    parts = [
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="subtitle">{escape(subtitle)}</p>' if subtitle else "",
        *(f'<p class="note">{escape(n)}</p>' for n in notes),
        f'<div class="legend"><span>0</span><span class="bar"></span><span>1</span>'
        f"<span>{escape(measure)}</span></div>",
        f'<div class="wrap">{_table(labels, values, measure)}</div>',
        "</body>\n</html>\n",
    ]
    page = "\n".join(p for p in parts if p)
    found = remote_references(page)
    if found:
        raise OfflineError(f"heatmap page would fetch from other hosts: {found[:5]}")
    return page


class Matrix(Protocol):
    """What ``overlap_heatmap`` reads (``queries.overlap.OverlapMatrix`` has it)."""

    measure: str
    jurisdictions: list[str]
    values: list[list[float]]
    loaded: int
    notes: list[str]


MEASURES = {
    "division": ("分工相似度 Similarity of the division of work",
                 "cosine of the weights of (action, agency kind), leads weighing more than supporters; "
                 "1 = the same division of work"),
    "themes": ("共同任务主题 Shared task themes",
               "themes both plans have / themes either has (Jaccard); 1 = the same set of themes"),
}


def overlap_heatmap(matrix: Matrix) -> str:
    """The page of an overlap matrix, titled and explained by its measure."""
    title, explain = MEASURES.get(matrix.measure, (matrix.measure, ""))
    subtitle = f"{len(matrix.jurisdictions)} of {matrix.loaded} jurisdictions; {explain}"
    return render_heatmap(matrix.jurisdictions, matrix.values, title=title, subtitle=subtitle,
                          measure=matrix.measure, notes=matrix.notes)


def write_heatmap(page: str, path: str | Path) -> Path:
    """Write a page as UTF-8 (never the platform's default encoding) and return its path."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    return out
