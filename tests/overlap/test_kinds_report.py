"""Agency kinds in answers: the seeds' bodies line up by kind, and names the kinds file does not
know are reported (API and command line), never dropped.

Expected values were read in the plans: each plan's education authority is named in its youth
action's clauses (沁源县 县教育局, 正宁县 县教育局, 忻州市 市教育局, 万年县 县教体局, 丰都县 县教委); 沁源县
names the merged 县发改和科技局 (development and reform + science and technology).
"""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from plangraph.api.app import create_app
from plangraph.api.settings import ApiSettings
from plangraph.cli import app
from plangraph.graph.store import GraphStore, open_store
from tests.overlap.conftest import INVENTED_PLACE, MERGED_NAME, UNKNOWN_NAME
from tests.seed_truth import EXPECTED, SAME_AGENCY

EDUCATION = {"沁源县": "县教育局", "正宁县": "县教育局", "忻州市": "市教育局", "万年县": "县教体局", "丰都县": "县教委"}
AGENCY_FIELDS = {"id", "jurisdiction", "name", "spellings", "kinds", "kinds_guessed"}
runner = CliRunner()


def cli(db: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "--db", str(db)])
    return result.exit_code, result.stdout, result.stderr


def test_the_five_education_authorities_share_the_kind_education(store: GraphStore, client: TestClient) -> None:
    for place, name in EDUCATION.items():
        (agency,) = store.agencies(jurisdiction=place, name=name)
        assert "education" in agency.kinds and not agency.kinds_guessed, (place, agency)
    by_kind = client.get("/agencies", params={"kind": "education"}).json()
    assert {(a["jurisdiction"], a["name"]) for a in by_kind} == set(EDUCATION.items())


def test_a_merged_body_has_both_its_kinds(store: GraphStore) -> None:
    (agency,) = store.agencies(jurisdiction="沁源县", name="县发改和科技局")
    assert set(agency.kinds) == {"development_reform", "science_technology"}
    assert not agency.kinds_guessed


def test_no_seed_agency_is_without_a_kind_or_guessed(store: GraphStore, client: TestClient, seed_db: Path) -> None:
    agencies = store.agencies()
    assert {a.jurisdiction for a in agencies} == {s.name for s in EXPECTED.values()}
    for a in agencies:
        assert a.kinds and "unknown" not in a.kinds and not a.kinds_guessed, a
    assert client.get("/kinds/unknown").json() == []
    code, out, _ = cli(seed_db, "agencies", "--guessed", "--json")
    assert code == 0 and json.loads(out) == []


def test_agencies_json_lists_every_agency_with_its_kinds(store: GraphStore, seed_db: Path) -> None:
    code, out, _ = cli(seed_db, "agencies", "--json")
    assert code == 0
    rows = json.loads(out)
    assert len(rows) == len(store.agencies())
    assert all(AGENCY_FIELDS <= set(r) for r in rows)
    by_id = {r["id"]: r for r in rows}
    assert by_id["丰都县:县教委"]["kinds"] == ["education"]
    for seed, spellings in SAME_AGENCY:
        place = EXPECTED[seed].name
        found = [r for r in rows if r["jurisdiction"] == place and set(spellings) <= set(r["spellings"])]
        assert len(found) == 1, (place, spellings)


def test_agencies_command_filters_by_jurisdiction_and_kind(seed_db: Path) -> None:
    code, out, _ = cli(seed_db, "agencies", "--kind", "education", "--json")
    assert code == 0
    assert {(r["jurisdiction"], r["name"]) for r in json.loads(out)} == set(EDUCATION.items())
    code, out, _ = cli(seed_db, "agencies", "--jurisdiction", "丰都县", "--no-groups", "--json")
    rows = json.loads(out)
    assert code == 0 and rows and all(r["jurisdiction"] == "丰都县" and not r["is_group"] for r in rows)
    code, _, err = cli(seed_db, "agencies", "--jurisdiction", "丰都")
    assert code == 1 and "丰都县" in err  # unknown name: exit 1 with the closest names


def test_kinds_list_labels_and_counts(client: TestClient, seed_db: Path) -> None:
    kinds = {k["key"]: k for k in client.get("/kinds").json()}
    assert kinds["education"]["agencies"] == len(EDUCATION)
    assert kinds["education"]["label"] and kinds["education"]["label_en"]
    assert kinds["science_association"]["agencies"] == 5  # every seed names its 科协
    assert kinds["townships"]["group"] is True
    used = client.get("/kinds", params={"used": True}).json()
    assert used and all(k["agencies"] > 0 for k in used)
    code, out, _ = cli(seed_db, "kinds", "--used", "--json")
    assert code == 0 and json.loads(out) == used


def test_names_the_kinds_file_does_not_know_are_reported(mixed_db: Path) -> None:
    graph = open_store("embedded", db=mixed_db)
    with TestClient(create_app(graph, ApiSettings(api_token=None))) as c:
        reported = {a["name"]: a for a in c.get("/kinds/unknown").json()}
        only_there = c.get("/kinds/unknown", params={"jurisdiction": INVENTED_PLACE}).json()
        everyone = c.get("/agencies", params={"jurisdiction": INVENTED_PLACE}).json()
    assert set(reported) == {UNKNOWN_NAME, MERGED_NAME}
    assert {a["name"] for a in only_there} == set(reported)
    assert reported[UNKNOWN_NAME]["kinds"] == ["unknown"] and reported[UNKNOWN_NAME]["kinds_guessed"]
    merged = reported[MERGED_NAME]
    assert merged["kinds_guessed"] and {"health", "science_technology"} <= set(merged["kinds"])
    assert {a["name"] for a in everyone} == {UNKNOWN_NAME, MERGED_NAME, "县科协"}  # listed, not dropped
    code, out, err = cli(mixed_db, "agencies", "--guessed", "--json")
    assert code == 0 and {r["name"] for r in json.loads(out)} == set(reported)
    assert "2 agencies with guessed kinds" in err
