"""Decompressed-size and count limits on a plan file, checked before its parts are read.

Why: a .docx is a zip and a PDF's pages are deflated streams, so a file of a megabyte can unpack to
gigabytes (a 1.7 MB .docx whose document.xml inflates to 500 MB took 5 GB of memory to read). The
sizes are cheap to learn before anything is unpacked: a deflated stream (a zip's part, a PDF's
stream) can be inflated into a counter, a megabyte at a time, stopping at the limit. A zip's
directory declares every part's size, but it may lie (and ``zipfile`` inflates a whole part before
cutting it to the declared size), so the parts are counted, not believed. The limits themselves are data (``graph/data/limits.yaml``).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from plangraph.loaders.errors import ReadError

DATA_FILE = "data/limits.yaml"
_CHUNK = 1 << 20  # inflate a megabyte at a time: memory stays at one chunk whatever the stream holds


@dataclass(frozen=True)
class Limits:
    docx_parts: int
    docx_part_bytes: int
    docx_total_bytes: int
    pdf_pages: int
    pdf_stream_bytes: int
    pdf_total_stream_bytes: int
    html_depth: int
    html_chars: int


class LimitExceeded(ReadError):
    """A file over one of the limits; the message names the limit (as ``limits.yaml`` spells it)."""

    def __init__(self, file: str, what: str, limit: str, value: int) -> None:
        self.limit = limit
        super().__init__(file, f"{what}: over the limit {limit} = {value:,} (graph/{DATA_FILE}); refused")


@cache
def limits() -> Limits:
    """The limits of ``graph/data/limits.yaml``, read once per process."""
    raw: dict[str, Any] = yaml.safe_load(
        resources.files("plangraph.graph").joinpath(DATA_FILE).read_text("utf-8"))
    return Limits(**{f"{fmt}_{key}": int(value) for fmt in ("docx", "pdf", "html") for key, value in raw[fmt].items()})


# --- .docx ----------------------------------------------------------------------------------------


_LOCAL_HEADER = struct.Struct("<4s5H3L2H")  # a zip part's local header: its name and extra field lengths last


def check_docx(data: bytes, name: str) -> None:
    """Refuse a .docx with too many parts, or parts that unpack past the limits, before reading any.

    A file that is not a readable zip passes: the reader reports that in its own words.
    """
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    lim = limits()
    if len(infos) > lim.docx_parts:
        raise LimitExceeded(name, f"the .docx holds {len(infos):,} parts", "docx.parts", lim.docx_parts)
    total = 0
    for info in infos:
        size = _part_size(data, info, name, lim.docx_part_bytes)
        if size > lim.docx_part_bytes:
            raise LimitExceeded(name, f"part {info.filename} unpacks to {info.file_size:,} bytes" if size == info.file_size
                                else f"part {info.filename} unpacks to at least {size:,} bytes",
                                "docx.part_bytes", lim.docx_part_bytes)
        if size != info.file_size:
            raise ReadError(name, f"not a valid .docx: part {info.filename} unpacks to {size:,} bytes, "
                                  f"not the {info.file_size:,} its zip directory declares")
        total += size
    if total > lim.docx_total_bytes:
        raise LimitExceeded(name, f"the .docx unpacks to {total:,} bytes", "docx.total_bytes", lim.docx_total_bytes)


def _part_size(data: bytes, info: zipfile.ZipInfo, name: str, cap: int) -> int:
    """How many bytes a zip part really unpacks to (counted past ``cap`` no further than a chunk).
    Word writes parts stored or deflated, never encrypted; anything else is refused."""
    if info.flag_bits & 0x1:
        raise ReadError(name, f"not a valid .docx: part {info.filename} is encrypted")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise ReadError(name, f"not a valid .docx: part {info.filename} is compressed with method {info.compress_type}")
    header = data[info.header_offset:info.header_offset + _LOCAL_HEADER.size]
    if len(header) < _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        raise ReadError(name, f"not a valid .docx: part {info.filename} has no local header")
    name_len, extra_len = _LOCAL_HEADER.unpack(header)[-2:]
    start = info.header_offset + _LOCAL_HEADER.size + name_len + extra_len
    raw = data[start:start + info.compress_size]
    if info.compress_type == zipfile.ZIP_STORED:
        return len(raw)
    return _inflated_size(raw, cap, wbits=-zlib.MAX_WBITS)


# --- .pdf -----------------------------------------------------------------------------------------


def check_pdf(document: Any, name: str) -> None:
    """Refuse a PDF (a pdfminer ``PDFDocument``) with too many pages, or content streams that
    decode past the limits, before any page is read.

    Only streams whose first filter is Flate (nearly all) are inflated into a counter; the rarer
    filters are decoded by pdfminer itself, within the parse's memory cap.
    """
    from pdfminer.pdfpage import PDFPage

    lim = limits()
    pages = total = 0
    for page in PDFPage.create_pages(document):
        pages += 1
        if pages > lim.pdf_pages:
            raise LimitExceeded(name, f"the .pdf has more than {lim.pdf_pages:,} pages", "pdf.pages", lim.pdf_pages)
        for stream in _page_streams(page):
            size = _decoded_size(stream, lim.pdf_stream_bytes)
            if size > lim.pdf_stream_bytes:
                raise LimitExceeded(name, f"a content stream of page {pages} decodes to at least {size:,} bytes",
                                    "pdf.stream_bytes", lim.pdf_stream_bytes)
            total += size
            if total > lim.pdf_total_stream_bytes:
                raise LimitExceeded(name, f"the content streams up to page {pages} decode to {total:,} bytes",
                                    "pdf.total_stream_bytes", lim.pdf_total_stream_bytes)


def _page_streams(page: Any) -> Iterator[Any]:
    """A page's content streams and those of the forms it draws (each form once)."""
    from pdfminer.pdftypes import PDFStream, resolve1

    yield from (s for s in page.contents if isinstance(s, PDFStream))
    seen: set[int] = set()
    pending = [page.resources]
    while pending:
        resources_ = resolve1(pending.pop())
        xobjects = resolve1(resources_.get("XObject")) if isinstance(resources_, dict) else None
        if not isinstance(xobjects, dict):
            continue
        for ref in xobjects.values():
            form = resolve1(ref)
            if not isinstance(form, PDFStream) or id(form) in seen or _name(form.get("Subtype")) != "Form":
                continue
            seen.add(id(form))
            yield form
            pending.append(form.get("Resources"))


def _name(value: Any) -> str | None:
    from pdfminer.psparser import PSLiteral

    return value.name if isinstance(value, PSLiteral) else None


def _decoded_size(stream: Any, cap: int) -> int:
    """The stream's decoded length, or a number past ``cap`` as soon as it is known to be."""
    from pdfminer.pdftypes import LITERALS_FLATE_DECODE

    if stream.rawdata is None:  # decoded already
        return len(stream.data or b"")
    filters = stream.get_filters()
    if not filters:
        return len(stream.rawdata)
    if filters[0][0] not in LITERALS_FLATE_DECODE:
        return len(stream.get_data())
    data = stream.rawdata
    if stream.decipher:
        data = stream.decipher(stream.objid, stream.genno, data, stream.attrs)
    return _inflated_size(data, cap)


def _inflated_size(data: bytes, cap: int, wbits: int = zlib.MAX_WBITS) -> int:
    """How many bytes ``data`` inflates to, counted a chunk at a time and stopped past ``cap``.
    Damaged data counts what came out before the damage (pdfminer reads it the same way)."""
    inflater = zlib.decompressobj(wbits)
    size = 0
    tail = data
    try:
        while size <= cap:
            chunk = inflater.decompress(tail, _CHUNK)
            size += len(chunk)
            tail = inflater.unconsumed_tail
            if not chunk and not tail:
                break
    except zlib.error:
        pass
    return size


# --- .html ----------------------------------------------------------------------------------------


def check_html_size(html: str, name: str) -> None:
    lim = limits()
    if len(html) > lim.html_chars:
        raise LimitExceeded(name, f"the page holds {len(html):,} characters", "html.chars", lim.html_chars)


def html_too_deep(name: str, depth: int | None = None) -> LimitExceeded:
    """The error for a page nested deeper than ``html.depth`` (its depth when it was estimated)."""
    lim = limits()
    what = f"HTML nested too deeply to read ({depth:,} levels)" if depth else "HTML nested too deeply to read"
    return LimitExceeded(name, what, "html.depth", lim.html_depth)
