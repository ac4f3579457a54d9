"""Themes and overlap are computed in the query layer from the store protocol, so the Neo4j store
(its driver code, on the FalkorDB Bolt server of the store suite) gives the embedded store's answers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from plangraph.graph.embedded import EmbeddedStore
from plangraph.graph.store import GraphStore
from plangraph.loaders import parse_file
from plangraph.queries import NameCatalog, compare
from plangraph.queries.overlap import overlap, overlap_matrix
from plangraph.queries.themes import theme_index
from tests.conftest import SEED_PATHS
from tests.graph.conftest import (  # noqa: F401 - fixtures of the store suite
    FALKORDB_MAX_BATCH_BYTES,
    bolt_driver,
    falkordb_uri,
    wipe,
    without_quotes,
)
from tests.seed_truth import EXPECTED

ALL = [s.name for s in EXPECTED.values()]


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory, bolt_driver: object) -> Iterator[tuple[GraphStore, GraphStore]]:
    from plangraph.graph.neo4j import Neo4jStore

    plans = [without_quotes(parse_file(p)) for p in SEED_PATHS]  # the same text in both stores
    embedded = EmbeddedStore(Path(tmp_path_factory.mktemp("alike")) / "graph.bin")
    bolt = Neo4jStore(bolt_driver, None, ensure_schema=False, owns_driver=False,
                      max_batch_bytes=FALKORDB_MAX_BATCH_BYTES)
    wipe(bolt)
    embedded.replace_plans(plans)
    bolt.replace_plans(plans)
    try:
        yield embedded, bolt
    finally:
        wipe(bolt)
        embedded.close()


def test_same_themes_and_overlap_on_both_stores(both: tuple[GraphStore, GraphStore]) -> None:
    embedded, bolt = both
    themes = [[t.model_dump() for t in theme_index(s).themes] for s in both]
    assert themes[0] == themes[1]
    answers = [overlap(NameCatalog(s), ALL).model_dump() for s in both]
    assert answers[0] == answers[1]
    matrices = [overlap_matrix(NameCatalog(s)).model_dump() for s in both]
    assert matrices[0] == matrices[1]
    pair = [compare(NameCatalog(s), ALL[4], ALL[3]).model_dump(exclude={"a", "b"}) for s in both]
    assert pair[0] == pair[1]
