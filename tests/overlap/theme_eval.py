"""Precision and recall of the task themes on the five seed plans, against the hand labels.

A pair of tasks of two different plans is a true pair when ``theme_labels.SAME_WORK`` puts both in
one label; the method predicts the pair when it puts both in one theme. Pairs that involve a task
of ``theme_labels.AMBIGUOUS`` are not counted. Every other pair of tasks of different plans counts
(so a wrong link between two unlabelled tasks is a false positive too).

Re-run (prints the curve of docs/themes.md, then the examples of issue 16 with their evidence)::

    python -m tests.overlap.theme_eval            # thresholds 15..60
    python -m tests.overlap.theme_eval 25 30 35   # chosen thresholds
"""

from __future__ import annotations

import itertools
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from plangraph.graph.rows import TaskRow
from plangraph.graph.store import GraphStore, open_store
from plangraph.loaders import parse_file
from plangraph.queries.theme_match import explain
from plangraph.queries.themes import ThemeSettings, build_matched, build_themes, lead_kinds_of, task_text, theme_settings
from tests.conftest import SEED_PATHS
from tests.overlap.theme_labels import AMBIGUOUS, ISSUE_EXAMPLES, SAME_WORK, Ref
from tests.seed_truth import EXPECTED

THRESHOLDS = [15, 20, 25, 30, 35, 40, 45, 50, 60]


@dataclass(frozen=True)
class Scores:
    threshold: float
    precision: float
    recall: float
    true_pos: int
    false_pos: int
    false_neg: int

    def row(self) -> str:
        return (f"| {self.threshold:g} | {self.precision:.3f} | {self.recall:.3f} | "
                f"{self.true_pos} | {self.false_pos} | {self.false_neg} |")


def task_of(ref: Ref, tasks: list[TaskRow]) -> TaskRow:
    """The stored task a label means: found by jurisdiction, action key and the title read in
    ``seed_truth`` (never by the code's own ids)."""
    seed, key, n = ref
    truth = EXPECTED[seed]
    actions = [a for a in truth.actions if a.key == key]
    if len(actions) != 1:
        raise LookupError(f"{ref}: seed {seed} has {len(actions)} actions of key {key!r}")
    title = actions[0].tasks[n - 1].title
    found = [t for t in tasks if t.jurisdiction == truth.name and t.action_key == key and t.title == title]
    if len(found) != 1:
        raise LookupError(f"{ref}: {len(found)} stored tasks titled {title!r}")
    return found[0]


def labels(tasks: list[TaskRow]) -> tuple[dict[str, str], set[str]]:
    """Task id -> label, and the ids of the ambiguous tasks."""
    label = {task_of(r, tasks).id: name for name, refs in SAME_WORK.items() for r in refs}
    return label, {task_of(r, tasks).id for r in AMBIGUOUS}


def evaluate(tasks: list[TaskRow], settings: ThemeSettings,
             lead_kinds: dict[str, list[str]] | None = None) -> Scores:
    label, ambiguous = labels(tasks)
    theme = {m.task_id: t.id for t in build_themes(tasks, settings, lead_kinds) for m in t.members}
    counted = [t for t in tasks if t.id not in ambiguous]
    tp = fp = fn = 0
    for a, b in itertools.combinations(counted, 2):
        if a.plan_id == b.plan_id:
            continue
        truth = a.id in label and label[a.id] == label.get(b.id)
        predicted = theme[a.id] == theme[b.id]
        tp += truth and predicted
        fp += predicted and not truth
        fn += truth and not predicted
    precision = tp / (tp + fp) if tp + fp else 1.0
    return Scores(settings.threshold, precision, tp / (tp + fn), tp, fp, fn)


def seed_store(folder: Path) -> GraphStore:
    store = open_store("embedded", db=folder / "graph.bin")
    store.replace_plans(parse_file(p) for p in SEED_PATHS)
    return store


def sweep(tasks: list[TaskRow], thresholds: list[float],
          lead_kinds: dict[str, list[str]] | None = None) -> list[Scores]:
    base = theme_settings()
    return [evaluate(tasks, base.with_threshold(t), lead_kinds) for t in thresholds]


def examples(tasks: list[TaskRow], lead_kinds: dict[str, list[str]]) -> None:
    """The pairs issue 16 names: whether one theme holds both, and the evidence of the pair."""
    themes, built = build_matched(tasks, theme_settings(), lead_kinds)
    theme = {m.task_id: t for t in themes for m in t.members}
    for name, a_ref, b_ref in ISSUE_EXAMPLES:
        a, b = task_of(a_ref, tasks), task_of(b_ref, tasks)
        linked = theme[a.id].id == theme[b.id].id
        ev = explain(task_text(a, lead_kinds.get(a.id, ())), task_text(b, lead_kinds.get(b.id, ())),
                     encoder=built.encoder)  # weighted as in the themes
        parts = ", ".join(f"{k} {v:g}" for k, v in ev.parts.items())
        print(f"- {name}: {a.jurisdiction} “{a.title}” ~ {b.jurisdiction} “{b.title}”: "
              f"{'one theme' if linked else 'NOT linked'} ({theme[a.id].id}), pair score {ev.score:g} "
              f"({parts}); works named by both: {'、'.join(ev.concepts) or '-'}; "
              f"shared phrases: {'、'.join(ev.phrases) or '-'}")


def main(argv: list[str]) -> None:
    thresholds = [float(a) for a in argv] or THRESHOLDS
    with tempfile.TemporaryDirectory() as tmp:
        store = seed_store(Path(tmp))
        tasks = store.tasks()
        kinds = lead_kinds_of(store)
        store.close()
    settings = theme_settings()
    print(f"method version {settings.version}, configured threshold {settings.threshold:g}, "
          f"split threshold {settings.split_threshold:g}; {len(tasks)} tasks of {len(SEED_PATHS)} plans")
    print("| threshold | precision | recall | true pairs found | false pairs | true pairs missed |")
    print("|---|---|---|---|---|---|")
    for scores in sweep(tasks, thresholds, kinds):
        print(scores.row())
    print("\nThe examples of issue 16:")
    examples(tasks, kinds)


if __name__ == "__main__":
    main(sys.argv[1:])
