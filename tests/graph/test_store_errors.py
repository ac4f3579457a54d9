"""A damaged or missing store, and files a folder load cannot read: one clear line, never silence
or a traceback.

Every command that reads the store runs as a user runs it (a subprocess), on a damaged store file
and on a store path where nothing is: it must print one line on stderr naming the path, exit
non-zero, print no traceback, and create nothing. The API answers a store error with a 503.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from plangraph.graph.embedded import EmbeddedStore
from plangraph.graph.errors import StoreFileError
from plangraph.graph.rows import JurisdictionRow
from tests.security.support import TOKEN, free_port, start_server
from tests.seed_truth import EXPECTED

FENGDU, WANNIAN = EXPECTED["004"].name, EXPECTED["003"].name

#: Every command that opens the store, with arguments a user would give it.
COMMANDS: dict[str, list[str]] = {
    "tasks": ["tasks", "--agency", "县科协"],
    "agency": ["agency", "县科协"],
    "jurisdiction": ["jurisdiction", FENGDU],
    "compare": ["compare", FENGDU, WANNIAN],
    "export": ["export", "csv", "-o", "edges.csv"],
    "themes": ["themes"],
    "overlap": ["overlap", FENGDU, WANNIAN],
    "overlap-matrix": ["overlap", "--matrix"],
    "agencies": ["agencies"],
    "kinds": ["kinds"],
    "stats": ["stats"],
    "compact": ["compact"],
    "render": ["render", "jurisdiction", FENGDU, "-o", "map.html"],
    "serve": ["serve", "--port", "0"],
}


def _run(args: list[str], db: Path, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if k != "PLANGRAPH_API_TOKEN"}
    full.update(PLANGRAPH_DB=str(db), PLANGRAPH_STORE="embedded", COLUMNS="200", **env)
    return subprocess.run([sys.executable, "-m", "plangraph", *args], env=full, cwd=cwd, capture_output=True,
                          text=True, timeout=120)


def _one_clear_line(done: subprocess.CompletedProcess[str], path: Path, what: str) -> None:
    assert done.returncode != 0, done
    assert "Traceback" not in done.stdout + done.stderr, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert str(path) in lines[0] and what in lines[0], lines[0]


@pytest.fixture(params=list(COMMANDS), ids=list(COMMANDS))
def command(request: pytest.FixtureRequest, tmp_path: Path) -> list[str]:
    if request.param == "serve":
        return ["serve", "--port", str(free_port())]
    return COMMANDS[request.param]


def test_a_damaged_store_file_is_one_line(command: list[str], tmp_path: Path, seeded_db: Path) -> None:
    db = tmp_path / "graph.bin"
    db.write_bytes(seeded_db.read_bytes()[:4096])  # a store cut short: a copy that did not finish
    _one_clear_line(_run(command, db, tmp_path), db, "damaged")


def test_a_missing_store_is_one_line_and_creates_nothing(command: list[str], tmp_path: Path) -> None:
    db = tmp_path / "wrong-folder" / "graph.bin"
    _one_clear_line(_run(command, db, tmp_path), db, "no plangraph store here")
    assert not db.parent.exists()


def test_a_folder_given_as_the_store_is_one_line(tmp_path: Path) -> None:
    for args in (COMMANDS["stats"], ["load", str(tmp_path / "plans")]):
        (tmp_path / "plans").mkdir(exist_ok=True)
        (tmp_path / "plans" / "a.txt").write_text("会议通知。\n", encoding="utf-8")
        _one_clear_line(_run(args, tmp_path, tmp_path), tmp_path, "is a folder")


def test_load_into_a_damaged_store_is_one_line_and_leaves_it(tmp_path: Path, seed_paths: list[Path]) -> None:
    db = tmp_path / "graph.bin"
    db.write_bytes(b"not a store at all")
    _one_clear_line(_run(["load", str(seed_paths[0])], db, tmp_path), db, "not a plangraph store")
    assert db.read_bytes() == b"not a store at all"


def test_a_server_taking_uploads_may_start_without_a_store(tmp_path: Path, seed_paths: list[Path]) -> None:
    """With uploads on, the first upload makes the store: a missing one is not an error there."""
    db = tmp_path / "graph.bin"
    server = start_server(db, tmp_path / "serve.log", env={"PLANGRAPH_API_TOKEN": TOKEN})
    try:
        assert httpx.get(f"{server.base}/jurisdictions").json() == []
        sent = httpx.post(f"{server.base}/plans", files={"file": (seed_paths[4].name, seed_paths[4].read_bytes())},
                          headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60)
        assert sent.status_code == 201, sent.text
    finally:
        log = server.stop()
    assert "Traceback" not in log
    assert [j.name for j in EmbeddedStore(db).jurisdictions()] == [FENGDU]


# --- the API ----------------------------------------------------------------------------------


class _FailingStore(EmbeddedStore):
    """A store whose file went bad under a running server (what a store that reads its file per
    request, as an SQLite one does, raises then)."""

    def jurisdictions(self) -> list[JurisdictionRow]:
        raise StoreFileError(f"{self.path}: damaged graph file (database disk image is malformed)")


def test_the_api_answers_a_store_error_with_a_503(seeded_db: Path, tmp_path: Path) -> None:
    from plangraph.api.app import create_app
    from plangraph.api.settings import ApiSettings

    db = tmp_path / "graph.bin"
    shutil.copy(seeded_db, db)
    app = create_app(_FailingStore(db), ApiSettings(api_token=None, prewarm=False))
    with TestClient(app, raise_server_exceptions=False) as client:
        answer = client.get("/jurisdictions")
    assert answer.status_code == 503
    assert answer.json() == {"detail": f"{db}: damaged graph file (database disk image is malformed)",
                             "kind": "store"}


# --- a folder load names what it did not load ------------------------------------------------------


def test_a_folder_load_names_every_file_it_did_not_load(tmp_path: Path, seed_paths: list[Path]) -> None:
    folder = tmp_path / "plans"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(seed_paths[3], folder / seed_paths[3].name)
    shutil.copy(seed_paths[4], folder / "sub" / seed_paths[4].name)
    other = {"all.zip": b"PK\x03\x04", "sub/sheet.xlsx": b"PK\x03\x04", "notes.md": b"# notes\n"}
    broken = {"old.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "sub/wps.wps": b"\xd0\xcf\x11\xe0",
              "scan.png": b"\x89PNG\r\n\x1a\n"}  # formats the loaders read, but damaged: failed, named
    for name, data in {**other, **broken}.items():
        (folder / name).write_bytes(data)
    (folder / "bad.txt").write_text("会议通知：请各单位准时参会。\n", encoding="utf-8")
    (folder / ".git").mkdir()
    (folder / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    db = tmp_path / "graph.bin"
    done = _run(["load", str(folder)], db, tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr  # bad.txt and the broken files failed
    assert "loaded 2 plans" in done.stdout and "7 files not loaded (4 failed, 3 skipped)" in done.stdout
    for name in other:
        line = next(x for x in done.stderr.splitlines() if str(folder / name) in x)
        assert "unsupported format" in line and Path(name).suffix in line
    assert "bad.txt" in done.stderr
    for name in broken:
        assert any(str(folder / name) in x for x in done.stderr.splitlines()), name
    assert "1 hidden files" in done.stderr and "HEAD" not in done.stderr
    assert sorted(j.name for j in EmbeddedStore(db).jurisdictions()) == sorted([FENGDU, WANNIAN])

    import json

    summary = json.loads(_run(["load", str(folder), "--json"], db, tmp_path).stdout)
    assert sorted(Path(s["file"]).name for s in summary["skipped"]) == sorted(Path(n).name for n in other)
    assert sorted(Path(f["file"]).name for f in summary["failed"]) == sorted(["bad.txt", *(Path(n).name for n in broken)])
    assert summary["not_loaded"] == 7


def test_the_readable_suffixes_come_from_the_loaders(tmp_path: Path, seed_paths: list[Path]) -> None:
    """A folder load reads what the loaders read: a plan saved as .text is loaded, not skipped."""
    from plangraph.loaders import readable_suffixes

    assert {".txt", ".docx", ".pdf", ".html", ".htm"} <= readable_suffixes()
    folder = tmp_path / "plans"
    folder.mkdir()
    shutil.copy(seed_paths[4], folder / "plan.text")
    done = _run(["load", str(folder)], tmp_path / "graph.bin", tmp_path)
    assert done.returncode == 0, done.stderr
    assert "loaded 1 plans" in done.stdout


def test_skipped_files_alone_do_not_fail_a_load(tmp_path: Path, seed_paths: list[Path]) -> None:
    """A synthetic corpus has its manifest.json beside the plans: named as skipped, exit 0."""
    folder = tmp_path / "plans"
    folder.mkdir()
    shutil.copy(seed_paths[4], folder / seed_paths[4].name)
    (folder / "manifest.json").write_text("{}", encoding="utf-8")
    done = _run(["load", str(folder)], tmp_path / "graph.bin", tmp_path)
    assert done.returncode == 0, done.stderr
    assert "1 files not loaded (0 failed, 1 skipped)" in done.stdout
    assert "manifest.json: unsupported format (.json" in done.stderr


@pytest.mark.parametrize("name", ["tasks", "jurisdiction", "overlap", "stats", "serve"])
def test_an_unreachable_neo4j_is_one_line(name: str, tmp_path: Path) -> None:
    args = COMMANDS[name] if name != "serve" else ["serve", "--port", str(free_port())]
    password = f"pw-{secrets.token_urlsafe(24)}"
    done = _run([*args, "--store", "neo4j"], tmp_path / "graph.bin", tmp_path,
                NEO4J_URI="bolt://127.0.0.1:9", NEO4J_PASSWORD=password)  # port 9: discard, closed
    _one_clear_line(done, Path("127.0.0.1:9"), "cannot open the neo4j store")
    assert password not in done.stdout + done.stderr
