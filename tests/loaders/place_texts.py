"""Plan texts of places of every kind, made from seed 004 (丰都县's plan) inside the tests."""

from __future__ import annotations

import re

from tests.conftest import SEEDS
from tests.seed_truth import EXPECTED

FENGDU = EXPECTED["004"]
CITED = "重庆市全民科学素质行动规划纲要实施方案（2021-2025年）》（渝府办发〔2021〕138号）"


def seed_text() -> str:
    found = sorted(SEEDS.glob(f"{FENGDU.prefix}*.txt"))
    assert len(found) == 1, f"expected one seed {FENGDU.prefix}*.txt in {SEEDS}"
    text = found[0].read_text("utf-8")
    assert CITED in text and text.count("丰都县") >= 2 and "我县" in text
    return text


def cite(*plans: str) -> str:
    """The cited higher plans, as a county cites its province's and city's (in book-title marks)."""
    return "》和《".join(f"{p}全民科学素质行动规划纲要实施方案（2021-2025年）" for p in plans) + "》"


def rewrite(name: str, level_word: str, cited: str | None, once: bool = False, bureau: str = "局") -> str:
    """Seed 004 as ``name``'s plan: its own name, its level word (县 -> 市/区/旗/省) in "我县", "全县"
    and every body's prefix (县科协 -> 旗科协), 局 -> ``bureau`` for a province's departments, and
    the cited Chongqing plan replaced by ``cited`` (or dropped). With ``once`` the plan names itself
    only in its title and says "本市" elsewhere."""
    text = seed_text()
    text = text.replace("丰都县", name, 1)
    text = text.replace("丰都县", "本" + level_word if once else name)
    text = text.replace("丰都", name[:2])
    if cited is None:
        text = text.replace("和《" + CITED, "")
    else:
        text = text.replace(CITED, cited)
    text = text.replace("重庆", "本地")
    return renamed(text, level_word, bureau)


def renamed(text: str, level_word: str, bureau: str = "局") -> str:
    """Bodies' names (or a whole text) at another level: 县科协 -> 旗科协, 县科技局 -> 省科技厅."""
    if bureau != "局":
        text = re.sub(r"县([\u4e00-\u9fff]{1,8}?)局", lambda m: f"县{m.group(1)}{bureau}", text)
    return text.replace("县", level_word)


def without_last_action(text: str) -> str:
    """The plan with its last action (heading and tasks) cut: the paragraphs from the last "（…）"
    heading of its 重点工程 part (三、) to the next part (四、)."""
    end = text.index("\n四、", text.index("\n三、重点工程"))
    start = text.rindex("\n（", 0, end)
    return text[:start] + text[end:]
