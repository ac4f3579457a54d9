"""A real ``plangraph serve`` process per test (or module), and what these tests measure about it:
its process tree, its peak memory, whether its port is free again."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil
import pytest

from tests.security.support import TOKEN, Server, seeded_store, start_server

AUTH = {"Authorization": f"Bearer {TOKEN}"}
ServerFactory = Callable[..., Server]


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("server-seeds") / "graph.bin"
    seeded_store(db).close()  # closed: the write-ahead log folded into the file that is copied
    return db


def _copy(template: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "graph.bin"
    shutil.copy(template, db)
    return db


@pytest.fixture()
def serve(seeded_template: Path, tmp_path: Path) -> Iterator[ServerFactory]:
    """Start ``plangraph serve`` on a copy of the seeded store, with a token and ``env``; every
    server started is stopped at the end of the test."""
    started: list[Server] = []

    def start(env: dict[str, str] | None = None, args: tuple[str, ...] = ()) -> Server:
        folder = tmp_path / f"server{len(started)}"
        db = _copy(seeded_template, folder)
        server = start_server(db, folder / "serve.log", {"PLANGRAPH_API_TOKEN": TOKEN, **(env or {})}, args=args)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def port_of(server: Server) -> int:
    return int(server.base.rsplit(":", 1)[1])


def port_is_free(port: int) -> bool:
    """Whether a new server could listen on ``port`` now (what a restart needs)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            s.bind(("127.0.0.1", port))
            s.listen()
        except OSError:
            return False
    return True


def tree(pid: int) -> list[psutil.Process]:
    """A process and all its descendants (what must not outlive a server)."""
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def alive(processes: list[psutil.Process]) -> list[psutil.Process]:
    out = []
    for p in processes:
        try:
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                out.append(p)
        except psutil.NoSuchProcess:
            pass
    return out


class PeakRss:
    """The largest resident memory of a process tree (children included), sampled every 20 ms
    from another thread while the ``with`` block runs."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def current(self) -> int:
        total = 0
        for p in tree(self.pid):
            try:
                total += p.memory_info().rss
            except psutil.NoSuchProcess:
                pass
        return total

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.current())
            time.sleep(0.02)

    def __enter__(self) -> PeakRss:
        self.peak = self.current()
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.current())
