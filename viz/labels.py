"""Short node labels and the hover texts, so a map stays readable and every fact stays checkable.

Labels on the canvas are short (an action's subject, a task title cut to a dozen characters);
the full title and the responsibility clause as written are in the hover text.

Example:
    >>> short_action_title("（一）实施青少年科学素质提升行动")
    '青少年'
    >>> short_action_title("实施科普基础设施工程")
    '科普基础设施'
    >>> clip("实施科学家精神进校园行动", 8)
    '实施科学家精神…'
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from plangraph.graph.model import ROLES, Action, Agency, Mention, Role, Task

ROLE_ZH: dict[str, str] = {"lead": "牵头", "support": "配合", "responsible": "负责"}

_NUMBER = re.compile(r"^\s*[（(][一二三四五六七八九十]+[）)]\s*")
_PREFIX = re.compile(r"^实施")
_TASK_NUMBER = re.compile(r"^\s*(?:\d+[.．、]|[（(]\d+[）)])\s*")
SENTENCE_CHARS = 120
_SUFFIX = re.compile(r"(科学)?素质提升行动$|提升行动$|行动$|提升工程$|工程$")


def short_action_title(title: str) -> str:
    """The subject of an action heading: '实施青少年科学素质提升行动' -> '青少年'."""
    short = _SUFFIX.sub("", _PREFIX.sub("", _NUMBER.sub("", title.strip())))
    return short or title.strip()


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, ending in '…' when it was cut."""
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def names(mentions: Iterable[Mention]) -> str:
    return "、".join(dict.fromkeys(m.name for m in mentions)) or "—"


def task_sentence(task: Task, limit: int = SENTENCE_CHARS) -> str:
    """The task's own text without its number and its clause: what the plan asks, in its words."""
    text = _TASK_NUMBER.sub("", task.text.strip())
    if task.clause:
        text = text.replace(task.clause, "")
    if text.startswith(task.title):  # the title is shown above it
        text = text[len(task.title):].lstrip("。；;：:，, ")
    return clip(text, limit)


def task_hover(action: Action, task: Task, jurisdiction: str | None = None) -> str:
    """Hover of a task: its place in the plan (part, action, task number, characters), its
    sentence, the clause as written, and the roles read."""
    where = f"{jurisdiction} · " if jurisdiction else ""
    place = (f"{where}{action.part} · 行动 {action.seq} {short_action_title(action.title)} · "
             f"任务 {action.seq}.{task.seq} · 字符 chars {task.span[0]}–{task.span[1]}")
    lines = [place, task.title, *filter(None, [task_sentence(task)]), ""]
    if task.clause:
        lines.append(f"条款 clause as written: {task.clause}")
        if task.shared_clause:
            lines.append("(one clause after the action's last task, shared by its tasks)")
    else:
        lines.append("无责任条款 — the plan names no agency for this task")
    return "\n".join(lines)


def agency_hover(
    agency: Agency, spellings: Iterable[str], counts: dict[Role, int], where: str = ""
) -> str:
    """Hover of an agency: name, every spelling seen, and how many tasks it has in each role."""
    kind = "群组 group" if agency.is_group else "部门 agency"
    spelled = "、".join(dict.fromkeys([*agency.spellings, *spellings])) or agency.name
    per_role = " · ".join(f"{ROLE_ZH[r]} {r} {counts.get(r, 0)}" for r in ROLES)
    head = f"{agency.name}（{where}）" if where else agency.name
    return f"{head}\n{kind}\n写法 spellings: {spelled}\n{per_role}"


def edge_hover(agency_name: str, spellings: Iterable[str]) -> str:
    """What an edge adds to "agency —role→ target" (which the page writes itself): the spelling in
    the clause, when the plan wrote the agency's name another way."""
    written = [s for s in dict.fromkeys(spellings) if s != agency_name]
    return f"as written: {'、'.join(written)}" if written else ""
