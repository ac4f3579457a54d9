"""Web-page plans (.html, often Word-exported, often GBK): the content block's text and tables.

Why: a plan published on a government site sits inside navigation, menus, scripts and footers; the
text is the block holding most of the page's words, the title may stand above it. Pages nested
absurdly deep are refused before the parser spends quadratic time on them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import accumulate, repeat
from operator import sub

from selectolax.lexbor import LexborHTMLParser, LexborNode

from plangraph.loaders import limits
from plangraph.loaders.decoded import Decoded
from plangraph.loaders.errors import ReadError
from plangraph.loaders.read_text import bom_decode
from plangraph.loaders.table_columns import task_table_header

_META_CHARSET = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)
_CHARSET_ALIASES: dict[str, str] = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030"}


def _declared_charset(data: bytes) -> str | None:
    m = _META_CHARSET.search(data[:8192])
    if m is None:
        return None
    charset = m.group(1).decode("ascii").lower()
    return _CHARSET_ALIASES.get(charset, charset)


def _decode_html(data: bytes, name: str) -> tuple[str, str]:
    """BOM, then strict UTF-8 (pages often lie about it), then the meta charset, then GB18030."""
    decoded = bom_decode(data)
    if decoded is not None:
        return decoded
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = _declared_charset(data)
    for encoding in (declared, "gb18030"):
        try:
            if encoding:
                return data.decode(encoding), encoding
        except (LookupError, UnicodeDecodeError):
            continue
    raise ReadError(name, "undecodable HTML: not UTF-8, GB18030 or its declared charset")


_DROP_TAGS: list[str] = [
    "script", "style", "nav", "footer", "noscript", "template", "iframe", "object",
    "embed", "svg", "canvas", "select", "button", "input", "textarea", "aside",
]
# class/id words of site chrome built from plain divs ("header" is not here: it often holds the title)
_CHROME_WORDS = frozenset(
    {"nav", "navbar", "navigation", "menu", "footer", "foot", "breadcrumb", "crumb", "crumbs",
     "sidebar", "share", "copyright", "topbar", "toolbar", "bottom"}
)
_BLOCK_TAGS = frozenset(
    {"p", "div", "li", "ul", "ol", "tr", "table", "tbody", "thead", "tfoot", "section", "article",
     "main", "blockquote", "dl", "dd", "dt", "center", "pre", "address", "hr", "figure",
     "figcaption", "caption", "form", "fieldset", "h1", "h2", "h3", "h4", "h5", "h6"}
)
_LIST_TAGS = frozenset({"div", "ul", "ol", "dl", "table", "section", "menu"})
_TITLE_WORDS = ("方案", "纲要", "规划", "计划", "通知", "意见")
_DESCEND_SHARE = 0.6  # a child holding this share of a block's text is where the content is
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")


def _text_len(node: LexborNode) -> int:
    return len("".join((node.text(deep=True) or "").split()))


def _is_chrome(node: LexborNode) -> bool:
    attrs = node.attributes
    words = re.split(r"[\s_-]+", f"{attrs.get('class') or ''} {attrs.get('id') or ''}".lower())
    return any(word in _CHROME_WORDS for word in words)


def _strip_chrome(body: LexborNode) -> None:
    """Remove navigation, menus and footers built from divs, unless one holds most of the page."""
    total = _text_len(body)
    for node in reversed(body.css("[class], [id]")):  # children before parents: safe to remove
        if _is_chrome(node) and _text_len(node) < 0.5 * total:
            node.decompose()


def _strip_page_headers(body: LexborNode) -> None:
    """Remove <header> elements of the page; an article's own <header> (its title) stays."""
    for node in reversed(body.css("header")):
        if not _has_ancestor(node, ("article", "main")):
            node.decompose()


def _has_ancestor(node: LexborNode, tags: tuple[str, ...]) -> bool:
    current = node.parent
    while current is not None:
        if current.tag in tags:
            return True
        current = current.parent
    return False


def _elements(node: LexborNode) -> list[LexborNode]:
    return [child for child in node.iter() if child.is_element_node]


def _main_block(body: LexborNode) -> LexborNode:
    """Descend from <body> into the child holding most of the text while it holds most of it."""
    node = body
    while True:
        total = _text_len(node)
        sized = [(_text_len(child), child) for child in _elements(node)]
        if not sized or total == 0:
            return node
        size, best = max(sized, key=lambda pair: pair[0])
        if size < _DESCEND_SHARE * total or _is_task_table(best):
            return node
        node = best


def _is_task_table(node: LexborNode) -> bool:
    """A task table is content beside the text around it, not a layout table to descend into."""
    if node.tag not in ("table", "tbody"):
        return False
    rows = [[" ".join((c.text(deep=True) or "").split()) for c in _elements(tr) if c.tag in ("td", "th")] for tr in node.css("tr")[:3]]
    return task_table_header(rows) is not None


def _link_dense(node: LexborNode) -> bool:
    """A list of links (related articles, a menu left inside the content)."""
    links = node.css("a")
    if node.tag not in _LIST_TAGS or len(links) < 3:
        return False
    return sum(_text_len(a) for a in links) > 0.5 * max(_text_len(node), 1)


def _render(node: LexborNode, out: list[str], pre: bool = False) -> None:
    """Append the text of `node`'s children to `out`, block elements on lines of their own."""
    for child in node.iter(include_text=True):
        tag = child.tag
        if child.is_text_node:
            text = child.text_content or ""
            out.append(text if pre else _HTML_SPACE.sub(" ", text))
        elif tag == "br":
            out.append("\n")
        elif tag in ("td", "th"):
            _render(child, out, pre)
            out.append(" ")
        elif tag in _BLOCK_TAGS:
            if not _link_dense(child):
                out.append("\n")
                _render(child, out, pre or tag == "pre")
                out.append("\n")
        elif child.is_element_node:
            _render(child, out, pre)


def _inside(node: LexborNode, ancestor: LexborNode) -> bool:
    current: LexborNode | None = node
    while current is not None:
        if current.mem_id == ancestor.mem_id:
            return True
        current = current.parent
    return False


def _title_line(body: LexborNode, main: LexborNode) -> str | None:
    """The page's plan title when it stands outside the content block (an <h1> above it)."""
    for node in body.css("h1, h2, h3, [class*=title], [id*=title]"):
        text = " ".join((node.text(deep=True) or "").split())
        if 4 <= len(text) <= 120 and any(w in text for w in _TITLE_WORDS) and not _inside(node, main):
            return text
    return None


def _html_lines(html: str) -> tuple[list[str], tuple[tuple[tuple[str, ...], ...], ...]]:
    tree = LexborHTMLParser(html)
    body = tree.body
    if body is None:
        return [], ()
    if _tree_deeper_than(body, MAX_HTML_DEPTH):
        raise RecursionError("HTML nested too deeply")
    tree.strip_tags(_DROP_TAGS)
    _strip_page_headers(body)
    _strip_chrome(body)
    main = _main_block(body)
    out: list[str] = []
    _render(main, out)
    lines = [line.strip() for line in "".join(out).split("\n")]
    title = _title_line(body, main)
    return ([title] if title else []) + [line for line in lines if line], _tables(body)


def _tables(body: LexborNode) -> tuple[tuple[tuple[str, ...], ...], ...]:
    """The page's tables (chrome removed) as rows of cell texts (blanks collapsed, as the text has them); a cell
    spanning rows is given in its first row, empty below it (the text holds it once)."""
    tables = []
    for table in body.css("table"):
        rows = []
        for tr in table.css("tr"):
            nearest = _nearest_table(tr)
            if nearest is None or nearest.mem_id != table.mem_id:
                continue  # a nested table's row: that table is read on its own
            cells = [c for c in _elements(tr) if c.tag in ("td", "th")]
            rows.append(tuple(" ".join(_HTML_SPACE.sub(" ", c.text(deep=True) or "").split()) for c in cells))
        tables.append(tuple(rows))
    return tuple(tables)


def _nearest_table(node: LexborNode) -> LexborNode | None:
    current = node.parent
    while current is not None and current.tag != "table":
        current = current.parent
    return current


# Deeper than this is no web page (browsers stop nesting at 512). The HTML parser's time grows with
# depth times size, and so does reading the tree, so a deeper page is refused: before parsing by an
# estimate from its tags, after parsing by the tree itself.
MAX_HTML_DEPTH = limits.limits().html_depth
_TAG = re.compile(r"<(/?)([a-z][a-z0-9]*)(?=[\s/>])")
_NESTING_TAGS = (
    "div", "span", "center", "blockquote", "ul", "ol", "dl", "table", "section", "article", "header",
    "footer", "main", "nav", "aside", "figure", "form", "fieldset", "label", "pre", "address", "h1",
    "h2", "h3", "h4", "h5", "h6", "button", "select", "object", "iframe", "template",
)
# Formatting elements the parser reopens in every later block while they are left open.
_FORMATTING_TAGS = ("a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u")
_FORMATTING_START = re.compile(rf"<(?:{'|'.join(_FORMATTING_TAGS)})(?=[\s/>])[^<>]*")


def _steps(tags: tuple[str, ...]) -> dict[tuple[str, str], int]:
    return {**{("", t): 1 for t in tags}, **{("/", t): -1 for t in tags}}


_NESTING_STEPS = _steps(_NESTING_TAGS)
_FORMATTING_STEPS = _steps(_FORMATTING_TAGS)


def _deepest(steps: Iterator[int]) -> int:
    """The largest nesting a run of +1 (open) / -1 (close) steps reaches, a stray close ignored."""
    levels = list(accumulate(steps, initial=0))
    return max(map(sub, levels, accumulate(levels, min)))


def _nesting_estimate(html: str) -> int:
    """How deep a page's elements nest, estimated from its tags alone (in C speed, before parsing).

    Block elements nest until closed. Formatting elements left open ("<p><font>…</p>") are
    reopened by the parser in each later block, but one start tag written alike is reopened at
    most three times, so only many different ones left open nest deep.
    """
    if html.count("<") <= MAX_HTML_DEPTH:
        return 0
    low = html.lower()
    tags = _TAG.findall(low)
    depth = _deepest(map(_NESTING_STEPS.get, tags, repeat(0)))
    if len(set(_FORMATTING_START.findall(low))) > MAX_HTML_DEPTH:
        depth = max(depth, _deepest(map(_FORMATTING_STEPS.get, tags, repeat(0))))
    return depth


def _tree_deeper_than(root: LexborNode, limit: int) -> bool:
    """Does any node lie more than `limit` levels below `root`? (Iteratively: no recursion.)"""
    stack = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in node.iter())
    return False


def read_html(data: bytes, name: str) -> Decoded:
    """A web page's content block as lines (navigation, menus, scripts and footers left out) and
    its tables."""
    html, encoding = _decode_html(data, name)
    limits.check_html_size(html, name)
    depth = _nesting_estimate(html)
    if depth > MAX_HTML_DEPTH:
        raise limits.html_too_deep(name, depth)
    try:
        lines, tables = _html_lines(html)
    except RecursionError:
        raise limits.html_too_deep(name) from None
    if not lines:
        raise ReadError(name, "the HTML page holds no text")
    return Decoded("\n".join(lines), encoding, tables=tables)


