"""Where plans overlap: shared themes with who leads each (by kind), the similarity figure, the
matrix (JSON, CSV) and the commands.

The leads below were read in the plans' clauses: the task's own "牵头" bodies; where the plan names
none (万年县 writes 〔…按职责分工负责〕 under each task), the 〔牵头部门：…〕 of the action. The kinds
of each body are those the issue and the kinds file give (县卫体局 is health and sports, 县教体局
education and sports).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from plangraph.cli import app
from plangraph.queries import NameCatalog, compare
from plangraph.queries.overlap import MAX_MATRIX, TooLarge, overlap, overlap_matrix
from tests.seed_truth import EXPECTED, SAME_AGENCY

QINYUAN, ZHENGNING, XINZHOU, WANNIAN, FENGDU = (EXPECTED[k].name for k in ("000", "001", "002", "003", "004"))
ALL = [QINYUAN, ZHENGNING, XINZHOU, WANNIAN, FENGDU]

KIND_OF: dict[str, set[str]] = {
    "县科协": {"science_association"}, "市科协": {"science_association"},
    "县民政局": {"civil_affairs"}, "市民政局": {"civil_affairs"},
    "县卫体局": {"health", "sports"}, "县卫健委": {"health"},
    "县委组织部": {"organization_dept"}, "县委宣传部": {"propaganda"}, "市委宣传部": {"propaganda"},
    "县应急局": {"emergency"}, "县应急管理局": {"emergency"}, "市应急局": {"emergency"},
    "县教育局": {"education"}, "市教育局": {"education"}, "县教委": {"education"},
    "县教体局": {"education", "sports"}, "团县委": {"youth_league"},
    "县总工会": {"trade_union"}, "市总工会": {"trade_union"}, "县工信局": {"industry_it"},
    "县人力社保局": {"human_resources"}, "县科技局": {"science_technology"},
    "县农业农村局": {"agriculture_rural"}, "市农业农村局": {"agriculture_rural"},
    "县农业农村委": {"agriculture_rural"}, "县乡村振兴局": {"rural_revitalization"},
}

Leads = dict[str, tuple[str, list[str]]]
LEADS: dict[str, tuple[Leads, set[str]]] = {
    "实施智慧助老行动": ({
        QINYUAN: ("lead", ["县科协", "县民政局", "县卫体局"]), ZHENGNING: ("lead", ["县民政局"]),
        XINZHOU: ("lead", ["市民政局"]), WANNIAN: ("action_lead", ["县卫健委", "县民政局"]),
        FENGDU: ("lead", ["县委组织部", "县民政局", "县科协"]),
    }, {"civil_affairs"}),
    "实施银龄科普行动": ({
        QINYUAN: ("lead", ["县科协", "县民政局", "县卫体局"]), ZHENGNING: ("lead", ["县科协"]),
        XINZHOU: ("lead", ["市民政局", "市科协"]), WANNIAN: ("action_lead", ["县卫健委", "县民政局"]),
        FENGDU: ("lead", ["县科协"]),
    }, set()),
    "建立应急科普宣教协同机制": ({
        QINYUAN: ("lead", ["县科协"]), ZHENGNING: ("lead", ["县应急局"]),
        XINZHOU: ("lead", ["市科协", "市委宣传部", "市应急局"]),
        WANNIAN: ("action_lead", ["县应急管理局", "县卫健委"]), FENGDU: ("lead", ["县应急管理局", "县科协"]),
    }, set()),
    "实施科学家精神进校园行动": ({
        QINYUAN: ("lead", ["县教育局", "县科协"]), ZHENGNING: ("lead", ["县教育局", "团县委"]),
        XINZHOU: ("lead", ["市教育局"]), WANNIAN: ("action_lead", ["县教体局", "县科协"]),
        FENGDU: ("lead", ["县教委"]),
    }, {"education"}),
    "开展理想信念和职业精神宣传教育": ({
        QINYUAN: ("lead", ["县总工会", "县工信局"]), ZHENGNING: ("lead", ["县总工会"]),
        XINZHOU: ("lead", ["市总工会"]), WANNIAN: ("lead", ["县委宣传部", "县总工会"]),
        FENGDU: ("lead", ["县人力社保局", "县总工会"]),
    }, {"trade_union"}),
    "实施高素质农民培育计划": ({
        QINYUAN: ("lead", ["县农业农村局", "县科协"]), ZHENGNING: ("lead", ["县农业农村局", "县科技局", "县科协"]),
        XINZHOU: ("lead", ["市农业农村局"]), WANNIAN: ("action_lead", ["县农业农村局", "县乡村振兴局"]),
        FENGDU: ("lead", ["县农业农村委", "县科协"]),
    }, {"agriculture_rural"}),
}
SPELLINGS = {n: set(group) for _, group in SAME_AGENCY for n in group}
runner = CliRunner()


def same_body(written: str, stored: str) -> bool:
    return stored == written or stored in SPELLINGS.get(written, set())


@pytest.fixture(scope="module")
def five(client: TestClient) -> dict:
    r = client.get("/overlap", params={"jurisdiction": ALL})
    assert r.status_code == 200, r.text
    return r.json()


@pytest.mark.parametrize("label", list(LEADS))
def test_shared_theme_leads_by_kind_in_all_five(five: dict, label: str) -> None:
    expected, common = LEADS[label]
    (theme,) = [t for t in five["shared_themes"] if t["label"] == label]
    assert [s["jurisdiction"] for s in theme["sides"]] == ALL
    for side in theme["sides"]:
        basis, names = expected[side["jurisdiction"]]
        assert side["lead_basis"] == basis, side
        stored = [a["name"] for a in side["leads"]]
        assert len(stored) == len(names) and all(any(same_body(n, s) for s in stored) for n in names), side
        assert set(side["lead_kinds"]) == set().union(*(KIND_OF[n] for n in names)), side
        assert all(a["kinds"] and not a["kinds_guessed"] for a in side["leads"])
    assert set(theme["common_lead_kinds"]) == common


def test_five_way_overlap_figures(five: dict, client: TestClient) -> None:
    assert five["jurisdictions"] == ALL
    assert set(five["themes"]) == set(ALL) and all(n > 0 for n in five["themes"].values())
    assert len(five["pairs"]) == 10
    assert five["similarity"] == pytest.approx(sum(p["similarity"] for p in five["pairs"]) / 10, abs=1e-4)
    assert 0 < five["theme_overlap"] < 1
    for pair in five["pairs"][:3]:
        compared = client.get("/compare", params={"a": pair["a"], "b": pair["b"]}).json()
        assert pair["similarity"] == compared["similarity"]
        assert pair["shared_themes"] == len(compared["shared_themes"])
        assert pair["theme_overlap"] == compared["theme_overlap"]
    shared = {t["id"] for t in five["shared_themes"]}
    for place, only in five["only"].items():
        assert not shared & set(only), place


def test_compare_keeps_its_fields_and_adds_themes(client: TestClient) -> None:
    body = client.get("/compare", params={"a": FENGDU, "b": WANNIAN}).json()
    old = {"a", "b", "shared_actions", "only_a", "only_b", "shared_agency_kinds", "similarity"}
    assert old <= set(body)
    assert {"shared_themes", "themes_only_a", "themes_only_b", "theme_overlap"} <= set(body)
    # read: 丰都县 has a talent action and no 科技资源科普化工程; 万年县 the other way round
    assert body["only_a"] == ["talent"] and body["only_b"] == ["science_resources"]
    smart = next(t for t in body["shared_themes"] if t["label"] == "实施智慧助老行动")
    assert [s["lead_basis"] for s in smart["sides"]] == ["lead", "action_lead"]
    assert smart["common_lead_kinds"] == ["civil_affairs"]
    assert any(t.startswith("talent:") for t in body["themes_only_a"])


def test_a_jurisdiction_compared_with_itself_is_the_most_similar(client: TestClient, catalog: NameCatalog) -> None:
    matrix = client.get("/overlap/matrix").json()
    names, values = matrix["jurisdictions"], matrix["values"]
    assert sorted(names) == sorted(ALL) and matrix["loaded"] == 5 and matrix["measure"] == "division"
    top = max(v for row in values for v in row)
    for i, name in enumerate(names):
        assert values[i][i] == 1.0 == top
        assert compare(catalog, name, name).similarity == 1.0
        assert all(values[i][k] <= values[i][i] for k in range(len(names)))
    same = client.get("/compare", params={"a": FENGDU, "b": FENGDU}).json()
    assert same["similarity"] == 1.0 and same["theme_overlap"] == 1.0 and not same["themes_only_a"]


@pytest.mark.parametrize("measure", ["division", "themes"])
def test_matrix_is_symmetric_and_bounded(client: TestClient, measure: str) -> None:
    values = client.get("/overlap/matrix", params={"measure": measure}).json()["values"]
    for i, row in enumerate(values):
        assert row[i] == 1.0
        for k, v in enumerate(row):
            assert 0.0 <= v <= 1.0 and v == values[k][i]


def test_matrix_cells_agree_with_compare(client: TestClient) -> None:
    matrix = client.get("/overlap/matrix", params={"jurisdiction": [FENGDU, WANNIAN, XINZHOU]}).json()
    assert matrix["jurisdictions"] == [FENGDU, WANNIAN, XINZHOU]
    for i, a in enumerate(matrix["jurisdictions"]):
        for k, b in enumerate(matrix["jurisdictions"]):
            if i < k:
                compared = client.get("/compare", params={"a": a, "b": b}).json()
                assert matrix["values"][i][k] == compared["similarity"]


def test_matrix_csv_is_the_json_matrix(client: TestClient) -> None:
    r = client.get("/overlap/matrix.csv", params={"measure": "themes"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.text)))
    matrix = client.get("/overlap/matrix", params={"measure": "themes"}).json()
    assert rows[0] == ["jurisdiction", *matrix["jurisdictions"]]
    for row, name, values in zip(rows[1:], matrix["jurisdictions"], matrix["values"], strict=True):
        assert row[0] == name and [float(v) for v in row[1:]] == pytest.approx(values, abs=1e-4)


def test_bounds_and_bad_requests(client: TestClient, catalog: NameCatalog) -> None:
    assert client.get("/overlap", params={"jurisdiction": [FENGDU]}).status_code == 422
    assert client.get("/overlap", params={"jurisdiction": [FENGDU, FENGDU]}).status_code == 422
    missing = client.get("/overlap", params={"jurisdiction": [FENGDU, "丰都"]})
    assert missing.status_code == 404 and FENGDU in missing.json()["suggestions"]
    too_many = client.get("/overlap/matrix", params={"jurisdiction": [f"县{i}" for i in range(MAX_MATRIX + 1)]})
    assert too_many.status_code == 422
    assert client.get("/overlap/matrix", params={"measure": "votes"}).status_code == 422
    with pytest.raises(TooLarge, match="at most 3"):
        overlap_matrix(catalog, cap=3)
    with pytest.raises(ValueError):
        overlap(catalog, [FENGDU])


def cli(db: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "--db", str(db)])
    return result.exit_code, result.stdout, result.stderr


def test_overlap_command(seed_db: Path, client: TestClient, tmp_path: Path) -> None:
    code, out, _ = cli(seed_db, "overlap", FENGDU, WANNIAN, "--json")
    assert code == 0
    assert json.loads(out) == client.get("/overlap", params={"jurisdiction": [FENGDU, WANNIAN]}).json()
    target = tmp_path / "m.csv"
    code, _, err = cli(seed_db, "overlap", "--matrix", "-o", str(target))
    assert code == 0 and "5×5" in err
    assert target.read_text(encoding="utf-8") == client.get("/overlap/matrix.csv").text
    code, _, err = cli(seed_db, "overlap", "--matrix", "--max", "2")
    assert code == 2 and "at most 2" in err
    code, _, err = cli(seed_db, "overlap", FENGDU)
    assert code == 2 and "two or more" in err
    code, out, _ = cli(seed_db, "themes", "--min", "5", "--json")
    assert code == 0 and json.loads(out)["total"] >= 10
