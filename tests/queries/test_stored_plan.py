"""A plan read back from the store says what the file says: what the maps draw is what was read."""

from __future__ import annotations

from pathlib import Path

import pytest

from plangraph.graph.store import open_store
from plangraph.loaders import parse_file
from plangraph.queries import NameCatalog, NotFound
from plangraph.queries.plans import stored_plan
from tests.conftest import SEED_PATHS
from tests.loaders.test_formats_facts import facts


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> NameCatalog:
    store = open_store("embedded", db=tmp_path_factory.mktemp("plans") / "graph.bin")
    store.replace_plans(parse_file(p) for p in SEED_PATHS)
    return NameCatalog(store)


@pytest.mark.parametrize("path", SEED_PATHS, ids=[p.name[:3] for p in SEED_PATHS])
def test_stored_plan_has_the_facts_of_the_file(catalog: NameCatalog, path: Path) -> None:
    read = parse_file(path)
    stored = stored_plan(catalog, read.jurisdiction.name)
    assert facts(stored) == facts(read)
    assert {a.id: sorted(a.spellings) for a in stored.agencies} == {a.id: sorted(a.spellings) for a in read.agencies}
    spans = lambda p: [(m.name, m.span) for _, t in p.tasks() for _, m in t.mentions()]  # noqa: E731
    assert sorted(spans(stored)) == sorted(spans(read))


def test_unknown_jurisdiction(catalog: NameCatalog) -> None:
    with pytest.raises(NotFound) as err:
        stored_plan(catalog, "丰都")
    assert "丰都县" in err.value.suggestions
