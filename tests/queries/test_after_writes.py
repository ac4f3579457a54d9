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


def test_a_serving_catalogue_hands_a_stale_state_to_its_rebuilder(plans: list[Plan]) -> None:
    """With ``on_stale`` the catalogue asks for a rebuild and answers from what it has; the answers
    after the rebuild are those of a store that never saw the old version."""
    store = EmbeddedStore()
    store.replace_plans(plans[:4])
    asked: list[int] = []
    catalog = NameCatalog(store, on_stale=lambda: asked.append(store.generation))
    catalog.refresh()
    places = [p.jurisdiction.name for p in plans[:4]]
    before = _answers(catalog, places)
    store.replace_plans([_changed(plans[0]), plans[4]])
    assert plans[4].jurisdiction.name not in catalog.jurisdictions()  # the old names, meanwhile
    meanwhile = _answers(catalog, places)  # the store's rows are current; what was kept is not yet
    assert meanwhile["division"] == before["division"] and meanwhile["profile"] != before["profile"]
    assert asked and set(asked) == {store.generation}
    theme_index(store)  # what the server's rebuilder does (api/app.py, _warm_up)
    catalog.refresh()
    fresh = EmbeddedStore()
    fresh.replace_plans([_changed(plans[0]), *plans[1:]])
    assert plans[4].jurisdiction.name in catalog.jurisdictions()
    assert _answers(catalog, places) == _answers(NameCatalog(fresh), places)


def test_a_catalogue_without_a_rebuilder_is_never_stale(plans: list[Plan]) -> None:
    store = EmbeddedStore()
    store.replace_plans(plans[:4])
    catalog = NameCatalog(store)
    catalog.refresh()
    store.replace_plans([plans[4]])
    assert plans[4].jurisdiction.name in catalog.jurisdictions()


def test_a_stale_theme_index_is_handed_out_while_a_new_one_is_built(plans: list[Plan], monkeypatch: pytest.MonkeyPatch) -> None:
    """A question that may use the previous index must not wait for the build of the next one
    (seconds nationally, on the event loop of a server)."""
    import threading

    from plangraph.queries import themes

    store = EmbeddedStore()
    store.replace_plans(plans[:4])
    old = themes.theme_index(store)
    store.replace_plans([plans[4]])
    building, release = threading.Event(), threading.Event()
    real_build = themes.build_matched  # builds the index (the themes and the matching state)

    def slow_build(*args, **kwargs):
        building.set()
        release.wait(10)
        return real_build(*args, **kwargs)

    monkeypatch.setattr(themes, "build_matched", slow_build)
    builder = threading.Thread(target=themes.theme_index, args=(store,))
    builder.start()
    assert building.wait(10)
    try:
        assert themes.theme_index(store, stale_ok=True) is old  # at once, while the build runs
    finally:
        release.set()
        builder.join(10)
    new = themes.theme_index(store, stale_ok=True)
    assert new is not old and plans[4].jurisdiction.name in new.by_jurisdiction
