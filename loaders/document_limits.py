"""Bounds on what one document may make a reader do (zip sizes, pages, image pixels).

Why: a plan is at most a few hundred pages; an OFD is a zip whose members a hostile file can
inflate a thousandfold, and an image header can claim billions of pixels that OCR would allocate.
Each reader calls these checks before it inflates, decodes or recognises anything, and a file over
a bound is refused with a message naming the bound. (The .docx/.pdf/.html bounds live beside these
in ``loaders/limits.py``; the two sets are kept alike.)
"""

from __future__ import annotations

import zipfile

from plangraph.loaders.errors import ReadError

MAX_PAGES = 500  # a plan is 10-60 pages; a 500-page file is no plan
MAX_ZIP_MEMBERS = 5000
MAX_ZIP_MEMBER_BYTES = 64 * 1024 * 1024  # one page's XML, an embedded font or image
MAX_ZIP_TOTAL_BYTES = 512 * 1024 * 1024
MAX_ZIP_RATIO = 200  # inflated / compressed, per member (XML compresses ~10x, a bomb ~1000x)
MAX_IMAGE_PIXELS = 60_000_000  # an A4 page at 600 dpi is 35 Mpx
MAX_OCR_PIXELS = 12_000_000  # pages are shrunk to this before OCR (A4 at 300 dpi is 8.7 Mpx)


def check_zip(archive: zipfile.ZipFile, name: str, what: str) -> None:
    """Refuse a zip whose members would inflate past the bounds (a zip bomb) before reading any."""
    members = archive.infolist()
    if len(members) > MAX_ZIP_MEMBERS:
        raise ReadError(name, f"the {what} holds {len(members)} files (over {MAX_ZIP_MEMBERS})")
    total = 0
    for member in members:
        if member.file_size > MAX_ZIP_MEMBER_BYTES:
            raise ReadError(name, f"the {what} member {member.filename!r} inflates to {member.file_size} bytes (over {MAX_ZIP_MEMBER_BYTES})")
        if member.file_size > MAX_ZIP_RATIO * max(member.compress_size, 1) and member.file_size > 1024 * 1024:
            raise ReadError(name, f"the {what} member {member.filename!r} is compressed {member.file_size // max(member.compress_size, 1)}-fold (a zip bomb?)")
        total += member.file_size
    if total > MAX_ZIP_TOTAL_BYTES:
        raise ReadError(name, f"the {what} inflates to {total} bytes (over {MAX_ZIP_TOTAL_BYTES})")


def check_pages(count: int, name: str, what: str) -> None:
    """Refuse a document with more pages than any plan has."""
    if count > MAX_PAGES:
        raise ReadError(name, f"the {what} has {count} pages (over {MAX_PAGES})")


def check_pixels(width: int, height: int, name: str) -> None:
    """Refuse an image whose header claims more pixels than any scanned page has."""
    if width * height > MAX_IMAGE_PIXELS:
        raise ReadError(name, f"the image is {width}x{height} pixels (over {MAX_IMAGE_PIXELS} in all)")
