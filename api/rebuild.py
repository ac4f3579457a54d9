"""What a server derives from its store (names, themes, rows, prepared comparisons), made again in
the background after a write, while requests are answered from what was made before.

Why: on a national graph the name catalogue takes about a second to read and the theme index six;
made by the first request that found them stale, they ran on the event loop and every request of
that process waited (comparisons at concurrency 32 saw p99 of 20 s right after an upload). One
``Rebuilder`` per app runs the work in one daemon thread at a time; asked again while it runs, it
runs once more when it is done, so that the last write is always covered.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

log = logging.getLogger(__name__)


class Rebuilder:
    """``request()`` starts ``work`` in a background thread unless it is running; a request made
    while it runs makes it run again afterwards (once, however many requests came)."""

    def __init__(self, work: Callable[[], None], name: str = "plangraph-rebuild") -> None:
        self._work = work
        self._name = name
        self._lock = threading.Lock()
        self._running = False
        self._again = False
        self.runs = 0

    def request(self) -> None:
        with self._lock:
            if self._running:
                self._again = True
                return
            self._running = True
        threading.Thread(target=self._run, name=self._name, daemon=True).start()

    def _run(self) -> None:
        while True:
            started = time.perf_counter()
            try:
                self._work()
            except Exception:  # an optimisation failed: requests still get answers, made on first use
                log.exception("rebuilding what the server derives from its store failed")
            log.info("%s: done in %.1f s", self._name, time.perf_counter() - started)
            with self._lock:
                self.runs += 1
                if not self._again:
                    self._running = False
                    return
                self._again = False

    def busy(self) -> bool:
        with self._lock:
            return self._running
