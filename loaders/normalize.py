"""Normalise decoded plan text into the one form the parser reads, keeping an exact offset map.

Why: plans arrive with CRLF or CR line endings, full-width digits, half-width punctuation from web
copies ("(一)", ","), traditional characters, stray control characters. The parser should see one
spelling of each of those, while every span it reports must still point into the text as the user
has it. So `normalize` returns the normalised text *and* `offsets`, where ``offsets[i]`` is the
index in ``raw`` of ``text[i]`` and ``offsets[-1] == len(raw)``.

Most characters map one to one (a ``str.translate`` table built once); only the rare characters
that are dropped (control characters), expanded (enclosed numbers such as "⑴" -> "（1）") or
merged ("\\r\\n" -> "\\n") touch the offset map, so normalising a 30 KB plan takes about a millisecond.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import opencc

# The parser sees the full-width Chinese form of these; NFKC gives the half-width one first.
PUNCT_FULL: dict[str, str] = {
    "(": "（",
    ")": "）",
    ",": "，",
    ":": "：",
    ";": "；",
    "!": "！",
    "?": "？",
}

# Characters that end a line, besides "\n" itself ("\r\n" is merged separately).
_LINE_BREAKS = "\r\x0b\x0c\x85\u2028\u2029"

# Invisible format characters dropped along with the control characters.
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\ufeff"

# Enclosed forms whose NFKC is several characters, worth expanding: "⑴" -> "(1)", "⒈" -> "1.",
# "㈠" -> "(一)", "⑽" -> "(10)" are numbering. Other 1:n characters ("…", "㎡", "℃") stay as they are.
_EXPANDED_RANGES: tuple[tuple[int, int], ...] = (
    (0x2460, 0x24FF),
    (0x3200, 0x32FF),
    (0x1F100, 0x1F1FF),
)

# Code point ranges that hold no compatibility mappings (CJK ideographs, Hangul, surrogates,
# private use); skipping them makes building the table three times faster.
_NO_MAPPINGS: tuple[tuple[int, int], ...] = (
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xAC00, 0xD7AF),
    (0xD800, 0xF8FF),
    (0x20000, 0x2F7FF),
    (0x30000, 0x10FFFF),
)


@dataclass(frozen=True)
class _Tables:
    """Everything `normalize` needs, built once."""

    translate: dict[int, str | None]  # the full per-character mapping for str.translate
    expand: dict[str, str]  # characters mapped to more than one character
    special: re.Pattern[str]  # "\r" or a character that is dropped or expanded
    # The same mapping as a list indexed by code point for the Basic Multilingual Plane (unmapped
    # characters map to themselves): str.translate looks a list up without the KeyError a dict
    # raises for every unmapped character, which makes it 2-3x faster on Chinese text.
    bmp: list[str | None]


def _full_width(s: str) -> str:
    return "".join(PUNCT_FULL.get(c, c) for c in s)


def _is_expandable(cp: int) -> bool:
    return any(lo <= cp <= hi for lo, hi in _EXPANDED_RANGES)


def _code_points() -> list[int]:
    points: list[int] = []
    start = 0
    for lo, hi in _NO_MAPPINGS:
        points.extend(range(start, lo))
        start = hi + 1
    return points


def _dropped() -> list[str]:
    controls = [chr(cp) for cp in range(0x20) if chr(cp) not in "\n\t" + _LINE_BREAKS]
    return controls + [chr(cp) for cp in range(0x7F, 0xA0) if chr(cp) not in _LINE_BREAKS] + list(_INVISIBLE)


def _width_mappings() -> tuple[dict[int, str], dict[str, str]]:
    """NFKC of single characters: the 1:1 ones for the table, the enclosed 1:n ones to expand."""
    one: dict[int, str] = {}
    many: dict[str, str] = {}
    for cp in _code_points():
        ch = chr(cp)
        if not unicodedata.decomposition(ch):
            continue
        mapped = _full_width(unicodedata.normalize("NFKC", ch))
        if mapped == ch:
            continue
        if len(mapped) == 1:
            one[cp] = mapped
        elif _is_expandable(cp):
            many[ch] = mapped
    return one, many


def _char_class(chars: list[str]) -> str:
    """A regex character class, runs of code points as ranges (a short class scans fast)."""
    points = sorted({ord(c) for c in chars})
    runs: list[tuple[int, int]] = []
    for cp in points:
        if runs and cp == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], cp)
        else:
            runs.append((cp, cp))
    parts = (re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "") for a, b in runs)
    return f"[{''.join(parts)}]"


@cache
def _tables() -> _Tables:
    one, many = _width_mappings()
    table: dict[int, str | None] = dict(one)
    table.update({ord(c): f for c, f in PUNCT_FULL.items()})
    table.update({ord(c): "\n" for c in _LINE_BREAKS})
    dropped = _dropped()
    table.update({ord(c): None for c in dropped})
    table.update({ord(c): s for c, s in many.items()})
    special = re.compile(_char_class(["\r", *dropped, *many]))
    bmp: list[str | None] = [chr(cp) for cp in range(BMP_END)]
    for cp, mapped in table.items():
        if cp < BMP_END:
            bmp[cp] = mapped
    return _Tables(translate=table, expand=many, special=special, bmp=bmp)


BMP_END = 0x10000


def _translate(text: str, tables: _Tables) -> str:
    """``text.translate(tables.translate)``, through the faster list table when it can be used."""
    if len(text.encode("utf-16-le", "surrogatepass")) == 2 * len(text):  # no character beyond the BMP
        return text.translate(tables.bmp)
    return text.translate(tables.translate)


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def _offsets(raw: str, tables: _Tables) -> list[int]:
    """The offset map for ``raw.replace("\\r\\n", "\\n").translate(tables.translate)``."""
    offsets: list[int] = []
    pos = 0
    for m in tables.special.finditer(raw):
        start = m.start()
        offsets.extend(range(pos, start))
        token = m.group()
        pos = start + 1
        if token == "\r":  # "\r\n" and a lone "\r" both give one "\n"
            offsets.append(start)
            pos += raw.startswith("\n", pos)
        elif token in tables.expand:
            offsets.extend([start] * len(tables.expand[token]))
    offsets.extend(range(pos, len(raw) + 1))
    return offsets


def _simplified_char(conv: opencc.OpenCC, ch: str) -> str:
    out = conv.convert(ch)
    return out if len(out) == 1 else ch


def _simplified_line(conv: opencc.OpenCC, line: str) -> str:
    out = conv.convert(line)
    if len(out) == len(line):
        return out
    return "".join(_simplified_char(conv, ch) for ch in line)


def to_simplified(text: str) -> str:
    """Traditional -> simplified, keeping the length (so the offset map stays valid).

    The whole text is converted at once (phrase-aware); only if that changes the length do we fall
    back to lines, and within a line that still changes length, to single characters.
    """
    conv = _t2s()
    out = conv.convert(text)
    if len(out) == len(text):
        return out
    return "\n".join(_simplified_line(conv, line) for line in text.split("\n"))


def normalize(raw: str) -> tuple[str, list[int]]:
    """Return ``(text, offsets)``: ``text`` for the parser, ``offsets[i]`` the index in ``raw`` of
    ``text[i]`` (``len(text) + 1`` entries, the last one ``len(raw)``).

    Line endings become "\\n"; control and invisible characters (and a BOM) are dropped; NFKC is
    applied per character (full-width digits and letters -> ASCII, U+3000 and NBSP -> " ",
    "﹝﹞" -> "〔〕", "⑴" -> "（1）"); the punctuation ( ) , : ; ! ? always comes out full-width;
    "." stays "."; traditional characters become simplified.
    """
    tables = _tables()
    offsets = _offsets(raw, tables)
    text = _translate(raw.replace("\r\n", "\n"), tables)
    text = to_simplified(text)
    if len(text) + 1 != len(offsets):  # a broken invariant is a bug here, never the user's
        raise AssertionError(f"offset map out of step: {len(text) + 1} != {len(offsets)}")
    return text, offsets
