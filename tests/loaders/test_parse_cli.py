"""``plangraph parse`` as a user runs it: a real process, real files, the plan JSON contract."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SEED_PATHS

PLAN_KEYS = {"source", "jurisdiction", "period", "literacy_target_percent", "actions", "groups", "warnings"}
ACTION_KEYS = {"seq", "part", "key", "title", "leads", "tasks"}
TASK_KEYS = {"seq", "title", "lead", "support", "responsible", "span"}
MENTION_KEYS = {"name", "agency_id", "span"}


def run_parse(*args: str | Path) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "plangraph", "parse", *map(str, args)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def test_json_has_every_field_of_the_spec_in_input_order() -> None:
    result = run_parse(*SEED_PATHS, "--json")
    assert result.returncode == 0, result.stderr
    plans = json.loads(result.stdout)
    assert [p["source"]["file"] for p in plans] == [p.name for p in SEED_PATHS]
    for plan in plans:
        assert PLAN_KEYS <= plan.keys()
        assert {"name", "level", "province", "parent_city"} <= plan["jurisdiction"].keys()
        assert len(plan["source"]["sha256"]) == 64
        for action in plan["actions"]:
            assert ACTION_KEYS <= action.keys()
            for task in action["tasks"]:
                assert TASK_KEYS <= task.keys()
                for role in ("lead", "support", "responsible"):
                    for mention in task[role]:
                        assert MENTION_KEYS <= mention.keys()
        for group in plan["groups"]:
            assert {"name", "agency_id", "members"} <= group.keys()


def test_bad_files_are_reported_and_the_others_still_parsed(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "noise.txt"
    binary.write_bytes(bytes(range(256)) * 20)
    corrupt = tmp_path / "broken.docx"
    corrupt.write_bytes(b"PK\x03\x04 this is not a zip archive at all")
    not_a_plan = tmp_path / "letter.txt"
    not_a_plan.write_text("关于召开年度工作会议的通知\n请各单位按时参加。\n", encoding="utf-8")
    good = SEED_PATHS[4]
    result = run_parse(empty, good, binary, corrupt, not_a_plan, "--json")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    plans = json.loads(result.stdout)
    assert [("error" in p) for p in plans] == [True, False, True, True, True]
    assert plans[1]["jurisdiction"]["name"] == "丰都县"
    for bad, entry in zip((empty, binary, corrupt, not_a_plan), (plans[0], plans[2], plans[3], plans[4])):
        assert bad.name in entry["error"]
        assert bad.name in result.stderr
    assert "empty" in plans[0]["error"]
    assert "binary" in plans[2]["error"]
    assert "docx" in plans[3]["error"]
    assert "actions" in plans[4]["error"] or "plan" in plans[4]["error"]


def test_missing_file_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    result = run_parse(tmp_path / "nowhere.txt")
    assert result.returncode == 1
    assert "nowhere.txt" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_plan_without_readable_clauses_is_reported(tmp_path: Path) -> None:
    """Headings and tasks but no clause: an error naming the file, never a silent empty plan."""
    text = "\n".join([
        "临江县全民科学素质行动规划纲要实施方案（2021—2025年）",
        "一、提升行动",
        "（一）青少年科学素质提升行动",
        "1.开展科学教育。加强学校科学教育。",
        "2.组织科技活动。举办科技节。",
    ])
    plan = tmp_path / "no_clauses.txt"
    plan.write_text(text, encoding="utf-8")
    result = run_parse(plan, "--json")
    assert result.returncode == 1
    (entry,) = json.loads(result.stdout)
    assert "no_clauses.txt" in entry["error"] and "clause" in entry["error"]


def test_human_view_shows_actions_task_counts_and_warnings() -> None:
    result = run_parse(SEED_PATHS[1])
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "正宁县" in out
    assert "youth" in out and "exchange" in out
    assert "warning" in out  # 001 has page-break fragments the reader dropped


@pytest.mark.parametrize("flag", ["--help"])
def test_parse_help(flag: str) -> None:
    result = run_parse(flag)
    assert result.returncode == 0
    assert "--json" in result.stdout
