"""Fixtures of the overlap tests: the five seeds in an embedded store, its catalogue, an app, and a
hand-built plan whose agency names the kinds file does not know."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from plangraph.graph.model import Action, Agency, Jurisdiction, Mention, Plan, Source, Task, agency_id
from plangraph.graph.store import GraphStore, open_store
from plangraph.queries import NameCatalog
from tests.conftest import seeded_store

#: Names no plan of the seeds has, and the kinds file does not list (read: a made-up body, and a
#: merged body whose parts are listed).
UNKNOWN_NAME = "县宇宙探索局"
MERGED_NAME = "县卫体和科技局"
INVENTED_PLACE = "虚构县"


@pytest.fixture(scope="session")
def seed_db(seeded_db: Path) -> Path:
    """The shared store file of the five seeds (tests/conftest.py)."""
    return seeded_db


@pytest.fixture(scope="session")
def store(seed_db: Path) -> Iterator[GraphStore]:
    graph = open_store("embedded", db=seed_db)
    yield graph
    graph.close()


@pytest.fixture(scope="session")
def catalog(store: GraphStore) -> NameCatalog:
    return NameCatalog(store)


def invented_plan(name: str = INVENTED_PLACE) -> Plan:
    """One action, two tasks: one led by a body the kinds file does not know, one by a merged body."""

    def mention(agency: str) -> Mention:
        return Mention(name=agency, agency_id=agency_id(name, agency), span=(0, len(agency)))

    tasks = [
        Task(seq=1, title="实施智慧助老行动", text="实施智慧助老行动。开展老年人智能技术培训。", span=(0, 20),
             clause=f"（{UNKNOWN_NAME}牵头，县科协配合）", lead=[mention(UNKNOWN_NAME)], support=[mention("县科协")]),
        Task(seq=2, title="实施银龄科普行动", text="实施银龄科普行动。发挥老专家作用。", span=(20, 40),
             clause=f"（{MERGED_NAME}牵头）", lead=[mention(MERGED_NAME)]),
    ]
    return Plan(
        source=Source(file=f"{name}.txt", sha256="1" * 64),
        jurisdiction=Jurisdiction(name=name, level="county"),
        actions=[Action(seq=1, part="提升行动", key="elderly", title="实施老年人科学素质提升行动", tasks=tasks)],
        agencies=[Agency(id=agency_id(name, n), name=n, spellings=[n]) for n in (UNKNOWN_NAME, MERGED_NAME, "县科协")],
    )


@pytest.fixture()
def mixed_db(tmp_path: Path) -> Path:
    """The seeds and the invented plan, in a store of its own."""
    db = tmp_path / "graph.bin"
    graph = seeded_store(db)
    graph.replace_plan(invented_plan())
    graph.close()
    return db
