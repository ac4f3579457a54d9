"""Paragraphs -> parts, actions and task drafts, from headings and numbering alone.

Layouts differ (numbered "1." paragraphs, "——" dash paragraphs, plain paragraphs whose first
sentence is the title, clause lines after a task), but the outline is always the national one:
parts 一、二、…, actions （一）（二）… inside the parts that hold work, tasks inside the actions.
This module finds that outline; ``clauses`` reads who does each task.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from plangraph.graph.actions import action_key as _action_key
from plangraph.graph.actions import mixed_part_words, population_keys

from .clauses import LABEL, Clause, find_trailing_clause, parse_clause, unclosed_clause
from .paragraphs import Paragraph


@lru_cache(maxsize=4096)
def action_key(title: str) -> str:
    """``graph.actions.action_key``, remembered: the same headings recur in every plan."""
    return _action_key(title)


PART_HEADING = re.compile(r"^([一二三四五六七八九十]+)、\s*(.*)$")
ACTION_HEADING = re.compile(r"^（([一二三四五六七八九十]+)）\s*(.*)$")
TASK_MARKER = re.compile(r"^(?:(\d{1,3})\s*[.．、](?!\d)\s*|——\s*|（(\d{1,3})）\s*)")
CLAUSE_LINE = LABEL  # a paragraph that is a clause line ("牵头部门：A、B")
# Sub-headings that are never actions even inside a part that holds actions.
NOT_ACTION = re.compile(r"进度安排|时间安排|实施步骤|保障|组织实施|组织领导|工作要求|目标")
# The title of an action whose number stands on a line of its own: a short line, no sentence.
BARE_TITLE = re.compile(r"^[^。]{1,60}$")
# Timetable items of the closing parts, never tasks.
NOT_TASK = re.compile(r"^(?:启动实施|深入实施|总结评估)")
PART_UPGRADE = "提升行动"
PART_PROJECT = "重点工程"
PART_BY_KEY = "by key"  # a part holding both kinds: each action's part follows its key


@dataclass
class ClauseAt:
    """A clause and the paragraph whose text its positions index."""

    clause: Clause
    paragraph: Paragraph


@dataclass
class TaskDraft:
    paragraphs: list[Paragraph]
    title: str
    clauses: list[ClauseAt] = field(default_factory=list)
    shared_clause: bool = False
    written_here: int = 0  # how many of ``clauses`` stand in this task's own text

    def end(self) -> int:
        """Where the task's text, with its own clause lines, ends in the normalised text."""
        own = self.clauses[: self.written_here] if self.shared_clause else self.clauses
        return max([self.paragraphs[-1].end] + [c.paragraph.end for c in own])


@dataclass
class ActionDraft:
    seq: int
    part: str
    key: str
    title: str
    heading: Paragraph
    intro: list[Paragraph] = field(default_factory=list)
    lead_clauses: list[ClauseAt] = field(default_factory=list)
    tasks: list[TaskDraft] = field(default_factory=list)


@dataclass
class Section:
    """A part heading and the paragraphs under it."""

    heading: Paragraph | None
    title: str
    body: list[Paragraph] = field(default_factory=list)


def split_parts(paragraphs: list[Paragraph]) -> list[Section]:
    sections = [Section(None, "")]
    for par in paragraphs:
        m = PART_HEADING.match(par.text)
        if m and "。" not in m.group(2)[:40]:
            sections.append(Section(par, m.group(2).strip()))
        else:
            sections[-1].body.append(par)
    return sections


def part_kind(title: str) -> str | None:
    """Which kind of work a part holds, from its heading; None for parts that hold no tasks."""
    if "工程" in title:
        return PART_PROJECT
    if "行动" in title and "目标" not in title:
        return PART_UPGRADE
    if "目标" not in title and any(word in title for word in mixed_part_words()):
        return PART_BY_KEY
    return None


def find_actions(paragraphs: list[Paragraph], warnings: list[str]) -> list[ActionDraft]:
    actions: list[ActionDraft] = []
    for section in split_parts(paragraphs):
        kind = part_kind(section.title)
        for heading, body in _subsections(section.body):
            title, rest = _heading_title(heading)
            if not title:  # a bare "（五）": its title is the short line after it, or it is no heading
                if rest is not None or not body or not BARE_TITLE.match(body[0].text) or TASK_MARKER.match(body[0].text):
                    continue
                title, body = body[0].text.strip(), body[1:]
            key = action_key(title)
            if NOT_ACTION.search(title) and key.startswith("other"):
                continue
            if kind is None and key.startswith("other"):
                continue
            part = kind if kind in (PART_UPGRADE, PART_PROJECT) else (PART_UPGRADE if key in population_keys() else PART_PROJECT)
            action = ActionDraft(len(actions) + 1, part, key, title, heading)
            _fill_action(action, ([rest] if rest else []) + body, warnings)
            actions.append(action)
    return actions


def _subsections(body: list[Paragraph]) -> list[tuple[Paragraph, list[Paragraph]]]:
    subs: list[tuple[Paragraph, list[Paragraph]]] = []
    for par in body:
        if ACTION_HEADING.match(par.text):
            subs.append((par, []))
        elif subs:
            subs[-1][1].append(par)
    return subs


def _heading_title(heading: Paragraph) -> tuple[str, Paragraph | None]:
    """An action's title, and the text after it when the heading line runs on ("（一）X。Y…")."""
    m = ACTION_HEADING.match(heading.text)
    assert m
    body_start = m.start(2)
    text = heading.text[body_start:]
    stop = text.find("。")
    if stop == -1 or stop == len(text) - 1:
        return text.rstrip("。").strip(), None
    rest_start = body_start + stop + 1
    rest = Paragraph(heading.text[rest_start:], heading.offsets[rest_start:])
    return text[:stop].strip(), rest


def _fill_action(action: ActionDraft, body: list[Paragraph], warnings: list[str]) -> None:
    if any(TASK_MARKER.match(p.text) for p in body):
        _fill_marked(action, body)
    else:
        _fill_plain(action, body)
    untitled = [t for t in action.tasks if not t.title]  # a number with no text after it
    action.tasks = [t for t in action.tasks if t.title]
    for task in untitled:
        if task.clauses:
            warnings.append(f"action {action.seq}: an item with a clause but no title, not read as a task: {task.paragraphs[0].text[:30]!r}")
    unread = [_unclosed_in(task.paragraphs) for task in action.tasks]
    if not any(unread[:-1]):  # a task whose own clause is broken shares no later one
        _share_trailing_clause(action)
    for seq, (task, excerpt) in enumerate(zip(action.tasks, unread), 1):
        if excerpt:
            warnings.append(
                f"action {action.seq} task {seq} ({task.title}): a responsibility clause could not be "
                f"read, its bracket is never closed: {excerpt!r}"
            )
        elif not task.clauses:
            warnings.append(f"action {action.seq} task {seq} ({task.title}): no responsibility clause")
    excerpt = _unclosed_in(action.intro)
    if excerpt:
        warnings.append(f"action {action.seq} ({action.title}): a clause could not be read, its bracket is never closed: {excerpt!r}")


UNCLOSED_EXCERPT = 30


def _unclosed_in(paragraphs: list[Paragraph]) -> str | None:
    """The start of a clause whose closing bracket is missing in these paragraphs, if any."""
    for par in paragraphs:
        at = unclosed_clause(par.text)
        if at is not None:
            return par.text[at : at + UNCLOSED_EXCERPT] + ("…" if len(par.text) > at + UNCLOSED_EXCERPT else "")
    return None


def _fill_marked(action: ActionDraft, body: list[Paragraph]) -> None:
    """Numbered or dash layout: a marker opens a task; what follows belongs to it."""
    for par in body:
        if CLAUSE_LINE.match(par.text):
            target = action.tasks[-1].clauses if action.tasks else action.lead_clauses
            target.append(ClauseAt(parse_clause(par.text, 0), par))
        elif TASK_MARKER.match(par.text) and not NOT_TASK.match(_strip_marker(par.text)):
            action.tasks.append(_task_from(par, find_trailing_clause(par.text)))
        elif action.tasks:
            task = action.tasks[-1]
            task.paragraphs.append(par)
            clause = find_trailing_clause(par.text)
            if clause:
                task.clauses.append(ClauseAt(clause, par))
            if not task.title:  # the marker stood on a line of its own: the title follows it
                task.title = _task_from(par, clause).title
        else:
            _add_intro(action, par)


def _fill_plain(action: ActionDraft, body: list[Paragraph]) -> None:
    """Plain layout: paragraphs that carry a clause (closing it, or followed by clause lines) are
    tasks; those before the first such paragraph are the action's intro."""
    trailing = [None if CLAUSE_LINE.match(p.text) else find_trailing_clause(p.text) for p in body]
    # clause lines, and bracketed clauses standing alone ("（A牵头，B配合）" on a line of its own)
    lines = [bool(CLAUSE_LINE.match(p.text)) or (c is not None and c.start == 0) for p, c in zip(body, trailing)]
    carries = [  # a clause whose closing bracket is lost is still a clause: a task, reported
        not lines[i]
        and (trailing[i] is not None or (i + 1 < len(body) and lines[i + 1]) or unclosed_clause(p.text) is not None)
        for i, p in enumerate(body)
    ]
    carriers = [i for i, c in enumerate(carries) if c]
    if not carriers:
        action.intro.extend(body)
        return
    first = carriers[0]
    if first == 0 and len(carriers) > 1 and trailing[0] is not None and _only_leads(trailing[0]):
        _add_intro(action, body[0])
        first = carriers[1]
    action.intro.extend(p for p in body[:first] if p not in action.intro)
    for i in range(first, len(body)):
        par, clause = body[i], trailing[i]
        if lines[i]:
            target = action.tasks[-1].clauses if action.tasks else action.lead_clauses
            target.append(ClauseAt(clause or parse_clause(par.text, 0), par))
        elif not carries[i] and "。" not in par.text and action.tasks:
            action.tasks[-1].paragraphs.append(par)  # a fragment, not a sentence: no task of its own
        elif not NOT_TASK.match(par.text):
            action.tasks.append(_task_from(par, clause))


def _only_leads(clause: Clause) -> bool:
    return bool(clause.names) and clause.action_lead


def _add_intro(action: ActionDraft, par: Paragraph) -> None:
    action.intro.append(par)
    clause = find_trailing_clause(par.text)
    if clause:
        action.lead_clauses.append(ClauseAt(clause, par))


def _task_from(par: Paragraph, clause: Clause | None) -> TaskDraft:
    body = _strip_marker(par.text)
    if clause is not None:
        body = par.text[len(par.text) - len(body) : clause.start]
    title = body.split("。", 1)[0].strip().rstrip("；;，")
    return TaskDraft([par], title, [ClauseAt(clause, par)] if clause else [])


def _strip_marker(text: str) -> str:
    m = TASK_MARKER.match(text)
    return text[m.end() :] if m else text


def _share_trailing_clause(action: ActionDraft) -> None:
    """A clause only after the last task applies to each earlier task too."""
    tasks = action.tasks
    if len(tasks) < 2 or not tasks[-1].clauses or any(t.clauses for t in tasks[:-1]):
        return
    tasks[-1].written_here = len(tasks[-1].clauses)
    for task in tasks:
        task.clauses = list(tasks[-1].clauses)
        task.shared_clause = True
