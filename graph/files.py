"""Files put in place whole: the graph file and a new journal (``graph/embedded.py``,
``graph/journal.py``).

Why: a reader, or a process that dies mid-write, must see the old file or the new one, never a part.
The bytes go to a temp file in the same folder, are flushed to disk, and the temp file is renamed
over the old one (atomic on POSIX); the folder is flushed too, so the rename survives a crash. The
temp file names its writer's process, so that debris of a killed writer can be told from a write
under way (``stale_temps``).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO


def write_atomically(path: Path, write: Callable[[BinaryIO], None]) -> None:
    """``write(file)`` into a temp file beside ``path``, then the temp file renamed to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        with open(tmp, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def stale_temps(path: Path) -> Iterator[Path]:
    """Temp files of ``write_atomically(path, …)`` whose writer process is gone."""
    for tmp in path.parent.glob(f".{path.name}.*.tmp"):
        try:
            pid = int(tmp.name[len(path.name) + 2 :].split(".", 1)[0])
        except ValueError:  # another file's temp (".graph.bin.journal.…" beside ".graph.bin.…")
            continue
        if pid != os.getpid() and not _process_alive(pid):
            yield tmp


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # some platforms cannot open a folder
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
