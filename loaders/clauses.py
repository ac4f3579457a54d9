"""Responsibility clauses -> (role, name, position) for every body a clause names.

The forms (see ``shared/spec/extraction.md``) reduce to one grammar: a clause is a list of
segments split by a top-level "，" or "；"; a segment is either labelled ("牵头单位：A、B"), marked
at its end ("A、B牵头", "C、D等单位配合", "A、B按职责分工负责") or bare. Roles follow from the
labels and marks; a clause with neither ("〔A、B，C按职责分工负责〕") splits at its first "，" into
lead and support, or names everyone "responsible" when there is no split. Positions are indices
into the string given, so callers can map them back to the source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from plangraph.graph.model import Role

from .agency_names import looks_like_agencies

OPENERS = {"（": "）", "〔": "〕", "(": ")", "[": "]"}
CLOSERS = frozenset(OPENERS.values())
OPENER_OF = {v: k for k, v in OPENERS.items()}
# The characters the scanners below act on; every other character is skipped at C speed (a plan's
# paragraphs are long and its brackets and separators few).
BRACKET = re.compile(r"[（〔(\[）〕)\]]")
SEGMENT_STOP = re.compile(r"[（〔(\[）〕)\]，；,;]")
NAME_STOP = re.compile(r"[（〔(\[）〕)\]、,，]")
# The same separators without the brackets: text with no bracket in it is split at C speed.
SEGMENT_SEPARATOR = re.compile(r"[，；,;]")
NAME_SEPARATOR = re.compile(r"[、,，]")
FILLER = re.compile(r"^(?:由|和|及|以及)")
ROLE_WORDS = re.compile(r"牵头|配合|负责|职责分工|责任单位|责任部门|协办|参与单位")
# The words that open a labelled list ("牵头单位：", "配合部门："); also how a clause line starts.
# "分工：" opens a line of 2016-2020 plans whose roles its end marks say ("分工：由A牵头，B等单位参加。").
LABEL_WORDS = "牵头|配合|责任|协办|参与|协助"
LABEL = re.compile(rf"^(?:({LABEL_WORDS})(单位|部门)|分工)\s*：\s*")
LABEL_ROLE: dict[str, Role] = {"牵头": "lead", "配合": "support", "责任": "support", "协办": "support", "参与": "support", "协助": "support"}
# Marks at the end of a segment, longest first; what they say about the names before them.
END_MARKS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?:等[^、，；]{0,4}?)?(?:共同)?牵头(?:负责)?$"), "lead"),
    (re.compile(r"(?:等[^、，；]{0,4}?)?(?:协同)?(?:配合|参与|协助|协办|参加)$"), "support"),
    (re.compile(r"(?:等[^、，；]{0,4}?)?(?:按照?职责分工|按职责|分工)?(?:共同)?负责$"), "duty"),
    (re.compile(r"(?:等[^、，；]{0,4}?)?按照?职责分工$"), "duty"),
]
TRAILING_ETC = re.compile(r"等(?:[^、，；]{0,4}(?:单位|部门|党委|机构|组织)|相关单位)?$")


@dataclass
class NameAt:
    role: Role
    name: str
    start: int
    end: int


@dataclass
class Clause:
    """A responsibility clause found in a paragraph: its extent and what it says."""

    start: int
    end: int
    text: str
    names: list[NameAt] = field(default_factory=list)
    action_lead: bool = False
    warnings: list[str] = field(default_factory=list)

    def by_role(self, role: Role) -> list[NameAt]:
        return [n for n in self.names if n.role == role]


def find_trailing_clause(text: str) -> Clause | None:
    """The bracketed clause that closes a paragraph, if it names who does the work."""
    end = len(text.rstrip("。；;，, \t"))
    if end == 0 or text[end - 1] not in ("）", "〕", ")", "]"):
        return None
    start = _matching_open(text, end - 1)
    if start is None:
        return None
    inner = text[start + 1 : end - 1]
    if not ROLE_WORDS.search(inner):
        return None
    return parse_clause(inner, start + 1, whole=(start, end))


def unclosed_clause(text: str) -> int | None:
    """Where a bracket opens a clause that is never closed ("…（A牵头，B等单位配合" with its "）"
    lost), or None: an opening bracket without a match, role words after it before the next one.

    Role words are only looked for after unmatched brackets: most paragraphs have none, so their
    text is scanned once, for brackets."""
    opens: list[int] = []  # every opening bracket, in order
    unmatched: list[int] = []  # indices into `opens` still open
    for m in BRACKET.finditer(text):
        if m.group() in OPENERS:
            unmatched.append(len(opens))
            opens.append(m.start())
        elif unmatched:
            unmatched.pop()
    for k in unmatched:
        end = opens[k + 1] if k + 1 < len(opens) else len(text)
        if ROLE_WORDS.search(text, opens[k] + 1, end):
            return opens[k]
    return None


def parse_clause(inner: str, offset: int, whole: tuple[int, int] | None = None, check_names: bool = True) -> Clause:
    """Read the text inside a clause's brackets (or a run of clause lines) starting at ``offset``.

    A list whose names mostly do not look like organisations (``agency_names``) is task text
    that ran into the clause: its names are left out and the clause warns, quoting it.
    ``check_names`` is off for lists of people's posts (a leading group's members).
    """
    start, end = whole or (offset, offset + len(inner))
    clause = Clause(start=start, end=end, text="")
    segments = _segments(inner)
    if len(segments) == 1 and LABEL.match(segments[0][0]) and segments[0][0].startswith("牵头"):
        clause.action_lead = True
    read = [_read_segment(seg) for seg, _ in segments]
    kept = [not check_names or looks_like_agencies([n for n, _ in names]) for _, names in read]
    roles = _assign_roles([mark for mark, _ in read], clause, kept)
    seen: dict[Role, set[str]] = {}  # a name repeated in a role ("县工信局、县工信局") counts once
    for (segment, segment_pos), (_, names), role, keep in zip(segments, read, roles, kept):
        if not keep:
            clause.warnings.append(f"not read as agencies (its names do not look like organisations): {segment.strip()!r}")
            continue
        seen_in_role = seen.setdefault(role, set())
        for name, pos in names:
            if name in seen_in_role:
                continue
            seen_in_role.add(name)
            start = offset + segment_pos + pos
            clause.names.append(NameAt(role, name, start, start + len(name)))
    return clause


def _split_top_level(text: str, stops: re.Pattern[str], separators: re.Pattern[str]) -> list[tuple[str, int]]:
    """Pieces of ``text`` between separators that stand outside brackets (各乡镇（街道） stays
    whole), each with its position; ``stops`` matches the brackets and the separators,
    ``separators`` the separators alone (most clauses hold no bracket: a plain split then)."""
    if BRACKET.search(text) is None:
        return _split_plain(text, separators)
    parts: list[tuple[str, int]] = []
    depth = 0
    begin = 0
    for m in stops.finditer(text):
        ch = m.group()
        if ch in OPENERS:
            depth += 1
        elif ch in CLOSERS:
            depth = max(0, depth - 1)
        elif depth == 0:
            parts.append((text[begin : m.start()], begin))
            begin = m.start() + 1
    parts.append((text[begin:], begin))
    return parts


def _split_plain(text: str, separators: re.Pattern[str]) -> list[tuple[str, int]]:
    """``text`` split at every separator (each one character), each piece with its position."""
    parts: list[tuple[str, int]] = []
    begin = 0
    for piece in separators.split(text):
        parts.append((piece, begin))
        begin += len(piece) + 1
    return parts


def _segments(inner: str) -> list[tuple[str, int]]:
    """Split at top-level "，" / "；"."""
    return [(seg, pos) for seg, pos in _split_top_level(inner, SEGMENT_STOP, SEGMENT_SEPARATOR) if seg.strip()]


@lru_cache(maxsize=1 << 14)  # pure; segments ("县科协牵头", "县教育局、县妇联等单位配合") recur
def _read_segment(segment: str) -> tuple[str | None, tuple[tuple[str, int], ...]]:
    """A segment's mark (a label role, an end-mark kind, or None) and the names in its list, each
    with its position in the segment."""
    start, end, mark = _mark(segment)
    return mark, tuple((name, start + pos) for name, pos in _names(segment[start:end]))


def _mark(segment: str) -> tuple[int, int, str | None]:
    """Where a segment's list of names starts and ends, and the label role or end mark around it."""
    label = LABEL.match(segment)
    if label and label.group(1):
        return label.end(), len(segment), LABEL_ROLE[label.group(1)]
    begin = label.end() if label else 0  # after "分工：" the end marks say the role
    end = len(segment.rstrip("。"))  # a 分工 line is a sentence: its last list ends in "。"
    last_item = max(begin, segment.rfind("、", begin, end) + 1)  # no mark holds a "、": it stands in the list's last item
    end_mark = _end_mark(segment[last_item:end])
    if end_mark is None:
        return begin, end, None
    return begin, last_item + end_mark[0], end_mark[1]


@lru_cache(maxsize=1 << 14)  # pure; last items ("县人社局等单位配合") recur far more than whole lists
def _end_mark(item: str) -> tuple[int, str] | None:
    """Where the first of END_MARKS that closes ``item`` starts, and its kind; None if none does."""
    for pattern, kind in END_MARKS:
        m = pattern.search(item)
        if m:
            return m.start(), kind
    return None


def _assign_roles(marks: list[str | None], clause: Clause, kept: list[bool]) -> list[Role]:
    explicit = {"lead", "support"}
    if any(m in explicit for m in marks):
        roles: list[Role] = []
        seen_lead = False
        for mark, keep in zip(marks, kept):
            if mark == "lead":
                roles.append("lead")
                seen_lead = True
            elif mark == "support":
                roles.append("support")
            else:  # a bare list beside explicit ones: after a lead it is support, before it lead
                role: Role = "support" if seen_lead else "lead"
                if mark is None and keep:
                    clause.warnings.append(f"unmarked list in clause read as {role}")
                roles.append(role)
        return roles
    if len(marks) >= 2:  # 〔A、B，C、D按职责分工负责〕: the "，" splits leads from supporters
        return ["lead"] + ["support"] * (len(marks) - 1)
    return ["responsible"] * len(marks)


def list_names(body: str) -> list[tuple[str, int]]:
    """The names of a "、"/"，"-separated list (a task table's cell) with their positions."""
    return _names(body)


def _names(body: str) -> list[tuple[str, int]]:
    """Names in a "、"-separated list with their positions; filler words removed."""
    names: list[tuple[str, int]] = []
    for raw, pos in _split_top_level(body, NAME_STOP, NAME_SEPARATOR):
        cleaned = _clean_name(raw)
        if cleaned is not None:
            names.append((cleaned[0], pos + cleaned[1]))
    return names


@lru_cache(maxsize=1 << 16)  # pure; a plan writes a few dozen names hundreds of times
def _clean_name(raw: str) -> tuple[str, int] | None:
    """The name in a raw list item and where in the item it starts; None for no name."""
    name = raw
    pos = len(name) - len(name.lstrip())
    name = name.strip()
    name = TRAILING_ETC.sub("", name)
    prefix = FILLER.match(name)
    if prefix:
        name = name[prefix.end() :]
        pos += prefix.end()
    name = name.strip()
    if len(name) < 2:
        return None
    return name, pos


def _matching_open(text: str, close_at: int) -> int | None:
    """The opening bracket that the bracket at ``close_at`` closes, or None.

    The brackets are walked backwards from ``close_at``, by scanning the reversed text, so the scan
    stops at the matching bracket instead of first finding every bracket of a long paragraph.
    """
    opener = OPENER_OF[text[close_at]]
    depth = 0
    backwards = text[close_at::-1]  # backwards[i] is text[close_at - i]
    for m in BRACKET.finditer(backwards):
        ch = m.group()
        if ch in CLOSERS:
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return close_at - m.start() if ch == opener or (ch in "（(" and opener in "（(") else None
    return None
