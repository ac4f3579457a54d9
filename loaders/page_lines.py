"""Lines placed on a page (a PDF's, an OFD's, an OCR'd image's) -> text with paragraph starts marked.

Why: a fixed-layout page has no paragraphs, only lines at positions. Chinese documents indent a
paragraph's first line by two characters; that indent is the one reliable sign, where every line
ends at the margin, of where a paragraph begins. Every fixed-layout reader writes its lines through
here, so they all mark paragraphs alike.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

INDENT = "\u3000\u3000"  # how a paragraph's indented first line is written into the text
MIN_INDENT_CHARS = 1.2
DEFAULT_CHAR_WIDTH = 12.0

_DIGITS = r"[0-9０-９]{1,4}"
PAGE_NUMBER = re.compile(
    rf"^\s*(?:[-—–－~]\s*{_DIGITS}\s*[-—–－~]|{_DIGITS}|{_DIGITS}\s*/\s*{_DIGITS}"
    rf"|第\s*{_DIGITS}\s*页(?:\s*[,，/]?\s*共\s*{_DIGITS}\s*页)?)\s*$"
)


@dataclass(frozen=True)
class PlacedLine:
    """One line of a page: its text and box (x0 left, top, x1 right, bottom, in page units), and
    how sure a recogniser was of it (1.0 for text that was read, not recognised)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    confidence: float = 1.0


def char_width(lines: Sequence[PlacedLine]) -> float:
    """The median width of a character on the page (from lines of four characters or more)."""
    widths = sorted((line.x1 - line.x0) / len(line.text) for line in lines if len(line.text) >= 4)
    return widths[len(widths) // 2] if widths else DEFAULT_CHAR_WIDTH


def marked_lines(lines: Sequence[PlacedLine]) -> list[tuple[str, PlacedLine]]:
    """Each line's text, prefixed with ``INDENT`` where it starts right of the page's left margin."""
    if not lines:
        return []
    left = min(line.x0 for line in lines)
    width = char_width(lines)
    return [((INDENT if line.x0 - left >= MIN_INDENT_CHARS * width else "") + line.text, line) for line in lines]


def page_number_lines(lines: Sequence[str]) -> set[int]:
    """Which of a page's lines are page numbers: its first or last non-empty line, when that is
    only a number."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    edges = {filled[0], filled[-1]} if filled else set()
    return {i for i in edges if PAGE_NUMBER.match(lines[i])}


def without_page_numbers(lines: list[str]) -> list[str]:
    """A page's lines without its page number lines."""
    dropped = page_number_lines(lines)
    return [line for i, line in enumerate(lines) if i not in dropped]


def group_lines(pieces: Sequence[PlacedLine], tolerance: float = 0.5) -> list[PlacedLine]:
    """Pieces of text (glyph runs, OCR boxes) joined into lines: pieces whose vertical middles lie
    within ``tolerance`` of a line height of each other are one line, read left to right."""
    rows: list[list[PlacedLine]] = []
    for piece in sorted(pieces, key=lambda p: ((p.top + p.bottom) / 2, p.x0)):
        middle = (piece.top + piece.bottom) / 2
        if rows:
            last = rows[-1][0]
            height = max(last.bottom - last.top, piece.bottom - piece.top, 1e-6)
            if abs(middle - (last.top + last.bottom) / 2) <= tolerance * height:
                rows[-1].append(piece)
                continue
        rows.append([piece])
    return [_join(sorted(row, key=lambda p: p.x0)) for row in rows]


def _join(row: list[PlacedLine]) -> PlacedLine:
    weight = sum(len(p.text) for p in row) or 1
    confidence = sum(p.confidence * len(p.text) for p in row) / weight
    return PlacedLine(
        "".join(p.text for p in row), min(p.x0 for p in row), min(p.top for p in row),
        max(p.x1 for p in row), max(p.bottom for p in row), confidence,
    )
