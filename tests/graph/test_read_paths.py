"""The embedded store's fast read paths give what its general path gives, before and after a write.

The store pages the tasks of many agencies in SQL (``assignments_page``: SQLite counts, orders and
cuts the page). Each check here compares such a path with an independent way to the same answer:
the general read sorted in Python, or a fresh store that only ever held the final plans.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from plangraph.graph.embedded import EmbeddedStore
from plangraph.graph.model import Plan
from plangraph.loaders import parse_file
from tests.conftest import SEED_PATHS

ROLE_SETS = [None, ["lead"], ["support"], ["responsible"], ["lead", "support", "responsible"]]
PAGES = [(0, 1), (0, 5), (3, 7), (10, 50), (0, 1000), (40, 20), (500, 10)]


@pytest.fixture(scope="module")
def plans() -> list[Plan]:
    return [parse_file(p) for p in SEED_PATHS]


@pytest.fixture()
def store(plans: list[Plan]) -> EmbeddedStore:
    store = EmbeddedStore()
    store.replace_plans(plans)
    return store


def _jurisdiction_reads(store: EmbeddedStore, place: str) -> dict[str, list]:
    return {
        "assignments": store.assignments(jurisdiction=place),
        "lead assignments": store.assignments(jurisdiction=place, roles=["lead"]),
        "tasks": store.tasks(jurisdiction=place),
        "agencies": store.agencies(jurisdiction=place),
        "agencies without groups": store.agencies(jurisdiction=place, include_groups=False),
        "action leads": store.action_leads(jurisdiction=place),
        "actions": store.actions(place),
    }


@pytest.mark.parametrize("roles", ROLE_SETS, ids=lambda r: "+".join(r) if r else "any")
def test_a_page_of_many_agencies_is_the_slice_of_the_whole_answer(store: EmbeddedStore, roles) -> None:
    """"科协" names one agency per seed: the role-index page equals the general path's slice."""
    ids = [a.id for a in store.agencies() if "科协" in a.name]
    assert len({store.agencies(ids=[i])[0].jurisdiction for i in ids}) >= 4
    whole = store.assignments(agency_ids=ids, roles=roles)
    for offset, limit in PAGES:
        total, rows = store.assignments_page(offset, limit, agency_ids=ids, roles=roles)
        assert total == len(whole)
        assert rows == whole[offset : offset + limit], (offset, limit)


def test_a_page_of_agencies_given_in_any_order_is_ordered_by_place(store: EmbeddedStore) -> None:
    ids = [a.id for a in store.agencies() if "科协" in a.name]
    whole = store.assignments(agency_ids=ids, roles=["lead"])
    total, rows = store.assignments_page(0, 30, agency_ids=list(reversed(ids)), roles=["lead"])
    assert (total, rows) == (len(whole), whole[:30])


def test_jurisdiction_reads_are_the_filtered_general_reads(store: EmbeddedStore) -> None:
    for place in (j.name for j in store.jurisdictions()):
        reads = _jurisdiction_reads(store, place)
        everything = store.assignments(roles=["lead", "support", "responsible"])
        assert reads["assignments"] == [r for r in everything if r.jurisdiction == place]
        assert reads["lead assignments"] == [r for r in reads["assignments"] if r.role == "lead"]
        assert reads["agencies without groups"] == [a for a in reads["agencies"] if not a.is_group]
        assert reads["tasks"] == [t for t in store.tasks() if t.jurisdiction == place]


def test_reads_follow_a_replaced_plan_as_a_fresh_store_would(store: EmbeddedStore, plans: list[Plan]) -> None:
    """Read everything (so it is cached), replace one plan by a changed version, read again: the
    answers are those of a store that only ever held the changed plans."""
    place = plans[0].jurisdiction.name
    before = _jurisdiction_reads(store, place)
    changed = plans[0].model_copy(deep=True)
    dropped = changed.actions[0].tasks.pop()  # the first action's last task, with its agencies
    assert any(r.task_id.endswith(f"t{changed.actions[0].seq}.{dropped.seq}") for r in before["assignments"])
    store.replace_plans([changed])
    after = _jurisdiction_reads(store, place)
    fresh = EmbeddedStore()
    fresh.replace_plans([changed, *plans[1:]])
    assert after == _jurisdiction_reads(fresh, place)
    assert len(after["tasks"]) == len(before["tasks"]) - 1
    assert len(after["assignments"]) == len(before["assignments"]) - sum(
        len(m) for m in (dropped.lead, dropped.support, dropped.responsible))
    others = plans[1].jurisdiction.name
    assert _jurisdiction_reads(store, others) == _jurisdiction_reads(fresh, others)


def test_reads_follow_a_replaced_plan_whose_own_fields_did_not_change(store: EmbeddedStore, plans: list[Plan]) -> None:
    """A new version of a plan with the same file, tasks and counts (only who leads one task
    changed): its Plan node's fields are equal to the old ones, yet the place's lists must change.
    Kept rows are not emptied by such a write, so they must tell the versions apart by identity."""
    place = plans[0].jurisdiction.name
    before = _jurisdiction_reads(store, place)
    changed = plans[0].model_copy(deep=True)
    task = next(t for a in changed.actions for t in a.tasks if t.lead)
    task.support, task.lead = [*task.lead, *task.support], []
    store.replace_plans([changed])
    after = _jurisdiction_reads(store, place)
    fresh = EmbeddedStore()
    fresh.replace_plans([changed, *plans[1:]])
    assert after == _jurisdiction_reads(fresh, place)
    assert after["lead assignments"] != before["lead assignments"]


def test_a_deleted_plan_leaves_no_rows_behind(store: EmbeddedStore, plans: list[Plan]) -> None:
    place = plans[0].jurisdiction.name
    assert _jurisdiction_reads(store, place)["tasks"]
    assert store.delete_plan(f"plan:{place}")
    assert all(rows == [] for rows in _jurisdiction_reads(store, place).values())


def test_rows_handed_out_cannot_be_changed_in_place(store: EmbeddedStore, plans: list[Plan]) -> None:
    """Rows are shared between requests: a caller that changed one would change it for all."""
    row = store.tasks(jurisdiction=plans[0].jurisdiction.name)[0]
    with pytest.raises(ValidationError):
        row.title = "changed"
    assert store.tasks(jurisdiction=plans[0].jurisdiction.name)[0].title != "changed"


def test_a_reopened_file_answers_as_the_store_that_wrote_it(tmp_path: Path, plans: list[Plan]) -> None:
    """A reopened file (another connection, as another process has) pages as the writer did."""
    written = EmbeddedStore(tmp_path / "g.db")
    written.replace_plans(plans)
    reopened = EmbeddedStore(tmp_path / "g.db")
    ids = [a.id for a in written.agencies() if "科协" in a.name]
    for roles in ROLE_SETS:
        assert reopened.assignments_page(0, 40, agency_ids=ids, roles=roles) == written.assignments_page(
            0, 40, agency_ids=ids, roles=roles)
