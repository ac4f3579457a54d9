"""``plangraph load`` and ``plangraph stats`` on the embedded store, through the real CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from plangraph.cli import app
from plangraph.graph.embedded import EmbeddedStore

runner = CliRunner()


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def plans_dir(tmp_path: Path, seed_paths: list[Path]) -> Path:
    """Two seeds, a bad file and an empty one, one of them in a subfolder (loading is recursive)."""
    folder = tmp_path / "plans"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(seed_paths[0], folder / seed_paths[0].name)
    shutil.copy(seed_paths[4], folder / "sub" / seed_paths[4].name)
    (folder / "sub" / "not-a-plan.txt").write_text("会议通知：请各单位准时参会。\n", encoding="utf-8")
    (folder / "empty.html").write_bytes(b"")
    (folder / "notes.md").write_text("ignored: not a plan file type\n", encoding="utf-8")
    return folder


def test_load_reports_bad_files_keeps_going_and_exits_1(plans_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "db" / "graph.bin"
    code, out, err = _run("load", str(plans_dir), "--db", str(db), "--json")
    assert code == 1
    summary = json.loads(out)
    assert summary["plans"] == 2 and summary["tasks"] > 50 and summary["edges"] > summary["tasks"]
    failed = {Path(f["file"]).name: f["error"] for f in summary["failed"]}
    assert set(failed) == {"not-a-plan.txt", "empty.html"}
    assert "not-a-plan.txt" in err and "empty.html" in err
    code, out, _ = _run("stats", "--json", "--db", str(db))
    assert code == 0
    stats = json.loads(out)
    assert stats == EmbeddedStore(db).stats() and stats["nodes"]["Plan"] == 2


def test_a_failed_file_loses_nothing_already_stored(plans_dir: Path, tmp_path: Path, seed_paths: list[Path]) -> None:
    db = tmp_path / "graph.bin"
    assert _run("load", str(seed_paths[1]), "--db", str(db))[0] == 0
    before = EmbeddedStore(db).stats()
    bad = plans_dir / "sub" / "not-a-plan.txt"
    code, _, err = _run("load", str(bad), str(tmp_path / "missing.txt"), "--db", str(db))
    assert code == 1 and "missing.txt" in err
    assert EmbeddedStore(db).stats() == before


def test_loading_the_seeds_twice_prints_identical_stats(seeds_dir: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "graph.bin")
    assert _run("load", str(seeds_dir), "--db", db)[0] == 0
    first = _run("stats", "--json", "--db", db)[1]
    code, out, _ = _run("load", str(seeds_dir), "--db", db, "--json")
    assert code == 0 and json.loads(out)["replaced"] == 5
    assert _run("stats", "--json", "--db", db)[1] == first
    assert json.loads(first)["nodes"]["Plan"] == 5


def test_parallel_load_equals_sequential_load(seed_paths: list[Path], tmp_path: Path) -> None:
    many = tmp_path / "many"
    many.mkdir()
    for i in range(2):  # ten files: parsed in worker processes; later copies replace earlier ones
        for p in seed_paths:
            shutil.copy(p, many / f"{i}-{p.name}")
    code, out, _ = _run("load", str(many), "--db", str(tmp_path / "a.bin"), "--workers", "2", "--json")
    assert code == 0 and json.loads(out)["plans"] == 10 and json.loads(out)["replaced"] == 5
    assert _run("load", str(many), "--db", str(tmp_path / "b.bin"), "--workers", "1")[0] == 0
    assert EmbeddedStore(tmp_path / "a.bin").stats() == EmbeddedStore(tmp_path / "b.bin").stats()


def test_db_from_environment_and_default_under_working_dir(
    seed_paths: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert _run("load", str(seed_paths[2]))[0] == 0
    assert (tmp_path / "plangraph-data" / "graph.bin").is_file()
    monkeypatch.setenv("PLANGRAPH_DB", str(tmp_path / "env.bin"))
    assert _run("load", str(seed_paths[3]))[0] == 0
    assert json.loads(_run("stats", "--json")[1])["nodes"]["Plan"] == 1
    assert EmbeddedStore(tmp_path / "env.bin").stats()["nodes"]["Plan"] == 1


def test_damaged_store_file_is_one_clear_error(tmp_path: Path) -> None:
    db = tmp_path / "graph.bin"
    db.write_bytes(b"garbage")
    code, _, err = _run("stats", "--json", "--db", str(db))
    assert code == 1 and "not a plangraph store" in err and "Traceback" not in err


def test_unreachable_neo4j_is_one_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:9")  # nothing listens on port 9 (discard)
    code, _, err = _run("stats", "--store", "neo4j")
    assert code == 1 and "cannot open the neo4j store" in err


def test_compact_makes_the_file_alone_hold_the_store(tmp_path: Path, seed_paths: list[Path]) -> None:
    """While a process holds the store, recent commits may sit in its write-ahead log; after
    ``compact`` the file copied alone holds every plan."""
    db = tmp_path / "graph.bin"
    assert _run("load", *map(str, seed_paths[:3]), "--db", str(db))[0] == 0
    holder = EmbeddedStore(db)  # an open reader keeps the log from being folded in on close
    holder.stats()
    assert _run("load", *map(str, seed_paths[3:]), "--db", str(db))[0] == 0
    before = holder.stats()
    code, out, _ = _run("compact", "--db", str(db))
    assert code == 0 and "the store is one file" in out
    alone = tmp_path / "copy" / "graph.bin"
    alone.parent.mkdir()
    shutil.copy(db, alone)
    holder.close()
    assert EmbeddedStore(alone).stats() == before and before["nodes"]["Plan"] == len(seed_paths)
