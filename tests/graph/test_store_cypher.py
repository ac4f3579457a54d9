"""Layer 1 of the Neo4j proof: every statement in graph/cypher.py passes Neo4j's own Cypher front end.

``@neo4j-cypher/language-support`` (pinned in tests/cypher/package.json) is the parser and semantic
analysis Neo4j's tools use; it runs offline under Node.js. The schema given to it declares the
graph's labels, relationship types, property keys and parameters, so a misspelled name is reported
(a warning), as is any syntax or semantic error. Both Cypher versions a Neo4j 5 server accepts are
checked. The negative test proves the linter is awake.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from plangraph.graph import cypher
from plangraph.graph.build import EDGE_TYPES, NODE_LABELS, PROPERTY_KEYS, build_records
from plangraph.graph.model import Plan

LINT_DIR = Path(__file__).resolve().parents[1] / "cypher"
VERSIONS = ("CYPHER 5", "CYPHER 25")


@pytest.fixture(scope="module")
def node_linter() -> Path:
    """tests/cypher with its node_modules (``npm ci`` on first use)."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("Node.js (node, npm) is not installed: the Cypher front end runs under Node")
    package = LINT_DIR / "node_modules" / "@neo4j-cypher" / "language-support" / "package.json"
    if not package.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=LINT_DIR, check=True, timeout=300)
    pinned = json.loads((LINT_DIR / "package.json").read_text())["dependencies"]["@neo4j-cypher/language-support"]
    assert json.loads(package.read_text())["version"] == pinned, "node_modules is not the pinned version"
    return LINT_DIR


def schema() -> dict[str, Any]:
    return {
        "labels": list(NODE_LABELS),
        "relationshipTypes": list(EDGE_TYPES),
        "propertyKeys": sorted({*PROPERTY_KEYS, *cypher.ROW_KEYS}),
        "parameters": cypher.PARAMETERS,
    }


def lint(folder: Path, statements: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    payload = json.dumps({"schema": schema(), "statements": statements})
    done = subprocess.run(
        ["node", "lint.mjs"], cwd=folder, input=payload, capture_output=True, text=True, timeout=300, check=True
    )
    return json.loads(done.stdout)


def test_every_statement_passes_neo4j_cypher_front_end(node_linter: Path) -> None:
    """Each statement, as Cypher 5 and as Cypher 25 (both run on Neo4j 5.26+): no diagnostics."""
    statements = cypher.all_statements()
    assert len(statements) > 60  # every label / signature variant is there
    versions = {f"{v} {name}": f"{v} {text}" for v in VERSIONS for name, text in statements.items()}
    report = lint(node_linter, versions)
    assert report.keys() == versions.keys()
    problems = {name: diags for name, diags in report.items() if diags}
    assert problems == {}, json.dumps(problems, ensure_ascii=False, indent=1)


def test_the_linter_reports_misspellings_and_syntax_errors(node_linter: Path) -> None:
    bad = {
        "label": cypher.TASKS_OF_JURISDICTION.replace("(t:Task", "(t:Tsak"),
        "type": cypher.TASKS_OF_ACTION.replace(":IN]", ":INN]"),
        "property": cypher.SEARCH_TASKS.replace("t.title CONTAINS", "t.titel CONTAINS"),
        "parameter": cypher.TASKS_OF_JURISDICTION.replace("$jurisdiction", "$jurisdictoin"),
        "syntax": cypher.KINDS.replace("RETURN", "RETRUN"),
        "variable": cypher.JURISDICTIONS.replace("properties(p)", "properties(q)"),
    }
    report = lint(node_linter, bad)
    assert all(report[name] for name in bad), json.dumps(report, ensure_ascii=False, indent=1)
    assert "Tsak" in report["label"][0]["message"] and "jurisdictoin" in report["parameter"][0]["message"]


def test_every_property_label_and_type_written_is_declared(seed_plans: list[Plan]) -> None:
    """The linter's schema is the real one: everything the records carry is declared."""
    keys: set[str] = {"id"}
    labels: set[str] = set()
    types: set[str] = set()
    for plan in seed_plans:
        recs = build_records(plan)
        for n in recs.nodes:
            labels.add(n.label)
            keys.update(n.props)
        for e in recs.edges:
            types.add(e.type)
            keys.update(e.props)
    assert keys <= set(PROPERTY_KEYS), keys - set(PROPERTY_KEYS)
    assert labels <= set(NODE_LABELS) and types <= set(EDGE_TYPES)


def test_statements_take_values_only_as_parameters() -> None:
    """No statement holds a quoted value; the one literal is the label the reads compare with."""
    for name, text in cypher.all_statements().items():
        literal = text.replace("'AgencyGroup' IN labels(a)", "")
        assert "'" not in literal and '"' not in literal, name
