"""No loss: a load that fails halfway leaves the store as it was; readers see a plan old or new.

(a) A folder with bad files in the middle (``plangraph load DIR``, a real process, in-process and
    worker-pool parsing): the good plans load, the bad ones are reported with their reasons, the
    exit code is 1, and a bad copy of a plan already stored leaves that plan as it was.
(b) A killed load: ``plangraph load`` of 200 synthetic plans into a store holding the seeds,
    SIGKILLed at moments spread over its run (plans are committed in batches). The file then
    opens and passes ``check``, the seeds answer as before, and every plan the load stored is
    whole; never damaged, never half. On Neo4j (a transaction per batch of plans) every plan in the store
    is whole and equal to the same plan loaded in full, and the seeds answer as before.
(c) Concurrent reads during reloads: threads read ``tasks``/``assignments`` of 丰都县 while
    another thread replaces its plan again and again by two versions (the seed, and the seed with
    one task cut out): every read equals one version's answer exactly. The same through the API
    (``POST /plans`` against GET /tasks, the profile and the JSON export, which are several store
    reads each: without the API's read/write lock, ``api/deps.py``, dozens of those answers in a
    run are half of each). The lock shares reads, lets a waiting writer go first, and never
    stalls the server: 60 concurrent readers (more than its 40 worker threads) during uploads.

Each case runs on the embedded store and, with NEO4J_URI set, on real Neo4j (skipped otherwise).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from plangraph.api.app import create_app
from plangraph.api.settings import ApiSettings
from plangraph.graph.embedded import EmbeddedStore
from plangraph.graph.store import GraphStore
from plangraph.loaders import PlanError, parse_bytes, parse_file
from plangraph.synth import write_corpus

from tests.graph.test_store import NATIONAL_ANSWERS

from .support import (
    SEED_PATHS, TOKEN, answers, expected_stats, fengdu_versions, neo4j_store_or_skip, seed_plans, seeded_store,
)

FENGDU = "丰都县"
CORPUS = 200
RELOADS = 40


def plangraph(*args: str, env: dict[str, str] | None = None, **kwargs: Any) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "plangraph", *args], env={**os.environ, **(env or {})},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


def own_answers(store: GraphStore, plan: Any) -> dict:
    """The store suite's answers about one plan (not the national lists, which other plans change)."""
    name = plan.jurisdiction.name
    return {k: v for k, v in answers(store, [plan]).items() if k.startswith(name) and not k.endswith(NATIONAL_ANSWERS)}


# --- (a) bad files in the middle of a folder ------------------------------------------------------


@pytest.fixture(scope="module")
def mixed_folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """Ten synthetic plans with three bad files sorted among them; one bad file is a damaged copy
    of a seed (its jurisdiction's heading, then no plan)."""
    folder = tmp_path_factory.mktemp("mixed")
    write_corpus(10, folder)
    (folder / "manifest.json").unlink()
    seed = SEED_PATHS[2].read_text(encoding="utf-8")
    damaged = seed[:300] + "\n会议通知：请各单位准时参会。\n" * 20
    bad = {
        "00003_damaged_seed.txt": damaged.encode("utf-8"),
        "00005_truncated.docx": b"PK\x03\x04" + os.urandom(200),
        "00007_empty.html": b"",
    }
    for name, data in bad.items():
        (folder / name).write_bytes(data)
        with pytest.raises(PlanError):
            parse_bytes(data, name)
    return folder, sorted(bad)


@pytest.mark.parametrize("workers", ["1", "2"], ids=["in-process", "worker-pool"])
def test_bad_files_in_the_middle_of_a_folder(
    mixed_folder: tuple[Path, list[str]], seeded_db: Path, workers: str
) -> None:
    folder, bad = mixed_folder
    before = EmbeddedStore(seeded_db)
    damaged = parse_file(SEED_PATHS[2])
    before_answers = own_answers(before, damaged)
    proc = plangraph("load", str(folder), "--db", str(seeded_db), "--json", "--workers", workers)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 1, err
    summary = json.loads(out)
    failed = {Path(f["file"]).name: f["error"] for f in summary["failed"]}
    assert sorted(failed) == bad
    assert all(name in reason for name, reason in failed.items())
    assert all(name in err for name in bad)
    good = [parse_file(p) for p in sorted(folder.glob("*.txt")) if p.name not in bad]
    assert summary["plans"] == len(good) == 10
    after = EmbeddedStore(seeded_db)
    assert after.stats() == expected_stats([*seed_plans(), *good])
    for plan in good:
        assert len(after.tasks(jurisdiction=plan.jurisdiction.name)) == len(plan.tasks())
    assert own_answers(after, damaged) == before_answers, f"{damaged.jurisdiction.name} changed"


# --- (b) a killed load ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    write_corpus(CORPUS + 10, folder)
    # synth draws real places, the seeds' among them: those plans would replace a seed, which this
    # test's load must leave alone; CORPUS plans of other places are kept
    seeds = {p.jurisdiction.name for p in seed_plans()}
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    (folder / "manifest.json").unlink()
    kept = 0
    for entry in manifest:
        if entry["jurisdiction"]["name"] in seeds or kept == CORPUS:
            (folder / entry["source"]["file"]).unlink()
        else:
            kept += 1
    assert kept == CORPUS
    return folder


@pytest.fixture(scope="module")
def full_load(corpus: Path, seeded_db_template: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, float]:
    """The same load run to its end (the 'fully loaded' state), and how long it took."""
    db = tmp_path_factory.mktemp("full") / "graph.bin"
    shutil.copy(seeded_db_template, db)
    start = time.monotonic()
    proc = plangraph("load", str(corpus), "--db", str(db))
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    return db, time.monotonic() - start


def _kill(proc: subprocess.Popen, when: Callable[[], bool], timeout: float = 120) -> None:
    """SIGKILL ``proc`` as soon as ``when()`` holds; fail when the load ended first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"the load ended (exit {proc.returncode}) before it could be killed: {proc.stderr.read()[-500:]}")
        if when():
            proc.send_signal(signal.SIGKILL)
            proc.communicate(timeout=30)
            assert proc.returncode == -signal.SIGKILL
            return
        time.sleep(0.001)
    proc.kill()
    pytest.fail("the moment to kill the load never came")


def _reading(pid: int, corpus: Path) -> int:
    """The index of the corpus file the process has open (-1 when none)."""
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return -1
    best = -1
    for fd in fds:
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target.startswith(str(corpus)) and target.endswith(".txt"):
            best = max(best, int(Path(target).name.split("_", 1)[0]))
    return best


def _state(store: GraphStore, seeds: list) -> tuple[dict, dict]:
    return store.stats(), answers(store, seeds)


#: When to kill: once the load reads this file of the corpus (of 200; plans are committed 64 at a
#: time, so some kills fall between commits and some into one). Seeded: the same moments every run.
_MOMENTS = random.Random(14)
KILL_AT = sorted(_MOMENTS.randrange(5, 150) for _ in range(4))  # not the last files: read faster than polled


@pytest.mark.parametrize("at", KILL_AT, ids=lambda n: f"reading-file-{n}")
def test_a_load_killed_at_any_moment_never_loses_a_stored_plan(
    corpus: Path, full_load: tuple[Path, float], seeded_db: Path, at: int
) -> None:
    """SIGKILL ``plangraph load`` (200 plans into a store holding the seeds) at a moment of its
    run: the file opens and passes ``check``, the seeds answer exactly as before, and every plan
    the load got to store is whole (it answers as in the store the same load finished)."""
    full_db, duration = full_load
    seeds = seed_plans()
    before = [own_answers(EmbeddedStore(seeded_db), p) for p in seeds]
    proc = plangraph("load", str(corpus), "--db", str(seeded_db), "--workers", "1")
    # The moment: the load holds file ``at`` open, or (a fast load may read a file between two
    # looks) it has run for that file's share of the full load's time.
    started = time.monotonic()
    _kill(proc, lambda: _reading(proc.pid, corpus) >= at or time.monotonic() - started >= duration * at / CORPUS)
    store = EmbeddedStore(seeded_db)
    report = store.check()
    assert report.ok, report
    assert [own_answers(store, p) for p in seeds] == before, "a plan stored before the load changed"
    full = EmbeddedStore(full_db)
    seed_names = {p.jurisdiction.name for p in seeds}
    loaded = [j.name for j in store.jurisdictions() if j.name not in seed_names]
    for name in loaded:  # each plan whole: exactly what the full load holds for it
        assert store.jurisdiction(name) == full.jurisdiction(name)
        assert store.tasks(jurisdiction=name) == full.tasks(jurisdiction=name)
        assert store.assignments(jurisdiction=name) == full.assignments(jurisdiction=name)
        assert store.agencies(jurisdiction=name) == full.agencies(jurisdiction=name)
    # and the store takes the same load again, to the end
    proc = plangraph("load", str(corpus), "--db", str(seeded_db))
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert EmbeddedStore(seeded_db).stats() == full.stats()
    print(f"load killed reading file {at} (a full load: {duration:.1f} s): {len(loaded)} of {CORPUS} plans stored, each whole")


def test_a_killed_load_into_neo4j_leaves_only_whole_plans(
    corpus: Path, full_load: tuple[Path, float], tmp_path: Path
) -> None:
    gen = neo4j_store_or_skip()
    store = next(gen)
    try:
        seeds = seed_plans()
        store.replace_plans(seeds)
        before = answers(store, seeds)
        proc = plangraph("load", str(corpus), "--store", "neo4j", "--workers", "1", env={"NEO4J_PLANS_PER_TX": "20"})
        _kill(proc, lambda: _reading(proc.pid, corpus) >= 120)  # some batches committed, more under way
        assert answers(store, seeds) == before
        full = EmbeddedStore(full_load[0])
        seed_names = {p.jurisdiction.name for p in seeds}
        loaded = [j.name for j in store.jurisdictions() if j.name not in seed_names]
        for name in loaded:  # each plan whole: exactly what the full load holds for it
            assert store.jurisdiction(name) == full.jurisdiction(name)
            assert store.tasks(jurisdiction=name) == full.tasks(jurisdiction=name)
            assert store.assignments(jurisdiction=name) == full.assignments(jurisdiction=name)
            assert store.agencies(jurisdiction=name) == full.agencies(jurisdiction=name)
        print(f"Neo4j after the kill: {len(loaded)} of {CORPUS} plans, each whole")
    finally:
        gen.close()


# --- (c) concurrent reads during reloads ----------------------------------------------------------


@pytest.fixture()
def store_with_seeds(empty_store: GraphStore) -> GraphStore:
    empty_store.replace_plans(seed_plans())
    return empty_store


def test_readers_see_a_plan_old_or_new_never_half(store_with_seeds: GraphStore) -> None:
    store = store_with_seeds
    old, new = fengdu_versions()

    def read() -> tuple:
        return store.tasks(jurisdiction=FENGDU), store.assignments(jurisdiction=FENGDU)

    store.replace_plan(new.plan)
    b_tasks, b_assignments = read()
    store.replace_plan(old.plan)
    a_tasks, a_assignments = read()
    assert len(a_tasks) == len(b_tasks) + 1 and a_assignments != b_assignments
    seen: Counter[str] = Counter()
    mixed: list[str] = []
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            tasks = store.tasks(jurisdiction=FENGDU)
            assignments = store.assignments(jurisdiction=FENGDU)
            seen["tasks old" if tasks == a_tasks else "tasks new" if tasks == b_tasks else "tasks HALF"] += 1
            seen["assignments old" if assignments == a_assignments else
                 "assignments new" if assignments == b_assignments else "assignments HALF"] += 1
            if tasks not in (a_tasks, b_tasks) or assignments not in (a_assignments, b_assignments):
                mixed.append(f"{len(tasks)} tasks, {len(assignments)} assignments")

    readers = [threading.Thread(target=reader) for _ in range(3)]
    for t in readers:
        t.start()
    try:
        for i in range(30):
            store.replace_plan(new.plan if i % 2 == 0 else old.plan)
    finally:
        stop.set()
        for t in readers:
            t.join()
    assert not mixed, f"{len(mixed)} reads were half of each: {mixed[:5]}"
    assert seen["tasks old"] and seen["tasks new"], f"the readers never saw both versions: {seen}"
    print(f"reads during 30 reloads: {dict(seen)}")


def _slowed(read: Callable[..., Any]) -> Callable[..., Any]:
    def slow(*args: Any, **kwargs: Any) -> Any:
        rows = read(*args, **kwargs)
        time.sleep(0.003)
        return rows

    return slow


def test_api_readers_see_a_plan_old_or_new_never_half(
    store_with_seeds: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Uploads go through the route, its lock and the store; after the first two (real parses in a
    child process), the parse is looked up, so that 40 reloads fit in a few seconds. Two of the
    store's reads pause 3 ms after they answer, which widens the gap between the reads of one
    answer, so that a reload lands in it often (without the API's lock, several answers in a run
    are half of each)."""

    store = store_with_seeds
    old, new = fengdu_versions()
    for name in ("tasks", "actions"):
        monkeypatch.setattr(store, name, _slowed(getattr(store, name)))
    urls = [f"/tasks?jurisdiction={FENGDU}&limit=1000", f"/jurisdictions/{FENGDU}", f"/export/json?jurisdiction={FENGDU}"]
    app = create_app(store, ApiSettings(api_token=TOKEN, parse_timeout=60))
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with TestClient(app) as c:
        def upload(v: Any) -> None:
            r = c.post("/plans", files={"file": (v.name, v.data)}, headers=auth)
            assert r.status_code == 201, r.text

        def bodies() -> list[bytes]:
            return [c.get(u).content for u in urls]

        upload(new)
        want_new = bodies()
        upload(old)
        want_old = bodies()
        assert all(a != b for a, b in zip(want_old, want_new, strict=True))
        parsed = {old.data: old.plan, new.data: new.plan}
        monkeypatch.setattr(app.state.parsers, "parse", lambda data, name: parsed[data])
        seen: Counter[str] = Counter()
        mixed: list[str] = []
        stop = threading.Event()

        def reader(i: int) -> None:
            while not stop.is_set():
                for k, url in enumerate(urls):
                    body = c.get(url).content
                    which = "old" if body == want_old[k] else "new" if body == want_new[k] else "HALF"
                    seen[f"{url.split('?')[0]} {which}"] += 1
                    if which == "HALF":
                        mixed.append(f"{url}: {body[:200]!r}")

        readers = [threading.Thread(target=reader, args=(i,)) for i in range(3)]
        for t in readers:
            t.start()
        try:
            for i in range(RELOADS):
                upload(new if i % 2 == 0 else old)
        finally:
            stop.set()
            for t in readers:
                t.join()
    assert not mixed, f"{len(mixed)} answers were half of each: {mixed[:3]}"
    assert any(k.endswith("new") for k in seen) and any(k.endswith("old") for k in seen), seen
    print(f"API reads during {RELOADS} uploads: {dict(seen)}")


def test_the_api_lock_shares_reads_and_lets_a_waiting_writer_go_first() -> None:
    import anyio

    from plangraph.api.deps import ReadWriteLock

    lock = ReadWriteLock()
    order: list[str] = []

    async def main() -> None:
        async def reader(name: str, hold: float) -> None:
            async with lock.reading():
                order.append(f"{name} in")
                await anyio.sleep(hold)
            order.append(f"{name} out")

        async def writer() -> None:
            await lock.acquire_write()
            order.append("writer in")
            await anyio.sleep(0.05)
            threading.Thread(target=lock.release_write).start()  # the store calls back from a thread

        async with anyio.create_task_group() as tg:
            tg.start_soon(reader, "r1", 0.1)
            tg.start_soon(reader, "r2", 0.1)
            await anyio.sleep(0.02)
            tg.start_soon(writer)
            await anyio.sleep(0.02)
            tg.start_soon(reader, "r3", 0)

    anyio.run(main)
    assert order[:2] == ["r1 in", "r2 in"]  # readers share
    assert order.index("writer in") > max(order.index("r1 out"), order.index("r2 out"))  # the writer waits for them
    assert order.index("r3 in") > order.index("writer in")  # and goes before a later reader


def test_many_readers_and_an_upload_never_stall_the_api(tmp_path: Path) -> None:
    """More concurrent GETs than the server has worker threads (40), during uploads: all answer."""
    old, new = fengdu_versions()
    app = create_app(seeded_store(tmp_path / "graph.bin"), ApiSettings(api_token=TOKEN, parse_timeout=60))
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with TestClient(app) as c:
        codes: Counter[int] = Counter()
        lock = threading.Lock()

        def read() -> None:
            for _ in range(3):
                code = c.get(f"/jurisdictions/{FENGDU}").status_code
                with lock:
                    codes[code] += 1

        def load() -> None:
            for v in (new, old):
                r = c.post("/plans", files={"file": (v.name, v.data)}, headers=auth)
                with lock:
                    codes[r.status_code] += 1

        threads = [threading.Thread(target=read) for _ in range(60)] + [threading.Thread(target=load)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert not any(t.is_alive() for t in threads), "requests stalled"
    assert codes == Counter({200: 180, 201: 2}), codes
