"""A matrix of figures (how alike jurisdictions' plans are) as one offline HTML heatmap.

Why a table and not a chart library: the page must work inside reports and e-mail with no network,
and a coloured HTML table needs no script at all. Like the maps (``viz/html.py``), the page
declares ``<meta charset="utf-8">`` and a Content-Security-Policy that forbids any fetch, and
``render_heatmap`` refuses to return a page that ``remote_references`` finds anything in.

Rows and columns are ordered by similarity (``similarity_order``: alike plans side by side, so
groups show as dark blocks along the diagonal), and the colour scale runs over the off-diagonal
values only: the diagonal (every plan is 1.00 like itself) is drawn grey, not spent from the scale.

Example:
    >>> page = render_heatmap(["甲县", "乙县"], [[1.0, 0.5], [0.5, 1.0]], title="示例")
    >>> remote_references(page), "甲县" in page
    ([], True)
    >>> similarity_order([[1, .2, .9], [.2, 1, .3], [.9, .3, 1]])
    [1, 2, 0]
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import Protocol

from .html import OfflineError, remote_references

LOW = (247, 251, 255)   # colour of the lowest value shown (0.0 by default)
HIGH = (8, 48, 107)     # colour of the highest (1.0 by default)
DARK_FROM = 0.55        # from here on the scale (0..1) cells get white text
SELF_COLOUR = "rgb(93,109,126)"  # the diagonal: a plan against itself
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
.legend .self { width: 14px; height: 12px; background: rgb(93,109,126); }
.wrap { overflow: auto; max-height: 85vh; border: 1px solid #d5d8dc; }
table { border-collapse: collapse; font-size: .8em; }
th, td { border: 1px solid #fff; padding: .25em .4em; text-align: center; white-space: nowrap; }
thead th { position: sticky; top: 0; background: #eaecee; z-index: 2; }
tbody th { position: sticky; left: 0; background: #eaecee; text-align: right; z-index: 1; }
td.dark { color: #fff; }
td.self { outline: 1px solid #7f8c8d; outline-offset: -2px; }
"""


def cell_colour(value: float, low: float = 0.0, high: float = 1.0) -> str:
    """The background of a cell: from LOW (at ``low``) to HIGH (at ``high``), clamped."""
    span = high - low
    v = min(1.0, max(0.0, (value - low) / span if span > 0 else 1.0))
    r, g, b = (round(lo + (hi - lo) * v) for lo, hi in zip(LOW, HIGH, strict=True))
    return f"rgb({r},{g},{b})"


def similarity_order(values: Sequence[Sequence[float]]) -> list[int]:
    """A seriation: start from the row least like the others, then always take the unplaced row
    most like the last one placed (ties: the earlier row). Deterministic, O(n²)."""
    n = len(values)
    if n < 3:
        return list(range(n))

    def mean_off(i: int) -> float:
        return sum(values[i][j] for j in range(n) if j != i) / (n - 1)

    order = [min(range(n), key=lambda i: (mean_off(i), i))]
    left = set(range(n)) - set(order)
    while left:
        last = order[-1]
        nearest = max(sorted(left), key=lambda j: values[last][j])
        order.append(nearest)
        left.discard(nearest)
    return order


def off_diagonal_range(values: Sequence[Sequence[float]]) -> tuple[float, float]:
    """Lowest and highest value off the diagonal (0, 1 when there is none)."""
    off = [v for i, row in enumerate(values) for j, v in enumerate(row) if i != j]
    return (min(off), max(off)) if off else (0.0, 1.0)


def _cell(row: str, col: str, value: float, measure: str, scale: tuple[float, float]) -> str:
    low, high = scale
    tip = escape(f"{row} × {col}: {measure} {value:.4f}")
    if row == col:
        return (f'<td class="dark self" style="background:{SELF_COLOUR}" title="{tip}">'
                f"{value:.2f}</td>")
    span = high - low
    dark = (value - low) / span >= DARK_FROM if span > 0 else True
    cls = ' class="dark"' if dark else ""
    return f'<td{cls} style="background:{cell_colour(value, low, high)}" title="{tip}">{value:.2f}</td>'


def _table(labels: Sequence[str], values: Sequence[Sequence[float]], measure: str) -> str:
    scale = off_diagonal_range(values)
    head = "".join(f'<th scope="col">{escape(name)}</th>' for name in labels)
    rows = [
        f'<tr><th scope="row">{escape(row)}</th>'
        + "".join(_cell(row, col, v, measure, scale) for col, v in zip(labels, line, strict=True))
        + "</tr>"
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
    order = similarity_order(values)
    labels = [labels[i] for i in order]
    values = [[values[i][j] for j in order] for i in order]
    low, high = off_diagonal_range(values)
    parts = [
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="subtitle">{escape(subtitle)}</p>' if subtitle else "",
        *(f'<p class="note">{escape(n)}</p>' for n in notes),
        f'<div class="legend"><span>{low:.2f}</span><span class="bar"></span><span>{high:.2f}</span>'
        f"<span>{escape(measure)} (the range off the diagonal)</span>"
        f'<span class="self"></span><span>a plan with itself (1.00)</span></div>',
        '<p class="subtitle">Ordered by similarity: alike plans sit side by side.</p>',
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
