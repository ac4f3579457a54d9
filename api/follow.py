"""The API follows its store's file: plans that another process wrote there are served too.

Why: ``plangraph serve --workers N`` runs N processes, each holding the graph in memory; a plan
uploaded to one of them is written to the shared file, and ``plangraph load`` beside a running
server writes it too. Each process looks at the file and its journal every
``PLANGRAPH_FOLLOW_SECONDS`` (a ``stat`` each); when another process has written them, what it
wrote is read in a worker thread while requests go on (the new journal entries of an upload, in
milliseconds; the whole graph after a bulk load, in seconds), then applied or swapped in under the
app's write lock (a request sees a plan old or new, never half of it), and the derived indexes are
rebuilt as at start-up.

Only stores that keep a file (the embedded one) are followed: Neo4j is shared by nature.
"""

from __future__ import annotations

import logging

import anyio
from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool

log = logging.getLogger(__name__)


async def follow_store_file(app: FastAPI, seconds: float) -> None:
    """Forever: every ``seconds``, adopt the file's graph if another process changed it, then have
    what the app derives from it made again in the background (``api/rebuild.py``)."""
    store = app.state.store
    while True:
        await anyio.sleep(seconds)
        try:
            if not store.changed_on_disk():
                continue
            disk = await run_in_threadpool(store.read_disk)
        except Exception:  # a damaged or half-visible file: keep serving what we have, try again
            log.exception("reading the changed store file failed; still serving the graph in memory")
            continue
        if disk is None:
            continue
        lock = app.state.lock
        await lock.acquire_write()
        try:
            store.adopt(disk)
        except Exception:  # entries that do not apply: the store reads the whole file next time
            log.exception("applying what another process wrote failed; will read the whole store file")
            continue
        finally:
            lock.release_write()
        log.info("store file changed on disk: now serving it (generation %s)", store.generation)
        app.state.rebuilder.request()


def can_follow(store: object) -> bool:
    return all(callable(getattr(store, name, None)) for name in ("changed_on_disk", "read_disk", "adopt"))
