"""OFD plans (GB/T 33190, the national format for official e-documents), read from their XML.

Why: an OFD is a zip of XML: ``OFD.xml`` names the document root, its ``Document.xml`` lists the
pages, and each page's ``Content.xml`` places text as ``TextObject``s (a ``Boundary`` box, a font
``Size``) holding ``TextCode``s (a start ``X``/``Y`` inside the box and per-glyph advances
``DeltaX``). That is all a plan's text needs; the pieces are joined into lines and the lines into
text the way a PDF's are (``page_lines``), so a paragraph's indented first line marks it alike.
Reading the XML directly needs only lxml (already here through python-docx); the OFD packages on
PyPI also render pages and pull in image and PDF libraries this does not need.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator

from lxml import etree

from plangraph.loaders.decoded import Decoded, Region
from plangraph.loaders.detect import binary_kind
from plangraph.loaders.document_limits import check_pages, check_zip
from plangraph.loaders.errors import ReadError
from plangraph.loaders.page_lines import PlacedLine, group_lines, marked_lines, page_number_lines

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE]-?\d+)?")
DEFAULT_SIZE = 3.5  # mm, when a TextObject gives no font size


def read_ofd(data: bytes, name: str) -> Decoded:
    """An OFD file's text, page by page, with each line's page and box (millimetres)."""
    if not data.startswith(b"PK\x03\x04"):
        raise ReadError(name, f"not a valid .ofd: {binary_kind(data) or 'not a zip archive'}")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_zip(archive, name, "OFD file")  # limits: before any member is inflated
            pages = _page_paths(archive, name)
            check_pages(len(pages), name, "OFD file")
            return _text(_page_lines(archive, path) for path in pages)
    except ReadError:
        raise
    except (zipfile.BadZipFile, zlib.error, etree.XMLSyntaxError, KeyError, ValueError, OverflowError, EOFError, OSError, NotImplementedError) as exc:
        raise ReadError(name, f"not a valid .ofd: {type(exc).__name__}: {exc}") from None


def _xml(archive: zipfile.ZipFile, path: str) -> etree._Element:
    return etree.fromstring(archive.read(path.lstrip("/")), _PARSER)


def _local(element: etree._Element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element: etree._Element, tag: str) -> Iterator[etree._Element]:
    """Descendants with this local name, whatever namespace prefix the writer used."""
    for node in element.iter():
        if _local(node) == tag:
            yield node


def _page_paths(archive: zipfile.ZipFile, name: str) -> list[str]:
    """The Content.xml of every page, in the document's order (OFD.xml -> DocRoot -> Pages)."""
    root = _xml(archive, "OFD.xml")
    doc_root = next((n.text.strip() for n in _children(root, "DocRoot") if n.text), None)
    if doc_root is None:
        raise ReadError(name, "not a valid .ofd: OFD.xml names no DocRoot")
    doc_root = doc_root.lstrip("/")
    document = _xml(archive, doc_root)
    base = posixpath.dirname(doc_root)
    paths = []
    for page in _children(document, "Page"):
        loc = page.get("BaseLoc")
        if loc:
            paths.append(loc.lstrip("/") if loc.startswith("/") else posixpath.normpath(posixpath.join(base, loc)))
    if not paths:
        raise ReadError(name, "not a valid .ofd: its Document.xml lists no pages")
    return paths


def _numbers(text: str | None) -> list[float]:
    return [float(n) for n in _NUMBER.findall(text or "")]


def _advances(delta: str | None, count: int, size: float) -> list[float]:
    """The advance after each glyph but the last: DeltaX values, "g N v" meaning N times v."""
    values: list[float] = []
    tokens = (delta or "").split()
    i = 0
    while i < len(tokens):
        if tokens[i] == "g" and i + 2 < len(tokens):
            times = min(max(int(float(tokens[i + 1])), 0), count)  # never more than the glyphs
            values.extend([float(tokens[i + 2])] * times)
            i += 3
        else:
            values.append(float(tokens[i]))
            i += 1
    return (values + [values[-1] if values else size] * count)[: max(count - 1, 0)]


def _page_lines(archive: zipfile.ZipFile, path: str) -> list[PlacedLine]:
    """A page's text pieces (one per TextCode) joined into lines."""
    pieces = []
    for obj in _children(_xml(archive, path), "TextObject"):
        box = _numbers(obj.get("Boundary"))
        if len(box) < 4:
            continue
        size = (_numbers(obj.get("Size")) or [DEFAULT_SIZE])[0]
        x = y = 0.0
        for code in _children(obj, "TextCode"):
            text = "".join(code.itertext()).strip("\r\n")
            x = (_numbers(code.get("X")) or [x])[0]
            y = (_numbers(code.get("Y")) or [y])[0]
            if not text.strip():
                continue
            advances = _advances(code.get("DeltaX"), len(text), size)
            left, baseline = box[0] + x, box[1] + y
            pieces.append(PlacedLine(text.strip(), left, baseline - size, left + sum(advances) + size, baseline))
            x += sum(advances) + size
    return group_lines(pieces)


def _text(pages: Iterator[list[PlacedLine]]) -> Decoded:
    """The pages' lines as one text (page numbers dropped), each line's page and box kept."""
    out: list[str] = []
    regions: list[Region] = []
    pos = 0
    for number, lines in enumerate(pages, 1):
        marked = marked_lines(lines)
        dropped = page_number_lines([text for text, _ in marked])
        for i, (text, line) in enumerate(marked):
            if i in dropped:
                continue
            regions.append(Region(pos, pos + len(text), number, (line.x0, line.top, line.x1, line.bottom)))
            out.append(text)
            pos += len(text) + 1
    return Decoded("\n".join(out), regions=tuple(regions))
