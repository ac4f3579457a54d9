"""Synthetic plans of every generation, read back exactly (issue 17).

The truth is the manifest ``synth`` writes while it writes each plan; the expectations below about
2016-2020 plans come from how that generation is built (``plangraph/data/synth_generations.yaml``:
its title says 行动计划纲要, its actions and projects are the 2016-2020 ones).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from plangraph.loaders import parse_bytes, parse_file
from plangraph.synth import generate, read_manifest, write_corpus

from .test_synth import compare_plan

ALL = ["2016-2020", "2021-2025", "2026-2030"]
KEYS_2016 = {"youth", "farmers", "workers", "officials", "community",
             "education_training", "grassroots", "informatization", "science_resources", "infrastructure", "talent"}
PLANS = 90


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict]]:
    folder = tmp_path_factory.mktemp("generations")
    return folder, read_manifest(write_corpus(PLANS, folder, seed=5, generations=ALL, several=0.5))


def test_the_default_corpus_is_the_2021_2025_one_it_always_was() -> None:
    plain = [(name, text) for name, text, _ in generate(15, seed=2)]
    listed = [(name, text) for name, text, _ in generate(15, seed=2, generations=["2021-2025"])]
    assert plain == listed


def test_every_generation_and_several_periods_for_some_places(corpus) -> None:
    _, facts = corpus
    assert {f["synth"]["generation"] for f in facts} == set(ALL)
    by_place: dict[int, list[dict]] = defaultdict(list)
    for f in facts:
        by_place[f["synth"]["place"]].append(f)
    several = [plans for plans in by_place.values() if len(plans) > 1]
    assert several, "no place has plans of several periods"
    for plans in several:
        assert len({p["jurisdiction"]["name"] for p in plans}) == 1
        assert len({p["synth"]["generation"] for p in plans}) == len(plans)


def test_a_2016_2020_plan_is_written_in_its_generations_layout_and_read_exactly(corpus) -> None:
    folder, facts = corpus
    old = [f for f in facts if f["synth"]["generation"] == "2016-2020"]
    assert old
    texts = [(folder / f["source"]["file"]).read_text("utf-8") for f in old]
    assert any("分工：由" in t for t in texts) and any("措施：" in t for t in texts)
    assert any(t["clause_form"] == "G" for f in old for a in f["actions"] for t in a["tasks"])
    for f in old:
        text = (folder / f["source"]["file"]).read_text("utf-8")
        assert "行动计划纲要" in text and "十三五" in text and "十四五" not in text
        keys = {a["key"] for a in f["actions"]}
        assert keys <= KEYS_2016, f["source"]["file"]
        assert f["period"] in (None, "2016-2020", "2017-2020")
        plan = parse_file(folder / f["source"]["file"])
        assert [a.key for a in plan.actions] == [a["key"] for a in f["actions"]]
        assert plan.period == (f["period"] or "2016-2020")
        assert plan.literacy_target_percent == f["literacy_target_percent"]
        assert compare_plan(f, plan.model_dump(mode="json")) == [], f["source"]["file"]


def test_2026_2030_plans_are_read_with_their_period_and_new_actions(corpus) -> None:
    folder, facts = corpus
    new = [f for f in facts if f["synth"]["generation"] == "2026-2030"]
    assert new
    for f in new:
        plan = parse_file(folder / f["source"]["file"])
        assert plan.period == (f["period"] or "2026-2030")
        assert plan.literacy_target_percent == f["literacy_target_percent"]  # not the 2025 baseline
        assert [a.key for a in plan.actions] == [a["key"] for a in f["actions"]]


def test_an_action_no_key_knows_is_kept_and_reported() -> None:
    """low_altitude has no key in action_keys.yaml: its heading must come back as "other:<title>",
    with a plan warning naming it."""
    found = 0
    for name, text, f in generate(120, seed=9, generations=["2026-2030"]):
        unknown = [a for a in f["actions"] if a["key"].startswith("other:")]
        if not unknown:
            continue
        found += 1
        plan = parse_bytes(text.encode("utf-8"), name)
        got = [a for a in plan.actions if a.key.startswith("other:")]
        assert [(a.key, len(a.tasks)) for a in got] == [(a["key"], len(a["tasks"])) for a in unknown]
        for a in unknown:
            assert any(a["title"] in w and "action_keys.yaml" in w for w in plan.warnings), plan.warnings
    assert found, "no 2026-2030 plan in the sample has an action no key knows"
