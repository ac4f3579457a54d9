"""What only the embedded store (one SQLite file) promises: plans by place and period, damage found
and repaired from the kept sources, a full disk that loses nothing stored, an old pickle store
named with the command that imports it.

Real processes where the promise is about them: ``plangraph check``/``reparse``/``load`` run as
``python -m plangraph``, the full disk is a real tmpfs mounted for the test (root only; skipped
otherwise), and the server of the 507 case is a real ``plangraph serve``.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from plangraph.graph.build import build_records
from plangraph.graph.embedded import EmbeddedStore
from plangraph.graph.errors import StoreWriteError
from plangraph.graph.model import Plan
from plangraph.graph.store import CheckReport
from plangraph.loaders import parse_file
from tests.security.support import TOKEN, start_server

from .test_store import NATIONAL_ANSWERS, answers, hand_plan


def plangraph(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "plangraph", *args], capture_output=True, text=True, timeout=300)


def own_answers(store: EmbeddedStore, plans: list[Plan]) -> dict:
    return {k: v for k, v in answers(store, plans).items() if not k.endswith(NATIONAL_ANSWERS)}


# --- plans by place and period ------------------------------------------------------------------


def _with_period(plan: Plan, period: str, tasks: int) -> Plan:
    changed = plan.model_copy(deep=True)
    changed.period = period
    changed.actions[0].tasks = changed.actions[0].tasks[:tasks]
    return changed


def test_a_plan_of_another_period_is_kept_and_the_latest_one_answers() -> None:
    store = EmbeddedStore()
    base = hand_plan("测试县", "县科协", "县教育局", tasks=5)
    old, new = _with_period(base, "2016-2020", 5), _with_period(base, "2021-2025", 3)
    store.replace_plan(new)
    assert not store.replace_plan(old).replaced  # another period: stored beside, nothing replaced
    row = store.jurisdiction("测试县")
    assert row is not None and row.period == "2021-2025" and row.tasks == 3
    assert [t.id for t in store.tasks(jurisdiction="测试县")] == [f"测试县:t1.{i}" for i in (1, 2, 3)]
    assert store.task("测试县:t1.2") == store.tasks(jurisdiction="测试县")[1]  # today's ids: the latest plan
    assert store.task("测试县:t1.5") is None  # only the older period has it
    assert store.replace_plan(_with_period(base, "2021-2025", 4)).replaced  # same place and period
    assert store.jurisdiction("测试县").tasks == 4  # type: ignore[union-attr]
    assert store.stats() == EmbeddedStore_with([_with_period(base, "2021-2025", 4)]).stats()
    assert store.delete_plan("plan:测试县")  # the current plan goes; the older period answers again
    assert store.jurisdiction("测试县").period == "2016-2020"  # type: ignore[union-attr]


def EmbeddedStore_with(plans: list[Plan]) -> EmbeddedStore:  # noqa: N802 - reads as the store it makes
    store = EmbeddedStore()
    store.replace_plans(plans)
    return store


# --- damage: check and reparse ------------------------------------------------------------------


@pytest.fixture()
def loaded(tmp_path: Path, seed_paths: list[Path]) -> tuple[Path, list[Plan]]:
    """The seeds loaded by the real command (which keeps their files), the process gone."""
    db = tmp_path / "graph.bin"
    done = plangraph("load", *map(str, seed_paths), "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert not Path(f"{db}-wal").exists() or Path(f"{db}-wal").stat().st_size == 0
    return db, [parse_file(p) for p in seed_paths]


def _flip(db: Path, offset: int, mask: int = 0x02) -> None:
    with open(db, "r+b") as f:
        f.seek(offset)
        byte = f.read(1)[0]
        f.seek(offset)
        f.write(bytes([byte ^ mask]))


def test_flipped_bytes_in_a_plan_are_named_by_check_and_repaired_by_reparse(loaded: tuple[Path, list[Plan]]) -> None:
    """One bit of a task's text flipped in the file (科 -> 秓, as the issue saw in graph.bin):
    SQLite's own check cannot see it (the page is sound), the plan's checksum does."""
    db, plans = loaded
    before = own_answers(EmbeddedStore(db), plans)
    plan = plans[3]
    task = next(t for _, t in plan.tasks() if "科" in t.text[10:])
    at = task.text.index("科", 10)
    needle = task.text[at: at + 6].encode()  # UTF-8 of 科 ends in 0x91; ^0x02 makes 秓
    data = db.read_bytes()
    assert data.count(needle) == 1, "the fragment must be found once (sources are kept compressed)"
    _flip(db, data.index(needle) + 2)
    done = plangraph("check", "--db", str(db))
    assert done.returncode == 1, done.stdout
    assert f"{plan.id} ({plan.jurisdiction.name} {plan.period})" in done.stderr and "checksum" in done.stderr
    assert sum(line.startswith("damaged") for line in done.stderr.splitlines()) == 1, done.stderr
    assert "plangraph reparse" in done.stderr and "Traceback" not in done.stderr
    assert "秓" in EmbeddedStore(db).task(_task_id(plan, task)).text  # type: ignore[union-attr]
    repaired = plangraph("reparse", "--db", str(db))
    assert repaired.returncode == 0, repaired.stderr
    assert plangraph("check", "--db", str(db)).returncode == 0
    assert own_answers(EmbeddedStore(db), plans) == before


def _task_id(plan: Plan, task: object) -> str:
    action = next(a for a in plan.actions if task in a.tasks)
    return f"{plan.jurisdiction.name}:t{action.seq}.{task.seq}"  # type: ignore[attr-defined]


def test_flipped_bytes_in_an_index_are_found_by_check_and_repaired(loaded: tuple[Path, list[Plan]]) -> None:
    db, plans = loaded
    before = own_answers(EmbeddedStore(db), plans)
    with sqlite3.connect(db) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = [r[0] for r in conn.execute("SELECT pageno FROM dbstat WHERE name = 'agency_keys_key' AND pagetype = 'leaf'")]
    conn.close()
    assert pages
    page = pages[len(pages) // 2]
    for k in range(1, 40, 4):  # bytes in the cell area at the end of one leaf page of the name index
        _flip(db, page * page_size - 16 * k, 0x20)
    done = plangraph("check", "--db", str(db))
    assert done.returncode == 1 and "damaged" in done.stderr and "Traceback" not in done.stderr
    repaired = plangraph("reparse", "--db", str(db))
    assert repaired.returncode == 0, repaired.stderr
    assert plangraph("check", "--db", str(db)).returncode == 0
    assert own_answers(EmbeddedStore(db), plans) == before


def test_check_on_a_sound_store_and_a_plan_without_a_kept_source(
    tmp_path: Path, seed_plans: list[Plan], seed_paths: list[Path]
) -> None:
    store = EmbeddedStore(tmp_path / "graph.bin")
    store.replace_plans(seed_plans[:2])  # parsed objects: no source file to keep
    report = store.check()
    assert isinstance(report, CheckReport) and report.ok and report.plans == 2
    assert all(k.data is None and "no source" in (k.problem or "") for k in store.kept_sources())
    store.replace_plan(build_records(seed_plans[2], source=seed_paths[2].read_bytes()))
    store.replace_plan(build_records(seed_plans[3], source=b"not the bytes its SHA-256 names"))
    kept = {k.plan_id: k for k in store.kept_sources()}
    assert kept[seed_plans[2].id].data == seed_paths[2].read_bytes()
    assert kept[seed_plans[3].id].data is None and "damaged" in (kept[seed_plans[3].id].problem or "")


# --- a full disk ----------------------------------------------------------------------------------


@pytest.fixture()
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 3 MB tmpfs (``mount`` needs root: skipped otherwise)."""
    folder = tmp_path / "disk"
    folder.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(folder)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (not root?): {done.stderr.decode(errors='replace').strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def _fill(folder: Path, leave: int) -> Path:
    """A file that takes all of the folder's file system but ``leave`` bytes."""
    filler = folder / "filler"
    st = os.statvfs(folder)
    filler.write_bytes(b"\0" * max(st.f_bavail * st.f_frsize - leave, 0))
    return filler


def test_a_full_disk_leaves_the_previous_state_and_says_so(small_disk: Path, seed_plans: list[Plan]) -> None:
    db = small_disk / "graph.bin"
    store = EmbeddedStore(db)
    store.replace_plans(seed_plans[:2])
    before, stats = own_answers(store, seed_plans[:2]), store.stats()
    filler = _fill(small_disk, 20_000)
    with pytest.raises(StoreWriteError, match="nothing of this write was stored.*full"):
        store.replace_plans([build_records(p, source=b"x" * 200_000) for p in seed_plans[2:]])
    for reader in (store, EmbeddedStore(db)):  # this connection, and a new one (another process)
        assert reader.stats() == stats and own_answers(reader, seed_plans[:2]) == before
    assert EmbeddedStore(db).check().ok
    filler.unlink()
    store.replace_plans(seed_plans[2:])  # room again: the same write goes through
    assert len(store.jurisdictions()) == 5


def test_a_full_disk_under_a_server_answers_507_and_a_restarted_server_serves_what_was_stored(
    small_disk: Path, tmp_path: Path, seed_paths: list[Path], seed_plans: list[Plan]
) -> None:
    db = small_disk / "graph.bin"
    EmbeddedStore(db).replace_plans(seed_plans[:2])
    server = start_server(db, tmp_path / "serve.log", env={"PLANGRAPH_API_TOKEN": TOKEN, "PLANGRAPH_PREWARM": "0"})
    stored: set[str] = {p.jurisdiction.name for p in seed_plans[:2]}
    refused = 0
    try:
        filler = _fill(small_disk, 150_000)
        for path, plan in zip(seed_paths[2:], seed_plans[2:], strict=True):
            r = httpx.post(f"{server.base}/plans", files={"file": (path.name, path.read_bytes())},
                           headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60)
            if r.status_code == 201:
                stored.add(plan.jurisdiction.name)
            else:
                assert r.status_code == 507 and "not stored" in r.json()["detail"], r.text
                refused += 1
        assert refused, "the disk never filled: make the filler larger"
        served = {j["name"] for j in httpx.get(f"{server.base}/jurisdictions").json()}
        assert served == stored
    finally:
        server.stop()
    filler.unlink()
    again = start_server(db, tmp_path / "serve2.log")
    try:
        assert {j["name"] for j in httpx.get(f"{again.base}/jurisdictions").json()} == stored
    finally:
        again.stop()


# --- the store of earlier versions ---------------------------------------------------------------


def test_an_old_pickle_store_is_named_with_the_command_that_imports_it(tmp_path: Path) -> None:
    from plangraph.graph.schema import LEGACY_MAGIC

    db = tmp_path / "graph.bin"
    db.write_bytes(LEGACY_MAGIC + b"\x80\x05...")
    done = plangraph("stats", "--db", str(db))
    assert done.returncode == 1 and f"plangraph import-legacy {db}" in done.stderr and "Traceback" not in done.stderr
    assert db.read_bytes().startswith(LEGACY_MAGIC), "the old file was changed"


def test_nothing_is_created_by_a_read(tmp_path: Path) -> None:
    db = tmp_path / "nowhere" / "graph.bin"
    done = plangraph("stats", "--db", str(db))
    assert done.returncode == 1 and "store here" in done.stderr
    assert not db.parent.exists()
    shutil.rmtree(tmp_path / "nowhere", ignore_errors=True)


def _old_store(path: Path, plans: list[Plan], journaled: list[Plan]) -> None:
    """A store file as plangraph wrote it before this version: the records in a networkx
    MultiDiGraph, pickled behind a magic line, and a journal of later writes beside it."""
    import pickle
    import struct
    import zlib

    import networkx as nx

    from plangraph.graph.schema import LEGACY_MAGIC

    graph = nx.MultiDiGraph()
    for plan in plans:
        recs = build_records(plan)
        for n in recs.nodes:
            graph.add_node((n.label, n.id), **n.props)
        for e in recs.edges:
            graph.add_edge((e.src_label, e.src), (e.dst_label, e.dst), key=e.type, **e.props)
    path.write_bytes(LEGACY_MAGIC + pickle.dumps({"format": 1, "graph": graph, "stamp": "s1"}, protocol=5))
    body = b""
    for plan in journaled:
        payload = pickle.dumps(("replace", build_records(plan)), protocol=5)
        body += struct.pack("<II", len(payload), zlib.crc32(payload)) + payload
    path.with_name(path.name + ".journal").write_bytes(b"plangraph-journal v1 s1\n" + body)


def test_an_old_store_is_imported_once_with_its_journal(tmp_path: Path, seed_plans: list[Plan]) -> None:
    old = tmp_path / "graph.bin"
    changed = seed_plans[0].model_copy(deep=True)
    changed.actions = changed.actions[:2]
    _old_store(old, seed_plans[:4], [seed_plans[4], changed])
    kept = old.read_bytes()
    done = plangraph("import-legacy", str(old), "--db", str(tmp_path / "new.db"))
    assert done.returncode == 0, done.stderr
    assert "5 plans imported" in done.stdout
    imported = EmbeddedStore(tmp_path / "new.db")
    want = EmbeddedStore_with([changed, *seed_plans[1:]])
    final = [changed, *seed_plans[1:]]
    assert imported.stats() == want.stats()
    assert own_answers(imported, final) == own_answers(want, final)
    assert imported.check().ok and old.read_bytes() == kept


def test_an_old_store_that_would_run_code_is_refused(tmp_path: Path) -> None:
    import pickle

    from plangraph.graph.schema import LEGACY_MAGIC

    old = tmp_path / "graph.bin"
    old.write_bytes(LEGACY_MAGIC + pickle.dumps({"graph": os.system}, protocol=5))  # a callable: refused
    done = plangraph("import-legacy", str(old), "--db", str(tmp_path / "new.db"))
    assert done.returncode == 1 and "refused" in done.stderr and "Traceback" not in done.stderr
