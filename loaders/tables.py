"""Task tables (重点任务分工表) -> who leads and who supports each task.

Why: many plans put the division of work in a table, as an appendix or in the body, instead of a
clause after each task: columns such as 序号 | 主要任务 | 牵头单位 | 配合单位, rows grouped under action
rows or by an action column. A row says what a clause says. An appendix's rows are joined to the
body's tasks by title; a plan that is only a table gets its actions and tasks from the rows. The
column words live in ``graph/data/task_tables.yaml``. Every name keeps a span into the cell it was
read from (the cell's place in the decoded text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from plangraph.graph.actions import population_keys
from plangraph.graph.model import Role

from .agency_names import looks_like_agencies
from .clauses import Clause, NameAt, list_names
from .normalize import normalize_map
from .outline import PART_PROJECT, PART_UPGRADE, TASK_MARKER, ActionDraft, ClauseAt, TaskDraft, action_key
from .paragraphs import Paragraph
from .read import SourceText, Table
from .table_columns import columns, task_table_header

ACTION_NUMBER = re.compile(r"^\s*(?:[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、)\s*")
TITLE_END = re.compile(r"[。；;]")
CELL_ROLES: tuple[Role, Role] = ("lead", "support")  # what a lead and a support column say
TITLE_KEY = re.compile(r"[\s，,。；;：:、“”\"（）()]")


@dataclass
class TaskRow:
    """One row of a task table: its action cell (None when the table groups none), its task cell,
    and a clause per lead or support cell, each indexing its own cell."""

    action: Paragraph | None
    task: Paragraph
    clauses: list[ClauseAt]

    @property
    def title(self) -> str:
        return task_title(self.task.text)


def task_title(text: str) -> str:
    """A task's title from its cell or paragraph: the first sentence, its number taken off."""
    m = TASK_MARKER.match(text.strip())
    body = text.strip()[m.end() :] if m else text.strip()
    return TITLE_END.split(body, 1)[0].strip()


def title_key(title: str) -> str:
    return TITLE_KEY.sub("", title)


class _Cells:
    """Finds each cell's text in the decoded text, in document order, so its names get spans."""

    def __init__(self, source: SourceText) -> None:
        self.text = source.text
        self.cursor = 0

    def find(self, cell: str) -> Paragraph | None:
        wanted = normalize_map(cell)[0].strip()
        if not wanted:
            return None
        at = self.text.find(wanted, self.cursor)
        if at == -1:
            at = self.text.find(wanted)
        if at == -1:
            return None
        self.cursor = at + len(wanted)
        return Paragraph(wanted, range(at, at + len(wanted)))


def task_rows(source: SourceText, warnings: list[str]) -> list[TaskRow]:
    """Every row of every task table of the document, in order."""
    cells = _Cells(source)
    rows: list[TaskRow] = []
    for table in source.tables:
        rows.extend(_table_rows(table, cells, warnings))
    return rows


def _table_rows(table: Table, cells: _Cells, warnings: list[str]) -> list[TaskRow]:
    header = task_table_header(table)
    if header is None:
        return []
    index, kinds = header
    column = {kind: i for i, kind in sorted(kinds.items(), reverse=True)}  # the first column of a kind
    width = len(table[index])
    action: Paragraph | None = None
    rows: list[TaskRow] = []
    for row in table[index + 1 :]:
        filled = [cell.strip() for cell in row if cell.strip()]
        if not filled:
            continue
        if len(row) < width and "action" in column and len(set(filled)) > 1:  # under a cell spanning rows
            row = row[: column["action"]] + ("",) + row[column["action"] :]
        if len(set(filled)) == 1 and (len(row) < width or len(row) == 1 or ACTION_NUMBER.match(filled[0])):
            action = cells.find(filled[0])  # an action row: one text across the table
            continue
        if "action" in column and column["action"] < len(row) and row[column["action"]].strip():
            action = cells.find(row[column["action"]])
        task = cells.find(row[column["task"]]) if column["task"] < len(row) else None
        if task is None:
            continue
        clauses = []
        for role in CELL_ROLES:
            if role in column and column[role] < len(row):
                par = cells.find(row[column[role]])
                clause = _cell_clause(par, role, task, warnings) if par is not None else None
                if clause is not None:
                    clauses.append(clause)
        rows.append(TaskRow(action, task, clauses))
    return rows


def _cell_clause(cell: Paragraph, role: Role, task: Paragraph, warnings: list[str]) -> ClauseAt | None:
    """The names of a lead or support cell as a clause in that role; None for an empty cell or one
    whose names do not look like organisations (then a warning quotes it)."""
    names = list_names(cell.text)
    if not names:
        return None
    if not looks_like_agencies([n for n, _ in names]):
        warnings.append(f"{task_title(task.text)}: a task table cell not read as agencies (its names do not look like organisations): {cell.text!r}")
        return None
    clause = Clause(start=0, end=len(cell.text), text=cell.text)
    clause.names = [NameAt(role, n, pos, pos + len(n)) for n, pos in names]
    return ClauseAt(clause, cell)


# --- rows -> the plan's tasks -------------------------------------------------------------------


def body_before_appendix(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """The paragraphs before the first appendix heading ("附件1：重点任务分工表"): an appendix's
    table is read as a table, never as more actions of the body."""
    pattern = columns().appendix
    for i, par in enumerate(paragraphs):
        if i > 0 and pattern.match(par.text.strip()):
            return paragraphs[:i]
    return paragraphs


def join_rows(actions: list[ActionDraft], rows: list[TaskRow], warnings: list[str]) -> None:
    """Give each body task without a clause of its own the clauses of the table row with its title.

    A row is matched within the action of the same key when the table names actions; an action
    whose paragraphs hold no task (a plan whose tasks had no clause) gets one from the paragraph
    that starts with the row's title. The "no responsibility clause" warnings of tasks a row
    answers are withdrawn.
    """
    for row in rows:
        key = action_key(_action_title(row.action.text)) if row.action is not None else None
        candidates = [a for a in actions if key is None or a.key == key] or actions
        task = _matching_task(candidates, row) or _task_from_intro(candidates, row)
        if task is None:
            warnings.append(f"task table row {row.title!r}: no task of the plan has this title")
            continue
        if not task.clauses:
            task.clauses = list(row.clauses)
    answered = {(a.seq, t.title) for a in actions for t in a.tasks if t.clauses}
    warnings[:] = [w for w in warnings if not _withdrawn(w, actions, answered)]


def _withdrawn(warning: str, actions: list[ActionDraft], answered: set[tuple[int, str]]) -> bool:
    if not warning.endswith("): no responsibility clause"):
        return False
    return any(
        warning == f"action {a.seq} task {seq} ({t.title}): no responsibility clause"
        for a in actions for seq, t in enumerate(a.tasks, 1) if (a.seq, t.title) in answered
    )


def _matching_task(actions: list[ActionDraft], row: TaskRow) -> TaskDraft | None:
    wanted = title_key(row.title)
    if not wanted:
        return None
    for action in actions:
        for task in action.tasks:
            have = title_key(task.title)
            if have and (have == wanted or (min(len(have), len(wanted)) >= 4 and (have.startswith(wanted) or wanted.startswith(have)))):
                return task
    return None


def _task_from_intro(actions: list[ActionDraft], row: TaskRow) -> TaskDraft | None:
    """A task made of an action's intro paragraph that opens with the row's title."""
    wanted = title_key(row.title)
    for action in actions:
        for par in action.intro:
            if wanted and title_key(task_title(par.text)).startswith(wanted):
                action.intro.remove(par)
                task = TaskDraft([par], task_title(par.text))
                action.tasks.append(task)
                return task
    return None


def _action_title(text: str) -> str:
    return ACTION_NUMBER.sub("", text).strip()


def actions_from_rows(rows: list[TaskRow]) -> list[ActionDraft]:
    """The actions of a plan that is only a table: one per action row (or action cell), in order,
    each task a row."""
    actions: list[ActionDraft] = []
    for row in rows:
        if row.action is None:
            continue
        title = _action_title(row.action.text)
        if not actions or actions[-1].title != title:
            key = action_key(title)
            part = PART_UPGRADE if key in population_keys() else PART_PROJECT
            actions.append(ActionDraft(len(actions) + 1, part, key, title, row.action))
        actions[-1].tasks.append(TaskDraft([row.task], row.title, list(row.clauses)))
    return actions
