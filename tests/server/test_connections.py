"""Idle and slow connections to a real ``plangraph serve`` are bounded: 500 sockets that send
nothing, or their headers a byte at a time, do not stop another client being served, and the
server closes them once ``PLANGRAPH_HEADER_TIMEOUT`` passes."""

from __future__ import annotations

import resource
import socket
import time

import httpx

from tests.security.support import TOKEN

from .conftest import ServerFactory, port_of

IDLE = 500
TRICKLING = 100  # of the IDLE sockets, these send their request line a byte at a time
HEADER_TIMEOUT = 4.0
REQUEST = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n"  # never finished: no blank line


def _closed_by_peer(sock: socket.socket) -> bool:
    try:
        return sock.recv(1024) == b""
    except BlockingIOError:
        return False
    except (ConnectionResetError, BrokenPipeError):
        return True


def test_idle_and_trickling_sockets_do_not_stop_others_and_are_closed(serve: ServerFactory) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < IDLE + 200:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, IDLE + 1000), hard))
    server = serve({"PLANGRAPH_HEADER_TIMEOUT": str(HEADER_TIMEOUT)})
    port = port_of(server)
    sockets = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(IDLE)]
    opened = time.monotonic()
    for s in sockets:
        s.setblocking(False)
    served: list[float] = []
    sent = 0
    with httpx.Client(base_url=server.base, timeout=5) as other:
        while time.monotonic() - opened < HEADER_TIMEOUT - 1:
            if sent < len(REQUEST):  # one more byte from every trickling socket
                for s in sockets[:TRICKLING]:
                    s.send(REQUEST[sent:sent + 1])
                sent += 1
            start = time.monotonic()
            r = other.get("/jurisdictions")
            served.append(time.monotonic() - start)
            assert r.status_code == 200 and len(r.json()) == 5, r.text
            time.sleep(0.1)
    print(f"{len(served)} requests served beside {IDLE} idle sockets, slowest {max(served) * 1000:.0f} ms")
    assert len(served) >= 10 and max(served) < 2
    assert not any(_closed_by_peer(s) for s in sockets[:50]), "closed before the header time limit"
    deadline = opened + HEADER_TIMEOUT + 5
    open_ = sockets
    while open_ and time.monotonic() < deadline:
        open_ = [s for s in open_ if not _closed_by_peer(s)]
        time.sleep(0.2)
    for s in sockets:
        s.close()
    assert not open_, f"{len(open_)} of {IDLE} idle sockets still open {HEADER_TIMEOUT + 5:g} s after connecting"
    r = httpx.get(f"{server.base}/health", timeout=5)
    assert r.status_code == 200


def test_a_request_sent_in_time_is_answered_on_a_guarded_connection(serve: ServerFactory) -> None:
    """The header guard closes only slow heads: a keep-alive connection that sends several requests,
    with pauses shorter than the keep-alive, gets every answer."""
    server = serve({"PLANGRAPH_HEADER_TIMEOUT": "2"})
    with httpx.Client(base_url=server.base, timeout=5) as client:
        for _ in range(4):
            assert client.get("/health").status_code == 200
            time.sleep(1.5)


def test_a_request_head_over_the_size_limit_is_431_and_closed(serve: ServerFactory) -> None:
    server = serve({"PLANGRAPH_MAX_HEADER_BYTES": "65536"})
    with socket.create_connection(("127.0.0.1", port_of(server)), timeout=10) as s:
        s.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ")
        answer = b""
        try:
            for _ in range(64):  # 4 MB of one header's value, unless the server stops it first
                s.sendall(b"x" * 65536)
        except (BrokenPipeError, ConnectionResetError):
            pass
        try:
            while chunk := s.recv(65536):
                answer += chunk
        except ConnectionResetError:
            pass
    assert answer.startswith(b"HTTP/1.1 431") or answer == b"", answer[:200]
    r = httpx.get(f"{server.base}/health", headers={"X-Fine": "y" * 8000}, timeout=5)
    assert r.status_code == 200


def test_an_upload_whose_body_stalls_is_408(serve: ServerFactory) -> None:
    """Headers in time, then half the body and silence: 408 once PLANGRAPH_BODY_TIMEOUT passes."""
    server = serve({"PLANGRAPH_BODY_TIMEOUT": "2"})
    body = (b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.txt\"\r\n\r\n" + b"x" * 1000
            + b"\r\n--b--\r\n")
    head = (f"POST /plans HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {TOKEN}\r\n"
            f"Content-Type: multipart/form-data; boundary=b\r\nContent-Length: {len(body)}\r\n\r\n").encode()
    with socket.create_connection(("127.0.0.1", port_of(server)), timeout=15) as s:
        s.sendall(head + body[:500])
        start = time.monotonic()
        answer = s.recv(4096)
        took = time.monotonic() - start
        while chunk := s.recv(4096):  # the rest of the answer, until the server closes
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 408"), answer[:300]
    assert b"PLANGRAPH_BODY_TIMEOUT" in answer
    assert 1.5 < took < 6, f"answered after {took:.1f} s"
