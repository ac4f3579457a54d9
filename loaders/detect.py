"""Which format a plan file is in: its suffix decides, its first bytes are the fallback.

Why: a download is often misnamed (a PDF saved as .doc, a web page saved as .doc by Word, an OFD
with no suffix), so a format recognisable from content wins over a wrong suffix, and a binary file
with no readable suffix is refused by what it looks like, never read as text.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from plangraph.loaders.errors import ReadError

#: suffix -> format; every reader's suffixes (``readable_suffixes`` lists them for folder loads).
SUFFIX_FORMATS: dict[str, str] = {
    ".txt": "txt",
    ".text": "txt",
    ".docx": "docx",
    ".doc": "doc",
    ".wps": "wps",
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
    ".ofd": "ofd",
    ".png": "image",
    ".jpg": "image",
    ".jpeg": "image",
    ".tif": "image",
    ".tiff": "image",
}

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound-file header of .doc/.wps/.xls
IMAGE_MAGIC: tuple[bytes, ...] = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")


_MAX_CONTROL_RATIO = 0.02  # more control characters than this (and a few at least): not text
_MIN_CONTROLS = 4
_CONTROL_BYTE = re.compile(b"[\x00-\x08\x0b\x0e-\x1f\x7f]")  # C0 controls: never in UTF-8/GB18030 text


def too_many_controls(controls: int, length: int) -> bool:
    """More control characters than text holds (and a few at least)."""
    return controls >= _MIN_CONTROLS and controls > _MAX_CONTROL_RATIO * length


def looks_binary_bytes(data: bytes) -> bool:
    """Bytes with more C0 control codes than any UTF-8/GB18030 text has."""
    return too_many_controls(len(_CONTROL_BYTE.findall(data)), len(data))


def readable_suffixes() -> frozenset[str]:
    """Every file suffix some reader takes (lower case, with the dot): what a folder load picks up."""
    return frozenset(SUFFIX_FORMATS)


_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (OLE_MAGIC, "a legacy Office file (.doc/.xls/.wps)"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "an executable"),
    (b"{\\rtf", "an RTF file; save it as .docx"),
)
_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta)\b", re.I | re.S)


def binary_kind(data: bytes) -> str | None:
    """What a known binary format looks like, from its first bytes; None if none matches."""
    for magic, kind in _BINARY_MAGIC:
        if data.startswith(magic):
            return kind
    if data.startswith(b"PK\x03\x04"):
        return "a zip archive"
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "a WEBP image"
    return None


def sniff(data: bytes) -> str | None:
    """A format recognisable from content alone: a PDF, a .docx, an HTML page."""
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04") and b"word/" in data:
        return "docx"
    if data.startswith(b"PK\x03\x04") and b"OFD.xml" in data[:4096]:
        return "ofd"
    if data.startswith(IMAGE_MAGIC):
        return "image"
    head = data[:2048].removeprefix(codecs.BOM_UTF8)
    if _HTML_START.match(head):
        return "html"
    return None


def detect_format(data: bytes, name: str) -> str:
    """The suffix decides; a PDF or a Word file is read as such whatever it is called."""
    sniffed = sniff(data)
    suffix_format = SUFFIX_FORMATS.get(Path(name).suffix.lower())
    if sniffed in ("pdf", "docx", "ofd"):
        return sniffed
    if sniffed == "image" and suffix_format in (None, "image"):  # a picture named .txt is refused
        return sniffed
    if data.startswith(OLE_MAGIC):  # a compound file: .wps when so named, else Word 97
        return "wps" if suffix_format == "wps" else "doc"
    if suffix_format in ("doc", "wps") and sniffed == "html":  # Word's "web page" saved as .doc
        return "html"
    fmt = suffix_format
    if fmt is not None:
        return fmt
    if sniffed is not None:
        return sniffed
    head = data[:8192]
    kind = binary_kind(data)
    if kind is not None or b"\x00" in head or looks_binary_bytes(head):
        what = kind or "binary data"
        raise ReadError(name, f"unknown format: suffix {Path(name).suffix or '(none)'!r}, content is {what}")
    return "txt"


