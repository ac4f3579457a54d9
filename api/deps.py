"""Dependencies of the routes, as ``Annotated`` aliases (one store and catalogue per app).

``ReadWriteLock``: an answer is often several store reads (a profile reads the jurisdiction, its
assignments, action leads, tasks, actions and agencies). Each read sees a plan old or new, but
without a lock a plan loaded over HTTP between two of them gives an answer that is half of each.
Every GET takes the app's lock shared for the time of its handler; ``POST /plans`` takes it
exclusively while the store applies the new plan (not while it writes its file).

The getters are ``async def`` although they do not wait: FastAPI runs a plain ``def`` dependency
in its thread pool, a thread hop per dependency per request (5 % of a quick request's time).
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

import anyio
from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool

from plangraph.graph.store import GraphStore
from plangraph.queries import NameCatalog

from .settings import ApiSettings


class ReadWriteLock:
    """Many readers or one writer; a waiting writer goes before readers that come after it.

    Waiting is asynchronous (a short sleep between tries), never a worker thread blocked on the
    lock: a blocked thread would hold one of the few threads the readers inside need to finish,
    and enough of them would stop the server. Releasing is thread-safe (the store calls back from
    its worker thread).
    """

    POLL_SECONDS = 0.002

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._readers = 0
        self._writing = False
        self._writers_waiting = 0

    def try_read(self) -> bool:
        with self._mutex:
            if self._writing or self._writers_waiting:
                return False
            self._readers += 1
            return True

    def release_read(self) -> None:
        with self._mutex:
            self._readers -= 1

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[None]:
        while not self.try_read():
            await anyio.sleep(self.POLL_SECONDS)
        try:
            yield
        finally:
            self.release_read()

    async def acquire_write(self) -> None:
        with self._mutex:
            self._writers_waiting += 1
        try:
            while True:
                with self._mutex:
                    if not self._writing and not self._readers:
                        self._writing = True
                        return
                await anyio.sleep(self.POLL_SECONDS)
        finally:
            with self._mutex:
                self._writers_waiting -= 1

    def release_write(self) -> None:
        with self._mutex:
            self._writing = False


async def get_store(request: Request) -> GraphStore:
    return request.app.state.store


async def get_catalog(request: Request) -> NameCatalog:
    return request.app.state.catalog


async def get_settings(request: Request) -> ApiSettings:
    return request.app.state.settings


async def get_lock(request: Request) -> ReadWriteLock:
    return request.app.state.lock


async def reading(request: Request) -> AsyncIterator[None]:
    """App-wide dependency: a GET (or HEAD) holds the lock shared while its handler runs."""
    if request.method not in ("GET", "HEAD"):
        yield
        return
    async with request.app.state.lock.reading():
        yield


_END = object()


async def locked_chunks(chunks: Iterator[Any], lock: ReadWriteLock) -> AsyncIterator[Any]:
    """A streamed body whose every chunk is made under the shared lock (one plan per chunk)."""
    while True:
        async with lock.reading():
            chunk = await run_in_threadpool(next, chunks, _END)
        if chunk is _END:
            return
        yield chunk


StoreDep = Annotated[GraphStore, Depends(get_store)]
CatalogDep = Annotated[NameCatalog, Depends(get_catalog)]
SettingsDep = Annotated[ApiSettings, Depends(get_settings)]
LockDep = Annotated[ReadWriteLock, Depends(get_lock)]
ReadingDep = Depends(reading, scope="function")
