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

from plangraph.graph.model import Role

OPENERS = {"（": "）", "〔": "〕", "(": ")", "[": "]"}
CLOSERS = frozenset(OPENERS.values())
OPENER_OF = {v: k for k, v in OPENERS.items()}
# The characters the scanners below act on; every other character is skipped at C speed (a plan's
# paragraphs are long and its brackets and separators few).
BRACKET = re.compile(r"[（〔(\[）〕)\]]")
SEGMENT_STOP = re.compile(r"[（〔(\[）〕)\]，；,;]")
NAME_STOP = re.compile(r"[（〔(\[）〕)\]、,，]")
FILLER = re.compile(r"^(?:由|和|及|以及)")
ROLE_WORDS = re.compile(r"牵头|配合|负责|职责分工|责任单位|责任部门|协办|参与单位")
# The words that open a labelled list ("牵头单位：", "配合部门："); also how a clause line starts.
LABEL_WORDS = "牵头|配合|责任|协办|参与|协助"
LABEL = re.compile(rf"^({LABEL_WORDS})(单位|部门)\s*：\s*")
LABEL_ROLE: dict[str, Role] = {"牵头": "lead", "配合": "support", "责任": "support", "协办": "support", "参与": "support", "协助": "support"}
# Marks at the end of a segment, longest first; what they say about the names before them.
END_MARKS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?:等[^、，；]{0,4}?)?(?:共同)?牵头(?:负责)?$"), "lead"),
    (re.compile(r"(?:等[^、，；]{0,4}?)?(?:协同)?(?:配合|参与|协助|协办)$"), "support"),
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
    lost), or None: an opening bracket without a match, role words after it before the next one."""
    if not ROLE_WORDS.search(text):  # no role word anywhere: none after any bracket either
        return None
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


def parse_clause(inner: str, offset: int, whole: tuple[int, int] | None = None) -> Clause:
    """Read the text inside a clause's brackets (or a run of clause lines) starting at ``offset``."""
    start, end = whole or (offset, offset + len(inner))
    clause = Clause(start=start, end=end, text="")
    segments = list(_segments(inner))
    if len(segments) == 1 and LABEL.match(segments[0][0]) and segments[0][0].startswith("牵头"):
        clause.action_lead = True
    tagged = [_tag(seg, pos) for seg, pos in segments]
    roles = _assign_roles(tagged, clause)
    for (body, body_pos, _mark), role in zip(tagged, roles):
        for name, pos in _names(body):
            clause.names.append(NameAt(role, name, offset + body_pos + pos, offset + body_pos + pos + len(name)))
    _drop_repeats(clause)
    return clause


def _split_top_level(text: str, stops: re.Pattern[str]) -> list[tuple[str, int]]:
    """Pieces of ``text`` between separators that stand outside brackets (各乡镇（街道） stays
    whole), each with its position; ``stops`` matches the brackets and the separators."""
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


def _segments(inner: str) -> list[tuple[str, int]]:
    """Split at top-level "，" / "；"."""
    return [(seg, pos) for seg, pos in _split_top_level(inner, SEGMENT_STOP) if seg.strip()]


def _tag(segment: str, pos: int) -> tuple[str, int, str | None]:
    """(body, body position, mark) where mark is a label role, an end-mark kind, or None."""
    label = LABEL.match(segment)
    if label:
        return segment[label.end() :], pos + label.end(), LABEL_ROLE[label.group(1)]
    for pattern, kind in END_MARKS:
        m = pattern.search(segment)
        if m:
            return segment[: m.start()], pos, kind
    return segment, pos, None


def _assign_roles(tagged: list[tuple[str, int, str | None]], clause: Clause) -> list[Role]:
    marks = [mark for _, _, mark in tagged]
    explicit = {"lead", "support"}
    if any(m in explicit for m in marks):
        roles: list[Role] = []
        seen_lead = False
        for mark in marks:
            if mark == "lead":
                roles.append("lead")
                seen_lead = True
            elif mark == "support":
                roles.append("support")
            else:  # a bare list beside explicit ones: after a lead it is support, before it lead
                role: Role = "support" if seen_lead else "lead"
                if mark is None:
                    clause.warnings.append(f"unmarked list in clause read as {role}")
                roles.append(role)
        return roles
    if len(tagged) >= 2:  # 〔A、B，C、D按职责分工负责〕: the "，" splits leads from supporters
        return ["lead"] + ["support"] * (len(tagged) - 1)
    return ["responsible"] * len(tagged)


def _names(body: str) -> list[tuple[str, int]]:
    """Names in a "、"-separated list with their positions; filler words removed."""
    return [name for raw, pos in _split_top_level(body, NAME_STOP) for name in _clean_name(raw, pos)]


def _clean_name(raw: str, pos: int) -> list[tuple[str, int]]:
    name = raw
    lead = len(name) - len(name.lstrip())
    name = name.strip()
    pos += lead
    name = TRAILING_ETC.sub("", name)
    prefix = FILLER.match(name)
    if prefix:
        name = name[prefix.end() :]
        pos += prefix.end()
    name = name.strip()
    if len(name) < 2:
        return []
    return [(name, pos)]


def _drop_repeats(clause: Clause) -> None:
    """A name repeated within one list ("县工信局、县工信局") counts once."""
    seen: set[tuple[Role, str]] = set()
    kept: list[NameAt] = []
    for entry in clause.names:
        key = (entry.role, entry.name)
        if key in seen:
            continue
        seen.add(key)
        kept.append(entry)
    clause.names = kept


def _matching_open(text: str, close_at: int) -> int | None:
    opener = OPENER_OF[text[close_at]]
    depth = 0
    for m in reversed(list(BRACKET.finditer(text, 0, close_at + 1))):
        ch = m.group()
        if ch in CLOSERS:
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return m.start() if ch == opener or (ch in "（(" and opener in "（(") else None
    return None
