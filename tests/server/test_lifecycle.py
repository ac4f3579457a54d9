"""SIGTERM ends a real ``plangraph serve`` within 10 s, with requests under way, one process or
several (``--workers``), and leaves nothing behind: no process of its tree, nothing on its port."""

from __future__ import annotations

import signal
import socket
import threading
import time

import httpx
import pytest

from tests.conftest import SEED_PATHS

from .bombs import docx_bomb
from .conftest import AUTH, ServerFactory, alive, port_is_free, port_of, tree

SHUTDOWN_SECONDS = 10


def _big_plan() -> bytes:
    seed = SEED_PATHS[4].read_bytes()
    return seed + ("\n" + "各单位要加强组织领导，确保各项任务落到实处。" * 20).encode() * 7000


def _upload_in_background(base: str, name: str, data: bytes) -> dict[str, object]:
    """Start an upload that takes seconds to parse; the dict gets its status or the error."""
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["status"] = httpx.post(f"{base}/plans", files={"file": (name, data)}, headers=AUTH,
                                           timeout=60).status_code
        except httpx.HTTPError as exc:
            outcome["error"] = type(exc).__name__

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    outcome["thread"] = thread
    return outcome


def _wait_for_parse(server_pid: int, timeout: float = 10) -> None:
    """Until a parse worker of the server is busy (its CPU time grows)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for p in tree(server_pid)[1:]:
            try:
                if p.cpu_percent(interval=0.2) > 20:
                    return
            except Exception:  # noqa: BLE001 - a process that ended meanwhile
                continue
    pytest.fail("no parse worker got busy")


@pytest.mark.parametrize(("workers", "grace"), [(1, 5), (2, 5), (1, 1)], ids=["one", "two-workers", "cut"])
def test_sigterm_ends_the_server_with_requests_under_way_and_frees_its_port(
    serve: ServerFactory, workers: int, grace: int,
) -> None:
    """The upload under way is a 9 MB plan (1-3 s to parse): it is finished within the default grace
    of 5 s. With a grace of 1 s it is a .docx of 15 MB of paragraphs (within the limits, many
    seconds to read): it is cut, its parse worker killed, the server gone."""
    server = serve({"PLANGRAPH_GRACEFUL_SHUTDOWN": str(grace)}, args=("--workers", str(workers)))
    port = port_of(server)
    # idle keep-alive connections and one that never sent a byte
    idle = httpx.Client(base_url=server.base, timeout=5)
    assert idle.get("/health").status_code == 200
    silent = socket.create_connection(("127.0.0.1", port))
    upload = (_upload_in_background(server.base, "big.txt", _big_plan()) if grace == 5
              else _upload_in_background(server.base, "long.docx", docx_bomb(15 << 20)))
    _wait_for_parse(server.proc.pid)
    processes = tree(server.proc.pid)
    server_processes = 1 if workers == 1 else 1 + workers  # uvicorn's supervisor and its workers
    assert len(processes) > server_processes, f"expected {server_processes} server process(es) and a parse worker"
    start = time.monotonic()
    server.proc.send_signal(signal.SIGTERM)
    try:
        server.proc.wait(timeout=SHUTDOWN_SECONDS)
    except Exception:  # noqa: BLE001
        pytest.fail(f"the server did not end within {SHUTDOWN_SECONDS} s of SIGTERM:\n{server.stop()[-3000:]}")
    took = time.monotonic() - start
    upload["thread"].join(timeout=10)  # type: ignore[attr-defined]
    print(f"workers={workers}: ended {took:.1f} s after SIGTERM; the upload under way got {upload}")
    assert "status" in upload or "error" in upload, "the upload under way never ended"
    if grace == 5:
        assert upload.get("status") == 201, "the upload under way was not finished within the grace period"
    else:
        assert upload.get("status") != 201 and took < grace + 3, "the upload under way was not cut"
    deadline = time.monotonic() + 3
    while alive(processes) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive(processes), f"outlived the server: {[(p.pid, p.cmdline()) for p in alive(processes)]}"
    assert port_is_free(port), f"port {port} is still held after the server ended"
    silent.close()
    idle.close()


def test_sigterm_on_an_idle_server_ends_it_at_once(serve: ServerFactory) -> None:
    server = serve()
    port = port_of(server)
    processes = tree(server.proc.pid)
    start = time.monotonic()
    server.proc.send_signal(signal.SIGTERM)
    server.proc.wait(timeout=SHUTDOWN_SECONDS)
    took = time.monotonic() - start
    assert took < 3, f"an idle server took {took:.1f} s to end"
    assert not alive(processes) and port_is_free(port)


def test_kill_9_of_the_supervisor_takes_its_workers_and_their_parsers_with_it(serve: ServerFactory) -> None:
    """``serve --workers 2`` killed with SIGKILL: its worker processes get SIGTERM from the kernel
    (PR_SET_PDEATHSIG), end, and their parse workers with them; the port is free again."""
    server = serve(args=("--workers", "2"))
    port = port_of(server)
    seed = SEED_PATHS[2]
    assert httpx.post(f"{server.base}/plans", files={"file": (seed.name, seed.read_bytes())}, headers=AUTH,
                      timeout=60).status_code == 201
    processes = tree(server.proc.pid)
    assert len(processes) >= 4, "expected the supervisor, two workers and a parse worker at least"
    server.proc.kill()
    server.proc.wait()
    deadline = time.monotonic() + SHUTDOWN_SECONDS
    while (alive(processes) or not port_is_free(port)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not alive(processes), f"outlived the server: {[(p.pid, p.cmdline()) for p in alive(processes)]}"
    assert port_is_free(port)
