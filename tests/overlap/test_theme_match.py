"""The matching behind themes, on its own: two plans matched one-to-one or split (what ``compare``
and ``changes`` use), and one plan added to built themes without rebuilding them. Expected pairs
come from the labels written by reading the seeds (``theme_labels.py``)."""

from __future__ import annotations

import itertools

import pytest

from plangraph.graph.rows import TaskRow
from plangraph.graph.store import GraphStore
from plangraph.queries.theme_match import Encoder, TaskText, cluster, encode, explain, match_plans, shared_phrases
from plangraph.queries.themes import lead_kinds_of, task_text, theme_settings
from tests.overlap.theme_eval import labels, task_of
from tests.seed_truth import EXPECTED


@pytest.fixture(scope="module")
def texts(store: GraphStore) -> dict[str, list[TaskText]]:
    """Seed id -> that plan's tasks as the matching reads them."""
    kinds = lead_kinds_of(store)
    tasks = store.tasks()
    return {seed: [task_text(t, kinds.get(t.id, ())) for t in tasks if t.jurisdiction == truth.name]
            for seed, truth in EXPECTED.items()}


@pytest.fixture(scope="module")
def encoder(texts: dict[str, list[TaskText]]) -> Encoder:
    """Weights fitted on all five plans (as a store's themes fit them on every plan it holds)."""
    return encode([t for plan in texts.values() for t in plan])[0]


@pytest.fixture(scope="module")
def rows(store: GraphStore) -> list[TaskRow]:
    return store.tasks()


def test_two_plans_matched_as_a_reader_pairs_them(texts: dict[str, list[TaskText]], rows: list[TaskRow],
                                                  encoder: Encoder) -> None:
    """Over the ten pairs of seeds: the pairs ``match_plans`` makes against the pairs the labels
    make. Pairwise matching has no theme to average over, and a task that folds a second work in
    may be paired by its fold when the other plan lacks its main work (丰都县's 新发展理念 task, which
    also asks for 考核录用 requirements, against 正宁县's 考核录用 task): a little below the themes."""
    label, ambiguous = labels(rows)
    found_all = right = truth_all = 0
    for a, b in itertools.combinations(sorted(EXPECTED), 2):
        result = match_plans(texts[a], texts[b], encoder=encoder)
        found = {(p.a, p.b) for p in result.pairs if p.a not in ambiguous and p.b not in ambiguous}
        truth = {(x.id, y.id) for x in texts[a] for y in texts[b] if x.id not in ambiguous
                 and y.id not in ambiguous and x.id in label and label[x.id] == label.get(y.id)}
        found_all += len(found)
        right += len(found & truth)
        truth_all += len(truth)
        for pair in result.pairs:
            assert (theme_settings().split_threshold if pair.split else theme_settings().threshold) <= pair.score <= 100
        matched = {p.a for p in result.pairs} | {p.b for p in result.pairs}
        assert set(result.only_a) == {t.id for t in texts[a]} - matched
        assert set(result.only_b) == {t.id for t in texts[b]} - matched
    print(f"match_plans over ten pairs of seeds: precision {right / found_all:.3f}, recall {right / truth_all:.3f}")
    assert right / found_all >= 0.95, (right, found_all)
    assert right / truth_all >= 0.85, (right, truth_all)


def test_the_reworded_media_task_is_matched_with_evidence(texts: dict[str, list[TaskText]],
                                                          rows: list[TaskRow]) -> None:
    """Read: 正宁县 "开展全媒体科普行动" is the others' "实施全媒体科学传播能力提升计划"."""
    zhengning, xinzhou = task_of(("001", "informatization", 1), rows), task_of(("002", "informatization", 2), rows)
    result = match_plans(texts["001"], texts["002"])
    assert (zhengning.id, xinzhou.id) in {(p.a, p.b) for p in result.pairs}
    a = next(t for t in texts["001"] if t.id == zhengning.id)
    b = next(t for t in texts["002"] if t.id == xinzhou.id)
    evidence = explain(a, b)
    assert "全媒体科学传播" in evidence.concepts
    assert evidence.same_action_key and evidence.phrases
    assert abs(sum(evidence.parts.values()) - evidence.score) < 0.5


def test_a_plan_added_later_joins_the_themes_of_the_others(texts: dict[str, list[TaskText]],
                                                           rows: list[TaskRow]) -> None:
    """Four seeds built, 丰都县 placed with ``add_plan``: its tasks join the themes that hold the
    tasks the labels pair them with (智慧助老, 科学家精神进校园, 应急科普 …), nothing is rebuilt."""
    built = cluster([t for seed in ("000", "001", "002", "003") for t in texts[seed]])
    before = [list(th.members) for th in built.themes]
    placed = built.add_plan(texts["004"])
    assert [list(th.members) for th in built.themes][: len(before)] == [
        m + [r for r in built.themes[i].members if r not in m] for i, m in enumerate(before)]  # only grown
    label, _ = labels(rows)
    partners = 0
    for task, t in zip(texts["004"], placed, strict=True):
        others = {built.tasks[r].id for r in built.themes[t].members} - {task.id}
        if task.id in label:
            partners += any(label.get(o) == label[task.id] for o in others)
    assert partners >= 0.8 * sum(1 for t in texts["004"] if t.id in label)
    for ref in (("004", "elderly", 1), ("004", "youth", 1), ("004", "grassroots", 3)):
        task = task_of(ref, rows)
        t = placed[[x.id for x in texts["004"]].index(task.id)]
        assert len({built.tasks[r].plan for r in built.themes[t].members}) == 5


def test_shared_phrases_are_stretches_both_texts_contain() -> None:
    a, b = "推广科技小院等农业科技社会化服务模式", "推广科技小院，专家大院，院（校）地共建"
    phrases = shared_phrases(a, b)
    assert phrases[0] == "推广科技小院"
    assert all(p in a and p in b for p in phrases)


def test_no_tasks_give_no_themes_and_a_plan_added_later_gets_its_own() -> None:
    """An empty store (a server started before its first upload) has themes too: none."""
    built = cluster([], theme_settings())
    assert built.tasks == [] and built.themes == []
    match = match_plans([], [TaskText(id="b:t1.1", plan="b", action_key="youth", title="实施科学家精神进校园行动")])
    assert match.pairs == [] and match.only_b == ["b:t1.1"]
