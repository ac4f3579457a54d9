"""A child process that ends when its parent does, so that nothing the server started outlives it.

Used by the parse workers (``api/parse_worker.py``: SIGKILL, and a watch besides) and by the worker
processes of ``plangraph serve --workers N`` (SIGTERM: they shut down and free the port when their
supervisor is killed).
"""

from __future__ import annotations

import ctypes
import os
import signal
import threading
import time

PR_SET_PDEATHSIG = 1
PARENT_POLL_SECONDS = 0.5


def die_with_parent(parent: int, sig: int = signal.SIGKILL, watch: bool = True) -> None:
    """Have the kernel send ``sig`` to this process when ``parent`` dies (Linux ``PR_SET_PDEATHSIG``),
    and with ``watch`` poll for it besides: the kernel's signal follows the parent *thread* that
    started the child, and a parse running C code might not reach the watch in time."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the watch alone
        pass
    if os.getppid() != parent:  # the parent died before the signal was asked for
        os._exit(1)
    if watch:
        threading.Thread(target=_exit_when_orphaned, args=(parent,), name="parent-watch", daemon=True).start()


def _exit_when_orphaned(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_POLL_SECONDS)
    os._exit(1)
