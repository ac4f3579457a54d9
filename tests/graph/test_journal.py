"""The embedded store's journal: small writes appended beside the graph file (``graph/journal.py``).

Each test compares the store reopened from disk with a store kept only in memory that was given
the same writes: the file and its journal must hold exactly what was written, nothing more, nothing
lost, whatever a killed writer left behind.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from plangraph.graph import journal
from plangraph.graph.build import as_records
from plangraph.graph.embedded import EmbeddedStore, StoreFileError, _atomic_write
from plangraph.graph.model import Plan

from .test_store import answers, expected_stats


def _journal(db: Path) -> Path:
    return db.with_name(db.name + ".journal")


def _file(db: Path) -> tuple[bytes, int]:
    return db.read_bytes(), db.stat().st_ino


def _same(db: Path, reference: EmbeddedStore, plans: list[Plan]) -> None:
    reopened = EmbeddedStore(db)
    assert reopened.stats() == reference.stats()
    assert answers(reopened, plans) == answers(reference, plans)


def test_a_small_write_is_appended_and_the_graph_file_is_left_alone(tmp_path: Path, seed_plans: list[Plan]) -> None:
    db = tmp_path / "graph.bin"
    store, memory = EmbeddedStore(db), EmbeddedStore()
    store.replace_plans(seed_plans[:3])  # a new file: written whole
    memory.replace_plans(seed_plans[:3])
    before = _file(db)
    assert not _journal(db).exists()
    store.replace_plans(seed_plans[3:])
    memory.replace_plans(seed_plans[3:])
    assert _file(db) == before, "a two-plan write rewrote the graph file"
    assert _journal(db).stat().st_size > 0
    assert EmbeddedStore(db).stats() == expected_stats(seed_plans)
    _same(db, memory, seed_plans)


def test_a_deletion_is_journaled_too(tmp_path: Path, seed_plans: list[Plan]) -> None:
    db = tmp_path / "graph.bin"
    store, memory = EmbeddedStore(db), EmbeddedStore()
    for s in (store, memory):
        s.replace_plans(seed_plans)
    before = _file(db)
    gone = seed_plans[1]
    assert store.delete_plan(gone.id) and memory.delete_plan(gone.id)
    assert _file(db) == before
    assert gone.jurisdiction.name not in {j.name for j in EmbeddedStore(db).jurisdictions()}
    assert EmbeddedStore(db).stats() == expected_stats([p for p in seed_plans if p is not gone])
    _same(db, memory, seed_plans)


def test_another_process_applies_only_the_new_entries(tmp_path: Path, seed_plans: list[Plan]) -> None:
    db = tmp_path / "graph.bin"
    writer = EmbeddedStore(db)
    writer.replace_plans(seed_plans[:2])
    reader = EmbeddedStore(db)
    graph = reader._g
    for plan in seed_plans[2:]:
        writer.replace_plan(plan)
        assert reader.changed_on_disk()
        assert reader.reload_if_changed()
        assert not reader.changed_on_disk()
        assert reader._g is graph, "the reader read the whole file again for a journaled write"
    writer.delete_plan(seed_plans[0].id)
    assert reader.reload_if_changed()
    memory = EmbeddedStore()
    memory.replace_plans(seed_plans)
    memory.delete_plan(seed_plans[0].id)
    assert reader.stats() == memory.stats()
    assert answers(reader, seed_plans) == answers(memory, seed_plans)


def test_a_partial_entry_of_a_killed_writer_is_ignored_then_cut_off(tmp_path: Path, seed_plans: list[Plan]) -> None:
    db = tmp_path / "graph.bin"
    store, memory = EmbeddedStore(db), EmbeddedStore()
    for s in (store, memory):
        s.replace_plans(seed_plans[:2])
        s.replace_plans([seed_plans[2]])
    whole = _journal(db).read_bytes()
    # a writer killed while appending the next entry: its length and checksum, half its payload
    entry = journal._entry(("replace", as_records(seed_plans[3])))
    with open(_journal(db), "ab") as f:
        f.write(entry[: len(entry) // 2])
    _same(db, memory, seed_plans)  # the half entry is not applied, and is no error
    reader = EmbeddedStore(db)
    assert reader.changed_on_disk() is False
    store = EmbeddedStore(db)
    store.replace_plans([seed_plans[4]])
    memory.replace_plans([seed_plans[4]])
    data = _journal(db).read_bytes()
    assert data.startswith(whole)
    assert data[len(whole) : len(whole) + len(entry) // 2] != entry[: len(entry) // 2], "the half entry was not cut off"
    _same(db, memory, seed_plans)


def test_a_damaged_entry_is_reported_with_the_journal_file(tmp_path: Path, seed_plans: list[Plan]) -> None:
    db = tmp_path / "graph.bin"
    store = EmbeddedStore(db)
    store.replace_plans(seed_plans[:2])
    store.replace_plans([seed_plans[2]])
    data = bytearray(_journal(db).read_bytes())
    data[-100] ^= 0xFF  # inside the last whole entry's payload
    _journal(db).write_bytes(bytes(data))
    with pytest.raises(StoreFileError, match=r"graph\.bin\.journal: damaged entry at byte \d+"):
        EmbeddedStore(db)


def test_a_journal_left_behind_by_a_rewrite_is_never_applied_again(
    tmp_path: Path, seed_plans: list[Plan], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writer killed between writing the graph whole and removing the journal: the journal's
    entries are in the graph; applying them again would bring back a plan deleted since."""
    db = tmp_path / "graph.bin"
    store, memory = EmbeddedStore(db), EmbeddedStore()
    for s in (store, memory):
        s.replace_plans(seed_plans[:2])
        s.replace_plans([seed_plans[2]])  # journaled: "replace plan 2"
    monkeypatch.setattr(journal, "remove", lambda _path: None)  # killed before the journal went
    monkeypatch.setattr("plangraph.graph.embedded.JOURNAL_MAX_PLANS", 0)  # the next write is whole
    stale = _journal(db).read_bytes()
    with store._writing():
        store._delete(seed_plans[2].id)
        store._save()
    memory.delete_plan(seed_plans[2].id)
    monkeypatch.undo()
    assert _journal(db).read_bytes() == stale
    _same(db, memory, seed_plans)  # plan 2 stays deleted
    store = EmbeddedStore(db)
    store.replace_plans([seed_plans[3]])  # a new journal replaces the stale one
    memory.replace_plans([seed_plans[3]])
    assert not _journal(db).read_bytes().startswith(stale[:60])
    _same(db, memory, seed_plans)


def test_the_journal_is_folded_into_the_file_once_it_outgrows_its_share(
    tmp_path: Path, seed_plans: list[Plan], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "graph.bin"
    store, memory = EmbeddedStore(db), EmbeddedStore()
    for s in (store, memory):
        s.replace_plans(seed_plans[:2])
    store.replace_plans([seed_plans[2]])
    memory.replace_plans([seed_plans[2]])
    one_entry = _journal(db).stat().st_size
    monkeypatch.setattr("plangraph.graph.embedded.JOURNAL_SHARE", 0)  # the limit: one entry's worth
    monkeypatch.setattr("plangraph.graph.embedded.JOURNAL_MIN_BYTES", one_entry)
    before = _file(db)
    store.replace_plan(seed_plans[3])
    memory.replace_plan(seed_plans[3])
    assert _file(db) != before and not _journal(db).exists(), "the journal was not folded in"
    monkeypatch.setattr("plangraph.graph.embedded.JOURNAL_MIN_BYTES", 1 << 20)
    store.replace_plan(seed_plans[4])  # and a new one starts
    memory.replace_plan(seed_plans[4])
    assert _journal(db).exists()
    _same(db, memory, seed_plans)


def test_a_file_written_before_journals_is_rewritten_once_then_journaled(tmp_path: Path, seed_plans: list[Plan]) -> None:
    db = tmp_path / "graph.bin"
    memory = EmbeddedStore()
    memory.replace_plans(seed_plans[:2])
    _atomic_write(db, memory._g)  # as older versions wrote it: no stamp
    store = EmbeddedStore(db)
    store.replace_plan(seed_plans[2])
    memory.replace_plan(seed_plans[2])
    assert not _journal(db).exists()
    before = _file(db)
    store.replace_plan(seed_plans[3])
    memory.replace_plan(seed_plans[3])
    assert _file(db) == before and _journal(db).exists()
    _same(db, memory, seed_plans)


def test_a_big_write_rewrites_the_file_and_drops_the_journal(tmp_path: Path, seed_plans: list[Plan], monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "graph.bin"
    store, memory = EmbeddedStore(db), EmbeddedStore()
    for s in (store, memory):
        s.replace_plans(seed_plans[:1])
        s.replace_plans(seed_plans[1:2])
    assert _journal(db).exists()
    monkeypatch.setattr("plangraph.graph.embedded.JOURNAL_MAX_PLANS", 2)
    store.replace_plans(seed_plans[2:])  # three plans: more than the journal takes
    memory.replace_plans(seed_plans[2:])
    assert not _journal(db).exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".graph.bin.lock", "graph.bin"]
    _same(db, memory, seed_plans)


def test_a_failed_append_leaves_the_store_on_disk_as_it_was(
    tmp_path: Path, seed_plans: list[Plan], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "graph.bin"
    store = EmbeddedStore(db)
    store.replace_plans(seed_plans[:2])
    store.replace_plans([seed_plans[2]])
    files = (_file(db), _journal(db).read_bytes())

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError, match="No space left"):
        store.replace_plans([seed_plans[3]])
    monkeypatch.undo()
    assert _file(db) == files[0]
    memory = EmbeddedStore()
    memory.replace_plans(seed_plans[:3])
    # the bytes may have reached the file before fsync failed: then the entry is whole and stays
    reopened = EmbeddedStore(db)
    assert reopened.stats() in (memory.stats(), expected_stats(seed_plans[:4]))


def test_an_entry_that_does_not_apply_leaves_a_follower_serving_what_it_had(tmp_path: Path, seed_plans: list[Plan]) -> None:
    """An entry this version cannot apply (written by a newer one, say): the follower refuses it
    and keeps every plan it had; it reads the whole file from then on, and takes it once whole."""
    db = tmp_path / "graph.bin"
    writer = EmbeddedStore(db)
    writer.replace_plans(seed_plans[:2])
    writer.replace_plans([seed_plans[2]])
    reader = EmbeddedStore(db)
    before = answers(reader, seed_plans)
    journal.append(db, writer._stamp, [("rename", "plan:x")], writer._journal)
    with pytest.raises(StoreFileError, match="unknown journal entry 'rename'"):
        reader.reload_if_changed()
    assert answers(reader, seed_plans) == before
    with pytest.raises(StoreFileError, match="unknown journal entry"):
        reader.reload_if_changed()  # the whole file now, replayed afresh: the same entry
    with pytest.raises(StoreFileError, match="unknown journal entry"):
        EmbeddedStore(db)
    assert answers(reader, seed_plans) == before
    _atomic_write(db, writer._g, "a-newer-version")  # as a newer version's compaction would
    journal.remove(db)
    assert reader.reload_if_changed()
    assert answers(reader, seed_plans) == answers(EmbeddedStore(db), seed_plans)
