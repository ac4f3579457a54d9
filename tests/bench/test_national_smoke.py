"""``benchmarks/national.py`` end to end on a tiny corpus, so that the script cannot rot.

It checks that every section is produced and that the API answered without errors; it asserts no
speed (a benchmark prints figures, BENCHMARKS.md records them). Bounded: 60 s.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.bench.run import run_bounded

REPO = Path(__file__).resolve().parents[2]
SMOKE_SECONDS = 180  # the machine is shared: under a load average of 15 the run took 90 s


@pytest.mark.bench_smoke
def test_national_benchmark_runs_end_to_end(tmp_path: Path) -> None:
    out = tmp_path / "national.json"
    cmd = [
        sys.executable, str(REPO / "benchmarks" / "national.py"), "--plans", "20", "--requests", "50",
        "--concurrency", "4", "--workers", "1,2", "--parse-sample", "20", "--rounds", "1",
        "--reopen-repeat", "1", "--seconds", "3", "--soak", "2", "--workdir", str(tmp_path / "work"),
        "--places", "3", "--serve-workers", "2", "--settle", "0.5",
        "--json-out", str(out),
    ]
    proc = run_bounded(cmd, SMOKE_SECONDS, tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "ratio parse / bare read" in proc.stdout  # the table
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["machine"]["nproc"] >= 1 and report["machine"]["python"]
    parse = report["parse"]
    assert parse["files"] == 20 and parse["ratio_parse_to_bare"] > 0
    assert [r["workers"] for r in report["load"]] == [1, 2]
    assert all(r["plans"] == 20 and r["failed"] == 0 and r["peak_rss_largest_process_mb"] > 0 for r in report["load"])
    assert report["load"][0]["edges"] == report["load"][1]["edges"]  # parallel or not, the same graph
    assert report["store"]["file_mb"] > 0 and report["store"]["plans"] == 20
    api = report["api"]
    assert set(api["questions"]) == {
        "tasks an agency leads, in a jurisdiction", "tasks an agency leads, every jurisdiction",
        "a jurisdiction's profile", "compare two jurisdictions",
    }
    assert api["serve_workers"] == 2
    for name, q in api["questions"].items():
        assert q["error_count"] == 0 and q["ok"] > 0 and q["p99_ms"] is not None, (name, q)
        assert api["cold"][name]["error_count"] == 0 and api["cold"][name]["sent"] == api["places_per_question"][name]
        if api["client"] == "httpx":
            assert q["sent"] <= 50  # bounded in count (wrk is bounded in time)
    assert api["soak"]["error_count"] == 0 and api["soak"]["ok"] > 0
