"""What a reader hands back: the document's text and what it knows besides the text.

Why: every reader turns bytes into one string (`raw`, which all spans index into); some know more
that later steps need: the tables a Word file or a web page holds (task tables), where on which
page each piece of text stood (OFD, OCR), and how sure the OCR was. One small record carries all
of it, so a new reader adds fields, never a new return shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Region:
    """Where the text ``raw[start:end]`` stood: a page (from 1) and a box in that page's units
    (points for PDF/OFD millimetres, pixels for images), and how sure the OCR was of it (1.0 when
    the text was not recognised but read)."""

    start: int
    end: int
    page: int
    box: tuple[float, float, float, float]  # x0, y0, x1, y1
    confidence: float = 1.0


@dataclass(frozen=True)
class Decoded:
    """A reader's result. ``format`` overrides the format the file was detected as (a PDF read by
    OCR is ``pdf-ocr``); ``tables`` are the document's tables as rows of cell texts, in order."""

    raw: str
    encoding: str | None = None
    format: str | None = None
    tables: tuple[tuple[tuple[str, ...], ...], ...] = ()
    regions: tuple[Region, ...] = ()
    low_confidence_share: float | None = None
    warnings: tuple[str, ...] = field(default=())
