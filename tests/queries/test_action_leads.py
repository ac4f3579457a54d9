"""Action-level leads (〔牵头部门：…〕) in every answer about leading, checked against 万年县's text.

万年县's plan names leads per action, not per task (tests/seed_truth.py, S003): 22 action-level
leads, 县科协 leading 5 actions, the farmers action led by 县农业农村局 and 县乡村振兴局 while 18
bodies are "responsible" for its first task. Answers come through the CLI (a subprocess, as a user
runs it), the API and the exports.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest
from fastapi.testclient import TestClient

from tests.seed_truth import EXPECTED

WANNIAN = EXPECTED["003"]
FENGDU = EXPECTED["004"]
KEXIE = "县科协"


def _truth_action_leads() -> list[tuple[str, str]]:
    return [(a.key, lead) for a in WANNIAN.actions for lead in a.leads]


def _led_by(agency: str) -> list[str]:
    return [a.key for a in WANNIAN.actions if agency in a.leads]


def _titles(key: str) -> list[str]:
    return [t.title for a in WANNIAN.actions if a.key == key for t in a.tasks]


def _task_edges(agency: str, roles: tuple[str, ...]) -> int:
    return sum((agency in t.lead) * ("lead" in roles) + (agency in t.support) * ("support" in roles)
               + (agency in t.responsible) * ("responsible" in roles)
               for a in WANNIAN.actions for t in a.tasks)


def test_the_oracle_says_what_the_issue_says() -> None:
    assert len(_truth_action_leads()) == WANNIAN.action_lead_edges == 22
    assert len(_led_by(KEXIE)) == 5
    assert next(a.leads for a in WANNIAN.actions if a.key == "farmers") == ["县农业农村局", "县乡村振兴局"]


def _cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PLANGRAPH_DB": str(db), "COLUMNS": "240"}
    return subprocess.run([sys.executable, "-m", "plangraph", *args], env=env, capture_output=True, text=True,
                          timeout=120)


# --- /tasks and plangraph tasks -------------------------------------------------------------------


def test_tasks_an_agency_leads_include_the_actions_it_leads(client: TestClient) -> None:
    body = client.get("/tasks", params={"agency": KEXIE, "role": "lead", "jurisdiction": WANNIAN.name}).json()
    assert body["total"] == _task_edges(KEXIE, ("lead",)) == 0  # no task names 县科协 as its lead
    assert body["items"] == []
    assert body["action_leads_total"] == 5
    assert [x["key"] for x in body["action_leads"]] == _led_by(KEXIE)
    for item in body["action_leads"]:
        assert item["jurisdiction"] == WANNIAN.name and item["agency"]["name"] == KEXIE
        assert item["title"] == next(a.title for a in WANNIAN.actions if a.key == item["key"])
        assert [t["title"] for t in item["tasks"]] == _titles(item["key"])
        assert item["agency"]["kinds"] == ["science_association"]


def test_task_items_stay_as_they_were_and_roles_choose_the_action_leads(client: TestClient) -> None:
    params = {"agency": KEXIE, "jurisdiction": WANNIAN.name, "limit": 1000}
    every = client.get("/tasks", params=params).json()
    assert every["total"] == _task_edges(KEXIE, ("lead", "support", "responsible"))
    assert [x["key"] for x in every["action_leads"]] == _led_by(KEXIE)  # no role: all roles, action leads too
    for role in ("support", "responsible"):
        one = client.get("/tasks", params={**params, "role": role}).json()
        assert one["total"] == _task_edges(KEXIE, (role,))
        assert one["action_leads"] == [] and one["action_leads_total"] == 0
        assert {i["role"] for i in one["items"]} == {role}


def test_every_action_lead_of_a_plan_and_paging(client: TestClient) -> None:
    body = client.get("/tasks", params={"role": "lead", "jurisdiction": WANNIAN.name, "limit": 1000}).json()
    assert body["total"] == WANNIAN.lead_edges
    assert body["action_leads_total"] == 22
    assert [(x["key"], x["agency"]["name"]) for x in body["action_leads"]] == _truth_action_leads()
    page = client.get("/tasks", params={"role": "lead", "jurisdiction": WANNIAN.name, "limit": 5,
                                        "offset": 20}).json()
    assert [(x["key"], x["agency"]["name"]) for x in page["action_leads"]] == _truth_action_leads()[20:25]
    assert page["action_leads_total"] == 22


def test_words_narrow_the_actions_to_those_with_a_matching_task(client: TestClient) -> None:
    body = client.get("/tasks", params={"agency": KEXIE, "role": "lead", "jurisdiction": WANNIAN.name,
                                        "q": "交流"}).json()
    expected = [(a.key, [t.title for t in a.tasks if "交流" in t.title]) for a in WANNIAN.actions
                if KEXIE in a.leads and any("交流" in t.title for t in a.tasks)]
    # a task's text may match where its title does not: every title that matches is there
    got = {x["key"]: [t["title"] for t in x["tasks"]] for x in body["action_leads"]}
    for key, titles in expected:
        assert set(titles) <= set(got[key])
    assert set(got) <= set(_led_by(KEXIE))


def test_cli_tasks_shows_the_actions_an_agency_leads(seeded_db: Path) -> None:
    args = ("tasks", "--agency", KEXIE, "--role", "lead", "--jurisdiction", WANNIAN.name)
    done = _cli(seeded_db, *args, "--json")
    assert done.returncode == 0, done.stderr
    body = json.loads(done.stdout)
    assert [x["key"] for x in body["action_leads"]] == _led_by(KEXIE)
    assert [[t["title"] for t in x["tasks"]] for x in body["action_leads"]] == [_titles(k) for k in _led_by(KEXIE)]
    table = _cli(seeded_db, *args)
    assert table.returncode == 0, table.stderr
    assert "0 tasks" in table.stdout and "5 actions led as a whole" in table.stdout
    for key in _led_by(KEXIE):
        assert key in table.stdout


# --- agency and jurisdiction --------------------------------------------------------------------


def test_cli_agency_shows_the_actions_it_leads(seeded_db: Path, client: TestClient) -> None:
    done = _cli(seeded_db, "agency", KEXIE, "--jurisdiction", WANNIAN.name, "--json")
    assert done.returncode == 0, done.stderr
    (entry,) = json.loads(done.stdout)
    assert [x["key"] for x in entry["action_leads"]] == _led_by(KEXIE)
    table = _cli(seeded_db, "agency", KEXIE, "--jurisdiction", WANNIAN.name)
    assert "leads 5 actions as a whole" in table.stdout
    detail = client.get(f"/agencies/{entry['agency']['id']}").json()
    assert [x["key"] for x in detail["action_leads"]] == _led_by(KEXIE)
    assert detail["load"]["action_leads"] == 5


def test_cli_jurisdiction_shows_action_leads(seeded_db: Path) -> None:
    done = _cli(seeded_db, "jurisdiction", WANNIAN.name, "--json")
    assert done.returncode == 0, done.stderr
    profile = json.loads(done.stdout)
    assert [(a["action"]["key"], a["leads"]) for a in profile["actions"]] == [(a.key, a.leads) for a in WANNIAN.actions]
    loads = {x["agency"]["name"]: x["action_leads"] for x in profile["agencies"]}
    assert loads[KEXIE] == 5 and sum(loads.values()) == 22
    table = _cli(seeded_db, "jurisdiction", WANNIAN.name)
    assert "actions led" in table.stdout and "县农业农村局、县乡村振兴局" in table.stdout


# --- one definition of who leads: compare and overlap ---------------------------------------------


def _agencies_named(client: TestClient, place: str, names: list[str]) -> list[dict]:
    """The agencies the plan's spellings name (县人社局 and 县人力资源社会保障局 are one), once each."""
    rows = client.get("/agencies", params={"jurisdiction": place}).json()
    found = [next(r for r in rows if name == r["name"] or name in r["spellings"]) for name in names]
    return list({r["id"]: r for r in found}.values())


def _kinds_of(client: TestClient, place: str, names: list[str]) -> set[str]:
    return {k for r in _agencies_named(client, place, names) for k in (r["kinds"] or ["unknown"])}


def test_compare_counts_task_and_action_leads_never_the_responsible(seeded_db: Path, client: TestClient) -> None:
    done = _cli(seeded_db, "compare", FENGDU.name, WANNIAN.name, "--json")
    assert done.returncode == 0, done.stderr
    shared = {s["key"]: s for s in json.loads(done.stdout)["shared_actions"]}
    farmers = shared["farmers"]["b"]["lead_kinds"]
    assert set(farmers) == _kinds_of(client, WANNIAN.name, ["县农业农村局", "县乡村振兴局"])
    assert len(farmers) <= 2  # not the 25 kinds of every body "responsible" for its tasks
    for action in WANNIAN.actions:
        if action.key in shared:
            named = action.leads + [n for t in action.tasks for n in t.lead]
            assert set(shared[action.key]["b"]["lead_kinds"]) == _kinds_of(client, WANNIAN.name, named), action.key
    api = client.get("/compare", params={"a": FENGDU.name, "b": WANNIAN.name}).json()
    assert {s["key"]: s["b"]["lead_kinds"] for s in api["shared_actions"]} == \
        {k: s["b"]["lead_kinds"] for k, s in shared.items()}


def test_overlap_reads_leads_as_compare_does(client: TestClient) -> None:
    body = client.get("/overlap", params=[("jurisdiction", FENGDU.name), ("jurisdiction", WANNIAN.name)]).json()
    sides = [s for theme in body["shared_themes"] for s in theme["sides"] if s["jurisdiction"] == WANNIAN.name]
    assert sides
    by_title = {t.title: (a, t) for a in WANNIAN.actions for t in a.tasks}
    for side in sides:
        action, task = by_title[side["task_title"]]
        expected = ("lead", task.lead) if task.lead else ("action_lead", action.leads)
        assert side["lead_basis"] == expected[0], side
        assert [x["id"] for x in side["leads"]] == [r["id"] for r in _agencies_named(client, WANNIAN.name, expected[1])]


# --- exports ----------------------------------------------------------------------------------


def test_csv_export_has_one_row_per_action_lead(client: TestClient, seeded_db: Path, tmp_path: Path) -> None:
    api = client.get("/export/csv", params={"jurisdiction": WANNIAN.name}).text
    out = tmp_path / "edges.csv"
    done = _cli(seeded_db, "export", "csv", "-o", str(out), "--jurisdiction", WANNIAN.name)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().decode("utf-8") == api
    rows = list(csv.DictReader(io.StringIO(api)))
    leads = [r for r in rows if r["role"] == "action_lead"]
    assert [(r["action_key"], r["spelling"]) for r in leads] == _truth_action_leads()
    assert all(r["task_id"] == r["task_seq"] == r["task_title"] == "" for r in leads)
    assert Counter(r["role"] for r in rows if r["role"] != "action_lead") == Counter(
        {"lead": WANNIAN.lead_edges, "support": WANNIAN.support_edges, "responsible": WANNIAN.responsible_edges})


def test_json_export_carries_action_leads(client: TestClient) -> None:
    (doc,) = client.get("/export/json", params={"jurisdiction": WANNIAN.name}).json()["jurisdictions"]
    assert [(x["action_key"], x["spelling"]) for x in doc["action_leads"]] == _truth_action_leads()


@pytest.mark.parametrize("place", [WANNIAN, FENGDU], ids=["万年县", "丰都县"])
def test_graphml_export_has_action_nodes_and_their_leads(client: TestClient, place) -> None:
    g = nx.read_graphml(io.StringIO(client.get("/export/graphml", params={"jurisdiction": place.name}).text))
    labels = {n: d["label"] for n, d in g.nodes(data=True)}
    actions = [n for n, label in labels.items() if label == "Action"]
    assert sorted(g.nodes[n]["action"] for n in actions) == sorted(a.key for a in place.actions)
    led = [(g.nodes[v]["action"], g.nodes[u]["name"]) for u, v, d in g.edges(data=True)
           if d.get("role") == "action_lead"]
    assert all(d["type"] == "LEADS" for _, _, d in g.edges(data=True) if d.get("role") == "action_lead")
    assert len(led) == place.action_lead_edges
    assert sum(1 for u, v, d in g.edges(data=True) if d.get("type") == "HAS_TASK") == sum(place.tasks_per_action)
    if place is WANNIAN:
        assert {k for k, _ in led} == {a.key for a in WANNIAN.actions}
        assert Counter(k for k, _ in led) == Counter(k for k, _ in _truth_action_leads())
