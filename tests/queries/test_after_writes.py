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
