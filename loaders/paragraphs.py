"""Lines of normalised text -> paragraphs, undoing the damage of PDF and web conversion.

Plans arrive with lines broken mid-sentence (PDF text layers), blank lines between every line or
none at all, page numbers and stray page-break fragments. Blank lines therefore say nothing; a
paragraph ends where its text ends a sentence or where the next line starts a new structural unit
(a heading, a number, a dash, a "牵头部门：" line). Every paragraph keeps, per character, its
offset in the normalised text so that spans can be mapped back to the source.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .clauses import LABEL, LABEL_WORDS, find_trailing_clause

# A line that starts a new unit: part / action headings, numbered or dash tasks, clause lines.
STARTS_UNIT = re.compile(
    r"^(?:[一二三四五六七八九十]+、"
    r"|（[一二三四五六七八九十]+）"
    r"|\d{1,3}[.、．](?!\d)"
    r"|（\d{1,3}）"
    r"|——"
    rf"|(?:{LABEL_WORDS})(?:单位|部门)\s*："
    r"|成\s*员\s*："
    r"|〔)"
)
# A short label opening a line of its own ("组  长：", "副组长：", "成  员：", "职  责：").
LABEL_LINE = re.compile(r"^[\u4e00-\u9fff](?:\s*[\u4e00-\u9fff]){1,3}\s*：")
# A heading line: a short unit with no sentence in it.
HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d{1,2}、)[^。]{0,60}$")
# Text that ends a paragraph.
ENDS_PARAGRAPH = re.compile(r"[。！？；：）〕」』”]\s*$")
PAGE_NUMBER = re.compile(r"^(?:[-—－]\s*\d{1,4}\s*[-—－]|第\s*\d{1,4}\s*页(?:\s*/?\s*共\s*\d+\s*页)?|\d{1,4})$")
# Conversion artefacts that are not text of the plan (Word bookmarks, markdown emphasis).
ARTEFACT = re.compile(r"\[bookmark[:：][^\[\]]*\]|\*\*")  # [^\[\]]: an unclosed one is scanned once
ARTEFACT_STARTS = ("[bookmark", "**")  # how every ARTEFACT match starts: found at C speed, or none
SHORT_FRAGMENT = 2
MIN_INDENT = 2  # leading blanks that mark a paragraph's first line
INDENTED_SHARE = 0.5  # see uses_indent
MIN_INDENTED_LINES = 3
SHORT_LINE = 0.8  # a line this much shorter than a full one ended its paragraph
MIN_WRAP_WIDTH = 15
WRAPPED_SHARE = 0.3


@dataclass
class Paragraph:
    """A paragraph's text and, per character, its offset in the normalised text.

    ``offsets`` is a ``range`` when the paragraph is one unbroken run of the text (most are: one
    line), so that no list of thousands of numbers is built for a plan; a list otherwise.
    """

    text: str
    offsets: Sequence[int] = field(repr=False)

    @property
    def start(self) -> int:
        return self.offsets[0]

    @property
    def end(self) -> int:
        return self.offsets[-1] + 1


@dataclass
class Line:
    text: str
    offsets: Sequence[int]  # a range unless artefacts were cut out of the line
    indented: bool = False
    ends_sentence: bool = False  # ENDS_PARAGRAPH matches: asked of most lines twice, read once


def split_lines(text: str) -> list[Line]:
    """Non-empty lines, stripped of blanks and conversion artefacts, with their offsets."""
    lines: list[Line] = []
    pos = 0
    artefacts = any(start in text for start in ARTEFACT_STARTS)  # if none, no line is searched
    for raw_line in text.split("\n"):
        line = _clean_line(raw_line, pos, artefacts)
        if line is not None:
            lines.append(line)
        pos += len(raw_line) + 1
    return lines


def _clean_line(raw_line: str, pos: int, artefacts: bool = True) -> Line | None:
    if artefacts and ARTEFACT.search(raw_line):
        pieces = ARTEFACT.split(raw_line)
        starts = [0] + [m.end() for m in ARTEFACT.finditer(raw_line)]
        text = "".join(pieces)
        offsets = [pos + start + i for start, piece in zip(starts, pieces) for i in range(len(piece))]
    else:
        text = raw_line
        offsets = None
    stripped = text.strip()
    if not stripped:
        return None
    lead = len(text) - len(text.lstrip())
    indented = lead >= MIN_INDENT
    # the line is stripped of blanks, so only its last character can start a match
    ends = ENDS_PARAGRAPH.search(stripped, len(stripped) - 1) is not None
    if offsets is None:
        return Line(stripped, range(pos + lead, pos + lead + len(stripped)), indented, ends)
    return Line(stripped, offsets[lead : lead + len(stripped)], indented, ends)


@dataclass(frozen=True)
class Layout:
    """How a document marks its paragraphs, judged once from all its lines."""

    by_indent: bool  # first lines are indented (PDF and Word text usually are)
    wrapped: bool  # lines end at a margin, so punctuation at a line's end proves nothing
    full: int  # the length of a full line


def join_paragraphs(lines: list[Line], warnings: list[str] | None = None) -> list[Paragraph]:
    """Glue broken lines back into paragraphs; drop page numbers and page-break fragments."""
    runs: list[list[Line]] = []  # the lines of each paragraph
    previous: Line | None = None
    layout = read_layout(lines)
    for line in lines:
        if PAGE_NUMBER.match(line.text):
            continue
        if previous is not None and _is_page_fragment(line, previous):
            if warnings is not None:
                warnings.append(f"dropped a page-break fragment {line.text!r} after {previous.text[-12:]!r}")
            continue
        if runs and previous is not None and _continues(previous, line, layout, runs[-1]):
            runs[-1].append(line)
        else:
            runs.append([line])
        previous = line
    return [_paragraph(run) for run in runs]


def _paragraph(lines: list[Line]) -> Paragraph:
    """One paragraph of its lines; a single line's offsets are shared, not copied (nor changed)."""
    if len(lines) == 1:
        return Paragraph(lines[0].text, lines[0].offsets)
    return Paragraph("".join(line.text for line in lines), [o for line in lines for o in line.offsets])


def read_layout(lines: list[Line]) -> Layout:
    """Indented first lines: judged on lines after a finished sentence, mostly indented where the
    indent marks paragraphs. Wrapped: many lines exactly as long as the longest ones."""
    after_sentence = [b for a, b in zip(lines, lines[1:]) if a.ends_sentence]
    indented = sum(line.indented for line in after_sentence)
    by_indent = indented >= MIN_INDENTED_LINES and indented >= INDENTED_SHARE * len(after_sentence)
    lengths = sorted(len(line.text) for line in lines) or [0]
    full = lengths[int(0.9 * (len(lengths) - 1))]
    at_margin = sum(1 for n in lengths if full - 2 <= n <= full + 2)
    wrapped = full >= MIN_WRAP_WIDTH and at_margin >= WRAPPED_SHARE * len(lengths)
    return Layout(by_indent, wrapped, full)


def _continues(previous: Line, line: Line, layout: Layout, run: list[Line]) -> bool:
    """Does ``line`` carry on the paragraph that ``previous`` (the last of ``run``) is part of?

    An indented line starts a paragraph where the document indents them. In wrapped text a line
    may start with anything ("责任单位：", "1.") and a "。" may fall at the margin, so a paragraph
    ends at a short line, or at a unit start after a finished sentence. Without indents, structure
    decides too, since a paragraph may end exactly at the margin: a responsibility clause closes a
    task's paragraph ("…（A牵头，B配合）", or a "牵头部门：" line), and a number, dash, heading or
    label opens one after it. Elsewhere a line carries on a sentence left open.
    """
    if HEADING.match(previous.text) or (layout.by_indent and line.indented):
        return False
    starts = STARTS_UNIT.match(line.text) or LABEL_LINE.match(line.text)
    if layout.wrapped:
        short = len(previous.text) < SHORT_LINE * layout.full
        if layout.by_indent:
            return not (starts and (short or previous.ends_sentence))
        if short or (starts and (previous.ends_sentence or LABEL.match(run[0].text))):
            return False
        return not _closes_with_clause(run)
    if starts or LABEL_LINE.match(previous.text):  # a label line of a text file stands alone
        return False
    return not previous.ends_sentence


CLOSERS = ("）", "〕", ")", "]")


def _closes_with_clause(run: list[Line]) -> bool:
    """Does the paragraph so far end with a bracketed responsibility clause (it is a task's end)?"""
    last = run[-1].text.rstrip("。；;，, ")
    if not last.endswith(CLOSERS):
        return False
    return find_trailing_clause("".join(line.text for line in run)) is not None


def _is_page_fragment(line: Line, previous: Line) -> bool:
    """A one- or two-character line repeating the end of the line before it (a PDF page break)."""
    text = line.text
    return len(text) <= SHORT_FRAGMENT and not line.ends_sentence and previous.text.endswith(text)
