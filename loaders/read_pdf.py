"""PDF plans: the text layer line by line, an indented first line marking a paragraph; a PDF whose
pages are images (a scan) is read by OCR (``loaders/read_ocr.py``).

Why: office software writes PDFs whose lines all end at the margin, with page numbers between
pages; scanners write PDFs with no text at all. Both are what a county publishes.
"""

from __future__ import annotations

import io

from plangraph.loaders import limits
from plangraph.loaders.decoded import Decoded
from plangraph.loaders.detect import binary_kind
from plangraph.loaders.errors import PlanError, ReadError
from plangraph.loaders.page_lines import INDENT, MIN_INDENT_CHARS, PlacedLine, marked_lines, without_page_numbers

__all__ = ["INDENT", "MIN_INDENT_CHARS", "read_pdf"]


def _page_text(page: object) -> str:
    """A page's lines, an indented first line marked with an ideographic indent."""
    lines = page.extract_text_lines(return_chars=False)  # type: ignore[attr-defined]
    placed = [PlacedLine(line["text"], line["x0"], line["top"], line["x1"], line["bottom"]) for line in lines]
    return "\n".join(text for text, _ in marked_lines(placed))


def _pdf_pages(data: bytes, name: str) -> list[str]:
    import pdfplumber

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            limits.check_pdf(pdf.doc, name)  # page count, content streams: before any page is read
            return [_page_text(page) for page in pdf.pages]
    except PlanError:
        raise
    except Exception as exc:  # pdfminer raises many kinds of syntax and password errors
        reason = "it is encrypted" if "password" in type(exc).__name__.lower() else f"{type(exc).__name__}: {exc}"
        raise ReadError(name, f"not a valid .pdf: {reason}") from exc


def read_pdf(data: bytes, name: str) -> Decoded:
    """A PDF's text layer; a PDF without one (page images) goes to OCR as ``pdf-ocr``."""
    if b"%PDF-" not in data[:1024]:
        raise ReadError(name, f"not a valid .pdf: {binary_kind(data) or 'no %PDF header'}")
    pages = _pdf_pages(data, name)
    lines = [line for page in pages for line in without_page_numbers(page.split("\n"))]
    if not any(line.strip() for line in lines):
        from plangraph.loaders.read_ocr import read_scanned_pdf

        return read_scanned_pdf(data, name, len(pages))
    return Decoded("\n".join(lines))
