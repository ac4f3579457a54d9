"""Helpers shared by tests/security and tests/apifuzz: seeded stores, a second version of a seed,
a real ``plangraph serve`` process, and the store layers the no-loss tests run on.

The hostile name, the hand-built plan, ``answers`` and ``expected_stats`` are the store suite's
(tests/graph/test_store.py), reused rather than copied.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import httpx
import pytest

from plangraph.graph.embedded import EmbeddedStore
from plangraph.graph.model import Plan
from plangraph.graph.store import GraphStore
from plangraph.loaders import parse_bytes, parse_file
from tests.conftest import REPO, SEED_PATHS
from tests.graph.conftest import wipe
from tests.graph.test_store import HOSTILE, answers, expected_stats, hand_plan

__all__ = [
    "HOSTILE", "REPO", "SEED_PATHS", "Server", "TOKEN", "Version", "answers", "expected_stats", "fengdu_versions",
    "hand_plan", "neo4j_store_or_skip", "seed_plans", "seeded_store", "start_server", "wipe",
]

TOKEN = "test-token-not-a-secret"  # the placeholder tests/api uses too
FENGDU = "丰都县"


@cache
def _parsed() -> tuple[Plan, ...]:
    return tuple(parse_file(p) for p in SEED_PATHS)


def seed_plans() -> list[Plan]:
    """The five seeds, parsed once per test process (copies: callers may change them)."""
    return [p.model_copy(deep=True) for p in _parsed()]


def seeded_store(path: Path | None) -> EmbeddedStore:
    store = EmbeddedStore(path)
    store.replace_plans(seed_plans())
    return store


@dataclass(frozen=True)
class Version:
    """One version of a plan file: its bytes and what the loader reads from them."""

    name: str
    data: bytes
    plan: Plan


@cache
def fengdu_versions() -> tuple[Version, Version]:
    """丰都县's seed as it is, and the same file with one task (the third from last) cut out."""
    path = next(p for p, plan in zip(SEED_PATHS, _parsed(), strict=True) if plan.jurisdiction.name == FENGDU)
    text = path.read_text(encoding="utf-8")
    old = parse_file(path)
    _, task = old.tasks()[-3]
    cut = (text[: task.span[0]] + text[task.span[1] :]).encode("utf-8")
    new = parse_bytes(cut, path.name)
    assert len(new.tasks()) == len(old.tasks()) - 1 and new.jurisdiction.name == FENGDU
    return Version(path.name, path.read_bytes(), old), Version(path.name, cut, new)


# --- a real server ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    proc: subprocess.Popen
    base: str
    log: Path

    def stop(self) -> str:
        """Stop the server (SIGTERM, then SIGKILL) and return everything it printed."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.log.read_text(encoding="utf-8", errors="replace")


def start_server(
    db: Path, log: Path, env: dict[str, str] | None = None, timeout: float = 60, args: tuple[str, ...] = (),
) -> Server:
    """``plangraph serve`` on a loopback port, stdout and stderr into ``log``; waits for /health."""
    port = free_port()
    full_env = {**os.environ, "PLANGRAPH_DB": str(db), **(env or {})}
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "plangraph", "serve", "--port", str(port), *args],
                                env=full_env, stdout=out, stderr=subprocess.STDOUT, cwd=db.parent)
    server = Server(proc, f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"server exited with {proc.returncode}: {server.stop()[-2000:]}")
        try:
            if httpx.get(f"{server.base}/health", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.1)
    output = server.stop()
    pytest.fail(f"server did not answer /health within {timeout} s: {output[-2000:]}")


# --- Neo4j, when there is one ---------------------------------------------------------------------


def neo4j_store_or_skip() -> Iterator[GraphStore]:
    """A wiped store on the real Neo4j that NEO4J_URI names (a scratch database), or a skip."""
    if not os.environ.get("NEO4J_URI"):
        pytest.skip("NEO4J_URI is not set: no Neo4j server to test against (the embedded case ran)")
    from plangraph.graph.neo4j import Neo4jStore

    store = Neo4jStore.connect()
    try:
        wipe(store)
        yield store
        wipe(store)
    finally:
        store.close()
