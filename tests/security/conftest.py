"""Fixtures of the security and no-loss suites: the seeds in a store file, and the store layers."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from plangraph.graph.embedded import EmbeddedStore
from plangraph.graph.store import GraphStore

from .support import neo4j_store_or_skip, seeded_store

#: Where the no-loss and hostile-name cases run: the embedded store always, real Neo4j when
#: NEO4J_URI names one (a scratch database: every plan in it is deleted).
LAYERS = ("embedded", "neo4j")
LAYER_IDS = ("embedded", "real-neo4j")


@pytest.fixture(scope="session")
def seeded_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The five seeds in an embedded store file, written once; tests copy it."""
    db = tmp_path_factory.mktemp("security-seeds") / "graph.bin"
    seeded_store(db).close()  # closed: its write-ahead log folded in, so that a copy of the file holds it all
    return db


@pytest.fixture()
def seeded_db(seeded_db_template: Path, tmp_path: Path) -> Path:
    """A copy of the seeded store file of this test's own."""
    db = tmp_path / "db" / "graph.bin"
    db.parent.mkdir()
    shutil.copy(seeded_db_template, db)
    return db


@pytest.fixture(params=LAYERS, ids=LAYER_IDS)
def empty_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    """An empty store of each layer in turn (Neo4j skipped, with the reason, when not configured)."""
    if request.param == "embedded":
        yield EmbeddedStore(tmp_path / "layer" / "graph.bin")
        return
    yield from neo4j_store_or_skip()
