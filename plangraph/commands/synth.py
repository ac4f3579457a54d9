"""``plangraph synth N -o DIR``: write N synthetic plans and their manifest of true facts.

Why: scale tests and benchmarks need a national-size corpus (~3,200 plans) whose facts are known;
see ``plangraph.synth`` for what the plans look like. The files are written one at a time, with a
progress bar, and the command ends with the proportions of layouts and clause forms it wrote.
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from plangraph.cli import app
from plangraph.synth import write_corpus
from plangraph.synth_generations import periods as synth_periods


class Tally:
    """Counts of what the written plans hold, for the closing summary."""

    def __init__(self) -> None:
        self.layouts: Counter[str] = Counter()
        self.forms: Counter[str] = Counter()
        self.features: Counter[str] = Counter()
        self.action_kinds: Counter[str] = Counter()
        self.levels: Counter[str] = Counter()
        self.plans = 0
        self.bytes = 0
        self.tasks = 0
        self.edges = 0
        self.actions = 0

    def add(self, facts: dict[str, Any]) -> None:
        s = facts["synth"]
        self.plans += 1
        self.layouts[s["layout"]] += 1
        self.levels[facts["jurisdiction"]["level"]] += 1
        self.features[f"generation: {s.get('generation', '?')}"] += 1
        for key in ("pdf", "half_width", "member_list", "crlf", "bom", "notice"):
            self.features[key] += bool(s[key])
        self.features[f"groups:{s['group_mode']}"] += 1
        self.features[f"title:{s['title']}"] += 1
        for action in facts["actions"]:
            self.actions += 1
            self.action_kinds["F: 〔牵头部门：…〕 action leads"] += bool(action["leads"])
            self.action_kinds["one paragraph, no task paragraphs"] += action["single_paragraph"]
            for task in action["tasks"]:
                self.tasks += 1
                self.forms[task["clause_form"] or "no clause"] += 1
                self.forms["shared clause"] += task["shared_clause"]
                self.edges += len(task["lead"]) + len(task["support"]) + len(task["responsible"])
        for kind in sorted(set(s["variants"].values())):
            self.features[f"spelling variant: {kind}"] += 1

    def table(self) -> Table:
        table = Table(title=f"{self.plans} plans, {self.tasks} tasks, {self.edges} agency-task edges")
        table.add_column("what")
        table.add_column("count", justify="right")
        table.add_column("share", justify="right")
        rows = [
            ("layout", self.layouts, self.plans),
            ("level", self.levels, self.plans),
            ("task clause", self.forms, self.tasks),
            ("action", self.action_kinds, self.actions),
            ("plan", self.features, self.plans),
        ]
        for label, counter, total in rows:
            for key, count in sorted(counter.items()):
                table.add_row(f"{label}: {key}", str(count), f"{100 * count / max(total, 1):.1f}%")
        return table


@app.command("synth")
def synth(
    n: Annotated[int, typer.Argument(min=1, help="How many plans to write.")],
    out: Annotated[Path, typer.Option("-o", "--out", help="Folder for the plans and manifest.json.")],
    seed: Annotated[int, typer.Option("--seed", help="The same N and seed give byte-identical files.")] = 0,
    generations: Annotated[str, typer.Option("--generations", help="Periods to write, comma-separated (2016-2020,2021-2025,2026-2030); default 2021-2025.")] = "",
    several: Annotated[float, typer.Option("--several", min=0.0, max=1.0, help="With several generations: the share of places that get a plan of each (1: every place).")] = 0.3,
) -> None:
    """Write N synthetic plans (UTF-8 .txt) and DIR/manifest.json with the true facts of each."""
    periods = [p.strip() for p in generations.split(",") if p.strip()] or None
    known = synth_periods()
    unknown = [p for p in periods or [] if p not in known]
    if unknown:
        raise typer.BadParameter(f"no synthetic generation {', '.join(unknown)}; known: {', '.join(known)}", param_hint="--generations")
    console = Console(stderr=True)
    tally = Tally()
    started = time.perf_counter()
    columns = (TextColumn("[bold]synth"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=False) as progress:
        bar = progress.add_task("plans", total=n)

        def on_plan(name: str, facts: dict[str, Any]) -> None:
            tally.add(facts)
            tally.bytes += (out / name).stat().st_size
            progress.advance(bar)

        manifest = write_corpus(n, out, seed, on_plan=on_plan, generations=periods, several=several)
    seconds = time.perf_counter() - started
    console.print(tally.table())
    console.print(f"wrote {n} plans ({tally.bytes / 1e6:.1f} MB) and {manifest} in {seconds:.1f} s")
