"""Normalise decoded plan text into the one form the parser reads, keeping an exact offset map.

Why: plans arrive with CRLF or CR line endings, full-width digits, half-width punctuation from web
copies ("(一)", ","), traditional characters, stray control characters. The parser should see one
spelling of each of those, while every span it reports must still point into the text as the user
has it. So `normalize` returns the normalised text *and* `offsets`, where ``offsets[i]`` is the
index in ``raw`` of ``text[i]`` and ``offsets[-1] == len(raw)``.

Most characters map one to one (a table built once); only the rare characters that are dropped
(control characters), expanded (enclosed numbers such as "⑴" -> "（1）") or merged ("\\r\\n" ->
"\\n") touch the offset map. A plan is nearly all Chinese characters and punctuation that map to
themselves, so one regex pass first lists the few other characters present; only those are
replaced, and a text without dropped or expanded ones gets the identity offset map at once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
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

# Characters that map to themselves and make up most of a plan (CJK ideographs, Chinese
# punctuation, ASCII letters and digits, blank and newline): text is scanned past them at C speed.
# `_tables` checks that none of them is mapped.
_PLAIN = "\u4e00-\u9fff，。、；：（）“”《》—0-9A-Za-z \n"

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
    special_chars: frozenset[str]  # the characters `special` matches
    replace: dict[str, str]  # `translate` by character, a dropped one mapped to ""
    # Whether replacing the characters one after another equals translating: no replacement
    # holds a character that is itself replaced (else `str.translate` is used).
    replace_in_turn: bool
    plain: re.Pattern[str]  # runs of characters of _PLAIN


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
    special_chars = frozenset(["\r", *dropped, *many])
    replace = {chr(cp): mapped or "" for cp, mapped in table.items()}
    plain = re.compile(f"[{_PLAIN}]")
    if any(plain.match(ch) for ch in replace):
        raise AssertionError("a character of _PLAIN is mapped")  # a bug in _PLAIN, never the user's
    return _Tables(
        translate=table,
        expand=many,
        special=re.compile(_char_class(sorted(special_chars))),
        special_chars=special_chars,
        replace=replace,
        replace_in_turn=not any(ch in replace for mapped in replace.values() for ch in mapped),
        plain=re.compile(f"[{_PLAIN}]+"),
    )


def _present(raw: str, tables: _Tables) -> set[str]:
    """The characters of ``raw`` outside _PLAIN: the only ones that may need mapping."""
    return set(tables.plain.sub("", raw))


def _translate(text: str, tables: _Tables, present: set[str]) -> str:
    """``text.translate(tables.translate)``, ``present`` holding every character of ``text`` that
    may be mapped: a plan holds a handful of them, and replacing each is far cheaper than
    translating every character."""
    if not tables.replace_in_turn:
        return text.translate(tables.translate)
    replace = tables.replace
    # Looked up one by one: ``present.intersection(replace)`` would walk the thousands of keys of
    # ``replace`` (a dict is not a set), 36 us a plan, for a handful of characters. The order of
    # the replacements does not matter (``replace_in_turn``).
    for ch in present:
        if ch in replace:
            text = text.replace(ch, replace[ch])
    return text


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def _offsets(raw: str, tables: _Tables, present: set[str]) -> Sequence[int]:
    """The offset map for ``raw.replace("\\r\\n", "\\n").translate(tables.translate)``, ``present``
    holding every character of ``raw`` that may be special."""
    if tables.special_chars.isdisjoint(present):  # one to one: the identity
        return range(len(raw) + 1)
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
    text, offsets = normalize_map(raw)
    return text, list(offsets)


def normalize_map(raw: str) -> tuple[str, Sequence[int]]:
    """`normalize`, but an offset map that is the identity (most plans: no line ending or
    character changed length) comes as a ``range``: no list of a number per character is built."""
    tables = _tables()
    present = _present(raw, tables)
    offsets = _offsets(raw, tables, present)
    text = _translate(raw.replace("\r\n", "\n"), tables, present)
    text = to_simplified(text)
    if len(text) + 1 != len(offsets):  # a broken invariant is a bug here, never the user's
        raise AssertionError(f"offset map out of step: {len(text) + 1} != {len(offsets)}")
    return text, offsets
