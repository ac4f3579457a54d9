"""Several processes on one store file: none writes over another's plans, and servers serve at once.

``plangraph serve --workers N`` runs N processes on one embedded store file (SQLite, WAL), and
``plangraph load`` may write it while a server runs: SQLite's locks let one writer and any number
of readers work at once, and every question reads the file, so a plan committed by any process is
served by the next question.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import httpx
from plangraph.graph.embedded import EmbeddedStore

from .support import SEED_PATHS, TOKEN, seed_plans, start_server


def _places(store: EmbeddedStore) -> set[str]:
    return {j.name for j in store.jurisdictions()}


def _load(db: Path, *paths: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "plangraph", "load", *map(str, paths), "--db", str(db)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _fresh_get(url: str) -> httpx.Response:
    """A request on its own connection: with several workers, any of them may take it."""
    with httpx.Client(timeout=10) as client:
        return client.get(url)


def test_two_stores_on_one_file_keep_each_others_plans(tmp_path: Path) -> None:
    db = tmp_path / "graph.bin"
    plans = seed_plans()
    first, second = EmbeddedStore(db), EmbeddedStore(db)  # both opened before either wrote
    first.replace_plans(plans[:2])
    second.replace_plans(plans[2:])
    expected = {p.jurisdiction.name for p in plans}
    assert _places(first) == _places(second) == _places(EmbeddedStore(db)) == expected


def test_two_load_commands_at_once_keep_all_plans(tmp_path: Path) -> None:
    db = tmp_path / "graph.bin"
    runs = [_load(db, *SEED_PATHS[:2]), _load(db, *SEED_PATHS[2:])]
    for run in runs:
        output, _ = run.communicate(timeout=300)
        assert run.returncode == 0, output
    assert _places(EmbeddedStore(db)) == {p.jurisdiction.name for p in seed_plans()}


def test_a_running_server_answers_during_a_load_and_serves_its_plans_at_once(tmp_path: Path) -> None:
    """``plangraph load`` (a process) writes the file a real ``plangraph serve --workers 2`` reads:
    every request during the load is answered (200, a whole plan each time), and the first request
    after the load ends already sees every plan it stored: nothing to follow, nothing to wait for."""
    from plangraph.synth import write_corpus

    db = tmp_path / "graph.bin"
    EmbeddedStore(db).replace_plans(seed_plans()[:4])
    corpus = tmp_path / "corpus"
    write_corpus(40, corpus)
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    (corpus / "manifest.json").unlink()
    # synth draws real places, a seed's among them: such a plan replaces the seed's, one place each
    places = {p.jurisdiction.name for p in seed_plans()} | {e["jurisdiction"]["name"] for e in manifest}
    added = seed_plans()[4].jurisdiction.name
    server = start_server(db, tmp_path / "serve.log", args=("--workers", "2"))
    try:
        assert httpx.get(f"{server.base}/jurisdictions/{added}").status_code == 404
        load = _load(db, SEED_PATHS[4], corpus)
        statuses, tasks_seen = [], set()
        while load.poll() is None:
            r = _fresh_get(f"{server.base}/jurisdictions/{seed_plans()[0].jurisdiction.name}")
            statuses.append(r.status_code)
            tasks_seen.add(r.json()["jurisdiction"]["tasks"])
        output, _ = load.communicate(timeout=300)
        assert load.returncode == 0, output
        assert statuses and set(statuses) == {200} and len(tasks_seen) == 1, (statuses[:10], tasks_seen)
        for _ in range(6):  # each on a new connection: either worker may answer
            assert _fresh_get(f"{server.base}/jurisdictions/{added}").status_code == 200
            assert {j["name"] for j in _fresh_get(f"{server.base}/jurisdictions").json()} == places
    finally:
        server.stop()


def test_every_worker_serves_a_plan_uploaded_to_one(tmp_path: Path) -> None:
    db = tmp_path / "graph.bin"
    EmbeddedStore(db).replace_plans(seed_plans()[:4])
    path = SEED_PATHS[4]
    added = seed_plans()[4].jurisdiction.name
    server = start_server(db, tmp_path / "serve.log", args=("--workers", "2"), env={"PLANGRAPH_API_TOKEN": TOKEN})
    try:
        r = httpx.post(f"{server.base}/plans", files={"file": (path.name, path.read_bytes())},
                       headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60)
        assert r.status_code == 201, r.text
        for _ in range(10):  # at once, on every worker
            assert _fresh_get(f"{server.base}/jurisdictions/{added}").status_code == 200
            assert len(_fresh_get(f"{server.base}/jurisdictions").json()) == 5
    finally:
        log = server.stop()
    assert log.count("Application startup complete") == 2, log[-2000:]
