"""Maps served by the API: offline HTML pages drawn from the store, the same as from the files."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from plangraph.loaders import parse_file
from plangraph.queries.plans import stored_plan
from plangraph.viz.html import remote_references
from plangraph.viz.views import jurisdiction_map
from tests.conftest import SEED_PATHS
from tests.seed_truth import EXPECTED

FENGDU = "丰都县"


@pytest.mark.parametrize("url", [
    f"/maps/jurisdictions/{FENGDU}",
    f"/maps/jurisdictions/{FENGDU}?action=youth&role=lead",
    "/maps/agencies/县科协",
    f"/maps/agencies/县教委?jurisdiction={FENGDU}",
    "/maps/kinds/education",
    f"/maps/compare?jurisdiction={FENGDU}&jurisdiction=万年县",
])
def test_map_pages_are_offline_html(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 200, r.text[:300]
    assert r.headers["content-type"].startswith("text/html")
    assert '<meta charset="utf-8">' in r.text.lower().replace("'", '"')
    assert remote_references(r.text) == []


def test_jurisdiction_map_from_the_store_draws_what_the_file_says(client: TestClient) -> None:
    from_store = jurisdiction_map(stored_plan(client.app.state.catalog, FENGDU))
    from_file = jurisdiction_map(parse_file(SEED_PATHS[4]))
    assert sum(1 for n in from_file.nodes if n.kind == "task") == sum(EXPECTED["004"].tasks_per_action)
    assert {n.id for n in from_store.nodes} == {n.id for n in from_file.nodes}
    edges = lambda d: sorted((e.source, e.target, e.kind) for e in d.edges)  # noqa: E731
    assert edges(from_store) == edges(from_file)


@pytest.mark.parametrize("url,status", [
    ("/maps/jurisdictions/丰度县", 404),
    ("/maps/agencies/县宇宙局", 404),
    ("/maps/kinds/no_such_kind", 404),
    (f"/maps/compare?jurisdiction={FENGDU}", 422),
    (f"/maps/jurisdictions/{FENGDU}?role=boss", 422),
    (f"/maps/jurisdictions/{FENGDU}?max_nodes=1", 422),
])
def test_map_errors(client: TestClient, url: str, status: int) -> None:
    assert client.get(url).status_code == status


@pytest.mark.parametrize("url", [
    f"/maps/jurisdictions/{FENGDU}?action=yuoth",
    f"/maps/compare?jurisdiction={FENGDU}&jurisdiction=万年县&action=0.55",
    "/maps/agencies/县科协?action=youth&action=nonesuch",
])
def test_an_action_filter_naming_no_action_is_a_404_with_suggestions(client: TestClient, url: str) -> None:
    """A typo in a filter is the client's mistake, said as such, never a silently empty map."""
    r = client.get(url)
    assert r.status_code == 404, r.text[:300]
    body = r.json()
    assert body["kind"] == "action" and body["name"] in url
    if body["name"] == "yuoth":
        assert "youth" in body["suggestions"]
