"""``benchmarks/upload_while_serving.py`` end to end on the seed plans, so that it cannot rot.

It checks the report's shape, the upload's 201 and zero errors; it asserts no speed.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from plangraph.graph.embedded import EmbeddedStore
from plangraph.loaders import parse_file
from tests.bench.run import run_bounded
from tests.conftest import SEED_PATHS

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.bench_smoke
def test_upload_while_serving_runs_end_to_end(tmp_path: Path) -> None:
    if shutil.which("wrk") is None:
        pytest.skip("wrk is not installed (scripts/setup.sh --test installs it)")
    db = tmp_path / "graph.bin"
    EmbeddedStore(db).replace_plans([parse_file(p) for p in SEED_PATHS[:4]])
    out = tmp_path / "upload.json"
    cmd = [sys.executable, str(REPO / "benchmarks" / "upload_while_serving.py"), "--db", str(db),
           "--plan", str(SEED_PATHS[4]), "--windows", "3", "--window", "1", "--concurrency", "4", "--pairs", "2",
           "--json-out", str(out)]
    proc = run_bounded(cmd, 90, tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["upload"]["status"] == 201
    assert [w["window"] for w in report["windows"]] == ["before", "with the upload", "+1 s"]
    assert all(w["errors"] == 0 and w["requests"] > 0 for w in report["windows"]), report["windows"]
    assert EmbeddedStore(db).stats()["nodes"]["Plan"] == 4  # the store given was copied, never written
