"""An action no key knows, in a plan loaded into a real store, is listed with its title."""

from __future__ import annotations

from pathlib import Path

from plangraph.graph.store import open_store
from plangraph.loaders import parse_bytes, parse_file
from plangraph.queries.actions import unknown_actions
from tests.conftest import SEED_PATHS

NEW_HEADING = "（六）实施低空经济科普工程"
NEW_TASK = "1. 开展低空飞行安全科普。普及无人机飞行安全法规。（牵头单位：县科技局，责任单位：县科协）"


def test_unknown_actions_are_listed(tmp_path: Path) -> None:
    seed = next(p for p in SEED_PATHS if p.name.startswith("004"))
    text = seed.read_text("utf-8")
    at = text.index("四、保障举措")  # the part after 重点工程 in seed 004
    text = text[:at] + NEW_HEADING + "\n" + NEW_TASK + "\n" + text[at:]
    plan = parse_bytes(text.encode("utf-8"), "fengdu-new-action.txt")
    others = [a for a in plan.actions if a.key.startswith("other:")]
    assert [(a.key, a.part, [t.title for t in a.tasks]) for a in others] == [
        ("other:实施低空经济科普工程", "重点工程", ["开展低空飞行安全科普"])]
    assert any("实施低空经济科普工程" in w for w in plan.warnings)
    store = open_store("embedded", db=tmp_path / "graph.bin")
    try:
        store.replace_plans([plan, *(parse_file(p) for p in SEED_PATHS if p != seed)])
        listed = unknown_actions(store)
        assert [(a.jurisdiction, a.key, a.title, a.tasks) for a in listed] == [
            ("丰都县", "other:实施低空经济科普工程", "实施低空经济科普工程", 1)]
    finally:
        store.close()
