"""The embedded store's journal: small writes appended beside the graph file, not the file rewritten.

Why: the graph file of a national corpus is about 220 MB. Rewriting it for one uploaded plan took
3 s, and every other server process then read all of it again (3 s of CPU each, and two graphs in
memory for a moment). A journal entry is one plan's records (about 70 KB nationally): appended and
flushed to disk in milliseconds, and another process applies just the entries it has not seen.
When the journal has grown past a share of the graph file, the store folds it in: the graph is
written whole and the journal removed.

The file (``<graph file>.journal``) is a header line, ``MAGIC`` and the stamp of the graph file it
extends, then entries: a 4-byte length, a 4-byte CRC-32 of the payload, the payload (a pickle of
``("replace", PlanRecords)`` or ``("delete", plan_id)``).

- Entries are appended and fsynced under the writers' file lock. A process killed mid-append leaves
  a partial last entry: readers stop at the last whole one, and the next writer cuts the rest off.
- A graph file carries a stamp, new each time it is written whole. A journal whose header names
  another stamp is what a writer killed between writing the graph and removing the journal left
  behind: its entries are already in the graph, so it is ignored (and replaced by the next append),
  never applied again.
- Replaying is by plan: an entry replaces or deletes one whole plan, so applying the entries in
  order gives every plan its last written version.

Like the graph file, entries are pickles: open only stores you wrote yourself.
"""

from __future__ import annotations

import os
import pickle
import struct
import zlib
from pathlib import Path
from typing import Any, NamedTuple

from .files import write_atomically

MAGIC = b"plangraph-journal v1 "
_HEAD = struct.Struct("<II")  # payload length, CRC-32 of the payload

Entry = tuple[str, Any]


class JournalError(RuntimeError):
    """A journal whose whole entries cannot be read back (damaged on disk, not a killed append)."""


class JournalState(NamedTuple):
    """How far a store has read a journal file: the file (device, inode), the end of its last whole
    entry, and the size it had then (bytes past ``applied`` are a partial entry being written, or
    left by a killed writer)."""

    file: tuple[int, int]
    applied: int
    seen_size: int


def journal_path(graph_path: Path) -> Path:
    return graph_path.with_name(graph_path.name + ".journal")


def changed(graph_path: Path, state: JournalState | None) -> bool:
    """True when the journal is not as ``state`` last saw it (a ``stat``, nothing read)."""
    try:
        st = os.stat(journal_path(graph_path))
    except FileNotFoundError:
        return state is not None
    return state is None or (st.st_dev, st.st_ino) != state.file or st.st_size != state.seen_size


def read(graph_path: Path, stamp: str | None, since: JournalState | None) -> tuple[list[Entry], JournalState | None]:
    """The whole entries after ``since`` (all of them when the file is not the one ``since`` read),
    and the new state; no entries when there is no journal or it extends another graph file."""
    path = journal_path(graph_path)
    try:
        f = open(path, "rb")
    except FileNotFoundError:
        return [], None
    with f:
        st = os.fstat(f.fileno())
        file = (st.st_dev, st.st_ino)
        header = f.readline()
        if stamp is None or header != _header(stamp):  # left over from before the graph was rewritten
            return [], JournalState(file, st.st_size, st.st_size)
        start = since.applied if since is not None and since.file == file else len(header)
        f.seek(start)
        data = f.read()
    entries, whole = _entries(data, path, start)
    return entries, JournalState(file, start + whole, start + len(data))


def append(graph_path: Path, stamp: str, entries: list[Entry], state: JournalState | None) -> JournalState:
    """Append ``entries`` and flush them to disk; the caller holds the writers' file lock and has
    read every whole entry (``state``), so anything past ``state.applied`` is a partial entry of a
    killed writer, cut off here. Starts a new journal when there is none for this ``stamp``."""
    path = journal_path(graph_path)
    payload = b"".join(_entry(e) for e in entries)
    fresh = state is None or _header_stamp(path) != stamp
    if fresh:
        _create(path, stamp)
    with open(path, "r+b") as f:
        st = os.fstat(f.fileno())
        end = len(_header(stamp)) if fresh else state.applied  # type: ignore[union-attr]
        if st.st_size != end:
            f.truncate(end)
        f.seek(end)
        f.write(payload)
        f.flush()
        os.fsync(f.fileno())
        size = end + len(payload)
        return JournalState((st.st_dev, st.st_ino), size, size)


def remove(graph_path: Path) -> None:
    """After the graph was written whole: its entries are in it."""
    journal_path(graph_path).unlink(missing_ok=True)


def size(graph_path: Path) -> int:
    try:
        return os.stat(journal_path(graph_path)).st_size
    except FileNotFoundError:
        return 0


def _header(stamp: str) -> bytes:
    return MAGIC + stamp.encode("ascii") + b"\n"


def _header_stamp(path: Path) -> str | None:
    try:
        with open(path, "rb") as f:
            header = f.readline()
    except FileNotFoundError:
        return None
    if not header.startswith(MAGIC) or not header.endswith(b"\n"):
        return None
    return header[len(MAGIC) : -1].decode("ascii", "replace")


def _entry(entry: Entry) -> bytes:
    payload = pickle.dumps(entry, protocol=5)
    return _HEAD.pack(len(payload), zlib.crc32(payload)) + payload


def _entries(data: bytes, path: Path, start: int) -> tuple[list[Entry], int]:
    """The whole entries at the start of ``data`` and the bytes they take. A last entry cut short
    is a write under way or killed; a whole one whose checksum is wrong is damage."""
    entries: list[Entry] = []
    pos = 0
    while pos + _HEAD.size <= len(data):
        length, crc = _HEAD.unpack_from(data, pos)
        end = pos + _HEAD.size + length
        if end > len(data):
            break
        payload = data[pos + _HEAD.size : end]
        if zlib.crc32(payload) != crc:
            raise JournalError(f"{path}: damaged entry at byte {start + pos}")
        try:
            entries.append(pickle.loads(payload))
        except Exception as exc:
            raise JournalError(f"{path}: unreadable entry at byte {start + pos} ({exc})") from exc
        pos = end
    return entries, pos


def _create(path: Path, stamp: str) -> None:
    """A new journal holding only its header, put in place whole."""
    write_atomically(path, lambda f: f.write(_header(stamp)))
