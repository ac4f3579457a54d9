"""A plan file -> a ``Plan``: the loaders' one entry point.

read (bytes -> text) -> paragraphs -> outline (actions, tasks) -> clauses (who, which role)
-> agencies (spellings -> ids) -> the model. Every name and task keeps its span in the decoded
source text.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from pathlib import Path

from plangraph.graph.actions import is_other
from plangraph.graph.heap import no_gc
from plangraph.graph.model import ROLES, Plan, Role, agency_id

from .agencies import AgencyResolver, is_group
from .clauses import parse_clause
from .errors import PlanError
from .jurisdiction import find_jurisdiction
from .outline import ActionDraft, ClauseAt, TaskDraft, find_actions
from .paragraphs import Paragraph, join_paragraphs, split_lines
from .period import find_period, find_target
from .plan_files import page_files
from .read import SourceText, read_bytes, read_file, read_pages
from .tables import actions_from_rows, body_before_appendix, join_rows, task_rows

MEMBER_LIST = re.compile(r"^成\s*员\s*：")
MEMBER_SUFFIX = re.compile(r"(?:主要)?(?:负责人|负责同志|乡镇长|主任|局长|部长)$")
LEADING_GROUP = re.compile(r"((?:县|市|区|省)[\u4e00-\u9fff]{0,20}?领导小组)")
OFFICE = re.compile(r"办公室设在([\u4e00-\u9fff（）]{2,20}?)(?:[，。,]|$)")

# The fields of one model of ``graph.model`` (a task, an action, an agency, a group), as plain
# values: the builder gives the whole plan as fields and ``Plan.model_validate`` makes every model
# in one call into pydantic-core, instead of one Python ``__init__`` and validation per model.
Fields = dict[str, object]


def parse_file(path: str | Path) -> Plan:
    """Read one plan file; raise ``PlanError`` naming the file when it is not a readable plan.

    The cyclic garbage collector is paused while one plan is parsed: a parse makes thousands of
    short-lived objects that reference counting frees, and the collections they set off walked
    everything else alive (18 % of the parse time; ``graph/heap.py``).
    """
    path = Path(path)
    if path.is_dir():
        return parse_pages(page_files(path), path.name)
    with no_gc():
        data = read_file(path)  # once: the text and the checksum come from the same bytes
        source = read_bytes(data, str(path))
        return parse_source(source, path.name, hashlib.sha256(data).hexdigest())


def parse_pages(paths: list[Path], name: str) -> Plan:
    """One plan scanned page by page: its page images, in page order, read by OCR. Its checksum
    is that of the pages' bytes one after another."""
    if not paths:
        raise PlanError(name, "a folder of page images holds no .png/.jpg/.tif file")
    pages = [(read_file(p), str(p)) for p in paths]
    digest = hashlib.sha256()
    for data, _ in pages:
        digest.update(data)
    with no_gc():
        return parse_source(read_pages(pages, name), name, digest.hexdigest())


def parse_bytes(data: bytes, name: str) -> Plan:
    """Read a plan from bytes (an upload); ``name`` gives the format by its suffix."""
    with no_gc():
        return parse_source(read_bytes(data, name), name, hashlib.sha256(data).hexdigest())


def parse_source(source: SourceText, name: str, sha256: str) -> Plan:
    """The plan a decoded source holds; ``name`` and ``sha256`` identify the file it came from."""
    warnings: list[str] = list(source.warnings)
    paragraphs = join_paragraphs(split_lines(source.text), warnings)
    rows = task_rows(source, warnings) if source.tables else []
    actions = find_actions(body_before_appendix(paragraphs) if rows else paragraphs, warnings)
    if rows and not any(a.tasks for a in actions):  # the plan is its task table
        actions = actions_from_rows(rows)
    elif rows:
        join_rows(actions, rows, warnings)
    if not actions:
        raise PlanError(name, "no actions found: not a science-literacy plan (no （一）… headings under a 提升行动/重点工程 part)")
    warnings.extend(_unknown_actions(actions))
    joined = "\n".join(p.text for p in paragraphs)  # lines broken mid-word are whole again
    jurisdiction = find_jurisdiction(joined, warnings)
    if jurisdiction is None:
        raise PlanError(name, "no jurisdiction found: the text names no place (省, 市, 州, 盟, 县, 旗, 区 …) whose plan this is")
    if not any(t.clauses for a in actions for t in a.tasks) and not any(a.lead_clauses for a in actions):
        raise PlanError(name, "no responsibility clause could be read in any task")
    period = find_period(joined, jurisdiction.name)
    builder = _PlanBuilder(source, jurisdiction.name, warnings)
    members = _member_list(paragraphs)
    plan_actions = builder.build_actions(actions, members)
    groups = builder.groups(members, paragraphs)
    return Plan.model_validate(
        {
            "source": _source_fields(source, name, sha256),
            "jurisdiction": jurisdiction,
            "period": period,
            "literacy_target_percent": find_target(joined, period),
            "actions": plan_actions,
            "groups": groups,
            "agencies": builder.agencies(),  # after groups(), which adds the leading group's name
            "warnings": warnings,
        }
    )


def _unknown_actions(actions: list[ActionDraft]) -> list[str]:
    """A warning for each action whose heading no key of ``graph/data/action_keys.yaml`` knows: the
    action is kept (its key "other:<title>"), and the warning tells a reader it lines up with no
    action of other plans (a new generation's action, such as one on artificial intelligence)."""
    return [
        f"action {a.seq} ({a.title}): no action key of action_keys.yaml matches its heading; kept as {a.key!r}"
        for a in actions if is_other(a.key)
    ]


def _source_fields(source: SourceText, name: str, sha256: str) -> Fields:
    """The plan's ``Source``: the OCR's unsure share only where the text was recognised."""
    fields: Fields = {"file": name, "sha256": sha256, "format": source.format}
    if source.low_confidence_share is not None:
        fields["low_confidence_share"] = source.low_confidence_share
    return fields


class _PlanBuilder:
    """Turns drafts into the fields of the plan's models once every spelling of the plan is known.

    Only fields are built here (``Fields``); a model's optional fields are given exactly when the
    model built apiece was given them, so the plan's ``model_fields_set`` are as they were.
    """

    def __init__(self, source: SourceText, jurisdiction: str, warnings: list[str]) -> None:
        self.source = source
        self.jurisdiction = jurisdiction
        self.warnings = warnings
        self.resolver = AgencyResolver(jurisdiction)
        self.canonical: dict[str, str] = {}
        self._ids = _AgencyIds(jurisdiction, self.canonical)

    def build_actions(self, drafts: list[ActionDraft], members: list[tuple[str, int, int, Paragraph]]) -> list[Fields]:
        """The fields of every action, with its tasks, after resolving all spellings at once."""
        for draft in drafts:
            for clause_at in draft.lead_clauses + [c for t in draft.tasks for c in t.clauses]:
                self.resolver.add_list([n.name for n in clause_at.clause.names])
        if members:
            self.resolver.add_list([m[0] for m in members])
        self.canonical = self.resolver.resolve()
        self._ids = _AgencyIds(self.jurisdiction, self.canonical)
        return [self._action(d) for d in drafts]

    def _span(self, par: Paragraph, start: int, end: int) -> tuple[int, int]:
        return self.source.raw_span(par.offsets[start], par.offsets[end - 1] + 1)

    def _add_mentions(self, at: ClauseAt, by_role: Mapping[Role, list[Fields]]) -> None:
        """Append every name a clause gives to the list of its role, as the fields of a
        ``Mention`` (the spelling, its agency and its raw span).

        A plan has a few hundred mentions: this loop is the builder's hottest, hence the locals.
        """
        offsets = at.paragraph.offsets
        raw_span = self.source.raw_span
        ids = self._ids
        for n in at.clause.names:
            by_role[n.role].append({"name": n.name, "agency_id": ids[n.name], "span": raw_span(offsets[n.start], offsets[n.end - 1] + 1)})

    def agency_id(self, spelling: str) -> str:
        """The id of the agency a spelling names (remembered, see ``_AgencyIds``)."""
        return self._ids[spelling]

    def _action(self, draft: ActionDraft) -> Fields:
        """The fields of an ``Action``: its span runs from the heading to its last clause."""
        leads: list[Fields] = []
        every_role_to_leads = dict.fromkeys(ROLES, leads)  # an action's leads are all its clauses name
        for c in draft.lead_clauses:
            self._add_mentions(c, every_role_to_leads)
        last = draft.tasks[-1].paragraphs[-1] if draft.tasks else (draft.intro[-1] if draft.intro else draft.heading)
        span = self.source.raw_span(draft.heading.start, _end_of(draft, last))
        tasks = [self._task(draft, i + 1, t) for i, t in enumerate(draft.tasks)]
        return {"seq": draft.seq, "part": draft.part, "key": draft.key, "title": draft.title, "span": span, "leads": leads, "tasks": tasks}

    def _task(self, action: ActionDraft, seq: int, draft: TaskDraft) -> Fields:
        """The fields of a ``Task``, its clauses' texts joined and their mentions by role."""
        first = draft.paragraphs[0]
        mentions: dict[Role, list[Fields]] = {role: [] for role in ROLES}
        texts: list[str] = []
        spans: list[tuple[int, int]] = []
        for c in draft.clauses:
            clause = c.clause
            texts.append(c.paragraph.text[clause.start : clause.end])
            spans.append(self._span(c.paragraph, clause.start, clause.end))
            if clause.warnings:
                self.warnings.extend(f"{draft.title}: {w}" for w in clause.warnings)
            self._add_mentions(c, mentions)
        task: Fields = {
            "seq": seq,
            "title": draft.title,
            "text": "".join([p.text for p in draft.paragraphs]),
            "span": self.source.raw_span(first.start, draft.end()),
            "shared_clause": draft.shared_clause,
            **mentions,
        }
        # as when they were assigned after construction, clause and clause_span are set only when
        # there is a clause
        if texts:
            task["clause"] = "\n".join(texts)
            task["clause_span"] = _hull(spans)
        return task

    def agencies(self) -> list[Fields]:
        """The fields of every ``Agency``: one per canonical name, with the spellings read as it."""
        spellings: dict[str, list[str]] = {}
        for spelling, canonical in sorted(self.canonical.items()):
            spellings.setdefault(canonical, []).append(spelling)
        return [
            {"id": agency_id(self.jurisdiction, c), "name": c, "spellings": s, "is_group": is_group(c)}
            for c, s in sorted(spellings.items())
        ]

    def groups(self, members: list[tuple[str, int, int, Paragraph]], paragraphs: list[Paragraph]) -> list[Fields]:
        """The fields of every ``Group``: the group references, then the leading group if listed."""
        groups: list[Fields] = []
        member_ids = list(dict.fromkeys(self.agency_id(m[0]) for m in members))
        for name in sorted(set(self.canonical.values())):  # the agencies' names, as agencies() has them
            if is_group(name):
                linked = member_ids if "成员单位" in name else []
                groups.append({"name": name, "agency_id": agency_id(self.jurisdiction, name), "members": linked})
        if members:
            groups.append(self._leading_group(members, member_ids, paragraphs))
        return groups

    def _leading_group(self, members: list[tuple[str, int, int, Paragraph]], member_ids: list[str], paragraphs: list[Paragraph]) -> Fields:
        """The fields of the leading group: its name from the lines before its member list, its
        office from the lines after."""
        member_par = members[0][3]
        index = next(i for i, p in enumerate(paragraphs) if p is member_par)
        name = "领导小组"
        for par in reversed(paragraphs[max(0, index - 4) : index]):
            m = LEADING_GROUP.search(par.text)
            if m:
                name = m.group(1)
                break
        office = None
        for par in paragraphs[index : index + 4]:
            m = OFFICE.search(par.text)
            if m:
                office = self.agency_id(m.group(1)) if m.group(1) in self.canonical else None
                break
        self.canonical.setdefault(name, name)
        return {"name": name, "agency_id": agency_id(self.jurisdiction, name), "members": member_ids, "office": office}


class _AgencyIds(dict[str, str]):
    """Spelling -> agency id, each made on first use: a plan writes each name many times, and a
    hit is a plain dict look-up. Made once the plan's spellings are resolved (``canonical``)."""

    def __init__(self, jurisdiction: str, canonical: Mapping[str, str]) -> None:
        super().__init__()
        self.jurisdiction = jurisdiction
        self.canonical = canonical

    def __missing__(self, spelling: str) -> str:
        found = self[spelling] = agency_id(self.jurisdiction, self.canonical.get(spelling, spelling))
        return found


def _hull(spans: list[tuple[int, int]]) -> tuple[int, int]:
    """The smallest span covering all of ``spans`` (most tasks have one clause: its own span)."""
    if len(spans) == 1:
        return spans[0]
    return min(s for s, _ in spans), max(e for _, e in spans)


def _end_of(draft: ActionDraft, last: Paragraph) -> int:
    ends = [last.end] + [c.paragraph.end for t in draft.tasks for c in t.clauses]
    return max(ends)


def _member_list(paragraphs: list[Paragraph]) -> list[tuple[str, int, int, Paragraph]]:
    """The leading group's members where the plan lists them ("成  员：A、B、C负责人，…")."""
    for par in paragraphs:
        m = MEMBER_LIST.match(par.text)
        if not m:
            continue
        clause = parse_clause(_member_text(par.text[m.end() :]), m.end(), check_names=False)
        found = []
        for n in clause.names:
            name = MEMBER_SUFFIX.sub("", n.name)
            if len(name) >= 2 and not is_group(name):
                found.append((name, n.start, n.start + len(name), par))
        return found
    return []


def _member_text(text: str) -> str:
    """The member list of "成  员：A、B负责人，各乡（镇）乡镇长…": its "，"-parts while each names
    posts (ends in 负责人, 乡镇长 …); the sentence that follows when a wrapped line ran on into it
    ("…乡镇长领导小组下设办公室，办公室设在县科协") is left out."""
    sentence = text.split("。", 1)[0]
    parts = sentence.split("，")
    kept = [parts[0]]
    for part in parts[1:]:
        if not MEMBER_SUFFIX.search(part.strip()):
            break
        kept.append(part)
    return "，".join(kept)
