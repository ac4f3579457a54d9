"""The HTTP API answers the questions users bring, checked against what the seed plans say.

Expected answers come from ``tests/seed_truth.py`` (written by reading the plans), never from the
code's own output.
"""

from __future__ import annotations

import csv
import io
import json
import time
from collections import Counter

import httpx
import networkx as nx
import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import TOKEN
from tests.conftest import SEED_PATHS
from tests.seed_truth import EXPECTED, ES

FENGDU, WANNIAN, XINZHOU = "丰都县", "万年县", "忻州市"
SEED_OF = {s.name: key for key, s in EXPECTED.items()}


def truth(jurisdiction: str) -> ES:
    return EXPECTED[SEED_OF[jurisdiction]]


def truth_titles(jurisdiction: str, names: set[str], role: str | None = None) -> list[str]:
    """Titles of the tasks where one of ``names`` is named (in ``role``, or in any role)."""
    roles = [role] if role else ["lead", "support", "responsible"]
    return [
        t.title for a in truth(jurisdiction).actions for t in a.tasks
        if any(n in getattr(t, r) for r in roles for n in names)
    ]


# --- which tasks does an agency lead ---------------------------------------------------------


def test_health(client: TestClient) -> None:
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["jurisdictions"] == len(SEED_PATHS)


def test_health_says_warm_when_the_start_up_work_is_done(client: TestClient) -> None:
    deadline = time.monotonic() + 30
    while not client.get("/health").json()["warm"]:
        assert time.monotonic() < deadline, "the warm-up did not finish within 30 s on five plans"
        time.sleep(0.05)


def test_tasks_an_agency_leads_in_one_jurisdiction(client: TestClient) -> None:
    r = client.get("/tasks", params={"agency": "县科协", "role": "lead", "jurisdiction": FENGDU, "limit": 1000})
    assert r.status_code == 200
    body = r.json()
    expected = truth_titles(FENGDU, {"县科协"}, "lead")
    assert body["total"] == len(expected)
    assert [i["title"] for i in body["items"]] == expected
    for item in body["items"]:
        assert item["role"] == "lead"
        assert item["jurisdiction"] == FENGDU
        assert item["agency"]["name"] == "县科协" and item["agency"]["id"] == f"{FENGDU}:县科协"
        assert item["agency"]["kinds"] == ["science_association"]
        assert item["action"]["key"] and item["plan"] == f"plan:{FENGDU}"
        assert "县科协" in item["clause"]


def test_name_with_the_jurisdiction_in_front_means_the_same(client: TestClient) -> None:
    a = client.get("/tasks", params={"agency": "丰都县科协", "limit": 1000}).json()
    b = client.get("/tasks", params={"agency": "县科协", "jurisdiction": FENGDU, "limit": 1000}).json()
    assert a["total"] == b["total"] == len(truth_titles(FENGDU, {"县科协"}))
    assert a["items"] == b["items"]


def test_ambiguous_name_answers_for_every_jurisdiction_each_item_saying_which(client: TestClient) -> None:
    body = client.get("/tasks", params={"agency": "科协", "role": "lead", "limit": 1000}).json()
    per_place = Counter(i["jurisdiction"] for i in body["items"])
    for place in (s.name for s in EXPECTED.values()):
        assert per_place[place] == len(truth_titles(place, {"县科协", "市科协"}, "lead")), place
    assert {a["jurisdiction"] for a in body["agencies"]} == {s.name for s in EXPECTED.values()}
    assert body["agencies_total"] == len(EXPECTED)  # one 科协 per plan
    assert all(i["agency"]["id"].startswith(i["jurisdiction"] + ":") for i in body["items"])


def test_long_form_finds_the_agency_and_keeps_each_spelling_as_written(client: TestClient) -> None:
    body = client.get("/tasks", params={"agency": "县人力资源社会保障局", "jurisdiction": WANNIAN, "limit": 1000}).json()
    spellings = {"县人力资源社会保障局", "县人社局"}
    assert body["total"] == sum(
        1 for a in truth(WANNIAN).actions for t in a.tasks for r in ("lead", "support", "responsible")
        for n in getattr(t, r) if n in spellings
    )
    assert {i["agency"]["name"] for i in body["items"]} == spellings
    assert len({i["agency"]["id"] for i in body["items"]}) == 1


def test_short_form_finds_long_forms_in_other_plans(client: TestClient) -> None:
    """丰都县 writes 县人力社保局; a user asking for 县人社局 means it too."""
    body = client.get("/tasks", params={"agency": "县人社局", "limit": 1000}).json()
    assert FENGDU in {a["jurisdiction"] for a in body["agencies"]}
    fengdu = [i for i in body["items"] if i["jurisdiction"] == FENGDU]
    assert len(fengdu) == len(truth_titles(FENGDU, {"县人力社保局"}))


def test_responsible_is_never_reported_as_lead(client: TestClient) -> None:
    """万年县 names bodies jointly (按职责分工负责): asking who leads must not invent a lead."""
    lead = client.get("/tasks", params={"agency": "县科协", "jurisdiction": WANNIAN, "role": "lead"}).json()
    resp = client.get("/tasks", params={"agency": "县科协", "jurisdiction": WANNIAN, "role": "responsible",
                                        "limit": 1000}).json()
    assert lead["total"] == len(truth_titles(WANNIAN, {"县科协"}, "lead"))
    assert resp["total"] == len(truth_titles(WANNIAN, {"县科协"}, "responsible"))
    assert {i["role"] for i in resp["items"]} == {"responsible"}


def test_paging(client: TestClient) -> None:
    full = client.get("/tasks", params={"agency": "科协", "limit": 1000}).json()
    page = client.get("/tasks", params={"agency": "科协", "limit": 7, "offset": 5}).json()
    assert page["total"] == full["total"] and page["items"] == full["items"][5:12]


def test_search_tasks_by_words(client: TestClient) -> None:
    body = client.get("/tasks", params={"q": "智慧助老", "limit": 1000}).json()
    assert body["total"] >= len(EXPECTED)
    places = {i["jurisdiction"] for i in body["items"]}
    assert places == {s.name for s in EXPECTED.values()}  # every plan has the smart-help-for-the-elderly task


# --- one task, one jurisdiction ----------------------------------------------------------------


def test_task_detail_lists_agencies_by_role_with_source_location(client: TestClient) -> None:
    first = truth(FENGDU).actions[0].tasks[0]
    body = client.get(f"/tasks/{FENGDU}:t1.1").json()
    assert body["task"]["title"] == first.title
    assert [a["name"] for a in body["lead"]] == first.lead
    assert body["lead"][0]["kinds"] == ["education"]  # 县教委 is the education authority
    assert [a["name"] for a in body["support"]] == first.support
    assert body["responsible"] == []
    start, end = body["task"]["span"]
    text = SEED_PATHS[4].read_text(encoding="utf-8")
    assert first.title in text[start:end]


def test_action_leads_shown_on_a_task(client: TestClient) -> None:
    body = client.get(f"/tasks/{WANNIAN}:t1.1").json()
    assert [a["name"] for a in body["action_leads"]] == truth(WANNIAN).actions[0].leads


def test_jurisdiction_profile(client: TestClient) -> None:
    body = client.get(f"/jurisdictions/{FENGDU}").json()
    t = truth(FENGDU)
    assert body["jurisdiction"]["period"] == t.period
    assert [len(a["tasks"]) for a in body["actions"]] == t.tasks_per_action
    loads = {x["agency"]["name"]: x for x in body["agencies"]}
    assert loads["县科协"]["lead"] == len(truth_titles(FENGDU, {"县科协"}, "lead"))
    assert loads["县科协"]["support"] == len(truth_titles(FENGDU, {"县科协"}, "support"))
    assert {g["name"] for g in body["groups"]} == {"县级各部门", "各乡镇（街道）"}


def test_jurisdictions_list(client: TestClient) -> None:
    body = client.get("/jurisdictions").json()
    assert sorted(j["name"] for j in body) == sorted(s.name for s in EXPECTED.values())
    by_name = {j["name"]: j for j in body}
    for s in EXPECTED.values():
        assert by_name[s.name]["tasks"] == sum(s.tasks_per_action)


def test_agencies_and_one_agency(client: TestClient) -> None:
    listed = client.get("/agencies", params={"jurisdiction": FENGDU, "q": "科协"}).json()
    assert [a["name"] for a in listed] == ["县科协"]
    detail = client.get(f"/agencies/{FENGDU}:县科协").json()
    assert detail["load"]["lead"] == len(truth_titles(FENGDU, {"县科协"}, "lead"))
    assert "science_association" in detail["agency"]["kinds"]


def test_who_works_with_whom(client: TestClient) -> None:
    body = client.get("/collaborators", params={"agency": "县科协", "jurisdiction": FENGDU}).json()
    (entry,) = body
    shared: Counter[str] = Counter()
    for a in truth(FENGDU).actions:
        for t in a.tasks:
            named = set(t.lead + t.support + t.responsible)
            if "县科协" in named:
                shared.update(named - {"县科协"})
    got = {c["agency"]["canonical"]: c["shared_tasks"] for c in entry["collaborators"]}
    top = shared.most_common(3)
    for name, count in top:
        assert got[name] == count


def test_compare(client: TestClient) -> None:
    same = client.get("/compare", params={"a": FENGDU, "b": FENGDU}).json()
    assert same["similarity"] == pytest.approx(1.0)
    other = client.get("/compare", params={"a": FENGDU, "b": WANNIAN}).json()
    assert 0 < other["similarity"] < 1
    keys_a = [a.key for a in truth(FENGDU).actions]
    keys_b = {a.key for a in truth(WANNIAN).actions}
    assert [s["key"] for s in other["shared_actions"]] == [k for k in keys_a if k in keys_b]
    assert other["only_a"] == ["talent"] and other["only_b"] == ["science_resources"]
    youth = next(s for s in other["shared_actions"] if s["key"] == "youth")
    assert "education" in youth["common_lead_kinds"]


# --- exports ----------------------------------------------------------------------------------


def test_csv_export_one_row_per_agency_task_edge(client: TestClient) -> None:
    r = client.get("/export/csv", params={"jurisdiction": FENGDU})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    t = truth(FENGDU)
    assert len(rows) == t.lead_edges + t.support_edges + t.responsible_edges
    assert Counter(row["role"] for row in rows) == Counter(
        {"lead": t.lead_edges, "support": t.support_edges}
    )


def test_json_and_graphml_exports(client: TestClient) -> None:
    doc = client.get("/export/json", params={"jurisdiction": XINZHOU}).json()
    (one,) = doc["jurisdictions"]
    assert len(one["tasks"]) == sum(truth(XINZHOU).tasks_per_action)
    graphml = client.get("/export/graphml", params={"jurisdiction": XINZHOU}).text
    g = nx.read_graphml(io.StringIO(graphml))
    assert sum(1 for _, d in g.nodes(data=True) if d["label"] == "Task") == sum(truth(XINZHOU).tasks_per_action)
    whole = client.get("/export/json").json()
    assert len(whole["jurisdictions"]) == len(EXPECTED)


# --- errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path,params,kind", [
    ("/tasks", {"agency": "县科协会"}, "agency"),
    ("/tasks", {"agency": "县科协", "jurisdiction": "丰都市"}, "jurisdiction"),
    ("/jurisdictions/丰度县", {}, "jurisdiction"),
    ("/agencies/丰都县:县宇宙局", {}, "agency"),
    ("/tasks/丰都县:t99.1", {}, "task"),
    ("/compare", {"a": FENGDU, "b": "万年"}, "jurisdiction"),
    ("/export/csv", {"jurisdiction": "无此县"}, "jurisdiction"),
])
def test_unknown_names_are_404_with_suggestions(client: TestClient, path: str, params: dict, kind: str) -> None:
    r = client.get(path, params=params)
    assert r.status_code == 404
    body = r.json()
    assert body["kind"] == kind and isinstance(body["suggestions"], list)
    assert body["name"] in body["detail"]


def test_suggestions_are_close_names(client: TestClient) -> None:
    body = client.get("/tasks", params={"agency": "县科协会"}).json()
    assert "县科协" in body["suggestions"]
    body = client.get("/jurisdictions/丰度县").json()
    assert body["suggestions"][0] == FENGDU


@pytest.mark.parametrize("params", [
    {"role": "boss"}, {"limit": 0}, {"limit": 5000}, {"offset": -1}, {"agency": "科" * 101}, {"agency": ""},
])
def test_bad_parameters_are_422(client: TestClient, params: dict) -> None:
    assert client.get("/tasks", params=params).status_code == 422


def test_unknown_export_format_is_422(client: TestClient) -> None:
    assert client.get("/export/xlsx").status_code == 422


# --- loading over HTTP ------------------------------------------------------------------------


def test_upload_is_off_without_a_configured_token(client: TestClient) -> None:
    r = client.post("/plans", files={"file": ("p.txt", b"x")}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 403


def test_upload_needs_the_right_token(upload_client: TestClient) -> None:
    r = upload_client.post("/plans", files={"file": ("p.txt", SEED_PATHS[4].read_bytes())},
                           headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 401


def test_upload_replaces_a_plan_without_duplicating_it(upload_client: TestClient) -> None:
    before = upload_client.get(f"/jurisdictions/{FENGDU}").json()
    r = upload_client.post("/plans", files={"file": (SEED_PATHS[4].name, SEED_PATHS[4].read_bytes())},
                           headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 201, r.text
    assert r.json()["replaced"] is True and r.json()["tasks"] == sum(truth(FENGDU).tasks_per_action)
    after = upload_client.get(f"/jurisdictions/{FENGDU}").json()
    assert after == before


def test_upload_of_a_new_plan_makes_it_answerable(upload_client: TestClient) -> None:
    text = SEED_PATHS[4].read_text(encoding="utf-8").replace("丰都", "临江")
    r = upload_client.post("/plans", files={"file": ("linjiang.txt", text.encode("gb18030"))},
                           headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 201, r.text
    body = upload_client.get("/tasks", params={"agency": "临江县科协", "role": "lead", "limit": 1000}).json()
    assert body["total"] == len(truth_titles(FENGDU, {"县科协"}, "lead"))


@pytest.mark.parametrize("payload,status", [
    (b"", 422), (bytes(range(256)) * 10, 422), ("会议通知\n请准时参加。".encode(), 422), (b"x" * 300_000, 413),
])
def test_bad_uploads_are_refused_with_a_reason(upload_client: TestClient, payload: bytes, status: int) -> None:
    before = upload_client.get("/jurisdictions").json()
    r = upload_client.post("/plans", files={"file": ("bad.txt", payload)}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == status
    assert "bad.txt" in r.json()["detail"]
    assert upload_client.get("/jurisdictions").json() == before


# --- a real server, real HTTP ------------------------------------------------------------------


def test_real_server_answers_over_http(live_server: str) -> None:
    r = httpx.get(f"{live_server}/tasks", params={"agency": "县科协", "role": "lead", "jurisdiction": FENGDU})
    assert r.status_code == 200
    assert r.json()["total"] == len(truth_titles(FENGDU, {"县科协"}, "lead"))
    assert httpx.get(f"{live_server}/jurisdictions/不存在县").status_code == 404
    assert httpx.get(f"{live_server}/docs").status_code == 200


# --- the document of the API --------------------------------------------------------------------


def test_every_endpoint_is_documented_with_an_example(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    missing = []
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            text = json.dumps(op, ensure_ascii=False)
            if '"example"' not in text and '"examples"' not in text:
                missing.append(f"{method.upper()} {path}")
            if not op.get("description") and not op.get("summary"):
                missing.append(f"{method.upper()} {path} (no description)")
    assert not missing, missing
