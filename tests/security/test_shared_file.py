"""Several processes on one store file: none writes over another's plans, and servers follow it.

``plangraph serve --workers N`` runs N processes on one embedded store file, and ``plangraph load``
may write it while a server runs. Writes lock the file and start from what is on disk; a running
server picks up what others wrote (``api/follow.py``).
"""

from __future__ import annotations

import subprocess
import sys
import time
import weakref
from pathlib import Path

import httpx
import pytest

from plangraph.graph.build import as_records
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


def _until_every_answer_has(url: str, wanted: int, seconds: float = 60, streak: int = 20) -> None:
    """``streak`` answers in a row with status ``wanted``, within ``seconds``."""
    deadline, good, last = time.monotonic() + seconds, 0, None
    while good < streak:
        assert time.monotonic() < deadline, f"{url}: still {last} after {seconds} s ({good} good in a row)"
        last = _fresh_get(url).status_code
        good = good + 1 if last == wanted else 0
        if last != wanted:
            time.sleep(0.2)


def test_two_stores_on_one_file_keep_each_others_plans(tmp_path: Path) -> None:
    db = tmp_path / "graph.bin"
    plans = seed_plans()
    first, second = EmbeddedStore(db), EmbeddedStore(db)  # both opened before either wrote
    first.replace_plans(plans[:2])
    assert second.changed_on_disk() and not first.changed_on_disk()
    second.replace_plans(plans[2:])  # starts from the file: the first store's plans stay
    expected = {p.jurisdiction.name for p in plans}
    assert _places(second) == expected
    assert _places(EmbeddedStore(db)) == expected
    assert first.reload_if_changed() and _places(first) == expected
    assert not first.reload_if_changed()


def test_two_load_commands_at_once_keep_all_plans(tmp_path: Path) -> None:
    db = tmp_path / "graph.bin"
    runs = [_load(db, *SEED_PATHS[:2]), _load(db, *SEED_PATHS[2:])]
    for run in runs:
        output, _ = run.communicate(timeout=300)
        assert run.returncode == 0, output
    assert _places(EmbeddedStore(db)) == {p.jurisdiction.name for p in seed_plans()}


def test_a_running_server_serves_what_plangraph_load_adds(tmp_path: Path) -> None:
    db = tmp_path / "graph.bin"
    EmbeddedStore(db).replace_plans(seed_plans()[:4])
    added = seed_plans()[4].jurisdiction.name
    server = start_server(db, tmp_path / "serve.log", env={"PLANGRAPH_FOLLOW_SECONDS": "0.5"})
    try:
        assert httpx.get(f"{server.base}/jurisdictions/{added}").status_code == 404
        load = _load(db, SEED_PATHS[4])
        output, _ = load.communicate(timeout=300)
        assert load.returncode == 0, output
        _until_every_answer_has(f"{server.base}/jurisdictions/{added}", 200, streak=3)
        assert len(httpx.get(f"{server.base}/jurisdictions").json()) == 5
    finally:
        server.stop()


def test_every_worker_serves_a_plan_uploaded_to_one(tmp_path: Path) -> None:
    db = tmp_path / "graph.bin"
    EmbeddedStore(db).replace_plans(seed_plans()[:4])
    path = SEED_PATHS[4]
    added = seed_plans()[4].jurisdiction.name
    server = start_server(db, tmp_path / "serve.log", args=("--workers", "2"),
                          env={"PLANGRAPH_FOLLOW_SECONDS": "0.5", "PLANGRAPH_API_TOKEN": TOKEN})
    try:
        r = httpx.post(f"{server.base}/plans", files={"file": (path.name, path.read_bytes())},
                       headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60)
        assert r.status_code == 201, r.text
        _until_every_answer_has(f"{server.base}/jurisdictions/{added}", 200)
        assert all(len(_fresh_get(f"{server.base}/jurisdictions").json()) == 5 for _ in range(10))
    finally:
        log = server.stop()
    assert log.count("Application startup complete") == 2, log[-2000:]


def test_a_store_that_adopts_a_new_file_frees_the_old_graph(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A server follows the file for weeks: every graph it swaps out must be freed (a national one
    is 1.3 GB), although the collector never looks at it again (it is frozen)."""
    monkeypatch.setattr("plangraph.graph.embedded.JOURNAL_MAX_PLANS", 0)  # every write rewrites the file
    db = tmp_path / "graph.bin"
    plans = seed_plans()
    reader, writer = EmbeddedStore(db), EmbeddedStore(db)
    writer.replace_plans(plans[:2])
    assert reader.reload_if_changed()
    reader.action_leads(), reader.assignments()  # reads that make networkx cache its views
    old = weakref.ref(reader._g)
    writer.replace_plans(plans[2:])
    assert reader.reload_if_changed()
    assert old() is None, "the swapped-out graph is still alive"
    assert _places(reader) == {p.jurisdiction.name for p in plans}


def test_a_server_keeps_serving_when_another_process_writes_what_it_cannot_apply(tmp_path: Path) -> None:
    """A journal entry the server cannot apply (a newer version's, say) is logged and refused; the
    server keeps answering with the plans it had, then takes the file once it is whole again."""
    from plangraph.graph import journal
    from plangraph.graph.embedded import _atomic_write

    db = tmp_path / "graph.bin"
    writer = EmbeddedStore(db)
    writer.replace_plans(seed_plans()[:3])
    writer.replace_plans([seed_plans()[3]])  # journaled: the server follows a journal
    server = start_server(db, tmp_path / "serve.log", env={"PLANGRAPH_FOLLOW_SECONDS": "0.2"})
    try:
        assert len(httpx.get(f"{server.base}/jurisdictions").json()) == 4
        journal.append(db, writer._stamp, [("rename", "plan:x")], writer._journal)
        time.sleep(1.5)  # several follow rounds
        assert httpx.get(f"{server.base}/health").status_code == 200
        assert len(httpx.get(f"{server.base}/jurisdictions").json()) == 4
        writer._replace(as_records(seed_plans()[4]))  # then the file is written whole, journal folded
        _atomic_write(db, writer._g, "a-newer-version")
        journal.remove(db)
        deadline = time.monotonic() + 30
        while len(httpx.get(f"{server.base}/jurisdictions").json()) != 5:
            assert time.monotonic() < deadline, "the server never took the whole file"
            time.sleep(0.2)
    finally:
        log = server.stop()
    assert "applying what another process wrote failed" in log
