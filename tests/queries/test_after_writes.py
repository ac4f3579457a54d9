"""Answers the query layer keeps between requests (resolved names, divisions of work, theme sides)
follow writes: after a plan is replaced, every question answers as on a store that never saw the
old version."""

from __future__ import annotations

import pytest

from plangraph.graph.embedded import EmbeddedStore
from plangraph.graph.model import Plan
from plangraph.loaders import parse_file
from plangraph.queries import NameCatalog, compare, profile, tasks_for
from plangraph.queries.compare import division_of_work
from plangraph.queries.overlap import overlap
from plangraph.queries.themes import theme_index
from tests.conftest import SEED_PATHS


@pytest.fixture(scope="module")
def plans() -> list[Plan]:
    return [parse_file(p) for p in SEED_PATHS]


def _changed(plan: Plan) -> Plan:
    """The plan with its first task's leads made supporters: who leads what changes."""
    changed = plan.model_copy(deep=True)
    task = next(t for a in changed.actions for t in a.tasks if t.lead)
    task.support = [*task.lead, *task.support]
    task.lead = []
    return changed


def _answers(catalog: NameCatalog, places: list[str]) -> dict[str, object]:
    a, b = places[0], places[1]
    return {
        "compare": compare(catalog, a, b).model_dump(),
        "compare back": compare(catalog, b, a).model_dump(),
        "profile": profile(catalog, a).model_dump(),
        "科协 everywhere": tasks_for(catalog, agency="科协", role="lead", limit=1000).model_dump(),
        "县科协 here": tasks_for(catalog, agency="县科协", role="lead", jurisdiction=a).model_dump(),
        "division": division_of_work(catalog, a)[0],
        "overlap": overlap(catalog, places).model_dump(),
    }


def test_kept_answers_follow_a_replaced_plan(plans: list[Plan]) -> None:
    store = EmbeddedStore()
    store.replace_plans(plans)
    catalog = NameCatalog(store)
    places = [p.jurisdiction.name for p in plans]
    before = _answers(catalog, places)
    assert _answers(catalog, places) == before  # asked again: the kept answers, unchanged

    changed = [_changed(plans[0]), *plans[1:]]
    store.replace_plans(changed[:1])
    after = _answers(catalog, places)
    fresh = EmbeddedStore()
    fresh.replace_plans(changed)
    assert after == _answers(NameCatalog(fresh), places)
    assert after["compare"] != before["compare"] and after["division"] != before["division"]


def test_prepared_comparisons_answer_as_unprepared_ones(plans: list[Plan]) -> None:
    from plangraph.queries.overlap import prepare_comparisons

    store = EmbeddedStore()
    store.replace_plans(plans)
    prepared = NameCatalog(store)
    prepare_comparisons(prepared)
    other = EmbeddedStore()
    other.replace_plans(plans)
    places = [p.jurisdiction.name for p in plans]
    assert _answers(prepared, places) == _answers(NameCatalog(other), places)


# --- a server's catalogue: answers from the previous state while a rebuild runs elsewhere ------


def test_kept_answers_follow_a_write_by_another_connection(plans: list[Plan], tmp_path) -> None:
    """Another process writing the file (here: another store on it, its own connection) is seen by
    the next question: the store's generation is the one sign of a change."""
    reader = EmbeddedStore(tmp_path / "graph.bin")
    reader.replace_plans(plans)
    catalog = NameCatalog(reader)
    places = [p.jurisdiction.name for p in plans]
    before = _answers(catalog, places)
    EmbeddedStore(tmp_path / "graph.bin").replace_plans([_changed(plans[0])])
    after = _answers(catalog, places)
    fresh = EmbeddedStore()
    fresh.replace_plans([_changed(plans[0]), *plans[1:]])
    assert after == _answers(NameCatalog(fresh), places) and after != before


def test_a_catalogue_sees_a_plan_loaded_after_it_was_read(plans: list[Plan]) -> None:
    store = EmbeddedStore()
    store.replace_plans(plans[:4])
    catalog = NameCatalog(store)
    assert plans[4].jurisdiction.name not in catalog.jurisdictions()
    store.replace_plans([plans[4]])
    assert plans[4].jurisdiction.name in catalog.jurisdictions()


def test_themes_are_kept_in_the_store_and_made_again_after_a_write(plans: list[Plan], monkeypatch: pytest.MonkeyPatch) -> None:
    from plangraph.queries import themes

    store = EmbeddedStore()
    store.replace_plans(plans[:4])
    builds: list[int] = []
    real = themes.build_matched  # builds the index (the themes and the matching state)
    monkeypatch.setattr(themes, "build_matched", lambda *a, **k: builds.append(1) or real(*a, **k))
    first = theme_index(store, keep=True)  # as a writer does after its write
    again = theme_index(EmbeddedStore(store.path))  # another process: read from the store, not built
    assert len(builds) == 1 and [t.model_dump() for t in again.themes] == [t.model_dump() for t in first.themes]
    store.replace_plans([plans[4]])
    after = theme_index(store)  # a reader after a write: computed, not kept (a read never writes)
    assert theme_index(store).generation == after.generation and len(builds) == 3
    assert len(builds) == 3 and plans[4].jurisdiction.name in after.by_jurisdiction
    fresh = EmbeddedStore()
    fresh.replace_plans(plans)
    assert [t.model_dump() for t in after.themes] == [t.model_dump() for t in theme_index(fresh).themes]
