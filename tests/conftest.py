"""Shared test fixtures: where the repository and the seed plans are.

The five real plans live outside the repository, in ../shared/seeds next to it; tests read them
from there and never copy their text into the project.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

REPO: Path = Path(__file__).resolve().parents[1]
SEEDS: Path = (REPO.parent / "shared" / "seeds").resolve()
SEED_PATHS: list[Path] = sorted(SEEDS.glob("*.txt"))


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository's root folder."""
    return REPO


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The folder holding the seed plans (../shared/seeds beside the repository)."""
    if not SEED_PATHS:
        pytest.fail(f"no seed plans found in {SEEDS}")
    return SEEDS


@pytest.fixture(scope="session")
def seed_paths(seeds_dir: Path) -> list[Path]:
    """Every seed plan (*.txt, UTF-8), sorted by name."""
    return SEED_PATHS


@pytest.fixture(params=SEED_PATHS, ids=[p.name[:3] for p in SEED_PATHS])
def seed_path(request: pytest.FixtureRequest) -> Path:
    """Each seed plan in turn (parametrised)."""
    return request.param


def seeded_store(db: Path):
    """An embedded store at ``db`` holding the five seed plans."""
    from plangraph.graph.store import open_store
    from plangraph.loaders import parse_file

    store = open_store("embedded", db=db)
    store.replace_plans(parse_file(p) for p in SEED_PATHS)
    return store


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store file holding the five seeds, written once per test session (read-only users only)."""
    db = tmp_path_factory.mktemp("seeded") / "graph.bin"
    seeded_store(db).close()
    return db


@pytest.fixture(scope="session")
def client(seeded_db: Path) -> Iterator:
    """The API over the five seeds, uploads off (no token): for questions that only read."""
    from fastapi.testclient import TestClient

    from plangraph.api.app import create_app
    from plangraph.api.settings import ApiSettings
    from plangraph.graph.store import open_store

    app = create_app(open_store("embedded", db=seeded_db), ApiSettings(api_token=None))
    with TestClient(app) as c:
        yield c
