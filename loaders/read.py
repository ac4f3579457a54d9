"""Turn the bytes of a plan file into text the parser can read: the one entry point of the readers.

Why: plans come as UTF-8 or GB18030 text, Word files (.docx, and Word 97 .doc / WPS .wps), PDFs
(with a text layer, or scans), OFD files, page images and web pages. Every later step wants one
thing: the document's text (`raw`, which all spans in the product index into), its normalised form
(`text`) and the map between them. A file that is not such a document (empty, binary, corrupt)
raises `ReadError` naming the file and the reason, never a bare traceback.

Each format has its reader module, named after what it reads: ``read_text``, ``read_docx``,
``read_office`` (.doc/.wps), ``read_pdf``, ``read_ofd``, ``read_ocr`` (scans and images),
``read_html``; ``detect`` says which one a file needs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from plangraph.loaders.decoded import Decoded, Region
from plangraph.loaders.detect import SUFFIX_FORMATS, detect_format, readable_suffixes
from plangraph.loaders.errors import ReadError
from plangraph.loaders.normalize import normalize_map
from plangraph.loaders.page_lines import INDENT, MIN_INDENT_CHARS
from plangraph.loaders.read_docx import read_docx
from plangraph.loaders.read_html import MAX_HTML_DEPTH, read_html
from plangraph.loaders.read_ocr import read_images
from plangraph.loaders.read_office import read_doc, read_wps
from plangraph.loaders.read_ofd import read_ofd
from plangraph.loaders.read_pdf import read_pdf
from plangraph.loaders.read_text import read_txt

__all__ = [
    "INDENT", "MAX_HTML_DEPTH", "MIN_INDENT_CHARS", "READERS", "SUFFIX_FORMATS", "SourceText",
    "read_bytes", "read_file", "read_source", "readable_suffixes",
]

Table = tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class SourceText:
    """A decoded document: `raw` as read, `text` normalised, `offsets` from `text` into `raw`
    (a ``range`` when normalising moved no character). `tables` are the document's tables as rows
    of cell texts; `regions` say where on which page a stretch of `raw` stood (OFD, OCR);
    `low_confidence_share` is the share of characters OCR was unsure of (None when not OCR'd)."""

    raw: str
    text: str
    offsets: Sequence[int]
    format: str
    encoding: str | None
    tables: tuple[Table, ...] = ()
    regions: tuple[Region, ...] = ()
    low_confidence_share: float | None = None
    warnings: tuple[str, ...] = ()

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

    def region_of(self, raw_start: int) -> Region | None:
        """The page and box the raw character at ``raw_start`` stood in (OFD, OCR), or None."""
        for region in self.regions:
            if region.start <= raw_start < region.end:
                return region
        return None


Reader = Callable[[bytes, str], Decoded]

READERS: dict[str, Reader] = {
    "txt": read_txt,
    "docx": read_docx,
    "doc": read_doc,
    "wps": read_wps,
    "pdf": read_pdf,
    "html": read_html,
    "ofd": read_ofd,
    "image": lambda data, name: read_images([(data, name)]),  # one file: its frames are the pages
}


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
    fmt = detect_format(data, name)
    return source_of(READERS[fmt](data, name), fmt, name)


def read_pages(pages: Sequence[tuple[bytes, str]], name: str) -> SourceText:
    """The page images of one plan, given together (scanned pages saved one file each), by OCR."""
    if not pages:
        raise ReadError(name, "no page images given")
    for data, page_name in pages:
        if not data:
            raise ReadError(page_name, "empty file (0 bytes)")
    return source_of(read_images(list(pages)), "image", name)


def source_of(decoded: Decoded, fmt: str, name: str) -> SourceText:
    """The normalised source of a reader's result; refused when it holds no text."""
    fmt = decoded.format or fmt
    text, offsets = normalize_map(decoded.raw)
    if not text.strip():
        raise ReadError(name, f"no text in this {fmt} file")
    return SourceText(
        raw=decoded.raw, text=text, offsets=offsets, format=fmt, encoding=decoded.encoding,
        tables=decoded.tables, regions=decoded.regions,
        low_confidence_share=decoded.low_confidence_share, warnings=decoded.warnings,
    )
