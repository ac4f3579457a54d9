"""A parse worker: a child process of the server that parses uploaded plan files, one at a time.

Run as ``python -m plangraph.api.parse_worker MEMORY_MB PARENT_PID`` by ``api/parser_pool.py``.
Why a process of its own, started fresh rather than forked from the server: a parse may be stopped
at any moment (the server sends SIGKILL, which nothing ignores), its memory is capped
(``RLIMIT_AS``), it holds none of the server's sockets or signal handlers, and it dies with the
server (``PR_SET_PDEATHSIG``, and a watch on its parent besides).

The exchange, on stdin and stdout (fd 1 is pointed at stderr so that nothing the parser prints
can garble it): the worker writes ``R`` when it is ready; then, per file, it reads a request
(``>II`` name length and data length, the name in UTF-8, the data) and writes an answer (one kind
byte, ``>Q`` length, payload): ``P`` the plan's JSON, ``E`` a PlanError's message, ``M`` the memory
cap was reached, ``B`` an unexpected error's traceback.
"""

from __future__ import annotations

import os
import resource
import signal
import struct
import sys
import traceback
from typing import BinaryIO

from plangraph.api.parent_death import die_with_parent

REQUEST = struct.Struct(">II")
ANSWER = struct.Struct(">cQ")


def cap_memory(megabytes: int) -> None:
    if megabytes > 0:
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def read_exact(stream: BinaryIO, n: int) -> bytes | None:
    """``n`` bytes, or None when the server closed the pipe (the worker's cue to exit)."""
    parts: list[bytes] = []
    while n:
        chunk = stream.read(n)
        if not chunk:
            return None
        parts.append(chunk)
        n -= len(chunk)
    return b"".join(parts)


def answer(out: BinaryIO, kind: bytes, payload: bytes) -> None:
    out.write(ANSWER.pack(kind, len(payload)) + payload)
    out.flush()


def parse_one(data: bytes, name: str) -> tuple[bytes, bytes]:
    from plangraph.loaders import PlanError, parse_bytes

    try:
        return b"P", parse_bytes(data, name).model_dump_json().encode()
    except PlanError as exc:
        return b"E", str(exc).encode()
    except MemoryError:
        return b"M", b""
    except Exception:  # a bug in a loader: the server reports it as its own error, not the file's
        return b"B", traceback.format_exc().encode()


def serve(requests: BinaryIO, out: BinaryIO) -> None:
    answer(out, b"R", b"")
    while True:
        header = read_exact(requests, REQUEST.size)
        if header is None:
            return
        name_len, data_len = REQUEST.unpack(header)
        body = read_exact(requests, name_len + data_len)
        if body is None:
            return
        kind, payload = parse_one(body[name_len:], body[:name_len].decode())
        del body
        answer(out, kind, payload)


def main() -> None:
    memory_mb, parent = int(sys.argv[1]), int(sys.argv[2])
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl-C to the terminal is the server's to handle
    cap_memory(memory_mb)
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    warm_up()
    serve(sys.stdin.buffer, out)


def warm_up() -> None:
    """Parse a synthetic plan before saying "ready": the loaders read their data files on first
    use (0.6 s), which the first upload would otherwise wait for."""
    from plangraph.loaders import PlanError, parse_bytes
    from plangraph.synth import generate

    name, text, _ = next(generate(1))
    try:
        parse_bytes(text.encode(), name)
    except PlanError:  # a warm-up: the data files are read either way
        pass


if __name__ == "__main__":
    main()
