"""Parse worker processes the server can always stop: a time limit, a memory cap, no orphans.

Why: a parse runs the loaders on a stranger's file. Run in a thread it could never be stopped;
forked from the threaded server (what this replaced) the child inherited uvicorn's signal handlers
and listening socket, ignored ``Pool.terminate()``, and the request waited on it forever. Here a
parse goes to a fresh Python process (``api/parse_worker.py``, started with ``subprocess``, no fork
of the server): the request thread waits on its pipe with a deadline, and past it the worker gets
SIGKILL and the request its 422 at once (the worker is reaped in the background). Workers are
started ready and reused, so an upload costs a pipe round trip, not a Python start-up
(``benchmarks/parse_isolation.py``).

Workers are started by one long-lived thread of the pool: Linux sends ``PR_SET_PDEATHSIG`` when
the *thread* that started a child ends, and the server's worker threads come and go.
"""

from __future__ import annotations

import logging
import os
import selectors
import subprocess
import sys
import threading
import time
import weakref
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from plangraph.graph.model import Plan
from plangraph.loaders import PlanError

from .parse_worker import ANSWER, REQUEST

log = logging.getLogger(__name__)

#: A worker is retired after this many parses: a long-lived parser's heap only grows.
MAX_PARSES_PER_WORKER = 200
#: How long a new worker may take to import the loaders before the pool gives up on it.
STARTUP_SECONDS = 60.0
_READ_CHUNK = 1 << 20


class ParseTimeout(PlanError):
    """The parse ran past ``PLANGRAPH_PARSE_TIMEOUT``."""


class ParseOutOfMemory(PlanError):
    """The parse reached ``PLANGRAPH_PARSE_MEMORY_MB``."""


class WorkerFailed(RuntimeError):
    """The pool could not run a parse (a worker would not start, or a loader has a bug): the
    server's fault, not the file's."""


class ShuttingDown(WorkerFailed):
    """The pool was closed (the server is stopping) before or during the parse."""


class _Died(Exception):
    pass


class _TimedOut(Exception):
    pass


@dataclass(eq=False)
class _Worker:
    proc: subprocess.Popen[bytes]
    parses: int = 0
    ready: bool = False

    def exchange(self, request: bytes, deadline: float) -> tuple[bytes, bytes]:
        """Send ``request`` and read one answer before ``deadline`` (``time.monotonic``)."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        out_fd, in_fd = self.proc.stdin.fileno(), self.proc.stdout.fileno()
        view, sent = memoryview(request), 0
        received = bytearray()
        want: int | None = None
        with selectors.DefaultSelector() as sel:
            if request:
                os.set_blocking(out_fd, False)
                sel.register(out_fd, selectors.EVENT_WRITE)
            sel.register(in_fd, selectors.EVENT_READ)
            while want is None or len(received) < want:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise _TimedOut
                for key, _ in sel.select(left):
                    if key.fd == out_fd:
                        try:
                            sent += os.write(out_fd, view[sent:sent + _READ_CHUNK])
                        except BlockingIOError:
                            continue
                        except (BrokenPipeError, ConnectionResetError):
                            raise _Died from None
                        if sent == len(view):
                            sel.unregister(out_fd)
                    else:
                        chunk = os.read(in_fd, _READ_CHUNK)
                        if not chunk:
                            raise _Died
                        received += chunk
                        if want is None and len(received) >= ANSWER.size:
                            want = ANSWER.size + ANSWER.unpack_from(received)[1]
        if len(received) > want:
            raise _Died  # more than one answer: not a worker speaking the protocol
        kind, _ = ANSWER.unpack_from(received)
        return kind, bytes(received[ANSWER.size:])


@dataclass(eq=False)
class ParserPool:
    """Up to ``size`` parses at a time in worker processes, each stopped at ``timeout`` seconds and
    capped at ``memory_mb`` (0: no cap). ``command`` starts a worker (tests give their own)."""

    size: int
    timeout: float
    memory_mb: int
    command: Sequence[str] | None = None
    _idle: list[_Worker] = field(default_factory=list)
    _live: set[_Worker] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _spawner: ThreadPoolExecutor | None = None
    _slots: threading.BoundedSemaphore | None = None
    _closed: bool = False

    def __post_init__(self) -> None:
        self._slots = threading.BoundedSemaphore(max(1, self.size))
        # an app dropped without its shutdown (a test's) takes its workers with it
        weakref.finalize(self, _kill_all, self._live)

    # --- use ------------------------------------------------------------------------------------

    def parse(self, data: bytes, name: str) -> Plan:
        """The plan, or PlanError naming the file and the reason (a limit reached names the limit).
        Blocks: call it from a worker thread. Never waits past the time limit on a worker."""
        assert self._slots is not None
        request = REQUEST.pack(len(encoded := name.encode()), len(data)) + encoded + data
        with self._slots:
            worker = self._take()
            try:
                kind, payload = worker.exchange(request, time.monotonic() + self.timeout)
            except _TimedOut:
                self._discard(worker)
                raise ParseTimeout(name, f"parsing took longer than {self.timeout:g} s, the limit "
                                         "PLANGRAPH_PARSE_TIMEOUT; refused") from None
            except _Died:
                if self._closed:
                    raise ShuttingDown(f"the server is shutting down; {name} was not loaded") from None
                code = self._discard(worker, wait=1.0)
                raise self._out_of_memory(name, f"the parser process ended ({_how(code)})") from None
            self._give_back(worker)
        if kind == b"P":
            return Plan.model_validate_json(payload)
        if kind == b"E":
            message = payload.decode()
            raise PlanError(name, message.removeprefix(f"{name}: "))
        if kind == b"M":
            raise self._out_of_memory(name, "the parser ran out of memory")
        raise WorkerFailed(f"parsing {name} failed: {payload.decode(errors='replace')}")

    def _out_of_memory(self, name: str, what: str) -> PlanError:
        return ParseOutOfMemory(name, f"{what}; a parse may use {self.memory_mb} MB, the limit "
                                      "PLANGRAPH_PARSE_MEMORY_MB; refused")

    # --- workers --------------------------------------------------------------------------------

    def open(self, prestart: bool = True) -> None:
        """Take parses again after ``close`` (an app's lifespan may run more than once), and
        start a worker ahead of the first upload when ``prestart``."""
        with self._lock:
            self._closed = False
        if prestart:
            self.start()

    def start(self) -> None:
        """Start one worker ahead of the next upload (it gets ready in the background)."""
        with self._lock:
            if not self._closed and not self._idle:
                self._idle.append(self._spawn())

    def close(self) -> None:
        """Kill every worker (a parse under way ends with it) and wait for them to go; parses
        are refused until ``open``."""
        with self._lock:
            self._closed = True
            workers = list(self._live)
            self._idle.clear()
            self._live.clear()
        for worker in workers:
            _kill(worker.proc)
        for worker in workers:
            try:
                worker.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                log.error("parse worker %s did not end after SIGKILL", worker.proc.pid)
        with self._lock:
            spawner, self._spawner = self._spawner, None
        if spawner is not None:  # its thread ends: a worker it started now would get PR_SET_PDEATHSIG
            spawner.shutdown(wait=False)

    def pids(self) -> set[int]:
        with self._lock:
            return {w.proc.pid for w in self._live}

    def _take(self) -> _Worker:
        with self._lock:
            if self._closed:
                raise ShuttingDown("the server is shutting down")
            worker = self._idle.pop() if self._idle else self._spawn()
        if not worker.ready:
            try:
                kind, _ = worker.exchange(b"", time.monotonic() + STARTUP_SECONDS)
            except (_Died, _TimedOut):
                code = self._discard(worker)
                raise WorkerFailed(f"a parse worker did not start ({_how(code)})") from None
            if kind != b"R":
                self._discard(worker)
                raise WorkerFailed("a parse worker did not start: it did not say it was ready")
            worker.ready = True
        return worker

    def _give_back(self, worker: _Worker) -> None:
        worker.parses += 1
        with self._lock:
            if not self._closed and worker.parses < MAX_PARSES_PER_WORKER:
                self._idle.append(worker)
                return
        self._retire(worker)

    def _spawn(self) -> _Worker:
        """A new worker, started by the pool's own thread (called with the lock held)."""
        if self._spawner is None:
            self._spawner = ThreadPoolExecutor(1, thread_name_prefix="plangraph-parse-spawn")
        started: Future[subprocess.Popen[bytes]] = self._spawner.submit(self._popen)
        worker = _Worker(started.result())
        self._live.add(worker)
        return worker

    def _popen(self) -> subprocess.Popen[bytes]:
        command = self.command or [sys.executable, "-m", "plangraph.api.parse_worker"]
        return subprocess.Popen([*command, str(self.memory_mb), str(os.getpid())],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, close_fds=True)

    def _discard(self, worker: _Worker, wait: float = 0.0) -> int | None:
        """SIGKILL a worker (after ``wait`` seconds for it to end by itself, when it closed its
        pipe); its exit code if it had ended. Reaped in the background; a fresh one is started."""
        with self._lock:
            self._live.discard(worker)
        try:
            code = worker.proc.wait(timeout=wait) if wait else worker.proc.poll()
        except subprocess.TimeoutExpired:
            code = None
        _kill(worker.proc)
        threading.Thread(target=_reap, args=(worker.proc,), name="plangraph-parse-reap", daemon=True).start()
        self.start()
        return code

    def _retire(self, worker: _Worker) -> None:
        with self._lock:
            self._live.discard(worker)
        assert worker.proc.stdin is not None
        worker.proc.stdin.close()  # the worker's cue to exit
        threading.Thread(target=_reap, args=(worker.proc,), name="plangraph-parse-reap", daemon=True).start()
        self.start()


def _kill_all(workers: set[_Worker]) -> None:
    for worker in list(workers):
        _kill(worker.proc)


def _kill(proc: subprocess.Popen[bytes]) -> None:
    try:
        proc.kill()
    except ProcessLookupError:
        pass


def _reap(proc: subprocess.Popen[bytes]) -> None:
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        _kill(proc)
        proc.wait()
    for pipe in (proc.stdin, proc.stdout):
        if pipe is not None and not pipe.closed:
            pipe.close()


def _how(code: int | None) -> str:
    if code is None:
        return "killed"
    if code < 0:
        return f"signal {-code}"
    return f"exit status {code}"
