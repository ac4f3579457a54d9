"""``plangraph parse FILE... [--json]``: what the loaders read from each plan, without storing it."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import Annotated

import orjson
import typer
from rich.console import Console
from rich.table import Table

from plangraph.cli import app
from plangraph.graph.model import ParseFailure, Plan, Source
from plangraph.loaders import PlanError, parse_file

err = Console(stderr=True)


def parse_one(path: Path) -> Plan | ParseFailure:
    """A plan, or the failure that names the file and why: one bad file never stops the others."""
    try:
        return parse_file(path)
    except PlanError as exc:
        return ParseFailure(source=_source_of(path), error=str(exc))
    except OSError as exc:
        return ParseFailure(source=Source(file=path.name, sha256=""), error=f"{path}: cannot read: {exc.strerror or exc}")


def _source_of(path: Path) -> Source:
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        digest = ""
    return Source(file=path.name, sha256=digest)


@app.command()
def parse(
    files: Annotated[list[Path], typer.Argument(help="Plan files (.txt .docx .doc .wps .pdf .ofd .html .png .jpg .tif), or folders of page images")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the plan JSON of shared/spec/plan-json.md")] = False,
) -> None:
    """Read plan files and show what they say: actions, tasks, agencies and their roles."""
    results = [parse_one(f) for f in files]
    failures = [r for r in results if isinstance(r, ParseFailure)]
    for failure in failures:
        err.print(f"[red]error[/red] {failure.error}", highlight=False)
    if as_json:
        payload = [r.model_dump(mode="json", exclude_none=False) for r in results]
        sys.stdout.buffer.write(orjson.dumps(payload, option=orjson.OPT_INDENT_2) + b"\n")
    else:
        for result in results:
            if isinstance(result, Plan):
                _show(result)
    raise typer.Exit(1 if failures else 0)


def _show(plan: Plan) -> None:
    out = Console()
    j = plan.jurisdiction
    where = " / ".join(x for x in (j.province, j.parent_city) if x)
    out.print(f"[bold]{plan.source.file}[/bold]: {j.name} ({j.level}{', ' + where if where else ''}), "
              f"{plan.period or 'period unknown'}, target {plan.literacy_target_percent or '?'}%", highlight=False)
    table = Table("#", "key", "action", "tasks", "lead", "support", "responsible", "action leads")
    for a in plan.actions:
        table.add_row(
            str(a.seq), a.key, a.title, str(len(a.tasks)),
            *(str(sum(len(getattr(t, role)) for t in a.tasks)) for role in ("lead", "support", "responsible")),
            "、".join(m.name for m in a.leads),
        )
    out.print(table)
    out.print(f"{len(plan.agencies)} agencies, {len(plan.groups)} groups", highlight=False)
    for warning in plan.warnings:
        out.print(f"[yellow]warning[/yellow] {plan.source.file}: {warning}", highlight=False)
