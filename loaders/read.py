"""Turn the bytes of a plan file (.txt, .docx, .pdf, .html) into text the parser can read.

Why: plans come as UTF-8 or GB18030 text with any line endings, Word files, PDFs and web pages.
Every later step wants one thing: the document's text (`raw`, which all spans in the product index
into), its normalised form (`text`) and the map between them. A file that is not such a document
(empty, binary, corrupt, a scan without text) raises `ReadError` naming the file and the reason,
never a bare traceback.
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import accumulate, repeat
from operator import sub
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser, LexborNode

from plangraph.loaders import limits
from plangraph.loaders.errors import PlanError, ReadError
from plangraph.loaders.normalize import normalize_map

SUFFIX_FORMATS: dict[str, str] = {
    ".txt": "txt",
    ".text": "txt",
    ".docx": "docx",
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
}


@dataclass(frozen=True)
class SourceText:
    """A decoded document: `raw` as read, `text` normalised, `offsets` from `text` into `raw`
    (a ``range`` when normalising moved no character)."""

    raw: str
    text: str
    offsets: Sequence[int]
    format: str
    encoding: str | None

    @cached_property
    def _identity(self) -> bool:
        """Whether the offset map is the identity (normalising moved no character)."""
        return self.offsets == range(len(self.offsets))

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of `raw` that the span ``text[start:end]`` was read from.

        An end inside a character that normalisation expanded ("⑴" -> "（1）") is moved to that
        character's end, so the raw span always covers every character the text span came from.
        """
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"span [{start}, {end}) is outside the text (length {len(self.text)})")
        if self._identity:  # nothing to look up (and indexing a range is slow)
            return start, end
        offsets = self.offsets
        while start < end < len(self.text) and offsets[end] == offsets[end - 1]:
            end += 1
        return offsets[start], offsets[end]


# --- entry points -------------------------------------------------------------------------------


def read_source(path: Path | str) -> SourceText:
    """Read one plan file; the suffix says the format, an unknown suffix is sniffed."""
    return read_bytes(read_file(path), str(path))


def read_file(path: Path | str) -> bytes:
    """A file's bytes; ``ReadError`` naming the file when it cannot be read."""
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise ReadError(path, f"cannot read the file: {exc.strerror or exc}") from None


def read_bytes(data: bytes, name: str) -> SourceText:
    """Read a plan from bytes (an upload); `name` gives the suffix and names the file in errors."""
    if not data:
        raise ReadError(name, "empty file (0 bytes)")
    fmt = _detect_format(data, name)
    raw, encoding = _READERS[fmt](data, name)
    text, offsets = normalize_map(raw)
    if not text.strip():
        raise ReadError(name, f"no text in this {fmt} file")
    return SourceText(raw=raw, text=text, offsets=offsets, format=fmt, encoding=encoding)


# --- format detection ---------------------------------------------------------------------------

_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a legacy Office file (.doc/.xls/.wps); save it as .docx"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "an executable"),
    (b"{\\rtf", "an RTF file; save it as .docx"),
)
_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta)\b", re.I | re.S)


def _binary_kind(data: bytes) -> str | None:
    """What a known binary format looks like, from its first bytes; None if none matches."""
    for magic, kind in _BINARY_MAGIC:
        if data.startswith(magic):
            return kind
    if data.startswith(b"PK\x03\x04"):
        return "a zip archive"
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "a WEBP image"
    return None


def _sniff(data: bytes) -> str | None:
    """A format recognisable from content alone: a PDF, a .docx, an HTML page."""
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04") and b"word/" in data:
        return "docx"
    head = data[:2048].removeprefix(codecs.BOM_UTF8)
    if _HTML_START.match(head):
        return "html"
    return None


def _detect_format(data: bytes, name: str) -> str:
    """The suffix decides; a PDF or a Word file is read as such whatever it is called."""
    sniffed = _sniff(data)
    if sniffed in ("pdf", "docx"):
        return sniffed
    fmt = SUFFIX_FORMATS.get(Path(name).suffix.lower())
    if fmt is not None:
        return fmt
    if sniffed is not None:
        return sniffed
    head = data[:8192]
    kind = _binary_kind(data)
    if kind is not None or b"\x00" in head or _looks_binary_bytes(head):
        what = kind or "binary data"
        raise ReadError(name, f"unknown format: suffix {Path(name).suffix or '(none)'!r}, content is {what}")
    return "txt"


# --- plain text ---------------------------------------------------------------------------------

_MAX_CONTROL_RATIO = 0.02  # more control characters than this (and a few at least): not text
_MIN_CONTROLS = 4
_MAX_BAD_UTF8_RATIO = 0.001  # a UTF-8 file with a few broken bytes is still UTF-8
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")  # category Cc, less \t \n \r \f
_CONTROL_BYTE = re.compile(b"[\x00-\x08\x0b\x0e-\x1f\x7f]")  # C0 controls: never in UTF-8/GB18030 text


def _too_many(controls: int, length: int) -> bool:
    return controls >= _MIN_CONTROLS and controls > _MAX_CONTROL_RATIO * length


def _looks_binary(text: str) -> bool:
    return _too_many(len(_CONTROL.findall(text)), len(text))


def _looks_binary_bytes(data: bytes) -> bool:
    return _too_many(len(_CONTROL_BYTE.findall(data)), len(data))


def _bom_decode(data: bytes) -> tuple[str, str] | None:
    """Decode by a byte-order mark; None when there is none."""
    if data.startswith(codecs.BOM_UTF8):
        return data.decode("utf-8-sig", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "utf-16"
    return None


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 with a handful of broken bytes (a damaged file), decoded with U+FFFD for those."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    non_ascii = sum(1 for ch in text if ord(ch) > 0x7F)
    if bad <= max(2, _MAX_BAD_UTF8_RATIO * len(text)) and non_ascii > 20 * bad:
        return text
    return None


def _decode_plain(data: bytes) -> tuple[str, str] | None:
    """Strict UTF-8, then GB18030, then nearly-UTF-8; None if none fits."""
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    text = _mostly_utf8(data)
    return (text, "utf-8") if text is not None else None


def _decode_text(data: bytes, name: str) -> tuple[str, str]:
    decoded = _bom_decode(data)
    if decoded is None:
        kind = _binary_kind(data)
        if kind is not None or b"\x00" in data:
            raise ReadError(name, f"binary file ({kind or 'holds NUL bytes'}), not text")
        decoded = _decode_plain(data)
    if decoded is None:
        if _looks_binary_bytes(data):
            raise ReadError(name, "binary file (mostly non-text bytes), not text")
        raise ReadError(name, "undecodable text: neither UTF-8 nor GB18030")
    if _looks_binary(decoded[0]):
        raise ReadError(name, "binary file (too many control characters), not text")
    return decoded


def _read_txt(data: bytes, name: str) -> tuple[str, str | None]:
    raw, encoding = _decode_text(data, name)
    if not raw.strip():
        raise ReadError(name, "empty file (only whitespace)")
    return raw, encoding


# --- .docx --------------------------------------------------------------------------------------


def _docx_blocks(container: object) -> Iterator[str]:
    """Paragraph texts in document order, descending into table cells (merged cells once)."""
    from docx.table import Table

    for block in container.iter_inner_content():  # type: ignore[attr-defined]
        if isinstance(block, Table):
            yield from _docx_table(block)
        else:
            yield block.text


def _docx_table(table: object) -> Iterator[str]:
    seen: set[object] = set()  # the cell elements themselves: holding them keeps their ids unique
    for row in table.rows:  # type: ignore[attr-defined]
        for cell in row.cells:
            if cell._tc in seen:
                continue
            seen.add(cell._tc)
            yield from _docx_blocks(cell)


def _read_docx(data: bytes, name: str) -> tuple[str, str | None]:
    import docx

    if not data.startswith(b"PK\x03\x04"):
        kind = _binary_kind(data) or ("an HTML page" if _sniff(data) == "html" else "not a zip archive")
        raise ReadError(name, f"not a valid .docx: {kind}")
    limits.check_docx(data, name)
    try:
        document = docx.Document(io.BytesIO(data))
        raw = "\n".join(_docx_blocks(document))
    except Exception as exc:  # python-docx raises zip, XML and key errors for a broken file
        raise ReadError(name, f"not a valid .docx: {type(exc).__name__}: {exc}") from exc
    if not raw.strip():
        raise ReadError(name, "the .docx holds no text")
    return raw, None


# --- .pdf ---------------------------------------------------------------------------------------

_DIGITS = r"[0-9０-９]{1,4}"
_PAGE_NUMBER = re.compile(
    rf"^\s*(?:[-—–－~]\s*{_DIGITS}\s*[-—–－~]|{_DIGITS}|{_DIGITS}\s*/\s*{_DIGITS}"
    rf"|第\s*{_DIGITS}\s*页(?:\s*[,，/]?\s*共\s*{_DIGITS}\s*页)?)\s*$"
)


def _without_page_numbers(lines: list[str]) -> list[str]:
    """Drop a page's first and last non-empty line when it is only a page number."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    edges = {filled[0], filled[-1]} if filled else set()
    return [line for i, line in enumerate(lines) if not (i in edges and _PAGE_NUMBER.match(line))]


INDENT = "\u3000\u3000"  # how a paragraph's indented first line is written into the text
MIN_INDENT_CHARS = 1.2


def _page_text(page: object) -> str:
    """A page's lines, an indented first line marked with an ideographic indent.

    Chinese documents indent a paragraph's first line by two characters; that indent is the one
    reliable sign, in a PDF whose lines all end at the margin, of where a paragraph begins.
    """
    lines = page.extract_text_lines(return_chars=False)  # type: ignore[attr-defined]
    if not lines:
        return ""
    left = min(line["x0"] for line in lines)
    widths = sorted((line["x1"] - line["x0"]) / len(line["text"]) for line in lines if len(line["text"]) >= 4)
    char_width = widths[len(widths) // 2] if widths else 12.0
    out = []
    for line in lines:
        indented = line["x0"] - left >= MIN_INDENT_CHARS * char_width
        out.append((INDENT if indented else "") + line["text"])
    return "\n".join(out)


def _pdf_pages(data: bytes, name: str) -> list[str]:
    import pdfplumber

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            limits.check_pdf(pdf.doc, name)
            return [_page_text(page) for page in pdf.pages]
    except PlanError:
        raise
    except Exception as exc:  # pdfminer raises many kinds of syntax and password errors
        reason = "it is encrypted" if "password" in type(exc).__name__.lower() else f"{type(exc).__name__}: {exc}"
        raise ReadError(name, f"not a valid .pdf: {reason}") from exc


def _read_pdf(data: bytes, name: str) -> tuple[str, str | None]:
    if b"%PDF-" not in data[:1024]:
        raise ReadError(name, f"not a valid .pdf: {_binary_kind(data) or 'no %PDF header'}")
    pages = _pdf_pages(data, name)
    lines = [line for page in pages for line in _without_page_numbers(page.split("\n"))]
    if not any(line.strip() for line in lines):
        raise ReadError(name, f"the .pdf has no text layer ({len(pages)} pages of images?); it needs OCR first")
    return "\n".join(lines), None


# --- .html --------------------------------------------------------------------------------------

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
    decoded = _bom_decode(data)
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
        if size < _DESCEND_SHARE * total:
            return node
        node = best


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


def _html_lines(html: str) -> list[str]:
    tree = LexborHTMLParser(html)
    body = tree.body
    if body is None:
        return []
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
    return ([title] if title else []) + [line for line in lines if line]


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


def _read_html(data: bytes, name: str) -> tuple[str, str | None]:
    html, encoding = _decode_html(data, name)
    limits.check_html_size(html, name)
    depth = _nesting_estimate(html)
    if depth > MAX_HTML_DEPTH:
        raise limits.html_too_deep(name, depth)
    try:
        lines = _html_lines(html)
    except RecursionError:
        raise limits.html_too_deep(name) from None
    if not lines:
        raise ReadError(name, "the HTML page holds no text")
    return "\n".join(lines), encoding


_READERS: dict[str, Callable[[bytes, str], tuple[str, str | None]]] = {
    "txt": _read_txt,
    "docx": _read_docx,
    "pdf": _read_pdf,
    "html": _read_html,
}
